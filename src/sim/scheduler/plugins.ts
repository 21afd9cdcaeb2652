/**
 * The default profile's filter and score plugins (kube-scheduler 1.32), with the reasons they
 * give — those reasons make up FailedScheduling messages.
 */
import { matchesLabelSelector, matchesNodeAffinity, matchesNodeSelectorTerm } from './affinity';
import { hostPorts, type NodeInfo } from './nodeinfo';
import { podNonZeroRequests, podRequests, type Resources } from './resources';
import { filterVolumes, hasClaims, preFilterVolumes, type ClaimsState, type VolumeLister } from './volumebinding';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FilterResult {
  /** Reasons a node does not fit; empty when it fits. */
  reasons: string[];
  /** Whether preemption could not help (UnschedulableAndUnresolvable). */
  unresolvable: boolean;
}

export interface ClusterView {
  /** Claims, volumes and storage classes, for VolumeBinding. */
  volumes: VolumeLister;
  nodes: readonly NodeInfo[];
  imageNodes: ReadonlyMap<string, number>;
  /** Whether any assigned pod has required anti-affinity (else existing pods cannot forbid this one). */
  antiAffinityPods: number;
}

export interface FilterPlugin<S = unknown> {
  name: string;
  /** PreFilter: what the plugin works out from the pod once, handed to each filter() call. */
  prepare?(pod: Obj, cluster: ClusterView): S;
  filter(pod: Obj, node: NodeInfo, cluster: ClusterView, state: S): FilterResult | undefined;
  /** PreFilter's Skip: true when the filter would pass every node for this pod, so it need not run. */
  skip?(pod: Obj, cluster: ClusterView): boolean;
}

export interface ScorePlugin<S = unknown> {
  name: string;
  weight: number;
  /** PreScore: what the plugin works out from the pod once, handed to each score() call. */
  prepare?(pod: Obj, cluster: ClusterView): S;
  /** Raw score for a node; normalize() maps raw scores to 0–100 when the plugin needs it (it may do so in place). */
  score(pod: Obj, node: NodeInfo, cluster: ClusterView, state: S): number;
  normalize?(scores: number[]): number[];
}

const pass = undefined;
/** Filter results are the same for every node a reason rejects: one frozen object each. */
const failures = new Map<string, FilterResult>();
const fail = (reason: string, unresolvable: boolean): FilterResult => {
  const key = `${unresolvable ? 1 : 0}${reason}`;
  let r = failures.get(key);
  if (!r) {
    r = Object.freeze({ reasons: Object.freeze([reason]) as string[], unresolvable });
    if (failures.size > 1000) failures.clear();
    failures.set(key, r);
  }
  return r;
};

function tolerates(toleration: Obj, taint: Obj): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (!toleration.key) return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function untoleratedTaint(pod: Obj, taints: Obj[], effects: readonly string[]): Obj | undefined {
  return firstUntolerated(pod.spec?.tolerations ?? [], taints, effects);
}

function firstUntolerated(tolerations: Obj[], taints: Obj[], effects: readonly string[]): Obj | undefined {
  if (taints.length === 0) return undefined;
  return taints.find((t) => effects.includes(t.effect) && !tolerations.some((tol) => tolerates(tol, t)));
}

const NO_SCHEDULE_EFFECTS = ['NoSchedule', 'NoExecute'] as const;

const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod, node) {
    if (!node.unschedulable) return pass;
    const tolerated = ((pod.spec?.tolerations ?? []) as Obj[]).some((t) =>
      tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
    );
    return tolerated ? pass : fail('node(s) were unschedulable', true);
  },
};

const nodeName: FilterPlugin = {
  name: 'NodeName',
  skip: (pod) => !pod.spec?.nodeName,
  filter(pod, node) {
    const want = pod.spec?.nodeName;
    return want && want !== node.name ? fail("node(s) didn't match the requested node name", true) : pass;
  },
};

