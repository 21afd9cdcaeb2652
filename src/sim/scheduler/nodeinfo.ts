/**
 * The scheduler's cache of nodes and the pods assigned to them (NodeInfo): requested
 * resources, used host ports and present images, kept up to date from the store's changes.
 */
import type { KubeObject } from '../apiserver';
import { nodeAllocatable, podNonZeroRequests, podRequests, type Resources } from './resources';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface NodeInfo {
  node: Obj;
  name: string;
  /** node.spec.unschedulable and node.spec.taints, read for every pod on every node the filters visit. */
  unschedulable: boolean;
  taints: Obj[] | undefined;
  allocatable: Resources & { pods: number };
  requested: Resources;
  nonZeroRequested: { cpu: number; memory: number };
  pods: Map<string, Obj>;
  /** "protocol/hostIP/port" of host ports in use */
  usedPorts: Set<string>;
  images: Map<string, number>;
}

function podKey(pod: Obj): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** Pods that occupy their node: assigned and not finished. */
export function occupiesNode(pod: Obj): boolean {
  return !!pod.spec?.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

const hostPortCache = new WeakMap<object, string[]>();

/** "protocol/hostIP/port" of the pod's host ports (cached for a stored, frozen spec; do not change the result). */
export function hostPorts(pod: Obj): string[] {
  const spec = pod.spec as object | undefined;
  if (!spec || typeof spec !== 'object' || !Object.isFrozen(spec)) return computeHostPorts(pod);
  let ports = hostPortCache.get(spec);
  if (!ports) hostPortCache.set(spec, (ports = computeHostPorts(pod)));
  return ports;
}

function computeHostPorts(pod: Obj): string[] {
  const out: string[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Obj[])
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
  return out;
}

/** Integers that subtracting and adding back leave exactly as they were. */
function exact(v: number): boolean {
  return Number.isSafeInteger(v) && v < 2 ** 52 && v > -(2 ** 52);
}

export class NodeInfoCache {
  readonly nodes = new Map<string, NodeInfo>();
  /** Where each assigned pod is counted, so updates and deletes can be undone. */
  private readonly podNode = new Map<string, { node: string; pod: Obj; seq: number }>();
  /** When each entry of podNode was last (re)recorded: their order is the order of a map re-added to on every change. */
  private podSeq = 0;
  /** How many nodes hold each image (for ImageLocality's spread). */
  readonly imageNodes = new Map<string, number>();
  /** Assigned pods with required anti-affinity terms (InterPodAffinity can skip work when none). */
  antiAffinityPods = 0;
  /** The nodes by name, rebuilt (as a new array) when a node comes or goes. */
  private sorted: NodeInfo[] | undefined;
  /** One "namespace/name" string per pod, found by its namespace and name (strings the pod's versions share). */
  private readonly keys = new Map<string, Map<string, string>>();

  /** The pod's "namespace/name", the same string object each time (so maps keyed by it need not hash it again). */
  keyFor(pod: Obj): string {
    const ns = pod.metadata.namespace as string;
    const name = pod.metadata.name as string;
    let byName = this.keys.get(ns);
    if (!byName) this.keys.set(ns, (byName = new Map()));
    let key = byName.get(name);
    if (key === undefined) byName.set(name, (key = podKey(pod)));
    return key;
  }

  /** A pod deleted: its accounting goes, and so does its key. */
  deletePod(pod: Obj): void {
    this.removePod(pod, this.keyFor(pod));
    this.keys.get(pod.metadata.namespace)?.delete(pod.metadata.name);
  }

  /** Every node, in name order. The array is not changed afterwards: a new one replaces it. */
  list(): readonly NodeInfo[] {
    if (!this.sorted) this.sorted = [...this.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    return this.sorted;
  }

  upsertNode(node: KubeObject): void {
    const n = node as Obj;
    const name = n.metadata.name as string;
    const existing = this.nodes.get(name);
    if (existing) for (const img of existing.images.keys()) this.imageNodes.set(img, (this.imageNodes.get(img) ?? 1) - 1);
    const images = new Map<string, number>();
    for (const img of (n.status?.images ?? []) as Obj[]) for (const name2 of img.names ?? []) images.set(name2, img.sizeBytes ?? 0);
    for (const img of images.keys()) this.imageNodes.set(img, (this.imageNodes.get(img) ?? 0) + 1);
    if (existing) {
      existing.node = n;
      existing.unschedulable = !!n.spec?.unschedulable;
      existing.taints = n.spec?.taints;
      existing.allocatable = nodeAllocatable(n);
      existing.images = images;
      return;
    }
    const info: NodeInfo = {
      node: n,
      name,
      unschedulable: !!n.spec?.unschedulable,
      taints: n.spec?.taints,
      allocatable: nodeAllocatable(n),
      requested: { cpu: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() },
      nonZeroRequested: { cpu: 0, memory: 0 },
      pods: new Map(),
      usedPorts: new Set(),
      images,
    };
    this.nodes.set(name, info);
    this.sorted = undefined;
    const mine = [...this.podNode.values()].filter((e) => e.node === name).sort((a, b) => a.seq - b.seq);
    for (const { pod } of mine) this.account(info, pod, 1);
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    for (const img of info.images.keys()) this.imageNodes.set(img, (this.imageNodes.get(img) ?? 1) - 1);
    this.nodes.delete(name);
    this.sorted = undefined;
  }

  /** Records a pod's current state (assigned, changed or finished); `key` is its namespace/name. */
  upsertPod(pod: Obj, key = this.keyFor(pod)): void {
    if (this.replaceSameSpec(pod, key)) return;
    this.removePod(pod, key);
    if (!occupiesNode(pod)) return;
    this.podNode.set(key, { node: pod.spec.nodeName, pod, seq: ++this.podSeq });
    const info = this.nodes.get(pod.spec.nodeName);
    if (info) this.account(info, pod, 1, key);
  }

  /**
   * A status update of a pod that stays on its node with the same (frozen) spec changes none of
   * the node's sums: taking the pod out and in again would give the same integers back. Only the
   * entries move to the end of their maps, as removing and adding them does.
   */
  private replaceSameSpec(pod: Obj, key: string): boolean {
    const prev = this.podNode.get(key);
    if (!prev || prev.pod.spec !== pod.spec || !Object.isFrozen(pod.spec) || !occupiesNode(pod) || prev.node !== pod.spec.nodeName) return false;
    const info = this.nodes.get(prev.node);
    if (info) {
      const req = podRequests(pod);
      const nz = podNonZeroRequests(pod);
      const r = info.requested;
      const n = info.nonZeroRequested;
      if (!(exact(req.cpu) && exact(req.memory) && exact(req.ephemeralStorage) && exact(nz.cpu) && exact(nz.memory))) return false;
      if (!(exact(r.cpu) && exact(r.memory) && exact(r.ephemeralStorage) && exact(n.cpu) && exact(n.memory))) return false;
      if (req.scalar.size) for (const [k, v] of req.scalar) if (!exact(v) || !exact(r.scalar.get(k) ?? 0)) return false;
      info.pods.delete(key);
      info.pods.set(key, pod);
      for (const p of hostPorts(pod)) {
        info.usedPorts.delete(p);
        info.usedPorts.add(p);
      }
    }
    prev.pod = pod;
    prev.seq = ++this.podSeq;
    return true;
  }

  removePod(pod: Obj, key = this.keyFor(pod)): void {
    const prev = this.podNode.get(key);
    if (!prev) return;
    this.podNode.delete(key);
    const info = this.nodes.get(prev.node);
    if (info) this.account(info, prev.pod, -1, key);
  }

  private account(info: NodeInfo, pod: Obj, sign: 1 | -1, key = podKey(pod)): void {
    const req = podRequests(pod);
    info.requested.cpu += sign * req.cpu;
    info.requested.memory += sign * req.memory;
    info.requested.ephemeralStorage += sign * req.ephemeralStorage;
    for (const [k, v] of req.scalar) info.requested.scalar.set(k, (info.requested.scalar.get(k) ?? 0) + sign * v);
    const nz = podNonZeroRequests(pod);
    info.nonZeroRequested.cpu += sign * nz.cpu;
    info.nonZeroRequested.memory += sign * nz.memory;
    if (sign > 0) info.pods.set(key, pod);
    else info.pods.delete(key);
    if ((pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length) this.antiAffinityPods += sign;
    for (const p of hostPorts(pod)) {
      if (sign > 0) info.usedPorts.add(p);
      else info.usedPorts.delete(p);
    }
  }
}
