/**
 * The DaemonSet controller (pkg/controller/daemon, 1.32): one pod per node that should run it
 * (nodeSelector, required node affinity, taints against the pod's tolerations plus the ones
 * every daemon pod gets), pinned to its node by node affinity and placed by the scheduler;
 * failed pods replaced with back-off; ControllerRevisions for each template; RollingUpdate
 * within maxUnavailable (or maxSurge) and OnDelete; the status columns kubectl shows.
 */
import { podTemplateHash } from '../names';
import { matchesNodeAffinity, untoleratedTaint } from '../scheduler/index';
import { matchesLabelSelector } from '../labels';
import { isPodAvailable, isPodReady } from './podutil';
import { controllerRef, errorMessage, indexPods, podFromTemplate, slowStartBatch } from './replicaset';
import { scaledValue } from './deployment/util';
import {
  controllerOf,
  DeletionTracker,
  Expectations,
  keyOf,
  RetryableError,
  type Controller,
  type ControllerContext,
  type Informer,
  type ReconcileResult,
} from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HASH_LABEL = 'controller-revision-hash';
const GENERATION_LABEL = 'pod-template-generation';
const BURST_REPLICAS = 250;
const FAILED_BACKOFF_MS = 1000;
const FAILED_BACKOFF_MAX_MS = 15 * 60_000;

