/**
 * The ReplicaSet and ReplicationController controllers (pkg/controller/replicaset): claim the
 * pods their selector matches (adopting orphans, releasing pods that no longer match), create
 * or delete pods until the active ones match spec.replicas — in slow-start batches of 1, 2,
 * 4, …, at most 500 per sync, deleting the least valuable pods first — and report status.
 */
import { parseLabelSelector, matchesLabels, rfc3339 } from '../apiserver';
import { matchesLabelSelector } from '../labels';
import { isPodActive, isPodAvailable, isPodReady, sortPodsForDeletion } from './podutil';
import { controllerRef, patchControllerRef } from './ownership';
import {
  controllerOf,
  DeletionTracker,
  Expectations,
  keyOf,
  RetryableError,
  splitKey,
  type Controller,
  type ControllerContext,
  type Informer,
  type ReconcileResult,
  indexByController,
} from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** At most this many pods are created or deleted in one sync (BurstReplicas). */
export const BURST_REPLICAS = 500;

interface Kind {
  name: string;
  kind: string;
  apiVersion: string;
  resource: string;
  group: string;
  basePath: string;
  /** Does the controller's selector match these labels? */
  matches(owner: Obj, labels: Record<string, string> | undefined): boolean;
}

const REPLICA_SET: Kind = {
  name: 'replicaset-controller',
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  resource: 'replicasets',
  group: 'apps',
  basePath: '/apis/apps/v1',
  matches: (rs, labels) => matchesLabelSelector(rs.spec?.selector, labels),
};

const REPLICATION_CONTROLLER: Kind = {
  name: 'replication-controller',
  kind: 'ReplicationController',
  apiVersion: 'v1',
  resource: 'replicationcontrollers',
  group: '',
  basePath: '/api/v1',
  matches: (rc, labels) => {
    const sel: Record<string, string> = rc.spec?.selector ?? {};
    return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels?.[k] === v);
  },
};

export function replicaSetController(): Controller {
  return new ReplicaManager(REPLICA_SET);
}

export function replicationControllerController(): Controller {
  return new ReplicaManager(REPLICATION_CONTROLLER);
}

/** Pod indexes the workload controllers share: by controller UID, and orphans by namespace. */
export function indexPods(pods: Informer): void {
  indexByController(pods);
  pods.addIndex('orphan', (p) => (controllerOf(p) ? undefined : p.metadata.namespace));
}

/** The pod a controller's template describes (controller.GetPodFromTemplate). */
export function podFromTemplate(template: Obj, owner: Obj, generateName: string): Obj {
  const meta: Obj = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: owner.metadata.namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: template.spec,
  };
}


/** The message of a failed API response (its Status). */
export function errorMessage(res: { status: number; body: unknown }): string {
  return ((res.body ?? {}) as Obj).message ?? `status ${res.status}`;
}

class ReplicaManager implements Controller {
  readonly name: string;
  private ctx!: ControllerContext;
  private owners!: Informer;
  private pods!: Informer;
  private expectations!: Expectations;
  private tracker!: DeletionTracker;

