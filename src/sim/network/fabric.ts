/**
 * The cluster's network: where a connection from a pod or a node ends up. kube-proxy's rules on
 * the source node (or the receiving node, for node ports and external addresses) translate a
 * Service frontend to one of its endpoints; the pod network delivers to the pod, subject to
 * NetworkPolicy; the pod's or host's listening processes accept or refuse.
 */
import type { SeededRandom } from '../random';
import { inCIDR } from './cidr';
import { policyAllows, type PolicyEndpoint } from './policy';
import { clusterIPsOf, loadBalancerIPs, portInfo, serviceType, usableEndpoints, type ServiceEndpoint, type ServicePortInfo } from './services';
import type { Connection, NetworkDirectory, Obj, ObjectReader, Protocol, Source } from './types';

/** The cluster's Service range (kube-apiserver --service-cluster-ip-range). */
export const SERVICE_CIDR = '10.96.0.0/12';
const DEFAULT_AFFINITY_SECONDS = 10800;

interface Frontend {
  info: ServicePortInfo;
  /** Which rule matched: Local traffic policies apply differently to each. */
  via: 'clusterIP' | 'nodePort' | 'externalIP' | 'loadBalancer';
  /** The node whose rules translate it (the source's, or the node a node port was reached on). */
  node: string;
}

export class ClusterNetwork {
  /** ClientIP session affinity: service port → client → endpoint and when it was last used. */
  private readonly affinity = new Map<string, Map<string, { ip: string; port: number; at: number }>>();

  constructor(
    readonly reader: ObjectReader,
    readonly directory: NetworkDirectory,
    private readonly random: SeededRandom,
    private readonly now: () => number,
  ) {}

  /** The source a pod's connections come from (hostNetwork pods use their node's). */
  podSource(given: Obj): Source {
    // Policies see the pod as the API has it now (its labels may have changed since it started).
    const pod = this.reader.getByResource('pods', '', given.metadata?.namespace, given.metadata?.name) ?? given;
    const node = pod.spec?.nodeName ?? '';
    if (pod.spec?.hostNetwork) return { ip: this.directory.nodeByName(node)?.ip ?? pod.status?.podIP ?? '', node };
    return { ip: pod.status?.podIP ?? '', node, pod };
  }

  nodeSource(name: string): Source | undefined {
    const n = this.directory.nodeByName(name);
    return n ? { ip: n.ip, node: n.name } : undefined;
  }

  /** Opens a connection (TCP, or a UDP exchange) from `source` to `ip`:`port`. */
  connect(source: Source, ip: string, port: number, protocol: Protocol = 'TCP'): Connection {
    if (ip.startsWith('127.') || ip === 'localhost') return this.loopback(source, ip, port);
    const frontend = this.frontend(source, ip, port, protocol);
    if (frontend === 'no-rule') return { kind: 'timeout', ip, port };
    if (frontend) {
      const { info, via, node } = frontend;
      const local = via === 'clusterIP' ? info.service.spec?.internalTrafficPolicy === 'Local' : info.service.spec?.externalTrafficPolicy === 'Local';
      // No endpoints at all: kube-proxy's REJECT rule. Only remote ones under a Local policy: DROP.
      if (usableEndpoints(info.endpoints).length === 0) return { kind: 'refused', ip, port };
      const candidates = usableEndpoints(info.endpoints, local ? node : undefined);
      if (candidates.length === 0) return { kind: 'timeout', ip, port };
      const chosen = this.choose(info, source.ip, candidates);
      // Node-port and external traffic under the Cluster policy is masqueraded to the node's address.
      const masquerade = via !== 'clusterIP' && !local;
      const client: Source = masquerade ? (this.nodeSource(node) ?? source) : source;
      const delivered = this.deliver(client, chosen.ip, chosen.port, protocol);
      if (delivered.kind !== 'open') return { ...delivered, ip, port };
      return { ...delivered, ip, port, service: { namespace: info.namespace, name: info.name, port: info.portName } };
    }
    return this.deliver(source, ip, port, protocol);
  }

  /** Whether `ip` answers ICMP echo from `source`: pods and nodes do, Service addresses do not. */
  ping(source: Source, ip: string): 'reply' | 'timeout' | 'unreachable' {
    if (ip.startsWith('127.')) return 'reply';
    if (this.directory.nodeByIP(ip)) return 'reply';
    const pod = this.directory.podByIP(ip);
    if (pod) return policyAllows(this.reader, this.policyEndpoint(source), { ip, pod: pod.pod, node: pod.node }, 0, 'ICMP' as Protocol) ? 'reply' : 'timeout';
    if (this.directory.nodes().some((n) => inCIDR(ip, n.podCIDR))) return 'unreachable';
    return 'timeout';
  }

