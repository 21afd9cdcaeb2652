/**
 * `kubectl rollout pause|resume|restart`: each computes a strategic merge patch from the object
 * (kubectl's ObjectPauser, ObjectResumer, ObjectRestarter) and sends it, printing
 * `deployment.apps/web paused`; refusals are gathered and printed as one error.
 */
import type { KubectlContext } from '../../context';
import { CommandError } from '../../context';
import { responseError } from '../../cmdutil';
import { resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import { effectiveFormat, outputOptions, printObjects } from '../../printers';
import { aggregateError, collectInfos, groupKind, groupResource, nameLine, rfc3339Seconds, type Info } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

type Patcher = (info: Info, now: number) => Obj | 'unchanged';

class Refusal extends Error {}

const DEPLOYMENTS = ['Deployment.apps', 'Deployment.extensions'];
const RESTARTABLE = [...DEPLOYMENTS, 'DaemonSet.apps', 'DaemonSet.extensions', 'StatefulSet.apps'];

const pauser: Patcher = (info) => {
  if (!DEPLOYMENTS.includes(groupKind(info))) throw new Refusal('pausing is not supported');
  if ((info.object as Obj).spec?.paused) throw new Refusal('is already paused');
  return { spec: { paused: true } };
};

const resumer: Patcher = (info) => {
  if (!DEPLOYMENTS.includes(groupKind(info))) throw new Refusal('resuming is not supported');
  if (!(info.object as Obj).spec?.paused) throw new Refusal('is not paused');
  return { spec: { paused: null } };
};

const restarter: Patcher = (info, now) => {
  const kind = groupKind(info);
  if (!RESTARTABLE.includes(kind)) throw new Refusal('restarting is not supported');
  const obj = info.object as Obj;
  if (DEPLOYMENTS.includes(kind) && obj.spec?.paused) throw new Refusal("can't restart paused deployment (run rollout resume first)");
  const at = rfc3339Seconds(now);
  if (obj.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] === at) return 'unchanged';
  return { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } };
};

/** PrintFlags: any -o prints the object (-o name without the operation); none prints the operation. */
function printsObject(args: ParsedArgs): boolean {
  const format = effectiveFormat(outputOptions(args));
  return format !== '';
}

async function runPatches(args: ParsedArgs, ctx: KubectlContext, patcher: Patcher, done: string, unchanged: (info: Info) => string | Error): Promise<number> {
  const { infos, errors } = await collectInfos(args, ctx, args.positional, { selector: args.flags.get('selector') as string, allowEmptySelector: true, continueOnError: true });
  const allErrors = [...errors];
  if (infos.length === 0 && allErrors.length === 0) {
    ctx.stderr(`No resources found in ${ctx.namespace} namespace.\n`);
    return 0;
  }
  const fieldManager = args.flags.get('field-manager') as string | undefined;
  for (const info of infos) {
    let patch: Obj | 'unchanged';
    try {
      patch = patcher(info, ctx.clock?.now() ?? Date.now());
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      allErrors.push(`error: ${groupResource(info.resource)} ${JSON.stringify(info.name)} ${err.message}`);
      continue;
    }
    if (patch === 'unchanged') {
      const outcome = unchanged(info);
      if (outcome instanceof Error) allErrors.push(outcome.message);
      else if (printsObject(args)) printObjects(ctx, [info.object], outputOptions(args), { list: 'never' });
      else ctx.stdout(outcome);
      continue;
    }
    const res = await ctx.client.request({
      method: 'PATCH',
      path: resourcePath(info.resource, info.namespace, info.name),
      contentType: 'application/strategic-merge-patch+json',
      body: patch,
      ...(fieldManager ? { query: { fieldManager } } : {}),
    });
    if (res.status >= 400) {
      allErrors.push(`failed to patch: ${responseError(res).replace(/^Error from server \(\w+\): /, '')}`);
      continue;
    }
    if (printsObject(args)) printObjects(ctx, [res.body], outputOptions(args), { list: 'never' });
    else ctx.stdout(nameLine(info, done));
  }
  if (allErrors.length > 0) throw aggregateError(allErrors);
  return 0;
}

export const rolloutPause = (args: ParsedArgs, ctx: KubectlContext) => runPatches(args, ctx, pauser, 'paused', (i) => nameLine(i, 'already paused'));
export const rolloutResume = (args: ParsedArgs, ctx: KubectlContext) => runPatches(args, ctx, resumer, 'resumed', (i) => nameLine(i, 'already resumed'));
export const rolloutRestart = (args: ParsedArgs, ctx: KubectlContext) =>
  runPatches(args, ctx, restarter, 'restarted', (i) => new Error(`failed to create patch for ${i.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`));
