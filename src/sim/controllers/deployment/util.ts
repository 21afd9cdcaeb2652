/**
 * Deployment helpers as pkg/controller/deployment/util has them: revisions and the annotations
 * a Deployment copies onto its ReplicaSets, maxSurge/maxUnavailable fenceposts, replica sums,
 * ReplicaSet orderings and the Deployment's conditions.
 */
import { podTemplateHash } from '../../names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const SKIPPED_ANNOTATIONS = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
const MAX_REVISION_HISTORY_CHARS = 2000;
/** progressDeadlineSeconds of MaxInt32 means "no deadline". */
const NO_DEADLINE = 2147483647;

export const replicasOf = (o: Obj | undefined): number => o?.spec?.replicas ?? 0;

export function revisionOf(rs: Obj): number {
  const v = rs.metadata.annotations?.[REVISION];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

export function maxRevision(rss: Obj[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, revisionOf(rs));
  return max;
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function isRollingUpdate(d: Obj): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** ResolveFenceposts: surge rounds up, unavailability down; both zero means one unavailable. */
export function fenceposts(d: Obj): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const desired = replicasOf(d);
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Obj): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Obj): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(fenceposts(d).unavailable, desired);
}

export const sumSpec = (rss: Obj[]) => rss.reduce((n, rs) => n + replicasOf(rs), 0);
export const sumStatus = (rss: Obj[], field: string) => rss.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
export const activeReplicaSets = (rss: Obj[]) => rss.filter((rs) => replicasOf(rs) > 0);

function created(o: Obj): number {
  return Date.parse(o.metadata.creationTimestamp ?? '') || 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: Obj, b: Obj): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** ReplicaSetsBySizeNewer (larger first, then newer) and BySizeOlder (larger first, then older). */
export const bySizeNewer = (a: Obj, b: Obj) => replicasOf(b) - replicasOf(a) || byCreation(b, a);
export const bySizeOlder = (a: Obj, b: Obj) => replicasOf(b) - replicasOf(a) || byCreation(a, b);
export const byRevision = (a: Obj, b: Obj) => revisionOf(a) - revisionOf(b) || byCreation(a, b);

/** Deep equality ignoring key order (the templates come from different writers). */
function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => semanticEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => semanticEqual((a as Obj)[k], (b as Obj)[k]));
}

function withoutHash(template: Obj | undefined): Obj {
  const labels = { ...(template?.metadata?.labels ?? {}) };
  delete labels[HASH_LABEL];
  return { ...template, metadata: { ...(template?.metadata ?? {}), labels } };
}

/** EqualIgnoreHash: the templates are the same apart from the pod-template-hash label. */
export function equalIgnoreHash(a: Obj | undefined, b: Obj | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: Obj, rss: Obj[]): Obj | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function hashOf(d: Obj): string {
  return podTemplateHash(d.spec?.template, d.status?.collisionCount);
}

/** Copies the Deployment's annotations (but its own bookkeeping ones) onto the ReplicaSet's. */
function copyAnnotations(d: Obj, annotations: Record<string, string>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when they changed. */
export function setReplicasAnnotations(annotations: Record<string, string>, desired: number, max: number): boolean {
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision (keeping
 * the replaced one in revision-history when a ReplicaSet comes back in a rollback) and, for a new
 * ReplicaSet, the replica annotations. Changes `annotations` in place; true when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Obj, annotations: Record<string, string>, newRevision: number, exists: boolean): boolean {
  let changed = copyAnnotations(d, annotations);
  const old = annotations[REVISION];
  const oldRevision = old === undefined ? 0 : Number(old);
  if (!Number.isInteger(oldRevision)) return false;
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = annotations[REVISION_HISTORY] ?? '';
      if (history === '') annotations[REVISION_HISTORY] = old;
      else {
        const parts = history.split(',');
        let total = history.length + old.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS) annotations[REVISION_HISTORY] = [...parts.slice(start), old].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newReplicaSetReplicas(d: Obj, all: Obj[], newRS: Obj): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const desired = replicasOf(d);
  const maxTotal = desired + fenceposts(d).surge;
  const current = sumSpec(all);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, desired - replicasOf(newRS));
}

/** IsSaturated: the new ReplicaSet runs every replica, all available. */
export function isSaturated(d: Obj, rs: Obj | undefined): boolean {
  if (!rs) return false;
  const desired = replicasOf(d);
  return rs.metadata.annotations?.[DESIRED_REPLICAS] === String(desired) && replicasOf(rs) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}

/** getReplicaSetFraction and GetProportion, for proportional scaling. */
export function proportion(rs: Obj, d: Obj, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
    const base = Number.isInteger(annotated) && rs.metadata.annotations?.[MAX_REPLICAS] !== undefined ? annotated : (d.status?.replicas ?? 0);
    fraction = roundHalfAway((replicasOf(rs) * deploymentReplicas) / base) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export function hasProgressDeadline(d: Obj): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== NO_DEADLINE;
}

export function condition(status: Obj, type: string): Obj | undefined {
  return ((status.conditions ?? []) as Obj[]).find((c) => c.type === type);
}

export function newCondition(type: string, status: string, reason: string, message: string, now: string): Obj {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** SetDeploymentCondition: same status and reason is no change; same status keeps its transition time. */
export function setCondition(status: Obj, c: Obj): void {
  const current = condition(status, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  if (current && current.status === c.status) c = { ...c, lastTransitionTime: current.lastTransitionTime };
  status.conditions = [...((status.conditions ?? []) as Obj[]).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: Obj, type: string): void {
  if (!status.conditions) return;
  status.conditions = (status.conditions as Obj[]).filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function isComplete(d: Obj, status: Obj): boolean {
  const desired = replicasOf(d);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, or more ready or available replicas than before. */
export function isProgressing(d: Obj, status: Obj): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition has not moved for progressDeadlineSeconds. */
export function isTimedOut(d: Obj, status: Obj, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = condition(status, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 < now;
}
