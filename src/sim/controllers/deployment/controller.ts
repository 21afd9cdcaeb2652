/**
 * The Deployment controller (pkg/controller/deployment, 1.32): owns one ReplicaSet per pod
 * template revision and moves replicas from the old ones to the new one — RollingUpdate within
 * maxSurge/maxUnavailable, or Recreate — scales proportionally during a rollout, keeps
 * revisionHistoryLimit old ReplicaSets, and reports replicas, conditions and events as upstream.
 * kubectl does rollbacks and restarts by changing the template; this controller only follows it.
 */
import { rfc3339, type KubeObject } from '../../apiserver';
import { referenceTo } from '../../events';
import { matchesLabelSelector } from '../../labels';
import { errorMessage } from '../replicaset';
import { controllerRef, patchControllerRef } from '../ownership';
import { controllerOf, indexByController, keyOf, RetryableError, type Controller, type ControllerContext, type Informer, type ReconcileResult } from '../runtime/index';
import {
  activeReplicaSets,
  byCreation,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  condition,
  equalIgnoreHash,
  findNewReplicaSet,
  HASH_LABEL,
  hashOf,
  hasProgressDeadline,
  isComplete,
  isProgressing,
  isRollingUpdate,
  isSaturated,
  isTimedOut,
  maxRevision,
  maxSurge,
  maxUnavailable,
  DESIRED_REPLICAS,
  newCondition,
  newReplicaSetReplicas,
  proportion,
  removeCondition,
  replicasOf,
  REVISION,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sumSpec,
  sumStatus,
} from './util';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RS_BASE = '/apis/apps/v1';

export function deploymentController(): Controller {
  return new DeploymentController();
}