  /** The Service frontend `ip`:`port` hits, 'no-rule' for a Service address without that port, undefined for none. */
  private frontend(source: Source, ip: string, port: number, protocol: Protocol): Frontend | 'no-rule' | undefined {
    const node = this.directory.nodeByIP(ip);
    let addressMatched = false;
    for (const svc of this.reader.listByResource('services', '', undefined)) {
      const type = serviceType(svc);
      if (type === 'ExternalName') continue;
      const isCluster = clusterIPsOf(svc).includes(ip);
      const isExternal = ((svc.spec?.externalIPs ?? []) as string[]).includes(ip);
      const isLB = type === 'LoadBalancer' && loadBalancerIPs(svc).includes(ip);
      const nodePorts = node && (type === 'NodePort' || type === 'LoadBalancer');
      if (!isCluster && !isExternal && !isLB && !nodePorts) continue;
      if (isCluster || isExternal || isLB) addressMatched = true;
      for (const p of (svc.spec?.ports ?? []) as Obj[]) {
        if ((p.protocol ?? 'TCP') !== protocol) continue;
        const via = isCluster && p.port === port ? 'clusterIP' : isExternal && p.port === port ? 'externalIP' : isLB && p.port === port ? 'loadBalancer' : nodePorts && p.nodePort === port ? 'nodePort' : undefined;
        if (!via) continue;
        const info = portInfo(this.reader, svc, p);
        return { info, via, node: via === 'nodePort' ? node!.name : source.node };
      }
    }
    if (addressMatched || inCIDR(ip, SERVICE_CIDR)) return 'no-rule';
    return undefined;
  }

  private choose(info: ServicePortInfo, clientIP: string, candidates: ServiceEndpoint[]): ServiceEndpoint {
    const spec = info.service.spec ?? {};
    if (spec.sessionAffinity === 'ClientIP') {
      const key = `${info.namespace}/${info.name}:${info.portName}/${info.protocol}`;
      const table = this.affinity.get(key) ?? new Map();
      this.affinity.set(key, table);
      const timeout = (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000;
      const held = table.get(clientIP);
      const still = held && this.now() - held.at <= timeout ? candidates.find((c) => c.ip === held.ip && c.port === held.port) : undefined;
      const pick = still ?? candidates[this.random.int(candidates.length)]!;
      table.set(clientIP, { ip: pick.ip, port: pick.port, at: this.now() });
      return pick;
    }
    return candidates[this.random.int(candidates.length)]!;
  }

  private policyEndpoint(source: Source): PolicyEndpoint {
    return { ip: source.ip, node: source.node, ...(source.pod ? { pod: source.pod } : {}) };
  }

  /** Delivers to a pod or node address (no Service translation left). */
  private deliver(source: Source, ip: string, port: number, protocol: Protocol): Connection {
    const pod = this.directory.podByIP(ip);
    if (pod) {
      if (!policyAllows(this.reader, this.policyEndpoint(source), { ip, pod: pod.pod, node: pod.node }, port, protocol)) return { kind: 'timeout', ip, port };
      const listener = pod.listener(port);
      if (!listener) return { kind: 'refused', ip, port };
      return { kind: 'open', ip, port, target: { ip, port, node: pod.node, pod: pod.pod }, listener, clientIP: source.ip };
    }
    const node = this.directory.nodeByIP(ip);
    if (node) {
      if (!policyAllows(this.reader, this.policyEndpoint(source), { ip, node: node.name }, port, protocol)) return { kind: 'timeout', ip, port };
      const listener = node.listener(port);
      if (!listener) return { kind: 'refused', ip, port };
      return { kind: 'open', ip, port, target: { ip, port, node: node.name }, listener, clientIP: source.ip };
    }
    // An address in a node's pod range with no pod behind it: the node answers host unreachable.
    if (this.directory.nodes().some((n) => inCIDR(ip, n.podCIDR))) return { kind: 'unreachable', ip, port };
    return { kind: 'timeout', ip, port };
  }

  private loopback(source: Source, ip: string, port: number): Connection {
    if (source.pod) {
      const pod = this.directory.podByIP(source.ip);
      const listener = pod?.listener(port);
      if (!listener) return { kind: 'refused', ip, port };
      return { kind: 'open', ip, port, target: { ip, port, node: source.node, pod: source.pod }, listener, clientIP: '127.0.0.1' };
    }
    const listener = this.directory.nodeByName(source.node)?.listener(port);
    if (!listener) return { kind: 'refused', ip, port };
    return { kind: 'open', ip, port, target: { ip, port, node: source.node }, listener, clientIP: '127.0.0.1' };
  }
}
