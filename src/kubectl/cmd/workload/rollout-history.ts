/**
 * Revisions of a workload, as kubectl's history viewers find them: a Deployment's ReplicaSets
 * (revision annotation), a DaemonSet's or StatefulSet's ControllerRevisions. Shared by
 * `rollout history` and `rollout undo`.
 */
import type { KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { expectOk } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import { describePodTemplate } from './podtemplate';
import { clone, collectInfos, groupKind, nameLine, tabbed, type Info } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export interface Revision {
  revision: number;
  /** The pod template this revision ran. */
  template: Obj;
  changeCause: string;
  /** The ReplicaSet or ControllerRevision behind it. */
  object: Obj;
}

function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
}

function selectorQuery(selector: Obj | undefined): Record<string, string> {
  const parts: string[] = [];
  for (const [k, v] of Object.entries((selector?.matchLabels ?? {}) as Record<string, string>)) parts.push(`${k}=${v}`);
  for (const e of (selector?.matchExpressions ?? []) as Obj[]) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? { labelSelector: parts.join(',') } : {};
}

/** The history of a workload, or undefined when kubectl has no history viewer for its kind. */
export async function revisionsOf(ctx: KubectlContext, info: Info): Promise<Revision[] | undefined> {
  const obj = info.object as Obj;
  const ns = info.namespace ?? '';
  const kind = groupKind(info);
  if (kind === 'Deployment.apps') {
    const list = expectOk<{ items: KubeObject[] }>(await ctx.client.request({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/replicasets`, query: selectorQuery(obj.spec?.selector) }));
    const out: Revision[] = [];
    for (const rs of list.items.filter((r) => ownedBy(r, info.object)) as Obj[]) {
      const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
      if (text === undefined || !/^\d+$/.test(text)) continue;
      const template = clone(rs.spec.template ?? {});
      const cause = rs.metadata.annotations?.[CHANGE_CAUSE] ?? '';
      if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE]: cause } };
      out.push({ revision: Number(text), template, changeCause: template.metadata?.annotations?.[CHANGE_CAUSE] ?? '', object: rs });
    }
    return out.sort((a, b) => a.revision - b.revision);
  }
  if (kind === 'DaemonSet.apps' || kind === 'StatefulSet.apps') {
    const list = expectOk<{ items: KubeObject[] }>(await ctx.client.request({ method: 'GET', path: `/apis/apps/v1/namespaces/${ns}/controllerrevisions`, query: selectorQuery(obj.spec?.selector) }));
    return (list.items.filter((r) => ownedBy(r, info.object)) as Obj[])
      .map((cr) => {
        const { $patch: _, ...template } = (cr.data?.spec?.template ?? {}) as Obj;
        return { revision: Number(cr.revision ?? 0), template, changeCause: cr.metadata.annotations?.[CHANGE_CAUSE] ?? '', object: cr };
      })
      .sort((a, b) => a.revision - b.revision);
  }
  return undefined;
}

export function noHistoryViewer(info: Info): CommandError {
  return new CommandError(`error: no history viewer has been implemented for ${JSON.stringify(groupKind(info))}`);
}

export async function rolloutHistory(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const revision = args.flags.get('revision') as number;
  if (revision < 0) throw new CommandError(`error: revision must be a positive integer: ${revision}`);
  const { infos } = await collectInfos(args, ctx, args.positional, { selector: args.flags.get('selector') as string, allowEmptySelector: true });
  for (const info of infos) {
    const history = await revisionsOf(ctx, info);
    if (!history) throw noHistoryViewer(info);
    let text: string;
    if (history.length === 0) text = 'No rollout history found.';
    else if (revision > 0) {
      const found = history.find((h) => h.revision === revision);
      if (!found) throw new CommandError('error: unable to find the specified revision');
      text = describePodTemplate(found.template);
    } else {
      text = tabbed(`REVISION\tCHANGE-CAUSE\n${history.map((h) => `${h.revision}\t${h.changeCause || '<none>'}\n`).join('')}`, 0, 2);
    }
    ctx.stdout(nameLine(info, `${revision > 0 ? `with revision #${revision}` : ''}\n${text}`));
  }
  return 0;
}
