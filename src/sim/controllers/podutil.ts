/**
 * Pod predicates the workload controllers share (k8s.io/kubernetes/pkg/api/v1/pod and
 * pkg/controller): active, ready, available, and the order in which a controller scaling down
 * picks pods to delete.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Not finished and not being deleted (controller.IsPodActive). */
export function isPodActive(pod: Obj): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: Obj): Obj | undefined {
  const conditions: Obj[] | undefined = pod.status?.conditions;
  if (!conditions) return undefined;
  for (const c of conditions) if (c.type === 'Ready') return c;
  return undefined;
}

export function isPodReady(pod: Obj): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod last became ready (ms), if it is ready. */
export function podReadyTime(pod: Obj): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Obj, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Obj): number {
  const v = pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

function maxContainerRestarts(pod: Obj): number {
  let max = 0;
  for (const c of (pod.status?.containerStatuses ?? []) as Obj[]) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

/** floor(log2(now - t)) with durations in nanoseconds, -1 for none (LogarithmicScaleDown). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/**
 * Sorts pods so that the first are the ones to delete first (controller.ActivePodsWithRanks):
 * unscheduled, pending, not ready, cheaper to delete, doubled up on a node (higher rank), ready
 * for less time, restarted more, newer.
 */
export function sortPodsForDeletion(pods: Obj[], ranks: Map<Obj, number>, now: number): Obj[] {
  const uidOrder = (a: Obj, b: Obj) => (a.metadata.uid < b.metadata.uid ? -1 : a.metadata.uid > b.metadata.uid ? 1 : 0);
  return [...pods].sort((a, b) => {
    const na = a.spec?.nodeName ?? '';
    const nb = b.spec?.nodeName ?? '';
    if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
    const pa = PHASE_ORDINAL[a.status?.phase] ?? 0;
    const pb = PHASE_ORDINAL[b.status?.phase] ?? 0;
    if (pa !== pb) return pa - pb;
    const ra = isPodReady(a);
    const rb = isPodReady(b);
    if (ra !== rb) return ra ? 1 : -1;
    const ca = deletionCost(a);
    const cb = deletionCost(b);
    if (ca !== cb) return ca - cb;
    const ka = ranks.get(a) ?? 0;
    const kb = ranks.get(b) ?? 0;
    if (ka !== kb) return kb - ka;
    if (ra && rb) {
      const ta = podReadyTime(a);
      const tb = podReadyTime(b);
      if (ta !== tb) {
        if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
        const diff = logRank(ta, now) - logRank(tb, now);
        return diff === 0 ? uidOrder(a, b) : diff;
      }
    }
    const xa = maxContainerRestarts(a);
    const xb = maxContainerRestarts(b);
    if (xa !== xb) return xb - xa;
    const ta = Date.parse(a.metadata.creationTimestamp ?? '');
    const tb = Date.parse(b.metadata.creationTimestamp ?? '');
    if (ta !== tb) {
      const diff = logRank(ta, now) - logRank(tb, now);
      return diff === 0 ? uidOrder(a, b) : diff;
    }
    return 0;
  });
}