class DeploymentController implements Controller {
  readonly name = 'deployment-controller';
  private ctx!: ControllerContext;
  private deployments!: Informer;
  private replicaSets!: Informer;
  private pods!: Informer;
  /** Requeue asked for by the sync in progress (stuck-deployment checks). */
  private requeue: ReconcileResult = undefined;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.deployments = ctx.informers.for('deployments', 'apps');
    this.replicaSets = ctx.informers.for('replicasets', 'apps');
    indexByController(this.replicaSets);
    this.pods = ctx.informers.for('pods');
    indexByController(this.pods);
    const queue = (d: Obj) => ctx.queue.add(keyOf(d));
    this.deployments.on({ add: queue, update: (_, d) => queue(d), delete: queue });
    this.replicaSets.on({ add: (rs) => this.replicaSetChanged(rs), update: (old, rs) => this.replicaSetUpdated(old, rs), delete: (rs) => this.replicaSetChanged(rs) }, false);
    this.pods.on({ delete: (p) => this.podDeleted(p) }, false);
  }

  private ownerOf(rs: Obj): Obj | undefined {
    const ref = controllerOf(rs);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${rs.metadata.namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: Obj): void {
    const d = this.ownerOf(rs);
    if (d) return this.ctx.queue.add(keyOf(d));
    if (controllerOf(rs)) return;
    // An orphan: every Deployment that could adopt it looks at it.
    for (const c of this.deployments.list(rs.metadata.namespace)) if (matchesLabelSelector(c.spec?.selector, rs.metadata.labels)) this.ctx.queue.add(keyOf(c));
  }

  private replicaSetUpdated(old: Obj, rs: Obj): void {
    const before = this.ownerOf(old);
    if (before && controllerOf(old)?.uid !== controllerOf(rs)?.uid) this.ctx.queue.add(keyOf(before));
    this.replicaSetChanged(rs);
  }

  /** A Recreate rollout waits for the old pods to be gone. */
  private podDeleted(pod: Obj): void {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    const d = rs && this.ownerOf(rs);
    if (d && !isRollingUpdate(d)) this.ctx.queue.add(keyOf(d));
  }

  reconcile(key: string): ReconcileResult {
    const stored = this.deployments.get(key);
    if (!stored) return;
    const d: Obj = { ...this.deployments.versioned(stored), status: { ...(stored.status ?? {}) } };
    this.requeue = undefined;
    const sel = d.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      this.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status.observedGeneration ?? 0) < d.metadata.generation) this.updateStatus(d, { ...d.status, observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = this.claimReplicaSets(d);
    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
      this.syncStatus(d, newRS, [...oldRSs, ...(newRS ? [newRS] : [])]);
      return this.requeue;
    }
    this.checkPausedConditions(d);
    if (d.spec?.paused || this.isScalingEvent(d, rsList)) this.sync(d, rsList);
    else if (isRollingUpdate(d)) this.rolloutRolling(d, rsList);
    else this.rolloutRecreate(d, rsList);
    return this.requeue;
  }

  // ---- ReplicaSets -----------------------------------------------------------------------

  /** ControllerRefManager.ClaimReplicaSets. */
  private claimReplicaSets(d: Obj): Obj[] {
    const out: Obj[] = [];
    const deleting = Boolean(d.metadata.deletionTimestamp);
    for (const rs of this.replicaSets.byIndex('controller', d.metadata.uid)) {
      if (matchesLabelSelector(d.spec?.selector, rs.metadata.labels) || deleting || rs.metadata.deletionTimestamp) out.push(rs);
      else this.patchOwner(rs, d, 'release');
    }
    if (deleting) return out;
    for (const rs of this.replicaSets.list(d.metadata.namespace)) {
      if (controllerOf(rs) || rs.metadata.deletionTimestamp || !matchesLabelSelector(d.spec?.selector, rs.metadata.labels)) continue;
      if (this.patchOwner(rs, d, 'adopt')) out.push(this.replicaSets.get(keyOf(rs)) ?? rs);
    }
    return out;
  }

  private patchOwner(rs: Obj, d: Obj, action: 'adopt' | 'release'): boolean {
    return patchControllerRef(this.ctx, RS_BASE, 'replicasets', rs, d, action);
  }


  /** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and all old ones. */
  private allReplicaSets(d: Obj, rsList: Obj[], create: boolean): { newRS: Obj | undefined; oldRSs: Obj[] } {
    const existing = findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    return { newRS: this.newReplicaSet(d, existing, oldRSs, create), oldRSs };
  }

  private newReplicaSet(d: Obj, existing: Obj | undefined, oldRSs: Obj[], create: boolean): Obj | undefined {
    const newRevision = maxRevision(oldRSs) + 1;
    const now = rfc3339(this.ctx.clock.now());
    if (existing) {
      const annotations = { ...(existing.metadata.annotations ?? {}) };
      const annotationsChanged = setNewReplicaSetAnnotations(d, annotations, newRevision, true);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsChanged || (existing.spec?.minReadySeconds ?? 0) !== minReady) {
        const spec = { ...existing.spec };
        if (minReady) spec.minReadySeconds = minReady;
        else delete spec.minReadySeconds;
        return this.updateReplicaSet({ ...existing, metadata: { ...existing.metadata, annotations }, spec });
      }
      let needsUpdate = this.setRevision(d, annotations[REVISION]!);
      if (hasProgressDeadline(d) && !condition(d.status, 'Progressing')) {
        setCondition(d.status, newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${existing.metadata.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) this.updateStatus(d, d.status);
      return existing;
    }
    if (!create) return undefined;

    const hash = hashOf(d);
    const template = d.spec.template as Obj;
    const labels = { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
    const selector = { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH_LABEL]: hash } };
    const annotations: Record<string, string> = {};
    const rs: Obj = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels, ownerReferences: [controllerRef(d)] },
      spec: {
        replicas: 0,
        ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
        selector,
        template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
      },
    };
    rs.spec.replicas = newReplicaSetReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, annotations, newRevision, false);
    rs.metadata = { name: rs.metadata.name, namespace: rs.metadata.namespace, labels, annotations, ownerReferences: rs.metadata.ownerReferences };
    const res = this.ctx.request({ method: 'POST', path: `${RS_BASE}/namespaces/${d.metadata.namespace}/replicasets`, body: rs });
    let created: Obj;
    let alreadyExisted = false;
    if (res.status === 201) created = res.body as Obj;
    else if (res.status === 409) {
      alreadyExisted = true;
      const other = this.replicaSets.get(`${d.metadata.namespace}/${rs.metadata.name}`);
      if (other && controllerOf(other)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, other.spec?.template)) created = other;
      else {
        // A hash collision: another template already has this name. Try again with the next hash.
        this.updateStatus(d, { ...d.status, collisionCount: (d.status.collisionCount ?? 0) + 1 });
        throw new RetryableError(errorMessage(res));
      }
    } else {
      const msg = `Failed to create new replica set "${rs.metadata.name}": ${errorMessage(res)}`;
      if (/because it is being terminated/.test(msg)) throw new RetryableError(msg);
      if (hasProgressDeadline(d)) {
        setCondition(d.status, newCondition('Progressing', 'False', 'ReplicaSetCreateError', msg, now));
        this.updateStatus(d, d.status);
      }
      this.event(d, 'Warning', 'ReplicaSetCreateError', msg);
      throw new RetryableError(msg);
    }
    if (!alreadyExisted && replicasOf(created) > 0) this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${replicasOf(created)}`);
    let needsUpdate = this.setRevision(d, String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      setCondition(d.status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${created.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) this.updateStatus(d, d.status);
    return created;
  }

  /** SetDeploymentRevision, on the Deployment being synced (saved with its status). */
  private setRevision(d: Obj, revision: string): boolean {
    if (d.metadata.annotations?.[REVISION] === revision) return false;
    d.metadata = { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: revision } };
    return true;
  }

  private updateReplicaSet(rs: Obj): Obj {
    const res = this.ctx.request({
      method: 'PUT',
      path: `${RS_BASE}/namespaces/${rs.metadata.namespace}/replicasets/${rs.metadata.name}`,
      body: { ...rs, metadata: { ...rs.metadata, resourceVersion: this.replicaSets.resourceVersion(keyOf(rs)) } },
    });
    if (res.status !== 200) throw new RetryableError(errorMessage(res));
    return this.replicaSets.get(keyOf(rs)) ?? (res.body as Obj);
  }

  /** scaleReplicaSet: sets replicas and the replica annotations; records the scaling. */
  private scale(rs: Obj, replicas: number, d: Obj, operation?: 'up' | 'down'): Obj {
    const annotations = { ...(rs.metadata.annotations ?? {}) };
    const annotationsChanged = setReplicasAnnotations(annotations, replicasOf(d), replicasOf(d) + maxSurge(d));
    const sizeChanged = replicasOf(rs) !== replicas;
    if (!sizeChanged && !annotationsChanged) return rs;
    const updated = this.updateReplicaSet({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas } });
    if (sizeChanged) {
      const op = operation ?? (replicasOf(rs) < replicas ? 'up' : 'down');
      this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} to ${replicas} from ${replicasOf(rs)}`);
    }
    return updated;
  }

  /** scaleReplicaSetAndRecordEvent: only when the size changes. */
  private scaleTo(rs: Obj, replicas: number, d: Obj): { scaled: boolean; rs: Obj } {
    if (replicasOf(rs) === replicas) return { scaled: false, rs };
    return { scaled: true, rs: this.scale(rs, replicas, d) };
  }

  // ---- sync and scaling ------------------------------------------------------------------

  private checkPausedConditions(d: Obj): void {
    if (!hasProgressDeadline(d)) return;
    const c = condition(d.status, 'Progressing');
    if (c?.reason === 'ProgressDeadlineExceeded') return;
    const pausedCond = c?.reason === 'DeploymentPaused';
    const now = rfc3339(this.ctx.clock.now());
    if (d.spec?.paused && !pausedCond) setCondition(d.status, newCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now));
    else if (!d.spec?.paused && pausedCond) setCondition(d.status, newCondition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now));
    else return;
    this.updateStatus(d, d.status);
  }

  private isScalingEvent(d: Obj, rsList: Obj[]): boolean {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    for (const rs of activeReplicaSets([...oldRSs, ...(newRS ? [newRS] : [])])) {
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS];
      if (desired !== undefined && Number(desired) !== replicasOf(d)) return true;
    }
    return false;
  }

  /** sync: scaling (and cleanup while paused) without rolling anything out. */
  private sync(d: Obj, rsList: Obj[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    const scaled = this.scaleAll(d, newRS, oldRSs);
    const current = this.current(newRS, scaled.oldRSs, scaled.newRS);
    if (d.spec?.paused) this.cleanup(d, current.oldRSs);
    this.syncStatus(d, current.newRS, [...current.oldRSs, ...(current.newRS ? [current.newRS] : [])]);
  }

  /** The cached ReplicaSets again after writes (the informer has seen them). */
  private current(newRS: Obj | undefined, oldRSs: Obj[], updatedNew?: Obj): { newRS: Obj | undefined; oldRSs: Obj[] } {
    const fresh = (rs: Obj) => this.replicaSets.get(keyOf(rs)) ?? rs;
    return { newRS: newRS && (updatedNew ? fresh(updatedNew) : fresh(newRS)), oldRSs: oldRSs.map(fresh) };
  }

  /** DeploymentController.scale, with proportional scaling of a rollout in progress. */
  private scaleAll(d: Obj, newRS: Obj | undefined, oldRSs: Obj[]): { newRS: Obj | undefined; oldRSs: Obj[] } {
    const single = this.activeOrLatest(newRS, oldRSs);
    if (single) {
      if (replicasOf(single) !== replicasOf(d)) this.scaleTo(single, replicasOf(d), d);
      return { newRS, oldRSs };
    }
    if (isSaturated(d, newRS)) {
      for (const rs of activeReplicaSets(oldRSs)) this.scaleTo(rs, 0, d);
      return { newRS, oldRSs };
    }
    if (!isRollingUpdate(d)) return { newRS, oldRSs };
    const all = activeReplicaSets([...oldRSs, ...(newRS ? [newRS] : [])]);
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(all);
    let operation: 'up' | 'down' | undefined;
    if (toAdd > 0) {
      all.sort(bySizeNewer);
      operation = 'up';
    } else if (toAdd < 0) {
      all.sort(bySizeOlder);
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<Obj, number>();
    for (const rs of all) {
      if (toAdd === 0) sizes.set(rs, replicasOf(rs));
      else {
        const p = proportion(rs, d, toAdd, added);
        sizes.set(rs, replicasOf(rs) + p);
        added += p;
      }
    }
    all.forEach((rs, i) => {
      // Leftovers go to the largest ReplicaSet.
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
      this.scale(rs, sizes.get(rs)!, d, operation);
    });
    return { newRS, oldRSs };
  }

  /** FindActiveOrLatest: the only ReplicaSet with replicas, or the newest when none has any. */
  private activeOrLatest(newRS: Obj | undefined, oldRSs: Obj[]): Obj | undefined {
    if (!newRS && oldRSs.length === 0) return undefined;
    const sortedOld = [...oldRSs].sort((a, b) => byCreation(b, a));
    const active = activeReplicaSets([...sortedOld, ...(newRS ? [newRS] : [])]);
    if (active.length === 0) return newRS ?? sortedOld[0];
    return active.length === 1 ? active[0] : undefined;
  }

  // ---- rollouts --------------------------------------------------------------------------

  private rolloutRolling(d: Obj, rsList: Obj[]): void {
    const { newRS, oldRSs } = this.allReplicaSets(d, rsList, true);
    if (!newRS) return;
    const all = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(all, newRS, d)) return this.syncRolloutStatus(d, this.current(newRS, oldRSs));
    const cur = this.current(newRS, oldRSs);
    if (this.reconcileOldReplicaSets(d, cur.newRS!, activeReplicaSets(cur.oldRSs), [...cur.oldRSs, cur.newRS!]))
      return this.syncRolloutStatus(d, this.current(newRS, oldRSs));
    if (isComplete(d, d.status)) this.cleanup(d, cur.oldRSs);
    this.syncRolloutStatus(d, this.current(newRS, oldRSs));
  }

  private reconcileNewReplicaSet(all: Obj[], newRS: Obj, d: Obj): boolean {
    if (replicasOf(newRS) === replicasOf(d)) return false;
    if (replicasOf(newRS) > replicasOf(d)) return this.scaleTo(newRS, replicasOf(d), d).scaled;
    return this.scaleTo(newRS, newReplicaSetReplicas(d, all, newRS), d).scaled;
  }

  private reconcileOldReplicaSets(d: Obj, newRS: Obj, oldRSs: Obj[], all: Obj[]): boolean {
    if (sumSpec(oldRSs) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // Unhealthy old replicas go first, or they would block the rollout until it times out.
    let cleaned = 0;
    const olds = [...oldRSs].sort(byCreation);
    for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
      const rs = olds[i]!;
      const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
      if (replicasOf(rs) === 0 || unhealthy === 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      olds[i] = this.scaleTo(rs, replicasOf(rs) - n, d).rs;
      cleaned += n;
    }
    // Then healthy ones, as far as maxUnavailable allows.
    let scaledDown = 0;
    const available = sumStatus([...olds, newRS], 'availableReplicas');
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of olds.sort(byCreation)) {
        if (scaledDown >= total) break;
        if (replicasOf(rs) === 0) continue;
        const n = Math.min(replicasOf(rs), total - scaledDown);
        this.scaleTo(rs, replicasOf(rs) - n, d);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private rolloutRecreate(d: Obj, rsList: Obj[]): void {
    let { newRS, oldRSs } = this.allReplicaSets(d, rsList, false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) {
      this.scaleTo(rs, 0, d);
      scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(d, this.current(newRS, oldRSs));
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(d, this.current(newRS, oldRSs));
    if (!newRS) ({ newRS, oldRSs } = this.allReplicaSets(d, this.claimReplicaSets(d), true));
    if (!newRS) return;
    this.scaleTo(newRS, replicasOf(d), d);
    if (isComplete(d, d.status)) this.cleanup(d, oldRSs);
    this.syncRolloutStatus(d, this.current(newRS, oldRSs));
  }

  /** oldPodsRunning: old ReplicaSets still report pods, or pods of theirs are not finished. */
  private oldPodsRunning(newRS: Obj | undefined, oldRSs: Obj[]): boolean {
    if (sumStatus(oldRSs, 'replicas') > 0) return true;
    for (const rs of oldRSs) {
      if (rs.metadata.uid === newRS?.metadata.uid) continue;
      for (const pod of this.pods.byIndex('controller', rs.metadata.uid)) {
        const phase = pod.status?.phase;
        if (phase !== 'Failed' && phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  /** cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit, oldest revision first. */
  private cleanup(d: Obj, oldRSs: Obj[]): void {
    const limit = d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.ctx.request({ method: 'DELETE', path: `${RS_BASE}/namespaces/${rs.metadata.namespace}/replicasets/${rs.metadata.name}` });
    }
  }

  // ---- status ----------------------------------------------------------------------------

  private calculateStatus(d: Obj, newRS: Obj | undefined, all: Obj[]): Obj {
    const available = sumStatus(all, 'availableReplicas');
    const status: Obj = {
      observedGeneration: d.metadata.generation,
      replicas: sumStatus(all, 'replicas'),
      updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
      readyReplicas: sumStatus(all, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sumSpec(all) - available),
      ...(d.status.conditions ? { conditions: [...d.status.conditions] } : {}),
      ...(d.status.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    };
    // The counts are omitempty: zero is not written.
    for (const k of STATUS_KEYS) if (status[k] === 0) delete status[k];
    const now = rfc3339(this.ctx.clock.now());
    if (available >= replicasOf(d) - maxUnavailable(d)) setCondition(status, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now));
    else setCondition(status, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now));
    return status;
  }

  private syncStatus(d: Obj, newRS: Obj | undefined, all: Obj[]): void {
    const status = this.calculateStatus(d, newRS, all);
    if (!sameStatus(d.status, status)) this.updateStatus(d, status);
  }

  private syncRolloutStatus(d: Obj, { newRS, oldRSs }: { newRS: Obj | undefined; oldRSs: Obj[] }): void {
    const all = [...oldRSs, ...(newRS ? [newRS] : [])];
    const status = this.calculateStatus(d, newRS, all);
    const now = this.ctx.clock.now();
    const nowText = rfc3339(now);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = condition(d.status, 'Progressing');
    const completeBefore = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
    if (hasProgressDeadline(d) && !completeBefore) {
      const what = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
      if (isComplete(d, status)) setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', `${what} has successfully progressed.`, nowText));
      else if (isProgressing(d, status)) {
        const c = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `${what} is progressing.`, nowText);
        if (current) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, 'Progressing');
        }
        setCondition(status, c);
      } else if (isTimedOut(d, status, now)) setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', `${what} has timed out progressing.`, nowText));
    }
    const failure = [newRS, ...oldRSs].map((rs) => rs && condition(rs.status ?? {}, 'ReplicaFailure')).find((c) => c);
    if (failure) setCondition(status, { type: 'ReplicaFailure', status: failure.status, lastUpdateTime: failure.lastTransitionTime, lastTransitionTime: failure.lastTransitionTime, reason: failure.reason, message: failure.message });
    else removeCondition(status, 'ReplicaFailure');
    if (sameStatus(d.status, status)) return this.requeueStuck(d, status, now);
    this.updateStatus(d, status);
  }

  /** requeueStuckDeployment: look again when the progress deadline would pass. */
  private requeueStuck(d: Obj, status: Obj, now: number): void {
    const c = condition(d.status, 'Progressing');
    if (!hasProgressDeadline(d) || !c || isComplete(d, status) || c.reason === 'ProgressDeadlineExceeded') return;
    const after = Date.parse(c.lastUpdateTime) + d.spec.progressDeadlineSeconds * 1000 - now;
    this.requeue = after < 1000 ? { requeue: true } : { requeueAfter: after };
  }

  private updateStatus(d: Obj, status: Obj): void {
    const res = this.ctx.request({
      method: 'PUT',
      path: `${RS_BASE}/namespaces/${d.metadata.namespace}/deployments/${d.metadata.name}/status`,
      body: { ...d, status },
    });
    if (res.status === 409) throw new RetryableError(errorMessage(res));
    if (res.status === 200) {
      const body = res.body as Obj;
      d.metadata = { ...d.metadata, resourceVersion: body.metadata.resourceVersion };
      d.status = status;
    }
  }

  private event(d: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    // d carries the resourceVersion of this sync's own last write.
    this.ctx.recorder.event(referenceTo({ ...d, kind: 'Deployment', apiVersion: 'apps/v1' } as KubeObject), type, reason, message);
  }
}

function sameStatus(a: Obj, b: Obj): boolean {
  return JSON.stringify(canonicalStatus(a)) === JSON.stringify(canonicalStatus(b));
}

const STATUS_KEYS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];

function canonicalStatus(s: Obj): unknown[] {
  return [...STATUS_KEYS.map((k) => s[k] ?? 0), s.conditions ?? []];
}
