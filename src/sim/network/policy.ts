/**
 * NetworkPolicy as a policy-enforcing CNI applies it (networking.k8s.io/v1 semantics): a pod
 * selected by a policy of a type accepts only what some rule of that type allows; policies add
 * up; ports may be named (resolved on the destination pod) or ranges (endPort); peers select pods
 * in the policy's namespace, pods in selected namespaces, or IP blocks. Traffic between a pod and
 * its own node is always allowed, as the Kubernetes documentation requires (kubelet probes).
 */
import { matchesLabelSelector } from '../labels';
import { inCIDR } from './cidr';
import type { Obj, ObjectReader, Protocol } from './types';

export interface PolicyEndpoint {
  ip: string;
  /** The pod (not on the host network), when the address is one. */
  pod?: Obj;
  /** The node the pod runs on, or the node whose host address this is. */
  node?: string;
}

function policyTypes(np: Obj): string[] {
  if (Array.isArray(np.spec?.policyTypes) && np.spec.policyTypes.length) return np.spec.policyTypes;
  return np.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function selecting(reader: ObjectReader, pod: Obj, type: 'Ingress' | 'Egress'): Obj[] {
  return reader
    .listByResource('networkpolicies', 'networking.k8s.io', pod.metadata.namespace)
    .filter((np) => policyTypes(np).includes(type) && matchesLabelSelector(np.spec?.podSelector ?? {}, pod.metadata.labels ?? {}));
}

function namespaceLabels(reader: ObjectReader, ns: string): Record<string, string> {
  return reader.getByResource('namespaces', '', undefined, ns)?.metadata?.labels ?? { 'kubernetes.io/metadata.name': ns };
}

/** Whether a `from`/`to` peer covers `other` (seen from a policy in `policyNs`). */
function peerMatches(reader: ObjectReader, peer: Obj, policyNs: string, other: PolicyEndpoint): boolean {
  if (peer.ipBlock) {
    const block = peer.ipBlock;
    return inCIDR(other.ip, block.cidr) && !((block.except ?? []) as string[]).some((c) => inCIDR(other.ip, c));
  }
  if (!other.pod) return false;
  const ns = other.pod.metadata.namespace as string;
  if (peer.namespaceSelector) {
    if (!matchesLabelSelector(peer.namespaceSelector, namespaceLabels(reader, ns))) return false;
  } else if (ns !== policyNs) return false;
  return peer.podSelector ? matchesLabelSelector(peer.podSelector, other.pod.metadata.labels ?? {}) : true;
}

/** A container port of `pod` by name, for named ports in rules. */
function namedPort(pod: Obj | undefined, name: string, protocol: Protocol): number | undefined {
  for (const c of (pod?.spec?.containers ?? []) as Obj[])
    for (const p of (c.ports ?? []) as Obj[]) if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  return undefined;
}

function portMatches(rulePorts: Obj[] | undefined, port: number, protocol: Protocol, destination: PolicyEndpoint): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((rp) => {
    if ((rp.protocol ?? 'TCP') !== protocol) return false;
    if (rp.port === undefined || rp.port === null) return true;
    const from = typeof rp.port === 'number' ? rp.port : /^\d+$/.test(rp.port) ? Number(rp.port) : namedPort(destination.pod, rp.port, protocol);
    if (from === undefined) return false;
    return rp.endPort ? port >= from && port <= rp.endPort : port === from;
  });
}

function ruleAllows(reader: ObjectReader, peers: Obj[] | undefined, ports: Obj[] | undefined, policyNs: string, other: PolicyEndpoint, port: number, protocol: Protocol, destination: PolicyEndpoint): boolean {
  if (!portMatches(ports, port, protocol, destination)) return false;
  if (!peers || peers.length === 0) return true;
  return peers.some((peer) => peerMatches(reader, peer, policyNs, other));
}

/** Whether NetworkPolicies let `source` open `port`/`protocol` on `destination`. */
export function policyAllows(reader: ObjectReader, source: PolicyEndpoint, destination: PolicyEndpoint, port: number, protocol: Protocol): boolean {
  if (source.pod && !(source.node && !destination.pod && destination.node === source.node)) {
    const egress = selecting(reader, source.pod, 'Egress');
    if (egress.length && !egress.some((np) => ((np.spec?.egress ?? []) as Obj[]).some((r) => ruleAllows(reader, r.to, r.ports, np.metadata.namespace, destination, port, protocol, destination))))
      return false;
  }
  if (destination.pod) {
    const fromOwnNode = !source.pod && source.node !== undefined && source.node === destination.node;
    if (fromOwnNode) return true;
    const ingress = selecting(reader, destination.pod, 'Ingress');
    if (ingress.length && !ingress.some((np) => ((np.spec?.ingress ?? []) as Obj[]).some((r) => ruleAllows(reader, r.from, r.ports, np.metadata.namespace, source, port, protocol, destination))))
      return false;
  }
  return true;
}
