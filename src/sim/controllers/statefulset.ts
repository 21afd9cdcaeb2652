/**
 * The StatefulSet controller of kube-controller-manager 1.32 (pkg/controller/statefulset): pods
 * with stable names <set>-<ordinal>, hostnames and claims from volumeClaimTemplates; OrderedReady
 * creation (ordinal i only once 0..i-1 are Running and Ready) and deletion in reverse order one
 * at a time, or Parallel; ControllerRevisions named <set>-<hash> holding the pod template, with
 * status.currentRevision/updateRevision; RollingUpdate from the highest ordinal down to the
 * partition, one pod at a time, or OnDelete; failed pods deleted and made again under the same
 * name; the claims' owner references kept to persistentVolumeClaimRetentionPolicy; and status.
 */
import { utf8Bytes } from '../bytes';
import { matchesLabelSelector } from '../labels';
import { safeEncodeString } from '../names';
import { controllerRef, patchControllerRef } from './ownership';
import { isPodAvailable, isPodReady } from './podutil';
import { errorMessage, indexPods, podFromTemplate } from './replicaset';
import { controllerOf, indexByController, keyOf, RetryableError, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** The most pods a Parallel StatefulSet creates or deletes in one batch of its slow start (MaxBatchSize). */
const MAX_BATCH_SIZE = 500;

const POD_NAME = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: "web-2" → web, 2; -1 when the name carries no ordinal. */
export function parentAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = POD_NAME.exec(name);
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return n <= 2 ** 31 - 1 ? { parent: m[1]!, ordinal: n } : { parent: m[1]!, ordinal: -1 };
}

const ordinalOf = (pod: Obj) => parentAndOrdinal(pod.metadata.name).ordinal;
const startOrdinal = (set: Obj): number => set.spec?.ordinals?.start ?? 0;
const replicasOf = (set: Obj): number => set.spec?.replicas ?? 1;
const endOrdinal = (set: Obj): number => startOrdinal(set) + replicasOf(set) - 1;
const inOrdinalRange = (pod: Obj, set: Obj) => {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
};
const podName = (set: Obj, ordinal: number) => `${set.metadata.name}-${ordinal}`;
const claimName = (set: Obj, template: Obj, ordinal: number) => `${template.metadata?.name}-${set.metadata.name}-${ordinal}`;

const isCreated = (pod: Obj) => Boolean(pod.status?.phase);
const isTerminating = (pod: Obj) => Boolean(pod.metadata.deletionTimestamp);
const isRunningAndReady = (pod: Obj) => pod.status?.phase === 'Running' && isPodReady(pod);
const isHealthy = (pod: Obj) => isRunningAndReady(pod) && !isTerminating(pod);
const podRevision = (pod: Obj): string => pod.metadata.labels?.[REVISION_LABEL] ?? '';

// ---------------------------------------------------------------- revisions