  constructor(private readonly kind: Kind) {
    this.name = kind.name;
  }

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.expectations = new Expectations(ctx.clock);
    this.tracker = new DeletionTracker(this.expectations);
    this.owners = ctx.informers.for(this.kind.resource, this.kind.group);
    indexByController(this.owners);
    this.pods = ctx.informers.for('pods');
    indexPods(this.pods);
    this.owners.on({
      add: (o) => ctx.queue.add(keyOf(o)),
      update: (old, o) => {
        if (old.metadata.uid !== o.metadata.uid) this.tracker.delete(keyOf(o));
        ctx.queue.add(keyOf(o));
      },
      delete: (o) => {
        this.tracker.delete(keyOf(o));
        ctx.queue.add(keyOf(o));
      },
    });
    this.pods.on({ add: (p) => this.podAdded(p), update: (old, p) => this.podUpdated(old, p), delete: (p) => this.podDeleted(p) }, false);
  }

  /** The owner a pod's controller reference names, if it is one of ours and still the same object. */
  private resolve(namespace: string, ref: Obj | undefined): Obj | undefined {
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.get(`${namespace}/${ref.name}`);
    return owner?.metadata.uid === ref.uid ? owner : undefined;
  }

  private ownersMatching(pod: Obj): Obj[] {
    return this.owners.list(pod.metadata.namespace).filter((o) => this.kind.matches(o, pod.metadata.labels));
  }

  private podAdded(pod: Obj): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      this.expectations.creationObserved(keyOf(owner));
      this.ctx.queue.add(keyOf(owner));
      return;
    }
    for (const o of this.ownersMatching(pod)) this.ctx.queue.add(keyOf(o));
  }

  private podUpdated(old: Obj, pod: Obj): void {
    const labelsChanged = old.metadata.labels !== pod.metadata.labels && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    if (pod.metadata.deletionTimestamp) {
      // A pod being deleted counts as gone now: its replacement starts without waiting.
      this.podDeleted(pod);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    if (oldRef && oldRef.uid !== ref?.uid) {
      const owner = this.resolve(old.metadata.namespace, oldRef);
      if (owner) this.ctx.queue.add(keyOf(owner));
    }
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace, ref);
      if (!owner) return;
      this.ctx.queue.add(keyOf(owner));
      const minReady = owner.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) this.ctx.queue.addAfter(keyOf(owner), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || oldRef) for (const o of this.ownersMatching(pod)) this.ctx.queue.add(keyOf(o));
  }

  private podDeleted(pod: Obj): void {
    const owner = this.resolve(pod.metadata.namespace, controllerOf(pod));
    if (!owner) return;
    this.tracker.deletionObserved(keyOf(owner), keyOf(pod));
    this.ctx.queue.add(keyOf(owner));
  }

  reconcile(key: string): ReconcileResult {
    const owner = this.owners.get(key);
    if (!owner) {
      this.tracker.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const pods = this.claimPods(owner).filter(isPodActive);
    let failure: { reason: string; message: string } | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) failure = this.manageReplicas(key, owner, pods);
    // As upstream, status counts the pods seen before this sync's creations and deletions;
    // their events queue the owner again.
    const status = this.calculateStatus(owner, pods, failure);
    this.updateStatus(this.owners.get(key) ?? owner, status);
    if (failure) return { requeue: true };
    const minReady = owner.spec?.minReadySeconds ?? 0;
    const desired = owner.spec?.replicas ?? 1;
    if (minReady > 0 && status.readyReplicas === desired && status.availableReplicas !== desired) return { requeueAfter: minReady * 1000 };
  }

  /** Pods this owner controls now, without adopting or releasing. */
  private claimed(owner: Obj): Obj[] {
    return this.pods.byIndex('controller', owner.metadata.uid);
  }

  /** ControllerRefManager.ClaimPods: keep matching pods, release the rest, adopt matching orphans. */
  private claimPods(owner: Obj): Obj[] {
    const ns = owner.metadata.namespace;
    const out: Obj[] = [];
    const deleting = Boolean(owner.metadata.deletionTimestamp);
    for (const pod of this.claimed(owner)) {
      if (this.kind.matches(owner, pod.metadata.labels)) out.push(pod);
      else if (!deleting && !pod.metadata.deletionTimestamp) this.patchOwner(pod, owner, 'release');
      else out.push(pod);
    }
    if (deleting) return out;
    for (const pod of this.pods.byIndex('orphan', ns)) {
      if (pod.metadata.deletionTimestamp || !this.kind.matches(owner, pod.metadata.labels)) continue;
      if (this.patchOwner(pod, owner, 'adopt')) out.push(this.pods.get(keyOf(pod)) ?? pod);
    }
    return out;
  }

  private patchOwner(pod: Obj, owner: Obj, action: 'adopt' | 'release'): boolean {
    return patchControllerRef(this.ctx, '/api/v1', 'pods', pod, owner, action);
  }


  /** Creates or deletes pods; returns the failure to report, if any. */
  private manageReplicas(key: string, owner: Obj, pods: Obj[]): { reason: string; message: string } | undefined {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expect(key, count, 0);
      const { created, error } = slowStartBatch(count, () => this.createPod(owner));
      if (created < count) this.expectations.creationObserved(key, count - created);
      return error === undefined ? undefined : { reason: 'FailedCreate', message: error };
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS);
      const victims = this.podsToDelete(owner, pods, count);
      this.tracker.expectDeletions(key, victims.map(keyOf));
      for (const pod of victims) {
        const res = this.ctx.request({ method: 'DELETE', path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}` });
        if (res.status === 200) {
          this.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          continue;
        }
        this.tracker.deletionObserved(key, keyOf(pod));
        if (res.status === 404) continue;
        const message = errorMessage(res);
        this.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${message}`);
        return { reason: 'FailedDelete', message };
      }
    }
    return undefined;
  }

  /** Creates one pod; returns the error message on failure. */
  private createPod(owner: Obj): string | undefined {
    const pod = podFromTemplate(owner.spec?.template ?? {}, owner, `${owner.metadata.name}-`);
    const res = this.ctx.request({ method: 'POST', path: `/api/v1/namespaces/${owner.metadata.namespace}/pods`, body: pod });
    if (res.status === 201) {
      this.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${(res.body as Obj).metadata.name}`);
      return undefined;
    }
    const message = errorMessage(res);
    // A namespace being deleted refuses new pods; that is expected, not worth an event.
    if (!/because it is being terminated/.test(message)) this.event(owner, 'Warning', 'FailedCreate', `Error creating: ${message}`);
    return message;
  }

  /** The pods to delete first, ranked against the pods of sibling ReplicaSets (getPodsToDelete). */
  private podsToDelete(owner: Obj, pods: Obj[], count: number): Obj[] {
    if (count >= pods.length) return pods.slice(0, count);
    const related = this.relatedPods(owner);
    const onNode = new Map<string, number>();
    for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
    const ranks = new Map(pods.map((p) => [p, onNode.get(p.spec?.nodeName ?? '') ?? 0]));
    return sortPodsForDeletion(pods, ranks, this.ctx.clock.now()).slice(0, count);
  }

  /** The pods of every ReplicaSet with the same controller (a Deployment's other revisions). */
  private relatedPods(owner: Obj): Obj[] {
    const ref = controllerOf(owner);
    if (!ref) return this.claimed(owner);
    const seen = new Map<string, Obj>();
    for (const sibling of this.owners.byIndex('controller', ref.uid)) for (const p of this.claimed(sibling)) seen.set(p.metadata.uid, p);
    return [...seen.values()];
  }

  private calculateStatus(owner: Obj, pods: Obj[], failure: { reason: string; message: string } | undefined): Obj {
    const minReady = owner.spec?.minReadySeconds ?? 0;
    const now = this.ctx.clock.now();
    const templateLabels: Record<string, string> = owner.spec?.template?.metadata?.labels ?? {};
    const templateSelector = parseLabelSelector(Object.entries(templateLabels).map(([k, v]) => `${k}=${v}`).join(','));
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const pod of pods) {
      if (matchesLabels(templateSelector, pod.metadata.labels)) fullyLabeled++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
    }
    let conditions: Obj[] = owner.status?.conditions ?? [];
    const hasFailure = conditions.some((c) => c.type === 'ReplicaFailure');
    if (failure && !hasFailure)
      conditions = [...conditions, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason: failure.reason, message: failure.message }];
    else if (!failure && hasFailure) conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
    return {
      replicas: pods.length,
      ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      observedGeneration: owner.metadata.generation,
      ...(conditions.length ? { conditions } : {}),
    };
  }

  private updateStatus(owner: Obj, status: Obj): void {
    if (sameStatus(owner.status ?? {}, status)) return;
    const { namespace, name } = splitKey(keyOf(owner));
    const res = this.ctx.request({
      method: 'PUT',
      path: `${this.kind.basePath}/namespaces/${namespace}/${this.kind.resource}/${name}/status`,
      body: { ...this.owners.versioned(owner), status },
    });
    if (res.status === 409) throw new RetryableError(errorMessage(res));
  }

  private event(owner: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.event(this.owners.reference({ ...owner, kind: this.kind.kind, apiVersion: this.kind.apiVersion }), type, reason, message);
  }
}

const STATUS_FIELDS = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

function sameStatus(a: Obj, b: Obj): boolean {
  for (const f of STATUS_FIELDS) if ((a[f] ?? 0) !== (b[f] ?? 0)) return false;
  return JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? []);
}

/**
 * controller.slowStartBatch: calls `create` in batches of 1, 2, 4, … until `count` are done or
 * a batch has a failure (the rest of that batch still runs); returns how many succeeded and the
 * first error.
 */
export function slowStartBatch(count: number, create: () => string | undefined): { created: number; error: string | undefined } {
  let remaining = count;
  let created = 0;
  let error: string | undefined;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let failed = 0;
    for (let i = 0; i < batch; i++) {
      const err = create();
      if (err === undefined) created++;
      else {
        failed++;
        error ??= err;
      }
    }
    if (failed > 0) break;
    remaining -= batch;
  }
  return { created, error };
}
