/**
 * kube-scheduler: a scheduling queue (active, backoff, unschedulable), the default profile's
 * filters and scores, DefaultPreemption, and binding through pods/binding. Every decision is
 * kept as an explanation (per node: the filter that rejected it and why, or each score).
 */
import type { ApiServer, KubeObject } from '../apiserver';
import { rfc3339 } from '../apiserver';
import type { VirtualClock } from '../clock';
import { EventRecorder, referenceTo } from '../events';
import type { SeededRandom } from '../random';
import type { Store } from '../store';
import { NodeInfoCache, type NodeInfo } from './nodeinfo';
import { FILTERS, SCORES, type ClusterView, type FilterResult } from './plugins';
import { podRequests } from './resources';
import { bindAPIUpdates, checkBindings, findPodVolumes, hasClaims, preFilterVolumes, type ClaimsState, type PodVolumes, type VolumeLister } from './volumebinding';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const SCHEDULER_NAME = 'default-scheduler';
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** Unschedulable pods are retried at least this often (podMaxInUnschedulablePodsDuration). */
const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
/** VolumeBinding's PreBind checks the claims every second, for at most --bind-timeout-seconds (600 s). */
const BIND_POLL_MS = 1000;
const BIND_TIMEOUT_MS = 600_000;

export interface NodeExplanation {
  node: string;
  /** The plugin that rejected the node, with its reasons. */
  rejectedBy?: { plugin: string; reasons: string[] };
  /** Normalized score per plugin (weighted total in `total`). */
  scores?: Record<string, number>;
  total?: number;
}

export interface Explanation {
  pod: string;
  time: string;
  nodes: NodeExplanation[];
  selected?: string;
  message?: string;
}

interface Pending {
  key: string;
  attempts: number;
  /** Virtual time before which the pod is backing off. */
  readyAt: number;
  unschedulable: boolean;
  unschedulableSince: number;
  /** In the binding cycle: VolumeBinding's PreBind waits for the pod's claims to be bound on this node. */
  binding?: { node: string; volumes: PodVolumes; deadline: number };
}