/** Go's json.Marshal of decoded JSON: keys sorted at every level, <, >, & and U+2028/9 escaped. */
export function goJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJSON).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${goString(k)}:${goJSON(o[k])}`)
      .join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value ?? null);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** FNV-1 (not 1a), 32-bit: hash/fnv.New32. */
function fnv32(bytes: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ (b & 0xff)) >>> 0;
  }
  return h >>> 0;
}

/** getPatch: the revision's data, the template to put back with a strategic-merge "replace". */
export function revisionPatch(set: Obj): string {
  return goJSON({ spec: { template: { ...(set.spec?.template ?? {}), $patch: 'replace' } } });
}

/** HashControllerRevision: FNV-32 of the data, then of the collision count, safe-encoded. */
export function revisionHash(raw: string, collisionCount: number): string {
  return safeEncodeString(String(fnv32([...utf8Bytes(raw), ...utf8Bytes(String(collisionCount))])));
}

/** ApplyRevision: the set with the template the revision saved. */
function applyRevision(set: Obj, revision: Obj): Obj {
  const { $patch: _, ...template } = revision.data?.spec?.template ?? {};
  return { ...set, spec: { ...set.spec, template } };
}

function sortRevisions(revisions: Obj[]): Obj[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = Date.parse(a.metadata.creationTimestamp ?? '');
    const tb = Date.parse(b.metadata.creationTimestamp ?? '');
    if (ta !== tb) return ta - tb;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
}

const sameRevisionData = (a: Obj, b: Obj) => goJSON(a.data) === goJSON(b.data);

// ---------------------------------------------------------------- the controller

interface Status {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  availableReplicas: number;
}

const RETAIN = 'Retain';
const DELETE = 'Delete';

class StatefulSetController implements Controller {
  readonly name = 'statefulset-controller';
  private ctx!: ControllerContext;
  private sets!: Informer;
  private pods!: Informer;
  private revisions!: Informer;
  private claims!: Informer;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.sets = ctx.informers.for('statefulsets', 'apps');
    this.pods = ctx.informers.for('pods');
    this.revisions = ctx.informers.for('controllerrevisions', 'apps');
    this.claims = ctx.informers.for('persistentvolumeclaims');
    indexPods(this.pods);
    indexByController(this.revisions);
    this.sets.on({ add: (s) => ctx.queue.add(keyOf(s)), update: (_, s) => ctx.queue.add(keyOf(s)), delete: (s) => ctx.queue.add(keyOf(s)) });
    this.pods.on({ add: (p) => this.podAdded(p), update: (old, p) => this.podUpdated(old, p), delete: (p) => this.podDeleted(p) }, false);
  }

  private resolve(namespace: string, ref: Obj | undefined): Obj | undefined {
    if (!ref || ref.kind !== 'StatefulSet') return undefined;
    const set = this.sets.get(`${namespace}/${ref.name}`);
    return set?.metadata.uid === ref.uid ? set : undefined;
  }

  /** getStatefulSetsForPod: the sets whose selector matches an orphan. */
  private setsFor(pod: Obj): Obj[] {
    return this.sets.list(pod.metadata.namespace).filter((s) => matchesLabelSelector(s.spec?.selector, pod.metadata.labels));
  }

  private podAdded(pod: Obj): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const set = this.resolve(pod.metadata.namespace, ref);
      if (set) this.ctx.queue.add(keyOf(set));
      return;
    }
    for (const s of this.setsFor(pod)) this.ctx.queue.add(keyOf(s));
  }

  private podUpdated(old: Obj, pod: Obj): void {
    const labelsChanged = old.metadata.labels !== pod.metadata.labels && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    const refChanged = ref !== oldRef && JSON.stringify(ref ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const set = this.resolve(old.metadata.namespace, oldRef);
      if (set) this.ctx.queue.add(keyOf(set));
    }
    if (ref) {
      const set = this.resolve(pod.metadata.namespace, ref);
      if (!set) return;
      this.ctx.queue.add(keyOf(set));
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.ctx.queue.addAfter(keyOf(set), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const s of this.setsFor(pod)) this.ctx.queue.add(keyOf(s));
  }

  private podDeleted(pod: Obj): void {
    const set = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (set) this.ctx.queue.add(keyOf(set));
  }

  reconcile(key: string): ReconcileResult {
    const set = this.sets.get(key);
    if (!set) return;
    this.adoptOrphanRevisions(set);
    const pods = this.claimPods(set);
    const revisions = sortRevisions(this.listRevisions(set));
    let current: Obj | undefined;
    let update: Obj | undefined;
    let failed = false;
    let status: Status | undefined;
    try {
      const r = this.getRevisions(set, revisions);
      current = r.current;
      update = r.update;
      const result = this.updateStatefulSet(set, current, update, r.collisionCount, pods);
      status = result.status;
      failed = result.failed;
      this.updateStatus(set, status);
    } finally {
      this.truncateHistory(set, pods, revisions, current, update);
    }
    if (failed) return { requeue: true };
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status && status.availableReplicas !== replicasOf(set)) return { requeueAfter: minReady * 1000 };
  }

  // ---- ownership

  /** ClaimPods with isMemberOf: keep our members, release those that stopped matching, adopt matching orphans. */
  private claimPods(set: Obj): Obj[] {
    const out: Obj[] = [];
    const deleting = Boolean(set.metadata.deletionTimestamp);
    const matches = (p: Obj) => matchesLabelSelector(set.spec?.selector, p.metadata.labels) && parentAndOrdinal(p.metadata.name).parent === set.metadata.name;
    for (const pod of this.pods.byIndex('controller', set.metadata.uid)) {
      if (matches(pod)) out.push(pod);
      else if (!deleting) this.patchOwner('pods', pod, set, 'release');
    }
    if (deleting) return out;
    for (const pod of this.pods.byIndex('orphan', set.metadata.namespace)) {
      if (pod.metadata.deletionTimestamp || !matches(pod)) continue;
      if (this.patchOwner('pods', pod, set, 'adopt')) out.push(this.pods.get(keyOf(pod)) ?? pod);
    }
    return out;
  }

  private patchOwner(resource: 'pods' | 'controllerrevisions', obj: Obj, set: Obj, action: 'adopt' | 'release'): boolean {
    return patchControllerRef(this.ctx, resource === 'pods' ? '/api/v1' : '/apis/apps/v1', resource, obj, set, action);
  }


  /** ListControllerRevisions: revisions the selector matches that are ours or nobody's. */
  private listRevisions(set: Obj): Obj[] {
    return this.revisions
      .list(set.metadata.namespace)
      .filter((r) => matchesLabelSelector(set.spec?.selector, r.metadata.labels))
      .filter((r) => {
        const ref = controllerOf(r);
        return !ref || ref.uid === set.metadata.uid;
      });
  }

  private adoptOrphanRevisions(set: Obj): void {
    if (set.metadata.deletionTimestamp) return;
    for (const r of this.listRevisions(set)) if (!controllerOf(r)) this.patchOwner('controllerrevisions', r, set, 'adopt');
  }

  // ---- revisions

  /** getStatefulSetRevisions: the current revision (status.currentRevision) and the one the spec makes. */
  private getRevisions(set: Obj, revisions: Obj[]): { current: Obj; update: Obj; collisionCount: number } {
    let collisionCount: number = set.status?.collisionCount ?? 0;
    const raw = revisionPatch(set);
    const next = revisions.length ? revisions[revisions.length - 1]!.revision + 1 : 1;
    const candidate = { data: JSON.parse(raw) };
    const equal = revisions.filter((r) => sameRevisionData(r, candidate));
    let update: Obj;
    const last = revisions[revisions.length - 1];
    if (equal.length && last && sameRevisionData(last, equal[equal.length - 1]!)) {
      update = last;
    } else if (equal.length) {
      // Back to an earlier template: that revision becomes the newest again.
      update = this.write('PUT', this.revisionPath(set, equal[equal.length - 1]!.metadata.name), { ...this.revisions.versioned(equal[equal.length - 1]!), revision: next });
    } else {
      const created = this.createRevision(set, raw, next, collisionCount);
      update = created.revision;
      collisionCount = created.collisionCount;
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  private revisionPath(set: Obj, name?: string): string {
    return `/apis/apps/v1/namespaces/${set.metadata.namespace}/controllerrevisions${name ? `/${name}` : ''}`;
  }

  /** newRevision and CreateControllerRevision: a name clash with other data bumps the collision count. */
  private createRevision(set: Obj, raw: string, revision: number, collisionCount: number): { revision: Obj; collisionCount: number } {
    const hash = revisionHash(raw, collisionCount);
    const labels: Record<string, string> = { ...(set.spec?.template?.metadata?.labels ?? {}), [REVISION_LABEL]: hash };
    const annotations: Record<string, string> = { ...(set.metadata.annotations ?? {}) };
    const body = (name: string): Obj => ({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: set.metadata.namespace,
        labels,
        ...(Object.keys(annotations).length ? { annotations } : {}),
        ownerReferences: [controllerRef(set)],
      },
      data: JSON.parse(raw),
      revision,
    });
    for (let count = collisionCount; ; count++) {
      const name = `${set.metadata.name.slice(0, 223)}-${revisionHash(raw, count)}`;
      const res = this.ctx.request({ method: 'POST', path: this.revisionPath(set), body: body(name) });
      if (res.status === 201) return { revision: res.body as Obj, collisionCount: count };
      if (res.status !== 409) throw new RetryableError(errorMessage(res));
      const existing = this.ctx.api.getByResource('controllerrevisions', 'apps', set.metadata.namespace, name);
      if (existing && goJSON(existing.data) === raw) return { revision: existing, collisionCount: count };
    }
  }

  /** truncateHistory: keeps revisionHistoryLimit revisions that no pod and neither status revision uses. */
  private truncateHistory(set: Obj, pods: Obj[], revisions: Obj[], current: Obj | undefined, update: Obj | undefined): void {
    const live = new Set<string>();
    if (current) live.add(current.metadata.name);
    if (update) live.add(update.metadata.name);
    for (const p of pods) live.add(podRevision(p));
    const history = revisions.filter((r) => !live.has(r.metadata.name));
    const limit: number = set.spec?.revisionHistoryLimit ?? 10;
    if (history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      const res = this.ctx.request({ method: 'DELETE', path: this.revisionPath(set, r.metadata.name) });
      if (res.status >= 400 && res.status !== 404) return;
    }
  }

  // ---- the update

  /** updateStatefulSet: creates, fixes and deletes pods toward spec; returns the status to write. */
  private updateStatefulSet(set: Obj, currentRevision: Obj, updateRevision: Obj, collisionCount: number, pods: Obj[]): { status: Status; failed: boolean } {
    const currentSet = applyRevision(set, currentRevision);
    const updateSet = applyRevision(set, updateRevision);
    const status: Status = {
      observedGeneration: set.metadata.generation,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      currentRevision: currentRevision.metadata.name,
      updateRevision: updateRevision.metadata.name,
      collisionCount,
      availableReplicas: 0,
    };
    const minReady: number = set.spec?.minReadySeconds ?? 0;
    const count = (...lists: Obj[][]) => this.countStatus(status, minReady, currentRevision, updateRevision, lists);
    count(pods);

    const start = startOrdinal(set);
    const replicas: Obj[] = new Array(replicasOf(set));
    const condemned: Obj[] = [];
    for (const pod of pods) {
      if (inOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
      else if (ordinalOf(pod) >= 0) condemned.push(pod);
    }
    for (let ord = start; ord <= endOrdinal(set); ord++) {
      if (!replicas[ord - start]) replicas[ord - start] = this.newVersionedPod(set, currentSet, updateSet, currentRevision.metadata.name, updateRevision.metadata.name, ord);
    }
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    let firstUnhealthy: Obj | undefined;
    for (const p of replicas) if (!isHealthy(p)) firstUnhealthy ??= p;
    for (let i = condemned.length - 1; i >= 0; i--) if (!isHealthy(condemned[i]!)) firstUnhealthy ??= condemned[i];

    if (set.metadata.deletionTimestamp) return { status, failed: false };
    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const now = this.ctx.clock.now();
    const available = (p: Obj) => isPodAvailable(p, minReady, now);

    const processReplica = (i: number): Step => {
      const pod = replicas[i]!;
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') {
        // A finished pod is deleted; the next sync, once it is gone, makes it again.
        if (!pod.metadata.deletionTimestamp) {
          const err = this.deletePod(set, pod);
          if (err) return { exit: true, error: err };
        }
        return { exit: true };
      }
      if (!isCreated(pod)) {
        if (this.podClaimIsStale(set, pod)) return { exit: true };
        const err = this.createPod(set, pod);
        if (err) return { exit: true, error: err };
        if (monotonic) return { exit: true };
      }
      if (phase === 'Pending') {
        const err = this.createClaims(set, pod) ?? this.updateClaimsForRetention(set, pod);
        if (err) return { exit: true, error: err };
      }
      if (isTerminating(pod) && monotonic) return { exit: true };
      if (!isRunningAndReady(pod) && monotonic) return { exit: true };
      if (!available(pod) && monotonic) return { exit: true };
      if (isCreated(pod) && !(identityMatches(set, pod) && storageMatches(set, pod) && this.claimsMatchRetention(updateSet, pod))) {
        const err = this.updatePod(updateSet, pod);
        if (err) return { exit: true, error: err };
      }
      return { exit: false };
    };
    const processCondemned = (i: number): Step => {
      const pod = condemned[i]!;
      if (isTerminating(pod)) return { exit: monotonic };
      if (!isRunningAndReady(pod) && monotonic && pod !== firstUnhealthy) return { exit: true };
      if (!available(pod) && monotonic && pod !== firstUnhealthy) return { exit: true };
      return { exit: true, error: this.deletePod(set, pod) };
    };
    const fixClaims = (i: number): Step => {
      const pod = condemned[i]!;
      if (this.claimsMatchRetention(updateSet, pod)) return { exit: false };
      const err = this.updateClaimsForRetention(updateSet, pod);
      return err ? { exit: true, error: err } : { exit: false };
    };

    for (const [list, fn] of [
      [replicas, processReplica],
      [condemned, fixClaims],
      [condemned, processCondemned],
    ] as const) {
      const r = runForAll(list.length, fn, monotonic);
      if (r.exit || r.error) {
        count(replicas, condemned);
        return { status, failed: Boolean(r.error) };
      }
    }
    count(replicas, condemned);
    if (set.spec?.updateStrategy?.type === 'OnDelete') return { status, failed: false };

    // RollingUpdate: the highest ordinal not at the update revision goes, down to the partition, one at a time.
    const updateMin: number = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== updateRevision.metadata.name && !isTerminating(pod)) {
        const err = this.deletePod(set, pod);
        status.currentReplicas--;
        return { status, failed: Boolean(err) };
      }
      if (!isHealthy(pod)) return { status, failed: false };
    }
    return { status, failed: false };
  }

  private countStatus(status: Status, minReady: number, current: Obj, update: Obj, lists: Obj[][]): void {
    const now = this.ctx.clock.now();
    status.replicas = status.readyReplicas = status.availableReplicas = status.currentReplicas = status.updatedReplicas = 0;
    for (const list of lists) {
      for (const pod of list) {
        if (isCreated(pod)) status.replicas++;
        if (isRunningAndReady(pod)) {
          status.readyReplicas++;
          if (isPodAvailable(pod, minReady, now)) status.availableReplicas++;
        }
        if (isCreated(pod) && !isTerminating(pod)) {
          const rev = podRevision(pod);
          if (rev === current.metadata.name) status.currentReplicas++;
          if (rev === update.metadata.name) status.updatedReplicas++;
        }
      }
    }
  }

  /** newVersionedStatefulSetPod: below the partition a pod is made at the current revision, else at the update revision. */
  private newVersionedPod(set: Obj, currentSet: Obj, updateSet: Obj, currentRevision: string, updateRevision: string, ordinal: number): Obj {
    const strategy = currentSet.spec?.updateStrategy ?? {};
    const start = startOrdinal(currentSet);
    const useCurrent =
      (strategy.type === 'RollingUpdate' && !strategy.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
      (strategy.rollingUpdate && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
    const pod = newPod(useCurrent ? currentSet : updateSet, ordinal);
    pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [REVISION_LABEL]: useCurrent ? currentRevision : updateRevision };
    return pod;
  }

  // ---- pods and claims

  /** CreateStatefulPod: the claims first, then the pod, then the claims' owner references. */
  private createPod(set: Obj, pod: Obj): string | undefined {
    const claimError = this.createClaims(set, pod);
    if (claimError) {
      this.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${claimError}`);
      return claimError;
    }
    const res = this.ctx.request({ method: 'POST', path: `/api/v1/namespaces/${set.metadata.namespace}/pods`, body: pod });
    if (res.status === 409) return errorMessage(res);
    if (res.status === 201) {
      const retention = this.updateClaimsForRetention(set, res.body as Obj);
      if (retention) {
        this.event(set, 'Warning', 'FailedUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${retention}`);
        return retention;
      }
      this.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      return undefined;
    }
    const message = errorMessage(res);
    this.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${message}`);
    return message;
  }

  /** createPersistentVolumeClaims: every template's claim for the pod's ordinal that does not exist yet. */
  private createClaims(set: Obj, pod: Obj): string | undefined {
    const errors: string[] = [];
    for (const claim of claimsFor(set, ordinalOf(pod))) {
      const existing = this.claims.get(`${claim.metadata.namespace}/${claim.metadata.name}`);
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(`pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      const res = this.ctx.request({ method: 'POST', path: `/api/v1/namespaces/${set.metadata.namespace}/persistentvolumeclaims`, body: claim });
      if (res.status === 201) {
        this.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
        continue;
      }
      const message = errorMessage(res);
      errors.push(`failed to create PVC ${claim.metadata.name}: ${message}`);
      if (res.status !== 409)
        this.event(set, 'Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${message}`);
    }
    if (errors.length === 0) return undefined;
    return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  }

  /** UpdateStatefulPod: puts back the pod's identity label and claim volumes. */
  private updatePod(set: Obj, pod: Obj): string | undefined {
    let next: Obj = { ...this.pods.versioned(pod), metadata: { ...this.pods.versioned(pod).metadata } };
    if (!identityMatches(set, next)) next = withIdentity(set, next);
    if (!storageMatches(set, next)) {
      next = { ...next, spec: { ...next.spec, volumes: storageVolumes(set, ordinalOf(next), next.spec?.volumes ?? []) } };
      const err = this.createClaims(set, next);
      if (err) {
        this.event(set, 'Warning', 'FailedUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err}`);
        return err;
      }
    }
    let retentionChanged = false;
    if (!this.claimsMatchRetention(set, pod)) {
      const err = this.updateClaimsForRetention(set, pod);
      if (err) {
        this.event(set, 'Warning', 'FailedUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${err}`);
        return err;
      }
      retentionChanged = true;
    }
    if (identityMatches(set, pod) && storageMatches(set, pod) && !retentionChanged) return undefined;
    const res = this.ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, body: next });
    if (res.status === 200) {
      this.event(set, 'Normal', 'SuccessfulUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      return undefined;
    }
    const message = errorMessage(res);
    this.event(set, 'Warning', 'FailedUpdate', `update Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${message}`);
    return message;
  }

  private deletePod(set: Obj, pod: Obj): string | undefined {
    const res = this.ctx.request({ method: 'DELETE', path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}` });
    if (res.status === 200 || res.status === 202) {
      this.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
      return undefined;
    }
    const message = errorMessage(res);
    this.event(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${message}`);
    return res.status === 404 ? undefined : message;
  }

  // ---- persistentVolumeClaimRetentionPolicy

  private policy(set: Obj): { whenDeleted: string; whenScaled: string } {
    const p = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
    return { whenDeleted: p.whenDeleted ?? RETAIN, whenScaled: p.whenScaled ?? RETAIN };
  }

  /** ClaimsMatchRetentionPolicy: each existing claim of the pod has the owner references the policy asks for. */
  private claimsMatchRetention(set: Obj, pod: Obj): boolean {
    for (const template of (set.spec?.volumeClaimTemplates ?? []) as Obj[]) {
      const claim = this.claims.get(`${set.metadata.namespace}/${claimName(set, template, ordinalOf(pod))}`);
      if (claim && !this.claimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy. */
  private updateClaimsForRetention(set: Obj, pod: Obj): string | undefined {
    for (const template of (set.spec?.volumeClaimTemplates ?? []) as Obj[]) {
      const name = claimName(set, template, ordinalOf(pod));
      const claim = this.claims.get(`${set.metadata.namespace}/${name}`);
      if (!claim) continue;
      if (this.hasUnexpectedController(claim, set, pod))
        this.event(set, 'Warning', 'ConflictingController', `PersistentVolumeClaim ${name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`);
      if (this.claimOwnerUpToDate(claim, set, pod)) continue;
      const refs = this.claimOwnerRefs(claim, set, pod);
      const body = { ...this.claims.versioned(claim), metadata: { ...this.claims.versioned(claim).metadata, ownerReferences: refs } };
      if (refs.length === 0) delete body.metadata.ownerReferences;
      const res = this.ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${set.metadata.namespace}/persistentvolumeclaims/${name}`, body });
      if (res.status !== 200) return `could not update claim ${name} for delete policy ownerRefs: ${errorMessage(res)}`;
    }
    return undefined;
  }

  private matchesRef(ref: Obj, obj: Obj, apiVersion: string, kind: string): boolean {
    return ref.apiVersion === apiVersion && ref.kind === kind && ref.name === obj.metadata.name;
  }

  private hasUnexpectedController(claim: Obj, set: Obj, pod: Obj): boolean {
    const p = this.policy(set);
    if (p.whenScaled === RETAIN && p.whenDeleted === RETAIN) return false;
    for (const ref of (claim.metadata.ownerReferences ?? []) as Obj[]) {
      if (this.matchesRef(ref, set, 'apps/v1', 'StatefulSet')) {
        if (ref.uid !== set.metadata.uid) return true;
        continue;
      }
      if (this.matchesRef(ref, pod, 'v1', 'Pod')) {
        if (ref.uid !== pod.metadata.uid) return true;
        continue;
      }
      if (ref.controller === true) return true;
    }
    return false;
  }

  private hasStaleOwnerRef(claim: Obj, obj: Obj, apiVersion: string, kind: string): boolean {
    for (const ref of (claim.metadata.ownerReferences ?? []) as Obj[]) if (this.matchesRef(ref, obj, apiVersion, kind)) return ref.uid !== obj.metadata.uid;
    return false;
  }

  private hasOwnerRef(claim: Obj, owner: Obj): boolean {
    return ((claim.metadata.ownerReferences ?? []) as Obj[]).some((r) => r.uid === owner.metadata.uid);
  }

  /** isClaimOwnerUpToDate. */
  private claimOwnerUpToDate(claim: Obj, set: Obj, pod: Obj): boolean {
    if (this.hasStaleOwnerRef(claim, set, 'apps/v1', 'StatefulSet') || this.hasStaleOwnerRef(claim, pod, 'v1', 'Pod')) return true;
    if (this.hasUnexpectedController(claim, set, pod)) return !(this.hasOwnerRef(claim, set) || this.hasOwnerRef(claim, pod));
    const refs = (claim.metadata.ownerReferences ?? []) as Obj[];
    if (refs.some((r) => (r.uid === set.metadata.uid || r.uid === pod.metadata.uid) && r.controller !== true)) return false;
    const p = this.policy(set);
    const scaledDown = !inOrdinalRange(pod, set);
    if (p.whenScaled === DELETE && p.whenDeleted === DELETE) return scaledDown !== this.hasOwnerRef(claim, set) && scaledDown === this.hasOwnerRef(claim, pod);
    if (p.whenScaled === DELETE) return !this.hasOwnerRef(claim, set) && scaledDown === this.hasOwnerRef(claim, pod);
    if (p.whenDeleted === DELETE) return this.hasOwnerRef(claim, set) && !this.hasOwnerRef(claim, pod);
    return !this.hasOwnerRef(claim, set) && !this.hasOwnerRef(claim, pod);
  }

  /** updateClaimOwnerRefForSetAndPod: our references scrubbed, then those the policy asks for, as controllers. */
  private claimOwnerRefs(claim: Obj, set: Obj, pod: Obj): Obj[] {
    const unexpected = this.hasUnexpectedController(claim, set, pod);
    let refs = ((claim.metadata.ownerReferences ?? []) as Obj[]).filter((r) => !this.matchesRef(r, set, 'apps/v1', 'StatefulSet') && !this.matchesRef(r, pod, 'v1', 'Pod'));
    if (unexpected) return refs;
    const p = this.policy(set);
    const scaledDown = !inOrdinalRange(pod, set);
    const podRef = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid, controller: true, blockOwnerDeletion: true };
    if (p.whenScaled === DELETE && scaledDown) refs = [...refs, podRef];
    else if (p.whenDeleted === DELETE && (p.whenScaled === RETAIN || !scaledDown)) refs = [...refs, controllerRef(set)];
    return refs;
  }

  /** PodClaimIsStale: with whenScaled Delete, a claim still owned by an earlier pod of that name blocks the new pod. */
  private podClaimIsStale(set: Obj, pod: Obj): boolean {
    if (this.policy(set).whenScaled === RETAIN) return false;
    for (const c of claimsFor(set, ordinalOf(pod))) {
      const claim = this.claims.get(`${c.metadata.namespace}/${c.metadata.name}`);
      if (claim && ((claim.metadata.ownerReferences ?? []) as Obj[]).some((r) => r.kind === 'Pod' && r.apiVersion === 'v1' && r.name === pod.metadata.name && r.uid !== pod.metadata.uid)) return true;
    }
    return false;
  }

  // ---- status

  /** updateStatefulSetStatus: completes a finished rolling update, writes only when something changed. */
  private updateStatus(set: Obj, status: Status): void {
    const replicas = replicasOf(set);
    if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
      status.currentReplicas = status.updatedReplicas;
      status.currentRevision = status.updateRevision;
    }
    const old: Obj = set.status ?? {};
    const inconsistent =
      (status.observedGeneration ?? 0) > (old.observedGeneration ?? 0) ||
      status.replicas !== (old.replicas ?? 0) ||
      status.currentReplicas !== (old.currentReplicas ?? 0) ||
      status.readyReplicas !== (old.readyReplicas ?? 0) ||
      status.updatedReplicas !== (old.updatedReplicas ?? 0) ||
      status.currentRevision !== (old.currentRevision ?? '') ||
      status.availableReplicas !== (old.availableReplicas ?? 0) ||
      status.updateRevision !== (old.updateRevision ?? '');
    if (!inconsistent) return;
    const latest = this.sets.get(keyOf(set)) ?? set;
    const { namespace, name } = splitKey(keyOf(set));
    const res = this.ctx.request({
      method: 'PUT',
      path: `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}/status`,
      body: { ...this.sets.versioned(latest), status: statusJSON(status) },
    });
    if (res.status === 409) throw new RetryableError(errorMessage(res));
  }

  private write(method: 'PUT', path: string, body: Obj): Obj {
    const res = this.ctx.request({ method, path, body });
    if (res.status === 200 || res.status === 201) return res.body as Obj;
    throw new RetryableError(errorMessage(res));
  }

  private event(set: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.event(this.sets.reference({ ...(this.sets.get(keyOf(set)) ?? set), kind: 'StatefulSet', apiVersion: 'apps/v1' }), type, reason, message);
  }
}

/** StatefulSetStatus as Go writes it: omitempty except replicas and availableReplicas, collisionCount a pointer. */
function statusJSON(s: Status): Obj {
  return {
    ...(s.observedGeneration ? { observedGeneration: s.observedGeneration } : {}),
    replicas: s.replicas,
    ...(s.readyReplicas ? { readyReplicas: s.readyReplicas } : {}),
    ...(s.currentReplicas ? { currentReplicas: s.currentReplicas } : {}),
    ...(s.updatedReplicas ? { updatedReplicas: s.updatedReplicas } : {}),
    ...(s.currentRevision ? { currentRevision: s.currentRevision } : {}),
    ...(s.updateRevision ? { updateRevision: s.updateRevision } : {}),
    collisionCount: s.collisionCount,
    availableReplicas: s.availableReplicas,
  };
}

interface Step {
  exit: boolean;
  error?: string;
}

/** runForAll: in order, stopping at the first pod that blocks (OrderedReady), or in slow-start batches (Parallel). */
function runForAll(n: number, fn: (i: number) => Step, monotonic: boolean): Step {
  if (monotonic) {
    for (let i = 0; i < n; i++) {
      const r = fn(i);
      if (r.exit || r.error) return { exit: true, error: r.error };
    }
    return { exit: false };
  }
  let next = 0;
  let remaining = n;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining, MAX_BATCH_SIZE)) {
    let error: string | undefined;
    for (let k = 0; k < batch; k++) error ??= fn(next++).error;
    if (error) return { exit: true, error };
    remaining -= batch;
  }
  return { exit: false };
}

function identityMatches(set: Obj, pod: Obj): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod.metadata.name);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.name === podName(set, ordinal) && pod.metadata.namespace === set.metadata.namespace && pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name;
}

function storageMatches(set: Obj, pod: Obj): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, Obj>(((pod.spec?.volumes ?? []) as Obj[]).map((v) => [v.name, v]));
  for (const t of (set.spec?.volumeClaimTemplates ?? []) as Obj[]) {
    const v = volumes.get(t.metadata?.name);
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, t, ordinal)) return false;
  }
  return true;
}

/** updateIdentity: the pod-name and pod-index labels. */
function withIdentity(set: Obj, pod: Obj): Obj {
  const ordinal = ordinalOf(pod);
  const labels = { ...(pod.metadata.labels ?? {}), [POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
  return { ...pod, metadata: { ...pod.metadata, name: podName(set, ordinal), namespace: set.metadata.namespace, labels } };
}

/** getPersistentVolumeClaims: each template's claim for an ordinal, labelled with the selector's matchLabels. */
function claimsFor(set: Obj, ordinal: number): Obj[] {
  return ((set.spec?.volumeClaimTemplates ?? []) as Obj[]).map((t) => {
    const meta: Obj = { ...(t.metadata ?? {}) };
    delete meta.creationTimestamp;
    const labels = { ...(meta.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...meta, name: claimName(set, t, ordinal), namespace: set.metadata.namespace, ...(Object.keys(labels).length ? { labels } : {}) },
      spec: t.spec,
    };
  });
}

/** updateStorage: a volume per claim template first, then the template's other volumes. */
function storageVolumes(set: Obj, ordinal: number, current: Obj[]): Obj[] {
  const templates = (set.spec?.volumeClaimTemplates ?? []) as Obj[];
  const names = new Set(templates.map((t) => t.metadata?.name));
  return [
    ...templates.map((t) => ({ name: t.metadata?.name, persistentVolumeClaim: { claimName: claimName(set, t, ordinal) } })),
    ...current.filter((v) => !names.has(v.name)),
  ];
}

/** newStatefulSetPod: the template's pod named for its ordinal, with hostname, subdomain and claim volumes. */
function newPod(set: Obj, ordinal: number): Obj {
  const base = podFromTemplate(set.spec?.template ?? {}, set, `${set.metadata.name}-`);
  const name = podName(set, ordinal);
  const pod = withIdentity(set, { ...base, metadata: { name, ...base.metadata } });
  const spec: Obj = { ...(pod.spec ?? {}), hostname: name };
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const volumes = storageVolumes(set, ordinal, spec.volumes ?? []);
  if (volumes.length) spec.volumes = volumes;
  return { ...pod, spec };
}

export function statefulSetController(): Controller {
  return new StatefulSetController();
}
