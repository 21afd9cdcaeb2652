/** `kubectl scale`: sets replicas through the scale subresource, as kubectl's scaler does. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, DRY_RUN_FLAG, filenameFlags, responseError } from '../../cmdutil';
import { resourcePath } from '../../discovery';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import { manifestTargets, NO_RESOURCES, readManifests, resourceArgs, type Target } from '../../resource';
import type { Command } from '../types';
import { OUTPUT_FLAGS, printerFor, printObject, requireFlags, statusMessage, type Obj } from './shared';

/** Targets from -f, TYPE NAME…, or TYPE with --all / -l (listed from the server). */
export async function collectTargets(ctx: KubectlContext, args: ParsedArgs, what: string): Promise<{ targets: Target[]; errors: string[]; objects: Map<Target, Obj> }> {
  const filenames = (args.flags.get('filename') as string[] | undefined) ?? [];
  const selector = (args.flags.get('selector') as string | undefined) ?? '';
  const all = Boolean(args.flags.get('all'));
  const objects = new Map<Target, Obj>();
  const errors: string[] = [];
  let targets: Target[] = [];
  if (filenames.length) {
    targets = await manifestTargets(ctx, readManifests(ctx, filenames, Boolean(args.flags.get('recursive'))), ctx.namespace, args.changed.has('namespace'));
  } else {
    const parsed = await resourceArgs(ctx, args.positional, ctx.namespace);
    if (parsed.targets.length && (selector || all)) {
      if (selector) throw new CommandError('error: name cannot be provided when a selector is specified');
    }
    if (parsed.types.length) {
      if (!selector && !all) throw new CommandError('error: resource(s) were provided, but no name was specified');
      for (const type of parsed.types) {
        const res = await ctx.client.request({ method: 'GET', path: resourcePath(type, ctx.namespace), query: selector ? { labelSelector: selector } : {} });
        if (res.status >= 400) throw new CommandError(responseError(res));
        for (const item of (res.body as { items: Obj[] }).items ?? []) {
          const name = String((item.metadata as Obj).name);
          const t: Target = { resource: type, namespace: type.namespaced ? ctx.namespace : undefined, name };
          objects.set(t, { ...item, apiVersion: type.group ? `${type.group}/${type.version}` : type.version, kind: type.kind });
          targets.push(t);
        }
      }
      return { targets, errors, objects };
    }
    targets = parsed.targets;
    if (targets.length === 0) throw new CommandError(NO_RESOURCES);
  }
  const found: Target[] = [];
  for (const t of targets) {
    const res = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
    if (res.status >= 400) {
      errors.push(what === 'scale' ? statusMessage(res) : responseError(res));
      continue;
    }
    objects.set(t, res.body as Obj);
    found.push(t);
  }
  return { targets: found, errors, objects };
}

