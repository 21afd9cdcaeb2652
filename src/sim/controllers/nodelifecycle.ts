/**
 * The node lifecycle controller and taint-based eviction (kube-controller-manager): every 5 s
 * it checks each node's lease; a node whose kubelet has not renewed it for 40 s becomes
 * Unknown ("Kubelet stopped posting node status."), gets the unreachable taints and its pods
 * are marked not ready; pods that do not tolerate NoExecute are deleted once their
 * tolerationSeconds run out. A node that reports again is Ready and loses the taints.
 */
import { rfc3339, type ApiServer } from '../apiserver';
import type { VirtualClock } from '../clock';
import { EventRecorder, referenceTo } from '../events';
import type { KubeObject } from '../apiserver';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const NODE_MONITOR_PERIOD_MS = 5000;
export const NODE_MONITOR_GRACE_MS = 40_000;
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export class NodeLifecycleController {
  private readonly recorder: EventRecorder;
  private readonly evictionTimers = new Map<string, number>();
  /** Eviction timers by node, with the pod each is for (a pod's node never changes). */
  private readonly timersByNode = new Map<string, Map<string, { namespace: string; name: string }>>();
  /** Pods by node, in key order, valid while the store stays at `podsRevision`. */
  private podsByNode: Map<string, Obj[]> | undefined;
  private podsRevision = -1;
  private running = false;

  constructor(
    private readonly api: ApiServer,
    private readonly clock: VirtualClock,
  ) {
    this.recorder = new EventRecorder(api, clock, { component: 'node-controller' });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.monitor();
      this.clock.schedule(NODE_MONITOR_PERIOD_MS, loop);
    };
    this.clock.schedule(NODE_MONITOR_PERIOD_MS, loop);
    // TaintNodesByCondition: a cordoned node gets the unschedulable taint as soon as it changes.
    for (const node of this.api.listByResource('nodes', '', undefined) as Obj[]) this.syncUnschedulableTaint(node);
    const w = this.api.watch({ method: 'GET', path: '/api/v1/nodes', query: { resourceVersion: String(this.api.revision()) } }, (e) => {
      const name = (e.object as Obj).metadata.name as string;
      if (e.type !== 'DELETED') this.clock.schedule(0, () => this.syncUnschedulableTaint(this.api.getByResource('nodes', '', undefined, name)));
    });
    if ('stop' in w) this.stopWatch = w.stop;
  }

  stop(): void {
    this.running = false;
    this.stopWatch?.();
  }

  private stopWatch: (() => void) | undefined;

  private syncUnschedulableTaint(node: Obj | undefined): void {
    if (!this.running || !node) return;
    const taints: Obj[] = node.spec?.taints ?? [];
    const has = taints.some((t) => t.key === UNSCHEDULABLE && t.effect === 'NoSchedule');
    const want = node.spec?.unschedulable === true;
    if (has === want) return;
    const next = want ? [...taints, { key: UNSCHEDULABLE, effect: 'NoSchedule' }] : taints.filter((t) => t.key !== UNSCHEDULABLE);
    const spec = { ...node.spec, taints: next };
    if (next.length === 0) delete spec.taints;
    this.request('PUT', `/api/v1/nodes/${node.metadata.name}`, { ...node, spec });
  }

  private request(method: 'PUT' | 'DELETE', path: string, body?: unknown) {
    return this.api.handle({ method, path, ...(body ? { body } : {}), userAgent: 'node-controller' });
  }

  /** The pods assigned to `node`, in key order (as a list of every pod filtered by node gives them). */
  private podsOn(node: string): Obj[] {
    const revision = this.api.revision();
    if (!this.podsByNode || this.podsRevision !== revision) {
      this.podsByNode = new Map();
      this.podsRevision = revision;
      for (const pod of this.api.listByResource('pods', '', undefined) as Obj[]) {
        const n = pod.spec?.nodeName;
        if (typeof n !== 'string') continue;
        let list = this.podsByNode.get(n);
        if (!list) this.podsByNode.set(n, (list = []));
        list.push(pod);
      }
    }
    return this.podsByNode.get(node) ?? [];
  }

  private monitor(): void {
    const now = this.clock.now();
    for (const node of this.api.listByResource('nodes', '', undefined) as Obj[]) {
      const name = node.metadata.name as string;
      const lease = this.api.getByResource('leases', 'coordination.k8s.io', 'kube-node-lease', name);
      const renewed = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) : Date.parse(node.metadata.creationTimestamp);
      const ready = (node.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
      const stale = now - renewed > NODE_MONITOR_GRACE_MS;
      const taints: Obj[] = node.spec?.taints ?? [];
      const hasTaint = taints.some((t) => t.key === UNREACHABLE);
      if (stale && ready?.status !== 'Unknown') this.markUnknown(node, now);
      else if (stale && !hasTaint) this.setTaints(name, true);
      else if (!stale && hasTaint && ready?.status === 'True') this.setTaints(name, false);
      if (stale) this.scheduleEvictions(name);
      else this.cancelEvictions(name);
    }
  }

  private markUnknown(node: Obj, now: number): void {
    const name = node.metadata.name as string;
    const conditions = ((node.status?.conditions ?? []) as Obj[]).map((c) => ({
      ...c,
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: rfc3339(now),
    }));
    const res = this.request('PUT', `/api/v1/nodes/${name}/status`, { ...node, status: { ...node.status, conditions } });
    if (res.status === 200) this.recorder.event(referenceTo(res.body as KubeObject), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    this.setTaints(name, true);
    // Pods on the node are no longer ready.
    for (const pod of this.podsOn(name)) {
      const conds = ((pod.status?.conditions ?? []) as Obj[]).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
      this.request('PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { ...pod, status: { ...pod.status, conditions: conds } });
    }
  }

  private setTaints(name: string, unreachable: boolean): void {
    const node = this.api.getByResource('nodes', '', undefined, name);
    if (!node) return;
    const others = ((node.spec?.taints ?? []) as Obj[]).filter((t) => t.key !== UNREACHABLE);
    const taints = unreachable
      ? [...others, { key: UNREACHABLE, effect: 'NoSchedule', timeAdded: rfc3339(this.clock.now()) }, { key: UNREACHABLE, effect: 'NoExecute', timeAdded: rfc3339(this.clock.now()) }]
      : others;
    const spec = { ...node.spec, taints };
    if (taints.length === 0) delete spec.taints;
    this.request('PUT', `/api/v1/nodes/${name}`, { ...node, spec });
  }

  /** Pods are deleted after their NoExecute toleration for the unreachable taint runs out. */
  private scheduleEvictions(name: string): void {
    for (const pod of this.podsOn(name)) {
      if (pod.metadata.deletionTimestamp) continue;
      const key = pod.metadata.uid as string;
      if (this.evictionTimers.has(key)) continue;
      const toleration = ((pod.spec?.tolerations ?? []) as Obj[]).find(
        (t) => (t.key === UNREACHABLE || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'),
      );
      if (toleration && toleration.tolerationSeconds === undefined) continue;
      const delayMs = toleration ? toleration.tolerationSeconds * 1000 : 0;
      const timer = this.clock.schedule(delayMs, () => {
        this.evictionTimers.delete(key);
        this.timersByNode.get(name)?.delete(key);
        const current = this.api.getByResource('pods', '', pod.metadata.namespace, pod.metadata.name);
        if (!current || current.metadata.uid !== key || current.metadata.deletionTimestamp) return;
        this.recorder.event(referenceTo(current as KubeObject), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
        this.request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`);
      });
      this.evictionTimers.set(key, timer);
      let timers = this.timersByNode.get(name);
      if (!timers) this.timersByNode.set(name, (timers = new Map()));
      timers.set(key, { namespace: pod.metadata.namespace, name: pod.metadata.name });
    }
  }

  /** Cancels the timers of the node's pods that still exist (those of deleted pods run out harmlessly). */
  private cancelEvictions(name: string): void {
    const timers = this.timersByNode.get(name);
    if (!timers?.size) return;
    for (const [uid, ref] of timers) {
      const pod = this.api.getByResource('pods', '', ref.namespace, ref.name);
      if (pod?.metadata.uid !== uid) continue;
      const timer = this.evictionTimers.get(uid);
      if (timer !== undefined) {
        this.clock.cancel(timer);
        this.evictionTimers.delete(uid);
      }
      timers.delete(uid);
    }
  }
}