/** Upstream's floor on how many feasible nodes a search looks for, and on the percentage. */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * numFeasibleNodesToFind with the default (adaptive) percentageOfNodesToScore: every node below
 * 100 nodes; else 50% less 1% per 125 nodes, at least 5%, and at least 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  const percentage = Math.max(50 - Math.trunc(numAllNodes / 125), MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

interface Rejection {
  /** Position in the search order. */
  at: number;
  plugin: string;
  reasons: string[];
}

/**
 * An Explanation as kept for every pod: the nodes in search order are a window of the sorted
 * node list, and the scores a flat array (plugin by plugin, feasible node by node), so a
 * thousand-node cluster does not keep a thousand objects per pod.
 */
interface ExplanationRecord {
  pod: string;
  time: string;
  nodes: readonly NodeInfo[];
  start: number;
  processed: number;
  rejected: Rejection[];
  feasible: number;
  /** Per score plugin: its score on every feasible node when it is the same on all, else null. */
  constant: (number | null)[] | undefined;
  /** The other plugins' scores, plugin by plugin, feasible node by node. */
  scores: Uint8Array | Float64Array | undefined;
  selected?: string;
  message?: string;
}

const NO_REJECTIONS: Rejection[] = [];

function materialize(r: ExplanationRecord): Explanation {
  const nodes: NodeExplanation[] = [];
  let next = 0;
  let f = 0;
  for (let i = 0; i < r.processed; i++) {
    const name = r.nodes[(r.start + i) % r.nodes.length]!.name;
    const rejection = r.rejected[next];
    if (rejection && rejection.at === i) {
      next++;
      nodes.push({ node: name, rejectedBy: { plugin: rejection.plugin, reasons: rejection.reasons } });
      continue;
    }
    const ne: NodeExplanation = { node: name };
    if (r.constant) {
      const scores: Record<string, number> = {};
      let total = 0;
      let column = 0;
      SCORES.forEach((s, p) => {
        const c = r.constant![p];
        const v = c !== null && c !== undefined ? c : r.scores![column++ * r.feasible + f]!;
        scores[s.name] = v;
        total = total + v * s.weight;
      });
      ne.scores = scores;
      ne.total = total;
    }
    f++;
    nodes.push(ne);
  }
  return { pod: r.pod, time: r.time, nodes, ...(r.selected !== undefined ? { selected: r.selected } : {}), ...(r.message !== undefined ? { message: r.message } : {}) };
}

function podKey(pod: Obj): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export function wantsScheduling(pod: Obj): boolean {
  return (
    (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
    !pod.spec?.nodeName &&
    !pod.metadata?.deletionTimestamp &&
    pod.status?.phase !== 'Succeeded' &&
    pod.status?.phase !== 'Failed'
  );
}

/** "0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2 Insufficient cpu." (FitError.Error) */
export function histogram(total: number, reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}`;
}

export class Scheduler {
  readonly cache = new NodeInfoCache();
  private readonly pending = new Map<string, Pending>();
  private readonly explanations = new Map<string, ExplanationRecord>();
  /** Where the next pod's search for feasible nodes starts (nextStartNodeIndex). */
  private nextStartNodeIndex = 0;
  private readonly recorder: EventRecorder;
  private cycleScheduled = false;
  private wakeTimer: number | undefined;
  private stops: (() => void)[] = [];

  constructor(
    private readonly api: ApiServer,
    private readonly store: Store,
    private readonly clock: VirtualClock,
    private readonly random: SeededRandom,
  ) {
    this.recorder = new EventRecorder(api, clock, { component: SCHEDULER_NAME });
  }

  start(): void {
    for (const kv of this.store.range<KubeObject>('/registry/minions/')) this.cache.upsertNode(kv.value);
    for (const kv of this.store.range<KubeObject>('/registry/pods/')) this.onPod(kv.value as Obj, undefined);
    this.stops.push(
      this.store.watch('/registry/minions/', (e) => {
        if (e.type === 'delete') this.cache.removeNode((e.prev.value as Obj).metadata.name);
        else this.cache.upsertNode(e.kv.value as KubeObject);
        this.moveAllToActive();
      }),
      // Claims, volumes and classes changing can make pods waiting on VolumeBinding schedulable.
      ...['/registry/persistentvolumeclaims/', '/registry/persistentvolumes/', '/registry/storageclasses/'].map((prefix) => this.store.watch(prefix, () => this.moveAllToActive())),
      this.store.watch('/registry/pods/', (e) => {
        if (e.type === 'delete') {
          const gone = e.prev.value as Obj;
          this.pending.delete(this.cache.keyFor(gone));
          this.cache.deletePod(gone);
          this.moveAllToActive();
        } else {
          this.onPod(e.kv.value as Obj, e.prev?.value as Obj | undefined);
        }
      }),
    );
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }

  /** Why the pod was (or was not) placed where it was, from its last scheduling attempt. */
  explain(namespace: string, name: string): Explanation | undefined {
    const record = this.explanations.get(`${namespace}/${name}`);
    return record && materialize(record);
  }

  private onPod(pod: Obj, prev: Obj | undefined): void {
    const key = this.cache.keyFor(pod);
    this.cache.upsertPod(pod, key);
    if (wantsScheduling(pod)) {
      if (pod.spec?.schedulingGates?.length) {
        this.pending.delete(key);
        this.markGated(pod);
        return;
      }
      if (!this.pending.has(key)) {
        this.pending.set(key, { key, attempts: 0, readyAt: this.clock.now(), unschedulable: false, unschedulableSince: 0 });
        this.scheduleCycle();
      }
    } else {
      this.pending.delete(key);
      // A pod that finished frees room: unschedulable pods get another chance.
      if (prev && !['Succeeded', 'Failed'].includes(prev.status?.phase) && ['Succeeded', 'Failed'].includes(pod.status?.phase)) this.moveAllToActive();
    }
  }

  private moveAllToActive(): void {
    let any = false;
    for (const p of this.pending.values()) {
      if (p.unschedulable) {
        p.unschedulable = false;
        any = true;
      }
    }
    if (any) this.scheduleCycle();
  }

  private scheduleCycle(delay = 0): void {
    if (delay === 0) {
      if (this.cycleScheduled) return;
      this.cycleScheduled = true;
      this.clock.schedule(0, () => {
        this.cycleScheduled = false;
        this.runCycle();
      });
      return;
    }
    if (this.wakeTimer !== undefined) this.clock.cancel(this.wakeTimer);
    this.wakeTimer = this.clock.schedule(delay, () => {
      this.wakeTimer = undefined;
      this.runCycle();
    });
  }

  /** Schedules every pod that is ready, in queue order (priority first, then arrival). */
  private runCycle(): void {
    const now = this.clock.now();
    for (const p of this.pending.values()) if (p.unschedulable && p.unschedulableSince + MAX_UNSCHEDULABLE_MS <= now) p.unschedulable = false;
    const ready = [...this.pending.values()].filter((p) => !p.binding && !p.unschedulable && p.readyAt <= now);
    const pods = ready
      .map((p) => ({ p, pod: this.api.getByResource('pods', '', p.key.split('/')[0], p.key.split('/')[1]!) }))
      .filter((x): x is { p: Pending; pod: Obj } => !!x.pod && wantsScheduling(x.pod));
    pods.sort((a, b) => (b.pod.spec?.priority ?? 0) - (a.pod.spec?.priority ?? 0));
    for (const { p, pod } of pods) this.scheduleOne(p, pod);
    this.armTimers();
  }

  /** Wakes up for the next backoff expiry or unschedulable flush. */
  private armTimers(): void {
    const now = this.clock.now();
    let next = Infinity;
    for (const p of this.pending.values()) {
      if (p.binding) continue;
      if (p.unschedulable) next = Math.min(next, p.unschedulableSince + MAX_UNSCHEDULABLE_MS);
      else next = Math.min(next, p.readyAt);
    }
    if (next === Infinity) return;
    this.scheduleCycle(Math.max(1, next - now));
  }

  private readonly volumes: VolumeLister = {
    claim: (ns, name) => this.api.getByResource('persistentvolumeclaims', '', ns, name),
    volume: (name) => this.api.getByResource('persistentvolumes', '', undefined, name),
    volumes: () => this.api.listByResource('persistentvolumes', '', undefined),
    storageClass: (name) => (name ? this.api.getByResource('storageclasses', 'storage.k8s.io', undefined, name) : undefined),
  };

  private view(): ClusterView {
    return {
      volumes: this.volumes,
      nodes: this.cache.list(),
      imageNodes: this.cache.imageNodes,
      antiAffinityPods: this.cache.antiAffinityPods,
    };
  }

  /** Runs filters and scores for `pod` without binding it (from where the next scheduling cycle would start). */
  evaluate(pod: Obj): { explanation: Explanation; feasible: NodeInfo[]; failures: Map<string, FilterResult> } {
    const run = this.findAndScore(pod);
    return { explanation: materialize(run.record), feasible: run.feasible.slice(), failures: run.failures };
  }

  /**
   * findNodesThatFitPod and prioritizeNodes: filters nodes from nextStartNodeIndex on until
   * numFeasibleNodesToFind of them fit (every node in clusters under 100 nodes), then scores
   * those. The explanation keeps what was evaluated, compactly.
   */
  private findAndScore(pod: Obj): { record: ExplanationRecord; feasible: NodeInfo[]; totals: number[]; failures: Map<string, FilterResult>; processed: number; pinned: boolean } {
    const cluster = this.view();
    // NodeAffinity's PreFilterResult: affinity to named nodes (a DaemonSet pod's) narrows the
    // search to them; the other nodes fail without being looked at.
    const pinned = pinnedNodes(pod);
    const all = pinned ? [...pinned].flatMap((name) => this.cache.nodes.get(name) ?? []).sort((a, b) => cluster.nodes.indexOf(a) - cluster.nodes.indexOf(b)) : cluster.nodes;
    const n = all.length;
    const toFind = numFeasibleNodesToFind(n);
    const filters = FILTERS.filter((f) => !f.skip?.(pod, cluster));
    const states = filters.map((f) => f.prepare?.(pod, cluster));
    const count = filters.length;
    let failures: Map<string, FilterResult> | undefined;
    const rejected: Rejection[] = [];
    // Feasible nodes and totals go in arrays kept from pod to pod: scheduleOne reads them before
    // anything else can schedule, and evaluate() hands out a copy.
    const feasible = this.feasibleScratch;
    feasible.length = 0;
    const start = pinned ? 0 : this.nextStartNodeIndex;
    let processed = 0;
    let at = n ? start % n : 0;
    while (processed < n && feasible.length < toFind) {
      const node = all[at]!;
      if (++at === n) at = 0;
      let rejectedBy: Rejection | undefined;
      for (let k = 0; k < count; k++) {
        const f = filters[k]!;
        const r = f.filter(pod, node, cluster, states[k]);
        if (r) {
          rejectedBy = { at: processed, plugin: f.name, reasons: r.reasons };
          (failures ??= new Map()).set(node.name, r);
          break;
        }
      }
      if (rejectedBy) rejected.push(rejectedBy);
      else feasible.push(node);
      processed++;
    }
    let scores: Uint8Array | Float64Array | undefined;
    let constant: (number | null)[] | undefined;
    const totals = this.totalsScratch;
    totals.length = feasible.length;
    totals.fill(0);
    if (feasible.length > 1) {
      // The raw scores go in arrays kept from pod to pod (they are only read here).
      const perPlugin = SCORES.map((s, p) => {
        const state = s.prepare?.(pod, cluster);
        const raw = (this.scratch[p] ??= []);
        raw.length = feasible.length;
        for (let i = 0; i < feasible.length; i++) raw[i] = s.score(pod, feasible[i]!, cluster, state);
        return s.normalize ? s.normalize(raw) : raw;
      });
      // A plugin scoring every node the same is kept as one number; the others as bytes when
      // they all fit (they do for the default plugins: 0-100).
      constant = perPlugin.map((list) => (list.every((v) => Object.is(v, list[0])) ? list[0]! : null));
      const varying = perPlugin.filter((_, p) => constant![p] === null);
      let small = true;
      for (const list of varying) for (const v of list) if (!(Number.isInteger(v) && v >= 0 && v <= 255 && !Object.is(v, -0))) small = false;
      const size = varying.length * feasible.length;
      scores = size === 0 ? undefined : small ? new Uint8Array(size) : new Float64Array(size);
      varying.forEach((list, column) => {
        for (let i = 0; i < feasible.length; i++) scores![column * feasible.length + i] = list[i]!;
      });
      for (let p = 0; p < SCORES.length; p++) {
        const list = perPlugin[p]!;
        const weight = SCORES[p]!.weight;
        for (let i = 0; i < feasible.length; i++) totals[i] = totals[i]! + list[i]! * weight;
      }
    }
    const record: ExplanationRecord = { pod: podKey(pod), time: rfc3339(this.clock.now()), nodes: all, start, processed, rejected: rejected.length ? rejected : NO_REJECTIONS, feasible: feasible.length, constant, scores };
    if (pinned && feasible.length === 0) {
      const outside: FilterResult = { reasons: ["node(s) didn't satisfy plugin(s) [NodeAffinity]"], unresolvable: true };
      for (const n of cluster.nodes) if (!pinned.has(n.name)) (failures ??= new Map()).set(n.name, outside);
    }
    return { record, feasible, totals, failures: failures ?? new Map(), processed, pinned: Boolean(pinned) };
  }

  /** Score arrays reused by findAndScore, one per score plugin. */
  private readonly scratch: number[][] = [];
  private readonly feasibleScratch: NodeInfo[] = [];
  private readonly totalsScratch: number[] = [];

  private scheduleOne(p: Pending, pod: Obj): void {
    p.attempts++;
    // PreFilter rejections (VolumeBinding's) fail the pod on every node at once, without per-node counts.
    const pre = hasClaims(pod) ? preFilterVolumes(pod, this.volumes) : undefined;
    if (pre && 'message' in pre) {
      const total = this.cache.nodes.size;
      const message = `0/${total} nodes are available: ${pre.message}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
      this.explanations.set(podKey(pod), { pod: podKey(pod), time: rfc3339(this.clock.now()), nodes: [], start: 0, processed: 0, rejected: NO_REJECTIONS, feasible: 0, constant: undefined, scores: undefined, message });
      this.fail(p, pod, message);
      return;
    }
    const { record, feasible, totals, failures, processed, pinned } = this.findAndScore(pod);
    // Every node gets its turn: the next pod's search starts where this one's stopped.
    if (this.cache.nodes.size > 0 && !pinned) this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % this.cache.nodes.size;
    const key = this.cache.keyFor(pod);
    if (feasible.length > 0) {
      // Highest total wins; ties are broken at random (seeded), as selectHost does.
      let best: NodeInfo | undefined;
      let bestScore = -Infinity;
      let ties = 0;
      feasible.forEach((n, i) => {
        const total = totals[i]!;
        if (total > bestScore) {
          best = n;
          bestScore = total;
          ties = 1;
        } else if (total === bestScore) {
          ties++;
          if (this.random.int(ties) === 0) best = n;
        }
      });
      record.selected = best!.name;
      this.explanations.set(key, record);
      if (pre && pre.delayed.length) this.preBindVolumes(p, pod, best!, pre);
      else this.bind(pod, best!.name);
      return;
    }
    const total = this.cache.nodes.size;
    const reasons = [...failures.values()].flatMap((f) => f.reasons);
    let message = `${histogram(total, reasons)}.`;
    const preemption = this.preempt(pod, failures);
    // A failed preemption explains itself after the filters' reasons (FitError's PostFilterMsg).
    if (!preemption.nominated && preemption.message) message += ` ${preemption.message}.`;
    if (total === 0) message = 'no nodes available to schedule pods';
    record.message = message;
    this.explanations.set(key, record);
    this.fail(p, pod, message, preemption.nominated);
  }

  /** FailedScheduling: the event, the PodScheduled condition, and the pod back in the queue with back-off. */
  private fail(p: Pending, pod: Obj, message: string, nominated?: string): void {
    this.recorder.event(referenceTo(pod as KubeObject), 'Warning', 'FailedScheduling', message);
    this.setUnschedulable(pod, message, nominated);
    p.unschedulable = !nominated;
    p.unschedulableSince = this.clock.now();
    p.readyAt = this.clock.now() + Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (p.attempts - 1));
  }

  /** DefaultPreemption: evict lower-priority pods from the node where that makes room. */
  private preempt(pod: Obj, failures: Map<string, FilterResult>): { message: string; nominated?: string } {
    const total = this.cache.nodes.size;
    if (pod.spec?.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never' };
    const priority = pod.spec?.priority ?? 0;
    const reasons: string[] = [];
    const candidates: { node: NodeInfo; victims: Obj[] }[] = [];
    for (const [name, f] of failures) {
      if (f.unresolvable) {
        reasons.push('Preemption is not helpful for scheduling');
        continue;
      }
      const n = this.cache.nodes.get(name)!;
      const lower = [...n.pods.values()].filter((p) => (p.spec?.priority ?? 0) < priority).sort((a, b) => (a.spec?.priority ?? 0) - (b.spec?.priority ?? 0));
      const req = podRequests(pod);
      let cpu = n.requested.cpu;
      let mem = n.requested.memory;
      let count = n.pods.size;
      const victims: Obj[] = [];
      const fits = () => cpu + req.cpu <= n.allocatable.cpu && mem + req.memory <= n.allocatable.memory && count + 1 <= n.allocatable.pods;
      for (const v of lower) {
        if (fits()) break;
        const vr = podRequests(v);
        cpu -= vr.cpu;
        mem -= vr.memory;
        count--;
        victims.push(v);
      }
      if (victims.length && fits() && !f.reasons.some((r) => !r.startsWith('Insufficient') && r !== 'Too many pods')) candidates.push({ node: n, victims });
      else reasons.push('No preemption victims found for incoming pod');
    }
    if (candidates.length === 0) return { message: `preemption: ${histogram(total, reasons)}` };
    // Fewest, lowest-priority victims first (a simplified pickOneNodeForPreemption).
    candidates.sort((a, b) => a.victims.length - b.victims.length || (a.node.name < b.node.name ? -1 : 1));
    const chosen = candidates[0]!;
    for (const v of chosen.victims) {
      this.recorder.event(referenceTo(v as KubeObject), 'Normal', 'Preempted', `Preempted by pod ${pod.metadata.uid} on node ${chosen.node.name}`);
      this.api.handle({ method: 'DELETE', path: `/api/v1/namespaces/${v.metadata.namespace}/pods/${v.metadata.name}`, userAgent: SCHEDULER_NAME });
    }
    return { message: '', nominated: chosen.node.name };
  }

  /**
   * VolumeBinding PreBind: writes the chosen volumes' claimRefs and the claims' selected-node,
   * then waits (checking every second, up to 10 minutes) until the PV controller and the
   * provisioner have bound every claim, and only then binds the pod. Other pods are scheduled
   * meanwhile.
   */
  private preBindVolumes(p: Pending, pod: Obj, node: NodeInfo, state: ClaimsState): void {
    const volumes = findPodVolumes(state, node.node, this.volumes);
    if (typeof volumes === 'string') return this.fail(p, pod, `running PreBind plugin "VolumeBinding": ${volumes}`);
    for (const w of bindAPIUpdates(volumes, node.name)) {
      const res = this.api.handle({ method: 'PUT', path: w.path, userAgent: SCHEDULER_NAME, body: w.body });
      if (res.status >= 400) return this.fail(p, pod, `running PreBind plugin "VolumeBinding": ${(res.body as Obj)?.message ?? `status ${res.status}`}`);
    }
    p.binding = { node: node.name, volumes, deadline: this.clock.now() + BIND_TIMEOUT_MS };
    this.clock.schedule(BIND_POLL_MS, () => this.checkVolumeBindings(p));
  }

  private checkVolumeBindings(p: Pending): void {
    const binding = p.binding;
    if (!binding || this.pending.get(p.key) !== p) return;
    const [ns, name] = p.key.split('/') as [string, string];
    const pod = this.api.getByResource('pods', '', ns, name);
    if (!pod || !wantsScheduling(pod)) {
      this.pending.delete(p.key);
      return;
    }
    const node = this.cache.nodes.get(binding.node)?.node;
    const result = node ? checkBindings(binding.volumes, node, this.volumes) : `failed to get node "${binding.node}": node "${binding.node}" not found`;
    if (result === true) {
      p.binding = undefined;
      this.bind(pod, binding.node);
      return;
    }
    if (result === false && this.clock.now() < binding.deadline) {
      this.clock.schedule(BIND_POLL_MS, () => this.checkVolumeBindings(p));
      return;
    }
    p.binding = undefined;
    this.fail(p, pod, `running PreBind plugin "VolumeBinding": binding volumes: ${result === false ? 'context deadline exceeded' : result}`);
    this.armTimers();
  }

  private bind(pod: Obj, node: string): void {
    const res = this.api.handle({
      method: 'POST',
      path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/binding`,
      userAgent: SCHEDULER_NAME,
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } },
    });
    if (res.status >= 400) return;
    this.pending.delete(this.cache.keyFor(pod));
    this.recorder.event(referenceTo(pod as KubeObject), 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`);
  }

  private setUnschedulable(pod: Obj, message: string, nominated?: string): void {
    this.updateScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, nominated);
  }

  private markGated(pod: Obj): void {
    this.updateScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' });
  }

  private updateScheduledCondition(pod: Obj, condition: Obj, nominated?: string): void {
    const conditions: Obj[] = pod.status?.conditions ?? [];
    const existing = conditions.find((c) => c.type === 'PodScheduled');
    if (existing && existing.status === condition.status && existing.reason === condition.reason && existing.message === condition.message && !nominated) return;
    const next = {
      ...condition,
      lastProbeTime: null,
      lastTransitionTime: existing && existing.status === condition.status ? existing.lastTransitionTime : rfc3339(this.clock.now()),
    };
    const status = { ...pod.status, conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), next], ...(nominated ? { nominatedNodeName: nominated } : {}) };
    this.api.handle({
      method: 'PUT',
      path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`,
      userAgent: SCHEDULER_NAME,
      body: { ...pod, status },
    });
  }
}

/**
 * The node names a pod's required node affinity pins it to (NodeAffinity PreFilter): every term
 * must name nodes with a metadata.name In field requirement (several in a term intersect; terms
 * add up); otherwise any node may do.
 */
function pinnedNodes(pod: Obj): Set<string> | undefined {
  const terms: Obj[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    let term: Set<string> | undefined;
    for (const r of (t.matchFields ?? []) as Obj[]) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set<string>(r.values ?? []);
      term = term ? new Set([...term].filter((v) => values.has(v))) : values;
    }
    if (!term) return undefined;
    for (const v of term) names.add(v);
  }
  return names;
}