async function runScale(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  requireFlags(ctx, args, ['replicas']);
  const replicas = args.flags.get('replicas') as number;
  const current = args.flags.get('current-replicas') as number;
  const resourceVersion = args.flags.get('resource-version') as string;
  if (replicas < 0) throw new CommandError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (current < -1) throw new CommandError('error: The --current-replicas must specify an integer of -1 or greater');
  const dryRun = dryRunStrategy(args, ctx);
  const printer = printerFor(args, dryRun, ctx);
  const timeoutMs = parseGoDuration(args.flags.get('timeout') as string) ?? 0;
  const { targets, errors, objects } = await collectTargets(ctx, args, 'scale');
  if (resourceVersion && targets.length > 1) throw new CommandError('error: cannot use --resource-version with multiple resources');
  if (targets.length === 0) {
    if (errors.length) throw new CommandError(`error: no objects passed to scale ${errors.join('\n')}`);
    throw new CommandError('error: no objects passed to scale');
  }
  const printed: string[] = [];
  for (const t of targets) {
    const object = objects.get(t)!;
    // kubectl 1.32 prints the object as it read it, before scaling.
    const withReplicas = (_n: number): Obj => object;
    if (dryRun === 'client') {
      printObject(ctx, printer, withReplicas(replicas), t.resource, 'scaled');
      continue;
    }
    const scalePath = resourcePath(t.resource, t.namespace, t.name, 'scale');
    const query: Record<string, string> = dryRun === 'server' ? { dryRun: 'All' } : {};
    let res;
    if (current !== -1 || resourceVersion) {
      const got = await ctx.client.request({ method: 'GET', path: scalePath });
      if (got.status >= 400) throw new CommandError(responseError(got));
      const scale = got.body as { metadata: { resourceVersion?: string }; spec: { replicas?: number } };
      const have = scale.spec.replicas ?? 0;
      if (current !== -1 && have !== current) throw new CommandError(`error: Expected replicas to be ${current}, was ${have}`);
      if (resourceVersion && scale.metadata.resourceVersion !== resourceVersion)
        throw new CommandError(`error: Expected resource version to be ${resourceVersion}, was ${scale.metadata.resourceVersion}`);
      res = await ctx.client.request({ method: 'PUT', path: scalePath, query, body: { ...scale, spec: { ...scale.spec, replicas } } });
    } else {
      res = await ctx.client.request({ method: 'PATCH', path: scalePath, query, contentType: 'application/merge-patch+json', body: { spec: { replicas } } });
    }
    if (res.status >= 400) throw new CommandError(responseError(res));
    const actual = (res.body as { spec?: { replicas?: number } }).spec?.replicas ?? replicas;
    if (timeoutMs > 0 && dryRun === 'none' && ctx.clock) {
      let status: { spec?: { replicas?: number }; status?: { replicas?: number } } = {};
      const poll = async () => {
        const r = await ctx.client.request({ method: 'GET', path: scalePath });
        status = r.body as typeof status;
      };
      await poll();
      const ok = () => status.spec?.replicas !== replicas || (status.status?.replicas ?? 0) === replicas;
      const handle = await ctx.client.watch({ method: 'GET', path: resourcePath(t.resource, t.namespace), query: { fieldSelector: `metadata.name=${t.name}` } }, () => void poll());
      const outcome = await ctx.clock.waitUntil(ok, timeoutMs, ctx.signal);
      if ('stop' in handle) handle.stop();
      if (outcome === 'timeout') throw new CommandError(`error: timed out waiting for "${t.name}" to be synced`);
    }
    printObject(ctx, printer, withReplicas(actual), t.resource, 'scaled');
    printed.push(t.name);
  }
  if (errors.length) throw new CommandError(errors.map((e) => (e.startsWith('Error from server') ? e : `Error from server (NotFound): ${e}`)).join('\n'));
  return 0;
}

export const scale: Command = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  long: `Change the number of replicas of deployments, replica sets, replication controllers or stateful sets.

 You can make the change conditional: with --current-replicas, only if the object has that many replicas now; with --resource-version, only if it has not been changed since that version. The condition is checked by the server together with the change, so nothing can slip in between.`,
  example: `  # Give replica set foo 3 replicas
  kubectl scale --replicas=3 rs/foo
  
  # The same for the object described in foo.yaml
  kubectl scale --replicas=3 -f foo.yaml
  
  # Go from 2 to 3 replicas, but only if deployment mysql has 2 now
  kubectl scale --current-replicas=2 --replicas=3 deployment/mysql
  
  # Several objects at once
  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3
  
  # Give stateful set web 3 replicas
  kubectl scale --replicas=3 statefulset/web`,
  use: 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)',
  flags: [
    ...OUTPUT_FLAGS,
    ...filenameFlags('Filename, directory, or URL to files identifying the resource to set a new size'),
    DRY_RUN_FLAG,
    { name: 'all', type: 'bool', default: false, usage: 'Select all resources in the namespace of the specified resource types' },
    { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: 'resource-version', type: 'string', default: '', usage: 'Precondition for resource version. Requires that the current resource version match this value in order to scale.' },
    { name: 'current-replicas', type: 'int', default: -1, usage: 'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.' },
    { name: 'replicas', type: 'int', default: 0, usage: 'The new desired number of replicas. Required.' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a scale operation, zero means don\'t wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
  ],
  run: runScale,
};
