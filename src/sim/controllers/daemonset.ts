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
import { controllerRef, patchControllerRef } from './ownership';
import { errorMessage, indexPods, podFromTemplate, slowStartBatch } from './replicaset';
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
  indexByController,
} from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HASH_LABEL = 'controller-revision-hash';

/** One node's share of a DaemonSet's status. */
interface Share {
  desired: number;
  current: number;
  ready: number;
  available: number;
  updated: number;
  misscheduled: number;
  /** Ready but not yet available for minReadySeconds: looked at again later. */
  waiting: boolean;
}

interface DaemonState {
  dirty: Set<string> | 'all';
  shares: Map<string, Share>;
}
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
  /**
   * Per DaemonSet (by UID): the nodes whose pods or placement changed since its last sync, or
   * "all" after a spec change, and each node's share of the status. A sync looks at the nodes
   * that changed, so a pod's or a node's change costs work for that node, not for every node.
   */
  private readonly states = new Map<string, DaemonState>();
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
    indexByController(this.revisions);
    // Daemon pods by DaemonSet and node, and by DaemonSet and revision.
    this.pods.addIndex('daemon-node', (p) => {
      const ref = controllerOf(p);
      const node = ref?.kind === 'DaemonSet' ? targetNode(p) : undefined;
      return node === undefined ? undefined : `${ref!.uid}/${node}`;
    });
    this.pods.addIndex('daemon-live', (p) => {
      const ref = controllerOf(p);
      return ref?.kind === 'DaemonSet' && !p.metadata.deletionTimestamp ? ref.uid : undefined;
    });
    this.pods.addIndex('daemon-revision', (p) => {
      const ref = controllerOf(p);
      return ref?.kind === 'DaemonSet' && !p.metadata.deletionTimestamp ? `${ref.uid}/${p.metadata.labels?.[HASH_LABEL] ?? ''}` : undefined;
    });
    this.daemonSets.on({
      add: (ds) => this.changed(ds, 'all'),
      update: (old, ds) => this.changed(ds, old.spec !== ds.spec || old.status?.collisionCount !== ds.status?.collisionCount ? 'all' : undefined),
      delete: (ds) => {
        this.tracker.delete(keyOf(ds));
        this.states.delete(ds.metadata.uid);
      },
    });
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
    const nodeChange = (n: Obj) => {
      for (const ds of this.daemonSets.list()) this.changed(ds, n.metadata.name);
    };
    this.nodes.on(
      {
        add: (n) => {
          this.nodeNames = undefined;
          nodeChange(n);
        },
        update: (old, n) => (nodeChanged(old, n) ? nodeChange(n) : undefined),
        delete: (n) => {
          this.nodeNames = undefined;
          nodeChange(n);
        },
      },
      false,
    );
  }

  /** Node names in order; re-sorted only when nodes come or go. */
  private nodeNames: string[] | undefined;

  private state(ds: Obj): DaemonState {
    let st = this.states.get(ds.metadata.uid);
    if (!st) this.states.set(ds.metadata.uid, (st = { dirty: 'all', shares: new Map() }));
    return st;
  }

  /** Notes what changed for a DaemonSet (a node, or everything) and queues it. */
  private changed(ds: Obj, what: string | 'all' | undefined): void {
    const st = this.state(ds);
    if (what === 'all') st.dirty = 'all';
    else if (what !== undefined && st.dirty !== 'all') st.dirty.add(what);
    this.ctx.queue.add(keyOf(ds));
  }

  private ownerOf(pod: Obj): Obj | undefined {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.get(`${pod.metadata.namespace}/${ref.name}`);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private podEvent(pod: Obj, kind: 'add' | 'update' | 'delete'): void {
    const ds = this.ownerOf(pod);
    if (!ds) {
      // An orphan: a DaemonSet that matches it may adopt it.
      if (controllerOf(pod) || kind === 'delete') return;
      for (const d of this.daemonSets.list(pod.metadata.namespace)) if (matchesLabelSelector(d.spec?.selector, pod.metadata.labels)) this.changed(d, targetNode(pod) ?? 'all');
      return;
    }
    const key = keyOf(ds);
    if (kind === 'add') this.expectations.creationObserved(key);
    if (kind === 'delete') this.tracker.deletionObserved(key, keyOf(pod));
    this.changed(ds, targetNode(pod) ?? 'all');
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
    const st = this.state(ds);
    const dirty = st.dirty;
    st.dirty = new Set();
    try {
      return this.sync(ds, key, hash, st, dirty);
    } catch (err) {
      st.dirty = 'all';
      throw err;
    }
  }

  private sync(ds: Obj, key: string, hash: string, st: DaemonState, dirty: Set<string> | 'all'): ReconcileResult {
    // The nodes to look at: those that changed, and those whose pod is waiting to be available.
    let names: string[];
    if (dirty === 'all') names = this.sortedNodeNames();
    else {
      const set = new Set(dirty);
      for (const [name, share] of st.shares) if (share.waiting) set.add(name);
      names = [...set].sort();
    }
    const adopted = this.adoptOrphans(ds);
    if (adopted.length && dirty !== 'all') names = [...new Set([...names, ...adopted])].sort();
    let requeue: ReconcileResult = undefined;
    if (this.expectations.satisfied(key)) {
      requeue = this.manage(ds, names, hash);
      if (this.outdated(ds, hash) && this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        this.rollingUpdate(ds, this.sortedNodeNames(), hash);
      }
      this.cleanupHistory(ds, hash);
    }
    const status = this.updateStatus(ds, st, names, hash);
    return requeue ?? status;
  }

  private sortedNodeNames(): string[] {
    if (!this.nodeNames) this.nodeNames = this.nodes.list().map((n) => n.metadata.name as string).sort();
    return this.nodeNames;
  }

  /** Whether some live pod of the DaemonSet runs an older template. */
  private outdated(ds: Obj, hash: string): boolean {
    return this.pods.count('daemon-live', ds.metadata.uid) > this.pods.count('daemon-revision', `${ds.metadata.uid}/${hash}`);
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

  /**
   * The DaemonSet's pods on a node, all of them (being deleted and finished ones too); a pod
   * whose labels stopped matching is released instead.
   */
  private podsOn(ds: Obj, node: string): Obj[] {
    const out: Obj[] = [];
    for (const p of this.pods.byIndex('daemon-node', `${ds.metadata.uid}/${node}`)) {
      if (matchesLabelSelector(ds.spec?.selector, p.metadata.labels) || p.metadata.deletionTimestamp) out.push(p);
      else this.patchOwner(p, ds, 'release');
    }
    return out;
  }

  private static live(p: Obj): boolean {
    return !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
  }

  /** Adopts matching orphans in the namespace; returns the nodes they are on. */
  private adoptOrphans(ds: Obj): string[] {
    const nodes: string[] = [];
    for (const p of this.pods.byIndex('orphan', ds.metadata.namespace)) {
      if (p.metadata.deletionTimestamp || !matchesLabelSelector(ds.spec?.selector, p.metadata.labels)) continue;
      const node = targetNode(p);
      if (node && this.patchOwner(p, ds, 'adopt')) nodes.push(node);
    }
    return nodes;
  }

  private patchOwner(pod: Obj, ds: Obj, action: 'adopt' | 'release'): boolean {
    return patchControllerRef(this.ctx, '/api/v1', 'pods', pod, ds, action);
  }


  /** manage: which nodes need a pod and which pods must go. */
  private manage(ds: Obj, names: string[], hash: string): ReconcileResult {
    const needing: string[] = [];
    const doomed: Obj[] = [];
    let requeueAfter: number | undefined;
    const now = this.ctx.clock.now();
    const desired = this.maxSurge(ds, 1) === 0 ? 0 : this.desiredNodes(ds);
    for (const name of names) {
      const node = this.nodes.get(name);
      if (!node) continue;
      const { run, stay } = this.shouldRun(ds, node);
      const pods = this.podsOn(ds, name);
      if (pods.length === 0) {
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
        if (this.maxSurge(ds, desired) === 0 && running.length > 1) doomed.push(...running.sort(byCreationAndPhase).slice(1));
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

  private desiredNodes(ds: Obj): number {
    let n = 0;
    for (const name of this.sortedNodeNames()) {
      const node = this.nodes.get(name);
      if (node && this.shouldRun(ds, node).run) n++;
    }
    return n;
  }

  private maxSurge(ds: Obj, desired: number): number {
    const ru = ds.spec?.updateStrategy?.rollingUpdate;
    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
    return scaledValue(ru?.maxSurge ?? 0, desired, true);
  }

  /** rollingUpdate with maxSurge 0: old pods go as far as maxUnavailable allows (unavailable ones first). */
  private rollingUpdate(ds: Obj, names: string[], hash: string): void {
    const desired = this.desiredNodes(ds);
    const surge = this.maxSurge(ds, desired);
    let maxUnavailable = scaledValue(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true);
    if (surge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    // Pods being deleted count here: their node is unavailable until the replacement is up.
    const now = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    let unavailable = 0;
    const replace: Obj[] = [];
    const candidates: Obj[] = [];
    const needing: string[] = [];
    for (const node of names) {
      const all = this.podsOn(ds, node);
      if (all.length === 0) continue;
      const pods = all.filter((p) => !p.metadata.deletionTimestamp);
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
    if (this.revisions.count('controller', ds.metadata.uid) <= limit + 1) return;
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

  private updateStatus(ds: Obj, st: DaemonState, names: string[], hash: string): ReconcileResult {
    const now = this.ctx.clock.now();
    const minReady = ds.spec?.minReadySeconds ?? 0;
    for (const name of names) {
      const node = this.nodes.get(name);
      if (!node) {
        st.shares.delete(name);
        continue;
      }
      const pods = this.podsOn(ds, name).filter(DaemonSetController.live);
      const share: Share = { desired: 0, current: 0, ready: 0, available: 0, updated: 0, misscheduled: 0, waiting: false };
      if (this.shouldRun(ds, node).run) {
        share.desired = 1;
        if (pods.length) {
          share.current = 1;
          const pod = pods.length > 1 ? [...pods].sort(byCreationAndPhase)[0]! : pods[0]!;
          if (isPodReady(pod)) {
            share.ready = 1;
            if (isPodAvailable(pod, minReady, now)) share.available = 1;
            else share.waiting = true;
          }
          if (pod.metadata.labels?.[HASH_LABEL] === hash) share.updated = 1;
        }
      } else if (pods.length) share.misscheduled = 1;
      st.shares.set(name, share);
    }
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const share of st.shares.values()) {
      desired += share.desired;
      current += share.current;
      misscheduled += share.misscheduled;
      ready += share.ready;
      available += share.available;
      updated += share.updated;
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
    if (!sameStatus(status, ds.status ?? {})) {
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
    this.ctx.recorder.event(this.daemonSets.reference(ds), type, reason, message);
  }
}

const STATUS_FIELDS = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount'];

function sameStatus(a: Obj, b: Obj): boolean {
  for (const f of STATUS_FIELDS) if (a[f] !== b[f]) return false;
  return a.conditions === b.conditions || JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? []);
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