/** Tolerations every daemon pod gets (AddOrUpdateDaemonPodTolerations). */
const DAEMON_TOLERATIONS: Obj[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const NETWORK_UNAVAILABLE: Obj = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

export function daemonSetController(): Controller {
  return new DaemonSetController();
}

/** The template with the daemon tolerations added (each only when not already there). */
function withDaemonTolerations(template: Obj): Obj {
  const spec = template.spec ?? {};
  const tolerations: Obj[] = [...(spec.tolerations ?? [])];
  const extra = spec.hostNetwork ? [...DAEMON_TOLERATIONS, NETWORK_UNAVAILABLE] : DAEMON_TOLERATIONS;
  for (const t of extra) {
    const same = tolerations.findIndex((x) => x.key === t.key && x.effect === t.effect);
    if (same >= 0) tolerations[same] = t;
    else tolerations.push(t);
  }
  return { ...template, spec: { ...spec, tolerations } };
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may only go to its node. */
function pinnedToNode(spec: Obj, node: string): Obj {
  const affinity = spec.affinity ?? {};
  const nodeAffinity = affinity.nodeAffinity ?? {};
  return {
    ...spec,
    affinity: {
      ...affinity,
      nodeAffinity: {
        ...nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
      },
    },
  };
}

/** The node a daemon pod is for: its nodeName, or the one its node affinity names. */
function targetNode(pod: Obj): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms: Obj[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) for (const f of (t.matchFields ?? []) as Obj[]) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  return undefined;
}

const created = (p: Obj) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;

/** podByCreationTimestampAndPhase: running ones first, then oldest. */
function byCreationAndPhase(a: Obj, b: Obj): number {
  const ra = a.status?.phase === 'Running' ? 0 : 1;
  const rb = b.status?.phase === 'Running' ? 0 : 1;
  return ra - rb || created(a) - created(b) || (a.metadata.name < b.metadata.name ? -1 : 1);
}

class DaemonSetController implements Controller {
  readonly name = 'daemonset-controller';
  private ctx!: ControllerContext;
  private daemonSets!: Informer;
  private pods!: Informer;
  private nodes!: Informer;
  private revisions!: Informer;
  private expectations!: Expectations;
  private tracker!: DeletionTracker;
  /**
   * shouldRun answers by node object and DaemonSet template object: both are immutable store
   * values, so an answer holds until either changes, and a sync costs a lookup per node.
   */
  private readonly placements = new WeakMap<Obj, WeakMap<Obj, { run: boolean; stay: boolean }>>();
  private readonly daemonTemplates = new WeakMap<Obj, Obj>();
  /** The sync in progress: the DaemonSet's pods by node (all, and live ones). */
  private synced: { all: Map<string, Obj[]>; live: Map<string, Obj[]>; outdated: boolean } | undefined;
  /** Whether this sync created or deleted pods. */
  private wrote = false;
  /** Back-off for replacing failed pods, per DaemonSet and node. */
  private readonly failedBackoff = new Map<string, { delay: number; last: number }>();

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.expectations = new Expectations(ctx.clock);
    this.tracker = new DeletionTracker(this.expectations);
    this.daemonSets = ctx.informers.for('daemonsets', 'apps');
    this.pods = ctx.informers.for('pods');
    indexPods(this.pods);
    this.nodes = ctx.informers.for('nodes');
    this.revisions = ctx.informers.for('controllerrevisions', 'apps');
    this.revisions.addIndex('controller', (o) => controllerOf(o)?.uid);
    const queue = (ds: Obj) => ctx.queue.add(keyOf(ds));
    this.daemonSets.on({ add: queue, update: (_, ds) => queue(ds), delete: (ds) => this.tracker.delete(keyOf(ds)) });
    this.pods.on(
      {
        add: (p) => this.podEvent(p, 'add'),
        update: (old, p) => {
          if (controllerOf(old)?.uid !== controllerOf(p)?.uid) this.podEvent(old, 'update');
          if (p.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.podEvent(p, 'delete');
          else if (podChangeMatters(old, p)) this.podEvent(p, 'update');
        },
        delete: (p) => this.podEvent(p, 'delete'),
      },
      false,
    );
    this.nodes.on(
      {
        add: () => {
          this.nodeNames = undefined;
          this.queueAll();
        },
        update: (old, n) => (nodeChanged(old, n) ? this.queueAll() : undefined),
        delete: () => (this.nodeNames = undefined),
      },
      false,
    );
  }

  /** Nodes by name; re-sorted only when nodes come or go. */
  private nodeNames: string[] | undefined;

  private sortedNodes(): Obj[] {
    if (!this.nodeNames) this.nodeNames = this.nodes.list().map((n) => n.metadata.name as string).sort();
    const out: Obj[] = [];
    for (const name of this.nodeNames) {
      const n = this.nodes.get(name);
      if (n) out.push(n);
    }
    return out;
  }

  private queueAll(): void {
    for (const ds of this.daemonSets.list()) this.ctx.queue.add(keyOf(ds));
  }

  private ownerOf(pod: Obj): Obj | undefined {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.get(`${pod.metadata.namespace}/${ref.name}`);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private podEvent(pod: Obj, kind: 'add' | 'update' | 'delete'): void {
    const ds = this.ownerOf(pod);
    if (!ds) return;
    const key = keyOf(ds);
    if (kind === 'add') this.expectations.creationObserved(key);
    if (kind === 'delete') this.tracker.deletionObserved(key, keyOf(pod));
    this.ctx.queue.add(key);
  }

  reconcile(key: string): ReconcileResult {
    const ds = this.daemonSets.get(key);
    if (!ds) {
      this.tracker.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const sel = ds.spec?.selector;
    if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
      this.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    const hash = this.currentRevision(ds);
    const nodes = this.sortedNodes();
    let requeue: ReconcileResult = undefined;
    if (this.expectations.satisfied(key)) {
      this.collectPods(ds, hash);
      requeue = this.manage(ds, nodes, hash);
      if (this.synced!.outdated && this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        this.collectPods(ds, hash);
        this.rollingUpdate(ds, nodes, hash);
      }
      this.cleanupHistory(ds, hash);
    }
    // Pods created or deleted just now are counted as the informer has them.
    if (!this.synced || this.wrote) this.collectPods(ds, hash);
    this.wrote = false;
    const status = this.updateStatus(ds, nodes, hash);
    this.synced = undefined;
    return requeue ?? status;
  }

  // ---- nodes and pods --------------------------------------------------------------------

  /** NodeShouldRunDaemonPod: whether a pod should start there, and whether one may stay. */
  private shouldRun(ds: Obj, node: Obj): { run: boolean; stay: boolean } {
    const template: Obj = ds.spec?.template ?? {};
    let answers = this.placements.get(template);
    if (!answers) this.placements.set(template, (answers = new WeakMap()));
    let answer = answers.get(node);
    if (!answer) {
      let withTolerations = this.daemonTemplates.get(template);
      if (!withTolerations) this.daemonTemplates.set(template, (withTolerations = withDaemonTolerations(template)));
      answers.set(node, (answer = this.evaluate(withTolerations, node)));
    }
    return answer;
  }

  private evaluate(template: Obj, node: Obj): { run: boolean; stay: boolean } {
    const nodeName = template.spec?.nodeName;
    if (nodeName && nodeName !== node.metadata.name) return { run: false, stay: false };
    if (!matchesNodeAffinity(template, node)) return { run: false, stay: false };
    const taints: Obj[] = node.spec?.taints ?? [];
    if (untoleratedTaint(template, taints, ['NoSchedule', 'NoExecute'])) return { run: false, stay: !untoleratedTaint(template, taints, ['NoExecute']) };
    return { run: true, stay: true };
  }

  /** The DaemonSet's pods by node (claiming matching orphans, releasing pods that no longer match). */
  private collectPods(ds: Obj, hash: string): void {
    const all = new Map<string, Obj[]>();
    const live = new Map<string, Obj[]>();
    let outdated = false;
    const push = (map: Map<string, Obj[]>, node: string, p: Obj) => {
      const list = map.get(node);
      if (list) list.push(p);
      else map.set(node, [p]);
    };
    const add = (p: Obj) => {
      const node = targetNode(p);
      if (!node) return;
      push(all, node, p);
      if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return;
      push(live, node, p);
      if (p.metadata.labels?.[HASH_LABEL] !== hash) outdated = true;
    };
    for (const p of this.pods.byIndex('controller', ds.metadata.uid)) {
      if (matchesLabelSelector(ds.spec?.selector, p.metadata.labels) || p.metadata.deletionTimestamp) add(p);
      else this.patchOwner(p, ds, 'release');
    }
    for (const p of this.pods.byIndex('orphan', ds.metadata.namespace)) {
      if (p.metadata.deletionTimestamp || !matchesLabelSelector(ds.spec?.selector, p.metadata.labels)) continue;
      if (this.patchOwner(p, ds, 'adopt')) add(this.pods.get(keyOf(p)) ?? p);
    }
    this.synced = { all, live, outdated };
  }

  private patchOwner(pod: Obj, ds: Obj, action: 'adopt' | 'release'): boolean {
    const refs = action === 'adopt' ? [controllerRef(ds)] : [{ $patch: 'delete', uid: ds.metadata.uid }];
    const res = this.ctx.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
      contentType: 'application/strategic-merge-patch+json',
      body: { metadata: { ownerReferences: refs, uid: pod.metadata.uid } },
    });
    return res.status === 200;
  }

  /** manage: which nodes need a pod and which pods must go. */
  private manage(ds: Obj, nodes: Obj[], hash: string): ReconcileResult {
    const byNode = this.synced!.all;
    const needing: string[] = [];
    const doomed: Obj[] = [];
    let requeueAfter: number | undefined;
    const now = this.ctx.clock.now();
    for (const node of nodes) {
      const name = node.metadata.name as string;
      const { run, stay } = this.shouldRun(ds, node);
      const pods = byNode.get(name);
      if (!pods) {
        if (run) needing.push(name);
        continue;
      }
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      if (stay) {
        const running: Obj[] = [];
        for (const p of live) {
          if (p.status?.phase === 'Failed') {
            const key = `${keyOf(ds)}/${name}`;
            const b = this.failedBackoff.get(key);
            if (b && now - b.last < b.delay) {
              requeueAfter = Math.min(requeueAfter ?? Infinity, b.delay - (now - b.last));
              continue;
            }
            this.failedBackoff.set(key, { delay: b ? Math.min(b.delay * 2, FAILED_BACKOFF_MAX_MS) : FAILED_BACKOFF_MS, last: now });
            this.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${name}, will try to kill it`);
            doomed.push(p);
          } else if (p.status?.phase === 'Succeeded') doomed.push(p);
          else running.push(p);
        }
        if (this.maxSurge(ds, nodes.length) === 0 && running.length > 1) doomed.push(...running.sort(byCreationAndPhase).slice(1));
      } else for (const p of live) doomed.push(p);
    }
    this.syncNodes(ds, doomed, needing, hash);
    return requeueAfter === undefined ? undefined : { requeueAfter };
  }

  private syncNodes(ds: Obj, doomed: Obj[], needing: string[], hash: string): void {
    const key = keyOf(ds);
    const create = needing.slice(0, BURST_REPLICAS);
    const remove = doomed.slice(0, BURST_REPLICAS);
    this.tracker.expectDeletions(key, remove.map(keyOf), create.length);
    if (create.length || remove.length) this.wrote = true;
    const template = withDaemonTolerations(ds.spec.template);
    const labels = { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash, [GENERATION_LABEL]: String(ds.metadata.generation ?? 1) };
    let next = 0;
    const { created } = slowStartBatch(create.length, () => {
      const node = create[next++]!;
      const pod = podFromTemplate({ ...template, metadata: { ...(template.metadata ?? {}), labels }, spec: pinnedToNode(template.spec ?? {}, node) }, ds, `${ds.metadata.name}-`);
      const res = this.ctx.request({ method: 'POST', path: `/api/v1/namespaces/${ds.metadata.namespace}/pods`, body: pod });
      if (res.status === 201) {
        this.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${(res.body as Obj).metadata.name}`);
        return undefined;
      }
      const message = errorMessage(res);
      this.event(ds, 'Warning', 'FailedCreate', `Error creating: ${message}`);
      return message;
    });
    if (created < create.length) this.expectations.creationObserved(key, create.length - created);
    for (const p of remove) {
      const res = this.ctx.request({ method: 'DELETE', path: `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}` });
      if (res.status === 200) this.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      else {
        this.tracker.deletionObserved(key, keyOf(p));
        if (res.status !== 404) this.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(res)}`);
      }
    }
  }

  // ---- rolling update --------------------------------------------------------------------

  private desiredNodes(ds: Obj, nodes: Obj[]): number {
    return nodes.filter((n) => this.shouldRun(ds, n).run).length;
  }

  private maxSurge(ds: Obj, desired: number): number {
    const ru = ds.spec?.updateStrategy?.rollingUpdate;
    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
    return scaledValue(ru?.maxSurge ?? 0, desired, true);
  }

  /** rollingUpdate with maxSurge 0: old pods go as far as maxUnavailable allows (unavailable ones first). */
  private rollingUpdate(ds: Obj, nodes: Obj[], hash: string): void {
    const desired = this.desiredNodes(ds, nodes);
    const surge = this.maxSurge(ds, desired);
    let maxUnavailable = scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
    if (surge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    // Pods being deleted count here: their node is unavailable until the replacement is up.
    const byNode = this.synced!.all;
    const now = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    let unavailable = 0;
    const replace: Obj[] = [];
    const candidates: Obj[] = [];
    const needing: string[] = [];
    for (const node of [...byNode.keys()].sort()) {
      const pods = byNode.get(node)!.filter((p) => !p.metadata.deletionTimestamp);
      const fresh = pods.filter((p) => p.metadata.labels?.[HASH_LABEL] === hash);
      const old = pods.filter((p) => p.metadata.labels?.[HASH_LABEL] !== hash);
      if (fresh.length > 1 || old.length > 1 || pods.length === 0 || (fresh.length === 1 && old.length === 1 && surge === 0)) {
        unavailable++;
        continue;
      }
      if (fresh.length === 1 && old.length === 0) {
        if (!isPodAvailable(fresh[0]!, minReady, now)) unavailable++;
      } else if (old.length === 1 && fresh.length === 0) {
        const oldPod = old[0]!;
        if (!isPodAvailable(oldPod, minReady, now)) replace.push(oldPod);
        else if (surge > 0) needing.push(node);
        else if (unavailable < maxUnavailable) candidates.push(oldPod);
      } else if (surge > 0 && fresh.length === 1 && old.length === 1) {
        // With surge, the old pod goes once its replacement is available.
        if (isPodAvailable(fresh[0]!, minReady, now)) replace.push(old[0]!);
        else unavailable++;
      }
    }
    if (surge > 0) {
      const room = Math.max(0, surge - unavailable);
      return this.syncNodes(ds, replace, needing.slice(0, room), hash);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    this.syncNodes(ds, [...replace, ...candidates.slice(0, remaining)], [], hash);
  }

  // ---- history ---------------------------------------------------------------------------

  /** constructHistory: the ControllerRevision for the current template, created when missing. */
  private currentRevision(ds: Obj): string {
    const owned = this.revisions.byIndex('controller', ds.metadata.uid);
    const data = { spec: { template: { ...ds.spec.template, $patch: 'replace' } } };
    const hash = this.templateHash(ds);
    const max = owned.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
    const current = owned.find((r) => r.metadata.name === `${ds.metadata.name}-${hash}`);
    if (current) {
      if ((current.revision ?? 0) < max) {
        this.ctx.request({
          method: 'PATCH',
          path: `/apis/apps/v1/namespaces/${ds.metadata.namespace}/controllerrevisions/${current.metadata.name}`,
          contentType: 'application/merge-patch+json',
          body: { revision: max + 1 },
        });
      }
      return hash;
    }
    const res = this.ctx.request({
      method: 'POST',
      path: `/apis/apps/v1/namespaces/${ds.metadata.namespace}/controllerrevisions`,
      body: {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name: `${ds.metadata.name}-${hash}`,
          namespace: ds.metadata.namespace,
          labels: { ...(ds.spec.template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
          annotations: { 'deprecated.daemonset.template.generation': String(ds.metadata.generation ?? 1) },
          ownerReferences: [controllerRef(ds)],
        },
        data,
        revision: max + 1,
      },
    });
    if (res.status !== 201 && res.status !== 409) throw new RetryableError(errorMessage(res));
    return hash;
  }

  private readonly hashes = new WeakMap<Obj, { collisions: number | undefined; hash: string }>();

  /** The template's hash, worked out once per template object and collision count. */
  private templateHash(ds: Obj): string {
    const cached = this.hashes.get(ds.spec.template);
    if (cached && cached.collisions === ds.status?.collisionCount) return cached.hash;
    const hash = podTemplateHash(ds.spec.template, ds.status?.collisionCount);
    this.hashes.set(ds.spec.template, { collisions: ds.status?.collisionCount, hash });
    return hash;
  }

  /** cleanupHistory: revisions beyond revisionHistoryLimit that no pod uses, oldest first. */
  private cleanupHistory(ds: Obj, hash: string): void {
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    const inUse = new Set<string>([hash]);
    for (const p of this.pods.byIndex('controller', ds.metadata.uid)) if (p.metadata.labels?.[HASH_LABEL]) inUse.add(p.metadata.labels[HASH_LABEL]);
    const old = this.revisions
      .byIndex('controller', ds.metadata.uid)
      .filter((r) => !inUse.has(r.metadata.labels?.[HASH_LABEL]))
      .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    for (const r of old.slice(0, Math.max(0, old.length - limit)))
      this.ctx.request({ method: 'DELETE', path: `/apis/apps/v1/namespaces/${r.metadata.namespace}/controllerrevisions/${r.metadata.name}` });
  }

  // ---- status ----------------------------------------------------------------------------

  private updateStatus(ds: Obj, nodes: Obj[], hash: string): ReconcileResult {
    const byNode = this.synced!.live;
    const now = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const node of nodes) {
      const pods = byNode.get(node.metadata.name);
      if (this.shouldRun(ds, node).run) {
        desired++;
        if (!pods?.length) continue;
        current++;
        const pod = [...pods].sort(byCreationAndPhase)[0]!;
        if (isPodReady(pod)) {
          ready++;
          if (isPodAvailable(pod, minReady, now)) available++;
        }
        if (pod.metadata.labels?.[HASH_LABEL] === hash) updated++;
      } else if (pods?.length) misscheduled++;
    }
    const status: Obj = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      ...(updated ? { updatedNumberScheduled: updated } : {}),
      ...(available ? { numberAvailable: available } : {}),
      ...(desired - available ? { numberUnavailable: desired - available } : {}),
      ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}),
      ...(ds.status?.conditions ? { conditions: ds.status.conditions } : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(ds.status ?? {})) {
      const res = this.ctx.request({
        method: 'PUT',
        path: `/apis/apps/v1/namespaces/${ds.metadata.namespace}/daemonsets/${ds.metadata.name}/status`,
        body: { ...this.daemonSets.versioned(this.daemonSets.get(keyOf(ds)) ?? ds), status },
      });
      if (res.status === 409) throw new RetryableError(errorMessage(res));
    }
    if (minReady > 0 && ready !== available) return { requeueAfter: minReady * 1000 };
    return undefined;
  }

  private event(ds: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const o = this.daemonSets.versioned(ds);
    this.ctx.recorder.event(
      { kind: 'DaemonSet', apiVersion: 'apps/v1', name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion },
      type,
      reason,
      message,
    );
  }
}

/** A pod change the controller acts on: placement, phase, readiness, labels or owners. */
function podChangeMatters(old: Obj, p: Obj): boolean {
  return (
    old.spec?.nodeName !== p.spec?.nodeName ||
    old.status?.phase !== p.status?.phase ||
    isPodReady(old) !== isPodReady(p) ||
    old.metadata.labels !== p.metadata.labels ||
    old.metadata.ownerReferences !== p.metadata.ownerReferences
  );
}

/** A node change that can change where daemon pods run (not a heartbeat). */
function nodeChanged(old: Obj, n: Obj): boolean {
  return (
    JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(n.metadata.labels ?? {}) ||
    JSON.stringify(old.spec ?? {}) !== JSON.stringify(n.spec ?? {})
  );
}

