/**
 * The disruption controller (pkg/controller/disruption, kube-controller-manager 1.32): keeps each
 * PodDisruptionBudget's status — the pods its selector matches, how many are expected (from the
 * scale of their controllers, or the count of matching pods for an integer minAvailable), how
 * many are healthy (ready, not being deleted, not just evicted), how many must stay healthy and
 * so how many disruptions the eviction subresource may allow, the pods evicted but not yet
 * deleted (forgotten after DeletionTimeout), and the DisruptionAllowed condition. When a sync
 * fails it fails safe: disruptionsAllowed 0 and the condition SyncFailed with the error. It also
 * resets a DisruptionTarget condition that has stayed on a pod two minutes without the pod
 * being deleted.
 *
 * Events come from the source "controllermanager", as this controller's recorder names it.
 */
import { apiVersionOf, rfc3339 } from '../apiserver';
import { EventRecorder } from '../events';
import { matchesLabelSelector } from '../labels';
import { isPodReady } from './podutil';
import { errorMessage } from './replicaset';
import { controllerOf, keyOf, RetryableError, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How long an evicted pod may stay in status.disruptedPods without being deleted. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
/** How long a DisruptionTarget condition may stay on a pod that is not being deleted. */
export const STALE_POD_DISRUPTION_TIMEOUT_MS = 2 * 60_000;
/** client-go's rate limiter delay for a key with no failures (the recheck queue re-adds through it). */
const RATE_LIMIT_BASE_MS = 5;
const STALE_PREFIX = 'pod:';

export function disruptionController(): Controller {
  return new DisruptionController();
}

/** A failed sync step, with the message upstream's error carries. */
class SyncError extends Error {}

class DisruptionController implements Controller {
  readonly name = 'disruption-controller';
  private ctx!: ControllerContext;
  private recorder!: EventRecorder;
  private pdbs!: Informer;
  private pods!: Informer;
  private rcs!: Informer;
  private rss!: Informer;
  private deployments!: Informer;
  private statefulSets!: Informer;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    // NewDisruptionController records as EventSource{Component: "controllermanager"}.
    this.recorder = new EventRecorder(ctx.api, ctx.clock, { component: 'controllermanager' });
    this.pdbs = ctx.informers.for('poddisruptionbudgets', 'policy');
    this.pods = ctx.informers.for('pods');
    this.rcs = ctx.informers.for('replicationcontrollers');
    this.rss = ctx.informers.for('replicasets', 'apps');
    this.deployments = ctx.informers.for('deployments', 'apps');
    this.statefulSets = ctx.informers.for('statefulsets', 'apps');
    const enqueue = (pdb: Obj) => ctx.queue.add(keyOf(pdb));
    this.pdbs.on({ add: enqueue, update: (_, pdb) => enqueue(pdb), delete: enqueue });
    this.pods.on({
      add: (pod) => this.podChanged(pod),
      update: (_, pod) => this.podChanged(pod),
      delete: (pod) => {
        const pdb = this.pdbForPod(pod);
        if (pdb) enqueue(pdb);
      },
    });
  }

  private podChanged(pod: Obj): void {
    const pdb = this.pdbForPod(pod);
    if (pdb) this.ctx.queue.add(keyOf(pdb));
    const stale = this.staleDisruptionCondition(pod);
    if (stale) this.ctx.queue.addAfter(STALE_PREFIX + keyOf(pod), stale.cleanAfter);
  }

  /** getPdbForPod: the first budget whose selector matches the pod; a warning when several do. */
  private pdbForPod(pod: Obj): Obj | undefined {
    // GetPodPodDisruptionBudgets finds none for a pod without labels.
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) return undefined;
    const pdbs = this.pdbs.list(pod.metadata.namespace).filter((pdb) => matchesLabelSelector(pdb.spec?.selector, pod.metadata.labels));
    if (pdbs.length === 0) return undefined;
    if (pdbs.length > 1) {
      const msg = `Pod "${pod.metadata.namespace}"/"${pod.metadata.name}" matches multiple PodDisruptionBudgets.  Chose "${pdbs[0]!.metadata.name}" arbitrarily.`;
      this.event(this.pods, pod, 'Warning', 'MultiplePodDisruptionBudgets', msg);
    }
    return pdbs[0];
  }

  reconcile(key: string): ReconcileResult {
    if (key.startsWith(STALE_PREFIX)) return this.syncStalePodDisruption(key.slice(STALE_PREFIX.length));
    const pdb = this.pdbs.get(key);
    if (!pdb) return;
    try {
      return this.trySync(pdb);
    } catch (err) {
      // A conflict is retried without the fail-safe.
      if (!(err instanceof SyncError)) throw err;
      this.failSafe(pdb, err.message);
    }
  }

  private trySync(pdb: Obj): ReconcileResult {
    const now = this.ctx.clock.now();
    const pods = this.podsForPdb(pdb);
    if (pods.length === 0) this.event(this.pdbs, pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] };
    try {
      counts = this.expectedPodCount(pdb, pods);
    } catch (err) {
      if (!(err instanceof SyncError)) throw err;
      this.event(this.pdbs, pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${err.message}`);
      throw err;
    }
    if (counts.unmanagedPods.length > 0) {
      this.event(
        this.pdbs,
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${labelSelectorString(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const { disrupted, recheckAt } = this.buildDisruptedPodMap(pods, pdb, now);
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    this.updatePdbStatus(pdb, currentHealthy, counts.desiredHealthy, counts.expectedCount, disrupted);
    // The recheck queue hands the key back through the rate limiter.
    if (recheckAt !== undefined) return { requeueAfter: recheckAt - now + RATE_LIMIT_BASE_MS };
  }

  /** The pods in the budget's namespace its selector matches (a missing selector matches none). */
  private podsForPdb(pdb: Obj): Obj[] {
    return this.pods.list(pdb.metadata.namespace).filter((pod) => matchesLabelSelector(pdb.spec?.selector, pod.metadata.labels));
  }

  /** getExpectedPodCount: expected pods and desired healthy ones, by minAvailable or maxUnavailable. */
  private expectedPodCount(pdb: Obj, pods: Obj[]): { expectedCount: number; desiredHealthy: number; unmanagedPods: string[] } {
    const spec = pdb.spec ?? {};
    if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      const { expectedCount, unmanagedPods } = this.expectedScale(pods);
      const maxUnavailable = scaledValueFromIntOrPercent(spec.maxUnavailable, expectedCount, true);
      return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
    }
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    if (typeof spec.minAvailable === 'string') {
      const { expectedCount, unmanagedPods } = this.expectedScale(pods);
      return { expectedCount, desiredHealthy: scaledValueFromIntOrPercent(spec.minAvailable, expectedCount, true), unmanagedPods };
    }
    return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
  }

  /** getExpectedScale: the sum of the scales of the pods' controllers; pods without one are unmanaged. */
  private expectedScale(pods: Obj[]): { expectedCount: number; unmanagedPods: string[] } {
    const scales = new Map<string, number>();
    const unmanagedPods: string[] = [];
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref) {
        unmanagedPods.push(pod.metadata.name);
        continue;
      }
      if (scales.has(ref.uid)) continue;
      let found: { uid: string; scale: number } | undefined;
      for (const finder of this.finders()) {
        found = finder(ref, pod.metadata.namespace);
        if (found) break;
      }
      if (!found) throw new SyncError(`found no controllers for pod "${pod.metadata.name}"`);
      scales.set(found.uid, found.scale);
    }
    let expectedCount = 0;
    for (const n of scales.values()) expectedCount += n;
    return { expectedCount, unmanagedPods };
  }

  /** The controller finders, in upstream's order: RC, Deployment, ReplicaSet, StatefulSet, then any scale. */
  private finders(): ((ref: Obj, namespace: string) => { uid: string; scale: number } | undefined)[] {
    return [
      (ref, ns) => {
        if (!verifyGroupKind(ref, 'ReplicationController', [''])) return undefined;
        const rc = this.rcs.get(`${ns}/${ref.name}`);
        return rc && rc.metadata.uid === ref.uid ? { uid: rc.metadata.uid, scale: rc.spec?.replicas ?? 1 } : undefined;
      },
      (ref, ns) => {
        if (!verifyGroupKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
        const rs = this.rss.get(`${ns}/${ref.name}`);
        if (!rs || rs.metadata.uid !== ref.uid) return undefined;
        const owner = controllerOf(rs);
        if (!owner || !verifyGroupKind(owner, 'Deployment', ['apps', 'extensions'])) return undefined;
        const d = this.deployments.get(`${ns}/${owner.name}`);
        return d && d.metadata.uid === owner.uid ? { uid: d.metadata.uid, scale: d.spec?.replicas ?? 1 } : undefined;
      },
      (ref, ns) => {
        if (!verifyGroupKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
        const rs = this.rss.get(`${ns}/${ref.name}`);
        if (!rs || rs.metadata.uid !== ref.uid) return undefined;
        // A ReplicaSet a Deployment controls counts through its Deployment.
        if (controllerOf(rs)?.kind === 'Deployment') return undefined;
        return { uid: rs.metadata.uid, scale: rs.spec?.replicas ?? 1 };
      },
      (ref, ns) => {
        if (!verifyGroupKind(ref, 'StatefulSet', ['apps'])) return undefined;
        const ss = this.statefulSets.get(`${ns}/${ref.name}`);
        return ss && ss.metadata.uid === ref.uid ? { uid: ss.metadata.uid, scale: ss.spec?.replicas ?? 1 } : undefined;
      },
      (ref, ns) => this.scaleController(ref, ns),
    ];
  }

  /** getScaleController: any kind with a scale subresource (custom resources among them). */
  private scaleController(ref: Obj, namespace: string): { uid: string; scale: number } | undefined {
    const { group, version } = parseGroupVersion(ref.apiVersion ?? '');
    const registry = this.ctx.api.registry;
    const type = registry.all().find((t) => t.group === group && t.version === version && t.kind === ref.kind);
    if (!type) throw new SyncError(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    // The scale client asks for the resource's scale at the group's preferred version.
    const served = registry.byResource(type.name, type.group) ?? type;
    const base = served.group ? `/apis/${apiVersionOf(served)}` : `/api/${served.version}`;
    const res = this.ctx.request({ method: 'GET', path: `${base}/namespaces/${namespace}/${served.name}/${ref.name}/scale` });
    if (res.status === 404) {
      const implementsScale = served.subresources.some((s) => s.name === 'scale' && s.kind === 'Scale');
      if (!implementsScale) throw new SyncError(`${served.group ? `${served.name}.${served.group}` : served.name} does not implement the scale subresource`);
      return undefined;
    }
    if (res.status !== 200) throw new SyncError(errorMessage(res));
    const scale = res.body as Obj;
    return scale.metadata?.uid === ref.uid ? { uid: scale.metadata.uid, scale: scale.spec?.replicas ?? 0 } : undefined;
  }

  /**
   * buildDisruptedPodMap: the evicted pods still expected to go, and when to look again; an entry
   * whose pod has not been deleted within DeletionTimeout is dropped with a NotDeleted event.
   */
  private buildDisruptedPodMap(pods: Obj[], pdb: Obj, now: number): { disrupted: Map<string, string>; recheckAt: number | undefined } {
    const disrupted = new Map<string, string>();
    const previous: Record<string, string> | undefined = pdb.status?.disruptedPods;
    let recheckAt: number | undefined;
    if (!previous) return { disrupted, recheckAt };
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const at = previous[pod.metadata.name];
      if (at === undefined) continue;
      const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
      if (expectedDeletion < now) {
        // Upstream names the budget by its namespace twice.
        this.event(this.pods, pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);
      } else {
        if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
        disrupted.set(pod.metadata.name, at);
      }
    }
    return { disrupted, recheckAt };
  }

  private updatePdbStatus(pdb: Obj, currentHealthy: number, desiredHealthy: number, expectedCount: number, disrupted: Map<string, string>): void {
    // A budget that expects no pods allows nothing, so pods arriving before the next sync are safe.
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const status: Obj = pdb.status ?? {};
    const generation: number = pdb.metadata.generation ?? 0;
    const disruptedPods = Object.fromEntries([...disrupted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (
      (status.currentHealthy ?? 0) === currentHealthy &&
      (status.desiredHealthy ?? 0) === desiredHealthy &&
      (status.expectedPods ?? 0) === expectedCount &&
      (status.disruptionsAllowed ?? 0) === disruptionsAllowed &&
      sameDisruptedPods(status.disruptedPods, disruptedPods) &&
      (status.observedGeneration ?? 0) === generation &&
      conditionsAreUpToDate(pdb)
    )
      return;
    const next: Obj = {
      observedGeneration: generation,
      ...(disrupted.size ? { disruptedPods } : {}),
      disruptionsAllowed,
      currentHealthy,
      desiredHealthy,
      expectedPods: expectedCount,
    };
    next.conditions = updateDisruptionAllowedCondition(status.conditions ?? [], disruptionsAllowed, generation, this.ctx.clock.now());
    this.writeStatus(pdb, next);
  }

  /** failSafe: disruptionsAllowed 0 and DisruptionAllowed False/SyncFailed, the rest as it was. */
  private failSafe(pdb: Obj, message: string): void {
    const status: Obj = { ...(pdb.status ?? {}), disruptionsAllowed: 0 };
    status.conditions = setStatusCondition(status.conditions ?? [], { type: 'DisruptionAllowed', status: 'False', observedGeneration: status.observedGeneration ?? 0, reason: 'SyncFailed', message }, this.ctx.clock.now());
    this.writeStatus(pdb, status, true);
  }

  /** UpdateStatus: a conflict is retried; another failure of a sync's write leads to the fail-safe. */
  private writeStatus(pdb: Obj, status: Obj, failSafe = false): void {
    const { namespace, name } = splitKey(keyOf(pdb));
    const res = this.ctx.request({
      method: 'PUT',
      path: `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${name}/status`,
      body: { ...this.pdbs.versioned(pdb), status: orderStatus(status) },
    });
    if (res.status === 409 || (res.status >= 400 && failSafe)) throw new RetryableError(errorMessage(res));
    if (res.status >= 400) throw new SyncError(errorMessage(res));
  }

  /** nonTerminatingPodHasStaleDisruptionCondition: when to reset the pod's DisruptionTarget condition. */
  private staleDisruptionCondition(pod: Obj): { cleanAfter: number } | undefined {
    if (pod.metadata.deletionTimestamp) return undefined;
    const cond = ((pod.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'DisruptionTarget');
    const phase = pod.status?.phase;
    // Conditions the kubelet set are never stale, nor conditions on finished pods.
    if (!cond || cond.status !== 'True' || cond.reason === 'TerminationByKubelet' || phase === 'Succeeded' || phase === 'Failed') return undefined;
    const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : 0;
    return { cleanAfter: Math.max(0, STALE_POD_DISRUPTION_TIMEOUT_MS - (this.ctx.clock.now() - since)) };
  }

  private syncStalePodDisruption(podKey: string): ReconcileResult {
    const pod = this.pods.get(podKey);
    if (!pod) return;
    const stale = this.staleDisruptionCondition(pod);
    if (!stale) return;
    if (stale.cleanAfter > 0) return { requeueAfter: stale.cleanAfter };
    // UpdatePodCondition replaces the condition: status False, a new transition time, no reason.
    const conditions = ((pod.status?.conditions ?? []) as Obj[]).map((c) =>
      c.type === 'DisruptionTarget' ? { type: 'DisruptionTarget', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(this.ctx.clock.now()) } : c,
    );
    const { namespace, name } = splitKey(podKey);
    const res = this.ctx.request({
      method: 'PUT',
      path: `/api/v1/namespaces/${namespace}/pods/${name}/status`,
      body: { ...this.pods.versioned(pod), status: { ...pod.status, conditions } },
    });
    if (res.status === 404) return;
    if (res.status >= 400) return { requeue: true };
  }

  private event(informer: Informer, obj: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(informer.reference(obj), type, reason, message);
  }
}

/** countHealthyPods: ready pods, not being deleted and not evicted within DeletionTimeout. */
function countHealthyPods(pods: Obj[], disrupted: Map<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const at = disrupted.get(pod.metadata.name);
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** intstr.GetScaledValueFromIntOrPercent; a string must be a percentage. */
export function scaledValueFromIntOrPercent(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new SyncError(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const text = v.slice(0, -1);
  const pct = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(pct)) throw new SyncError(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${text}": invalid syntax`);
  const x = (pct * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function verifyGroupKind(ref: Obj, kind: string, groups: string[]): boolean {
  return ref.kind === kind && groups.includes(parseGroupVersion(ref.apiVersion ?? '').group);
}

function sameDisruptedPods(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a![k] === b[k]);
}

/** pdbhelper.ConditionsAreUpToDate: the DisruptionAllowed condition matches disruptionsAllowed. */
function conditionsAreUpToDate(pdb: Obj): boolean {
  const cond = ((pdb.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'DisruptionAllowed');
  if (!cond) return false;
  if ((pdb.status?.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if ((pdb.status?.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === 'SufficientPods';
  return cond.status === 'False' && cond.reason === 'InsufficientPods';
}

/** pdbhelper.UpdateDisruptionAllowedCondition (messages are empty). */
export function updateDisruptionAllowedCondition(conditions: Obj[], disruptionsAllowed: number, observedGeneration: number, now: number): Obj[] {
  const allowed = disruptionsAllowed > 0;
  return setStatusCondition(
    conditions,
    { type: 'DisruptionAllowed', status: allowed ? 'True' : 'False', observedGeneration, reason: allowed ? 'SufficientPods' : 'InsufficientPods', message: '' },
    now,
  );
}

/** apimeta.SetStatusCondition: a new transition time only when the status changes. */
function setStatusCondition(conditions: Obj[], c: { type: string; status: string; observedGeneration: number; reason: string; message: string }, now: number): Obj[] {
  const existing = conditions.find((x) => x.type === c.type);
  const make = (lastTransitionTime: string) => ({
    type: c.type,
    status: c.status,
    ...(c.observedGeneration ? { observedGeneration: c.observedGeneration } : {}),
    lastTransitionTime,
    reason: c.reason,
    message: c.message,
  });
  if (!existing) return [...conditions, make(rfc3339(now))];
  return conditions.map((x) => (x === existing ? make(x.status !== c.status ? rfc3339(now) : x.lastTransitionTime) : x));
}

/** PodDisruptionBudgetStatus in its Go field order. */
function orderStatus(s: Obj): Obj {
  return {
    ...(s.observedGeneration ? { observedGeneration: s.observedGeneration } : {}),
    ...(s.disruptedPods && Object.keys(s.disruptedPods).length ? { disruptedPods: s.disruptedPods } : {}),
    disruptionsAllowed: s.disruptionsAllowed ?? 0,
    currentHealthy: s.currentHealthy ?? 0,
    desiredHealthy: s.desiredHealthy ?? 0,
    expectedPods: s.expectedPods ?? 0,
    ...(s.conditions?.length ? { conditions: s.conditions } : {}),
  };
}

/** A *metav1.LabelSelector as Go's %v prints it (its generated String method). */
export function labelSelectorString(sel: Obj | undefined): string {
  if (!sel) return 'nil';
  const labels = sel.matchLabels ?? {};
  const ml = Object.keys(labels)
    .sort()
    .map((k) => `${k}: ${labels[k]},`)
    .join('');
  const me = ((sel.matchExpressions ?? []) as Obj[]).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${ml}},MatchExpressions:[]LabelSelectorRequirement{${me}},}`;
}