const taintToleration: FilterPlugin<Obj[]> = {
  name: 'TaintToleration',
  prepare: (pod) => pod.spec?.tolerations ?? [],
  filter(pod, node, cluster, tolerations) {
    const taints = node.taints;
    const taint = taints && taints.length ? firstUntolerated(tolerations, taints, NO_SCHEDULE_EFFECTS) : undefined;
    return taint ? fail(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`, true) : pass;
  },
};

const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  skip: (pod) => Object.keys(pod.spec?.nodeSelector ?? {}).length === 0 && !pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  filter(pod, node) {
    return matchesNodeAffinity(pod, node.node) ? pass : fail("node(s) didn't match Pod's node affinity/selector", true);
  },
};

const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  skip: (pod) => hostPorts(pod).length === 0,
  filter(pod, node) {
    for (const want of hostPorts(pod)) {
      const [proto, ip, port] = want.split('/');
      for (const used of node.usedPorts) {
        const [uProto, uIp, uPort] = used.split('/');
        if (uProto === proto && uPort === port && (ip === '0.0.0.0' || uIp === '0.0.0.0' || ip === uIp))
          return fail("node(s) didn't have free ports for the requested pod ports", false);
      }
    }
    return pass;
  },
};

const nodeResourcesFit: FilterPlugin<Resources> = {
  name: 'NodeResourcesFit',
  prepare: (pod) => podRequests(pod),
  filter(pod, node, cluster, req) {
    const allocatable = node.allocatable;
    const requested = node.requested;
    // The common case first: everything fits, without building a list of reasons.
    if (
      node.pods.size + 1 <= allocatable.pods &&
      (req.cpu <= 0 || requested.cpu + req.cpu <= allocatable.cpu) &&
      (req.memory <= 0 || requested.memory + req.memory <= allocatable.memory) &&
      (req.ephemeralStorage <= 0 || requested.ephemeralStorage + req.ephemeralStorage <= allocatable.ephemeralStorage) &&
      req.scalar.size === 0
    )
      return pass;
    const reasons: string[] = [];
    if (node.pods.size + 1 > node.allocatable.pods) reasons.push('Too many pods');
    if (req.cpu > 0 && node.requested.cpu + req.cpu > node.allocatable.cpu) reasons.push('Insufficient cpu');
    if (req.memory > 0 && node.requested.memory + req.memory > node.allocatable.memory) reasons.push('Insufficient memory');
    if (req.ephemeralStorage > 0 && node.requested.ephemeralStorage + req.ephemeralStorage > node.allocatable.ephemeralStorage)
      reasons.push('Insufficient ephemeral-storage');
    for (const [k, v] of req.scalar) {
      const alloc = node.allocatable.scalar.get(k) ?? 0;
      if (v > 0 && (node.requested.scalar.get(k) ?? 0) + v > alloc) reasons.push(`Insufficient ${k}`);
    }
    return reasons.length ? { reasons, unresolvable: false } : pass;
  },
};

/** Required pod affinity, then the pod's anti-affinity, then existing pods' anti-affinity (upstream order). */
const interPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  skip: (pod, cluster) => !pod.spec?.affinity?.podAffinity && !pod.spec?.affinity?.podAntiAffinity && cluster.antiAffinityPods === 0,
  filter(pod, node, cluster) {
    const affinity = pod.spec?.affinity ?? {};
    if (!affinity.podAffinity && !affinity.podAntiAffinity && cluster.antiAffinityPods === 0) return pass;
    const topo = (n: NodeInfo, key: string) => n.node.metadata?.labels?.[key];
    const termsOf = (a: Obj | undefined) => (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[];
    const sameDomain = (key: string) => cluster.nodes.filter((n) => topo(n, key) !== undefined && topo(n, key) === topo(node, key));
    const podsIn = (nodes: readonly NodeInfo[], term: Obj) =>
      nodes.flatMap((n) => [...n.pods.values()]).filter((p) => {
        const nsList: string[] = term.namespaces?.length ? term.namespaces : [pod.metadata.namespace];
        return nsList.includes(p.metadata.namespace) && matchesLabelSelector(term.labelSelector, p.metadata.labels);
      });
    for (const term of termsOf(affinity.podAffinity)) {
      const matches = podsIn(sameDomain(term.topologyKey), term);
      // A pod may match its own affinity when no such pod exists yet anywhere.
      const anywhere = podsIn(cluster.nodes, term).length > 0;
      const self = matchesLabelSelector(term.labelSelector, pod.metadata.labels);
      if (matches.length === 0 && (anywhere || !self)) return fail("node(s) didn't match pod affinity rules", true);
    }
    for (const term of termsOf(affinity.podAntiAffinity)) {
      if (podsIn(sameDomain(term.topologyKey), term).length > 0) return fail("node(s) didn't match pod anti-affinity rules", false);
    }
    // Then existing pods whose anti-affinity forbids this pod.
    for (const n of cluster.nodes) {
      for (const p of n.pods.values()) {
        for (const term of termsOf(p.spec?.affinity?.podAntiAffinity)) {
          const nsList: string[] = term.namespaces?.length ? term.namespaces : [p.metadata.namespace];
          if (!nsList.includes(pod.metadata.namespace) || !matchesLabelSelector(term.labelSelector, pod.metadata.labels)) continue;
          if (topo(n, term.topologyKey) !== undefined && topo(n, term.topologyKey) === topo(node, term.topologyKey))
            return fail("node(s) didn't satisfy existing pods anti-affinity rules", false);
        }
      }
    }
    return pass;
  },
};

/** Hard topology spread constraints (whenUnsatisfiable: DoNotSchedule). */
const podTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  skip: (pod) => !((pod.spec?.topologySpreadConstraints ?? []) as Obj[]).some((c) => c.whenUnsatisfiable === 'DoNotSchedule'),
  filter(pod, node, cluster) {
    for (const c of (pod.spec?.topologySpreadConstraints ?? []) as Obj[]) {
      if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
      const key = c.topologyKey;
      const domain = node.node.metadata?.labels?.[key];
      if (domain === undefined) return fail("node(s) didn't match pod topology spread constraints (missing required label)", true);
      const counts = new Map<string, number>();
      for (const n of cluster.nodes) {
        const d = n.node.metadata?.labels?.[key];
        if (d === undefined || !matchesNodeAffinity(pod, n.node)) continue;
        if (!counts.has(d)) counts.set(d, 0);
        for (const p of n.pods.values())
          if (p.metadata.namespace === pod.metadata.namespace && matchesLabelSelector(c.labelSelector, p.metadata.labels)) counts.set(d, counts.get(d)! + 1);
      }
      const self = matchesLabelSelector(c.labelSelector, pod.metadata.labels) ? 1 : 0;
      const min = Math.min(...counts.values());
      if ((counts.get(domain) ?? 0) + self - min > (c.maxSkew ?? 1)) return fail("node(s) didn't match pod topology spread constraints", false);
    }
    return pass;
  },
};

const volumeBinding: FilterPlugin<ClaimsState | { message: string }> = {
  name: 'VolumeBinding',
  skip: (pod) => !hasClaims(pod),
  prepare: (pod, cluster) => preFilterVolumes(pod, cluster.volumes),
  filter(_pod, node, cluster, state) {
    if ('message' in state) return fail(state.message, true);
    const reason = filterVolumes(state, node, cluster.volumes);
    return reason ? fail(reason, true) : pass;
  },
};

/** In the default profile's order. */
export const FILTERS: readonly FilterPlugin[] = <FilterPlugin[]>[
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  volumeBinding,
  podTopologySpread,
  interPodAffinity,
];

const MAX = 100;

/** Scales scores to 0-100 by the highest (reversed: 100 less that), in place. */
function normalizeMax(scores: number[], reverse = false): number[] {
  // Math.max(0, ...scores), NaN included.
  let max = 0;
  for (const s of scores) {
    if (Number.isNaN(s)) {
      max = NaN;
      break;
    }
    if (s > max) max = s;
  }
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MAX : 0;
    else {
      const v = Math.floor((MAX * scores[i]!) / max);
      scores[i] = reverse ? MAX - v : v;
    }
  }
  return scores;
}

function taintScore(node: NodeInfo, tolerations: Obj[]): number {
  const taints = node.taints;
  if (!taints || taints.length === 0) return 0;
  return taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t))).length;
}

const taintTolerationScore: ScorePlugin<Obj[]> = {
  name: 'TaintToleration',
  weight: 3,
  prepare: (pod) => (pod.spec?.tolerations ?? []).filter((t: Obj) => !t.effect || t.effect === 'PreferNoSchedule'),
  score: (pod, node, cluster, tolerations) => taintScore(node, tolerations),
  normalize: (s) => normalizeMax(s, true),
};

function nodeAffinityScoreOf(node: NodeInfo, terms: Obj[]): number {
  let sum = 0;
  for (const term of terms) if (matchesNodeSelectorTerm(node.node, term.preference ?? {})) sum += term.weight ?? 0;
  return sum;
}

const nodeAffinityScore: ScorePlugin<Obj[]> = {
  name: 'NodeAffinity',
  weight: 2,
  prepare: (pod) => (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Obj[],
  score: (pod, node, cluster, terms) => nodeAffinityScoreOf(node, terms),
  normalize: (s) => normalizeMax(s),
};

/** LeastAllocated over CPU and memory, with the scheduler's non-zero requests. */
function leastAllocated(node: NodeInfo, req: { cpu: number; memory: number }): number {
  const cpu = node.allocatable.cpu ? ((node.allocatable.cpu - node.nonZeroRequested.cpu - req.cpu) * MAX) / node.allocatable.cpu : 0;
  const mem = node.allocatable.memory ? ((node.allocatable.memory - node.nonZeroRequested.memory - req.memory) * MAX) / node.allocatable.memory : 0;
  return Math.floor((Math.max(0, cpu) + Math.max(0, mem)) / 2);
}

const nodeResourcesFitScore: ScorePlugin<{ cpu: number; memory: number }> = {
  name: 'NodeResourcesFit',
  weight: 1,
  prepare: (pod) => podNonZeroRequests(pod),
  score: (pod, node, cluster, req) => leastAllocated(node, req),
};

function balancedAllocation(node: NodeInfo, req: { cpu: number; memory: number }): number {
  const cpuFrac = node.allocatable.cpu ? Math.min(1, (node.requested.cpu + req.cpu) / node.allocatable.cpu) : 1;
  const memFrac = node.allocatable.memory ? Math.min(1, (node.requested.memory + req.memory) / node.allocatable.memory) : 1;
  const mean = (cpuFrac + memFrac) / 2;
  const std = Math.sqrt(((cpuFrac - mean) ** 2 + (memFrac - mean) ** 2) / 2);
  return Math.floor((1 - std) * MAX);
}

const balancedAllocationScore: ScorePlugin<{ cpu: number; memory: number }> = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  prepare: (pod) => podRequests(pod),
  score: (pod, node, cluster, req) => balancedAllocation(node, req),
};

interface ImageState {
  images: string[];
  min: number;
  max: number;
}

function imageLocality(node: NodeInfo, cluster: ClusterView, { images, min, max }: ImageState): number {
  const total = cluster.nodes.length || 1;
  let sum = 0;
  for (const image of images) {
    const size = node.images.get(image);
    if (size) sum += size * ((cluster.imageNodes.get(image) ?? 0) / total);
  }
  if (sum < min) return 0;
  if (sum > max) return MAX;
  return Math.floor((MAX * (sum - min)) / (max - min));
}

const imageLocalityScore: ScorePlugin<ImageState> = {
  name: 'ImageLocality',
  weight: 1,
  prepare: (pod) => {
    const containers: Obj[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    return { images: containers.map((c) => normalizeImage(c.image)), min: 23 * 1024 * 1024 * containers.length, max: 1000 * 1024 * 1024 * containers.length };
  },
  score: (pod, node, cluster, state) => imageLocality(node, cluster, state),
};

export const SCORES: readonly ScorePlugin[] = [taintTolerationScore, nodeAffinityScore, nodeResourcesFitScore, balancedAllocationScore, imageLocalityScore] as ScorePlugin[];

/** docker.io/library/nginx:latest for "nginx", as node status lists image names. */
const normalized = new Map<string, string>();

export function normalizeImage(image: string): string {
  let n = normalized.get(image);
  if (n === undefined) {
    n = computeNormalizedImage(image);
    if (normalized.size > 10_000) normalized.clear();
    normalized.set(image, n);
  }
  return n;
}

function computeNormalizedImage(image: string): string {
  let ref = image;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.includes('@') && !ref.slice(lastSlash + 1).includes(':')) ref += ':latest';
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}
