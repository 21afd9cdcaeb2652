/**
 * `kubectl rollout status`: kubectl's status viewers (Deployment, DaemonSet, StatefulSet) run on
 * every event of a watch on the one object, printing each message, until the rollout is done, an
 * error, --watch=false, or --timeout.
 */
import type { KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import { REVISION_ANNOTATION } from './rollout-history';
import { collectInfos, groupKind, waitFor, watchObject } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Status {
  message: string;
  done: boolean;
  error?: string;
}

function deploymentStatus(d: Obj, revision: number): Status {
  const name = JSON.stringify(d.metadata.name);
  if (revision > 0) {
    const text = d.metadata.annotations?.[REVISION_ANNOTATION] ?? '';
    if (!/^\d+$/.test(text)) return { message: '', done: false, error: `cannot get the revision of deployment ${name}: strconv.ParseInt: parsing "${text}": invalid syntax` };
    if (Number(text) !== revision) return { message: '', done: false, error: `desired revision (${revision}) is different from the running revision (${text})` };
  }
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const progressing = (s.conditions ?? []).find((c: Obj) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { message: '', done: false, error: `deployment ${name} exceeded its progress deadline` };
    const replicas = d.spec?.replicas;
    const updated = s.updatedReplicas ?? 0;
    if (replicas !== undefined && updated < replicas)
      return { message: `Waiting for deployment ${name} rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
    if ((s.replicas ?? 0) > updated)
      return { message: `Waiting for deployment ${name} rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    if ((s.availableReplicas ?? 0) < updated)
      return { message: `Waiting for deployment ${name} rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    return { message: `deployment ${name} successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

function daemonSetStatus(ds: Obj): Status {
  const name = JSON.stringify(ds.metadata.name);
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  const s = ds.status ?? {};
  if ((ds.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    const desired = s.desiredNumberScheduled ?? 0;
    if ((s.updatedNumberScheduled ?? 0) < desired)
      return { message: `Waiting for daemon set ${name} rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
    if ((s.numberAvailable ?? 0) < desired)
      return { message: `Waiting for daemon set ${name} rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
    return { message: `daemon set ${name} successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
}

function statefulSetStatus(sts: Obj): Status {
  const strategy = sts.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  const s = sts.status ?? {};
  if (!s.observedGeneration || (sts.metadata.generation ?? 0) > s.observedGeneration) return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  const replicas = sts.spec?.replicas;
  if (replicas !== undefined && (s.readyReplicas ?? 0) < replicas) return { message: `Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && partition !== null && (s.updatedReplicas ?? 0) < replicas - partition)
      return { message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...\n`, done: false };
    return { message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (s.updateRevision !== s.currentRevision)
    return { message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...\n`, done: false };
  return { message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...\n`, done: true };
}

/** The status viewer for a kind, as polymorphichelpers.StatusViewerFor. */
export function statusViewerFor(groupKindText: string): ((obj: KubeObject, revision: number) => Status) | undefined {
  switch (groupKindText) {
    case 'Deployment.apps':
    case 'Deployment.extensions':
      return (o, r) => deploymentStatus(o as Obj, r);
    case 'DaemonSet.apps':
    case 'DaemonSet.extensions':
      return (o) => daemonSetStatus(o as Obj);
    case 'StatefulSet.apps':
      return (o) => statefulSetStatus(o as Obj);
    default:
      return undefined;
  }
}

export async function rolloutStatus(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const revision = args.flags.get('revision') as number;
  const watch = args.flags.get('watch') as boolean;
  const timeoutMs = parseGoDuration(args.flags.get('timeout') as string) ?? 0;
  const { files } = { files: (args.flags.get('filename') as string[]) ?? [] };
  if (args.positional.length === 0 && files.length === 0) throw new CommandError('error: required resource not specified');
  if (revision < 0) throw new CommandError(`error: revision must be a positive integer: ${revision}`);
  const { infos } = await collectInfos(args, ctx, args.positional, { selector: args.flags.get('selector') as string, allowEmptySelector: true });
  for (const info of infos) {
    const viewer = statusViewerFor(groupKind(info));
    if (!viewer) throw new CommandError(`error: no status viewer has been implemented for ${groupKind(info)}`);
    let outcome: { error?: string } | undefined;
    const stop = await watchObject(ctx, info.resource, info.namespace, info.name, (e) => {
      if (outcome) return;
      if (e.type === 'ADDED' || e.type === 'MODIFIED') {
        const status = viewer(e.object as KubeObject, revision);
        if (status.error) return void (outcome = { error: status.error });
        ctx.stdout(status.message);
        if (status.done || !watch) outcome = {};
      } else if (e.type === 'DELETED') outcome = { error: 'object has been deleted' };
      else outcome = { error: `internal error: unexpected event ${JSON.stringify(e)}` };
    });
    let result: string;
    try {
      result = await waitFor(ctx, () => outcome !== undefined, timeoutMs > 0 ? timeoutMs : undefined);
    } finally {
      stop();
    }
    if (result === 'timeout') throw new CommandError('error: timed out waiting for the condition');
    if (result === 'interrupted') return 130;
    if (outcome?.error) throw new CommandError(`error: ${outcome.error}`);
  }
  if (infos.length === 0) ctx.stderr(`No resources found in ${ctx.namespace} namespace.\n`);
  return 0;
}
