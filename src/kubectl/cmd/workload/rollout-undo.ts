/**
 * `kubectl rollout undo`: kubectl's rollbackers. A Deployment gets its old ReplicaSet's template
 * and annotations back through a JSON patch; a DaemonSet or StatefulSet gets its
 * ControllerRevision's data as a strategic merge patch.
 */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, responseError } from '../../cmdutil';
import { resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import { describePodTemplate } from './podtemplate';
import { revisionsOf, REVISION_ANNOTATION } from './rollout-history';
import { clone, collectInfos, groupKind, nameLine, type Info } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HASH_LABELS = ['pod-template-hash', 'controller-revision-hash'];
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** Semantic equality: nil and empty maps and lists are the same, key order does not matter. */
function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => semanticEqual((a as Obj)[k], (b as Obj)[k]));
  }
  return a === b;
}

function withoutHash(template: Obj): Obj {
  const copy = clone(template ?? {});
  for (const l of HASH_LABELS) if (copy.metadata?.labels) delete copy.metadata.labels[l];
  return copy;
}

async function rollback(ctx: KubectlContext, info: Info, toRevision: number, dryRun: 'none' | 'client' | 'server'): Promise<string> {
  if (toRevision < 0) throw new CommandError(`error: unable to find specified revision ${toRevision} in history`);
  const kind = groupKind(info);
  const history = await revisionsOf(ctx, info);
  if (!history) throw new CommandError(`error: no rollbacker has been implemented for "${kind}"`);
  const live = info.object as Obj;
  const query: Record<string, string> = dryRun === 'server' ? { dryRun: 'All' } : {};
  const path = resourcePath(info.resource, info.namespace, info.name);
  if (kind === 'Deployment.apps') {
    let target;
    if (toRevision > 0) {
      target = history.find((h) => h.revision === toRevision);
      if (!target) throw new CommandError(`error: unable to find specified revision ${toRevision} in history`);
    } else {
      target = history.length >= 2 ? history[history.length - 2] : undefined;
      if (!target) throw new CommandError(`error: no rollout history found for deployment ${JSON.stringify(info.name)}`);
    }
    const rsTemplate = (target.object as Obj).spec?.template ?? {};
    if (dryRun === 'client') return describePodTemplate(rsTemplate);
    if (live.spec?.paused) throw new CommandError("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    if (semanticEqual(withoutHash(rsTemplate), withoutHash(live.spec?.template))) return `skipped rollback (current template already matches revision ${toRevision})`;
    const template = clone(rsTemplate);
    if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries((live.metadata.annotations ?? {}) as Record<string, string>)) if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(((target.object as Obj).metadata.annotations ?? {}) as Record<string, string>)) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    const res = await ctx.client.request({
      method: 'PATCH',
      path,
      query,
      contentType: 'application/json-patch+json',
      body: [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
    });
    if (res.status >= 400) throw new CommandError(`error: failed restoring revision ${toRevision}: ${responseError(res).replace(/^Error from server \(\w+\): /, '')}`);
    return 'rolled back';
  }
  // DaemonSet and StatefulSet.
  if (toRevision === 0 && history.length <= 1) throw new CommandError('error: no last revision to roll back to');
  const target = toRevision === 0 ? history[history.length - 2] : history.find((h) => h.revision === toRevision);
  if (!target) throw new CommandError(`error: unable to find specified revision ${toRevision} in history`);
  if (dryRun === 'client') return describePodTemplate(target.template);
  if (semanticEqual(target.template, live.spec?.template)) return `skipped rollback (current template already matches revision ${toRevision})`;
  const res = await ctx.client.request({ method: 'PATCH', path, query, contentType: 'application/strategic-merge-patch+json', body: (target.object as Obj).data });
  if (res.status >= 400) throw new CommandError(`error: failed restoring revision ${toRevision}: ${responseError(res).replace(/^Error from server \(\w+\): /, '')}`);
  return 'rolled back';
}

export async function rolloutUndo(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const toRevision = args.flags.get('to-revision') as number;
  const dryRun = dryRunStrategy(args, ctx);
  const { infos } = await collectInfos(args, ctx, args.positional, { selector: args.flags.get('selector') as string, allowEmptySelector: true });
  for (const info of infos) {
    const result = await rollback(ctx, info, toRevision, dryRun);
    ctx.stdout(nameLine(info, `${result}${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}`));
  }
  return 0;
}
