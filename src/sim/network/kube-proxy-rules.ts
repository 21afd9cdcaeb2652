/**
 * The iptables rules kube-proxy 1.32 (iptables mode) writes on a node, rebuilt from the same
 * Service and EndpointSlice view the routing model uses: chain names from the hash of the
 * service port name (KUBE-SVC-, KUBE-EXT-, KUBE-SVL-, KUBE-SEP-), cluster IP, node port,
 * external and load-balancer IP rules, the random-probability spread over endpoints, ClientIP
 * affinity with the recent match, masquerading, and the filter table's REJECT for Services
 * without endpoints. What `iptables` on a node lists.
 */
import { base32, sha256 } from '../hash';
import { clusterIPsOf, loadBalancerIPs, portInfo, serviceType, usableEndpoints, type ServiceEndpoint } from './services';
import type { Obj, ObjectReader } from './types';

export type Table = 'nat' | 'filter' | 'mangle';

export type Match =
  | { kind: 'comment'; text: string }
  /** -m tcp/udp with an optional --dport (the protocol itself is the rule's -p). */
  | { kind: 'proto'; dport?: number }
  | { kind: 'statistic'; probability: string }
  | { kind: 'addrtype'; dstType?: string; srcType?: string }
  | { kind: 'mark'; invert: boolean; mark: string }
  | { kind: 'conntrack'; invert?: boolean; states: string }
  | { kind: 'recent'; mode: 'rcheck' | 'set'; name: string; seconds?: number };

export type Target =
  | { kind: 'jump'; chain: string }
  | { kind: 'DNAT'; to: string }
  | { kind: 'MARK'; op: 'or' | 'xor'; mark: string }
  | { kind: 'REJECT' }
  | { kind: 'DROP' }
  | { kind: 'ACCEPT' }
  | { kind: 'RETURN' }
  | { kind: 'MASQUERADE' };

export interface Rule {
  protocol?: 'tcp' | 'udp' | 'sctp';
  source?: string;
  sourceInvert?: boolean;
  destination?: string;
  matches: Match[];
  target: Target;
}

export interface Chain {
  name: string;
  /** Built-in chains have a policy. */
  policy?: 'ACCEPT';
  rules: Rule[];
}

const BUILTIN: Record<Table, string[]> = {
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

/** portProtoHash: the first 16 base32 characters of sha256(servicePortName + protocol). */
export function chainHash(...parts: string[]): string {
  return base32(sha256(parts.join(''))).slice(0, 16);
}

/** kube-proxy's computeProbability: "%0.10f" of 1/n. */
function probability(n: number): string {
  return (1 / n).toFixed(10);
}

const comment = (text: string): Match => ({ kind: 'comment', text });

/** The pod network kube-proxy's local-traffic detector uses (its config's clusterCIDR). */
export function clusterCIDR(reader: ObjectReader): string {
  const conf = reader.getByResource('configmaps', '', 'kube-system', 'kube-proxy')?.data?.['config.conf'] as string | undefined;
  return /^clusterCIDR:\s*"?([^"\s]+)"?/m.exec(conf ?? '')?.[1] ?? '10.244.0.0/16';
}

/** Every chain of `table` on node `node`, built-ins first and then kube-proxy's chains by name. */
export function kubeProxyTable(reader: ObjectReader, node: string, table: Table): Chain[] {
  const chains = new Map<string, Chain>();
  const chain = (name: string): Chain => {
    let c = chains.get(name);
    if (!c) chains.set(name, (c = { name, rules: [] }));
    return c;
  };
  for (const name of BUILTIN[table]) chains.set(name, { name, policy: 'ACCEPT', rules: [] });
  chain('KUBE-KUBELET-CANARY');
  chain('KUBE-PROXY-CANARY');
  const add = (name: string, rule: Omit<Rule, 'matches'> & { matches?: Match[] }) => chain(name).rules.push({ matches: [], ...rule });
  const jump = (name: string): Target => ({ kind: 'jump', chain: name });
  const newState: Match = { kind: 'conntrack', states: 'NEW' };
  const podCIDR = clusterCIDR(reader);

  if (table === 'nat') {
    add('PREROUTING', { matches: [comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
    add('OUTPUT', { matches: [comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
    add('POSTROUTING', { matches: [comment('kubernetes postrouting rules')], target: jump('KUBE-POSTROUTING') });
    add('KUBE-MARK-MASQ', { target: { kind: 'MARK', op: 'or', mark: '0x4000' } });
    add('KUBE-POSTROUTING', { matches: [{ kind: 'mark', invert: true, mark: '0x4000/0x4000' }], target: { kind: 'RETURN' } });
    add('KUBE-POSTROUTING', { target: { kind: 'MARK', op: 'xor', mark: '0x4000' } });
    add('KUBE-POSTROUTING', { matches: [comment('kubernetes service traffic requiring SNAT')], target: { kind: 'MASQUERADE' } });
    chain('KUBE-NODEPORTS');
    chain('KUBE-SERVICES');
  } else if (table === 'filter') {
    add('INPUT', { matches: [newState, comment('kubernetes load balancer firewall')], target: jump('KUBE-PROXY-FIREWALL') });
    add('INPUT', { matches: [comment('kubernetes health check service ports')], target: jump('KUBE-NODEPORTS') });
    add('INPUT', { matches: [newState, comment('kubernetes externally-visible service portals')], target: jump('KUBE-EXTERNAL-SERVICES') });
    add('INPUT', { target: jump('KUBE-FIREWALL') });
    add('FORWARD', { matches: [newState, comment('kubernetes load balancer firewall')], target: jump('KUBE-PROXY-FIREWALL') });
    add('FORWARD', { matches: [comment('kubernetes forwarding rules')], target: jump('KUBE-FORWARD') });
    add('FORWARD', { matches: [newState, comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
    add('FORWARD', { matches: [newState, comment('kubernetes externally-visible service portals')], target: jump('KUBE-EXTERNAL-SERVICES') });
    add('OUTPUT', { matches: [newState, comment('kubernetes load balancer firewall')], target: jump('KUBE-PROXY-FIREWALL') });
    add('OUTPUT', { matches: [newState, comment('kubernetes service portals')], target: jump('KUBE-SERVICES') });
    add('OUTPUT', { target: jump('KUBE-FIREWALL') });
    add('KUBE-FIREWALL', {
      source: '127.0.0.0/8',
      sourceInvert: true,
      destination: '127.0.0.0/8',
      matches: [comment('block incoming localnet connections'), { kind: 'conntrack', invert: true, states: 'RELATED,ESTABLISHED,DNAT' }],
      target: { kind: 'DROP' },
    });
    add('KUBE-FORWARD', { matches: [{ kind: 'conntrack', states: 'INVALID' }], target: { kind: 'DROP' } });
    add('KUBE-FORWARD', { matches: [comment('kubernetes forwarding rules'), { kind: 'mark', invert: false, mark: '0x4000/0x4000' }], target: { kind: 'ACCEPT' } });
    add('KUBE-FORWARD', { matches: [comment('kubernetes forwarding conntrack rule'), { kind: 'conntrack', states: 'RELATED,ESTABLISHED' }], target: { kind: 'ACCEPT' } });
    for (const name of ['KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES']) chain(name);
  }

  const services = reader
    .listByResource('services', '', undefined)
    .filter((s) => serviceType(s) !== 'ExternalName' && clusterIPsOf(s).length > 0)
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  const nodePortRules: [string, Rule][] = [];
  if (table === 'mangle') return sortChains(table, chains);
  for (const svc of services) {
    for (const p of (svc.spec?.ports ?? []) as Obj[]) {
      const info = portInfo(reader, svc, p);
      const name = `${info.namespace}/${info.name}${info.portName ? `:${info.portName}` : ''}`;
      const proto = info.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
      const protoMatch = (dport?: number): Match => ({ kind: 'proto', ...(dport !== undefined ? { dport } : {}) });
      const hash = chainHash(name, proto);
      const svcChain = `KUBE-SVC-${hash}`;
      const localChain = `KUBE-SVL-${hash}`;
      const extChain = `KUBE-EXT-${hash}`;
      const all = usableEndpoints(info.endpoints);
      const local = usableEndpoints(info.endpoints, node);
      const internalLocal = svc.spec?.internalTrafficPolicy === 'Local';
      const externalLocal = svc.spec?.externalTrafficPolicy === 'Local';
      const type = serviceType(svc);
      const externalIPs: string[] = svc.spec?.externalIPs ?? [];
      const lbIPs = type === 'LoadBalancer' ? loadBalancerIPs(svc) : [];
      const nodePort = type === 'NodePort' || type === 'LoadBalancer' ? info.nodePort : undefined;
      const hasExternal = externalIPs.length > 0 || lbIPs.length > 0 || nodePort !== undefined;
      const clusterIP = clusterIPsOf(svc)[0]!;

      if (table === 'filter') {
        // No endpoints at all: REJECT, so clients hear "connection refused" at once.
        if (all.length === 0) {
          add('KUBE-SERVICES', { protocol: proto, destination: clusterIP, matches: [comment(`${name} has no endpoints`), protoMatch(info.port)], target: { kind: 'REJECT' } });
          for (const ip of [...externalIPs, ...lbIPs])
            add('KUBE-EXTERNAL-SERVICES', { protocol: proto, destination: ip, matches: [comment(`${name} has no endpoints`), protoMatch(info.port)], target: { kind: 'REJECT' } });
          if (nodePort !== undefined)
            add('KUBE-EXTERNAL-SERVICES', { protocol: proto, matches: [comment(`${name} has no endpoints`), { kind: 'addrtype', dstType: 'LOCAL' }, protoMatch(nodePort)], target: { kind: 'REJECT' } });
          continue;
        }
        if (internalLocal && local.length === 0)
          add('KUBE-SERVICES', { protocol: proto, destination: clusterIP, matches: [comment(`${name} has no local endpoints`), protoMatch(info.port)], target: { kind: 'DROP' } });
        if (externalLocal && hasExternal && local.length === 0) {
          for (const ip of [...externalIPs, ...lbIPs])
            add('KUBE-EXTERNAL-SERVICES', { protocol: proto, destination: ip, matches: [comment(`${name} has no local endpoints`), protoMatch(info.port)], target: { kind: 'DROP' } });
          if (nodePort !== undefined)
            add('KUBE-EXTERNAL-SERVICES', { protocol: proto, matches: [comment(`${name} has no local endpoints`), { kind: 'addrtype', dstType: 'LOCAL' }, protoMatch(nodePort)], target: { kind: 'DROP' } });
        }
        continue;
      }

      if (all.length === 0) continue;
      const internalChain = internalLocal ? localChain : svcChain;
      if (!internalLocal || local.length > 0) add('KUBE-SERVICES', { protocol: proto, destination: clusterIP, matches: [comment(`${name} cluster IP`), protoMatch(info.port)], target: jump(internalChain) });
      for (const ip of externalIPs) add('KUBE-SERVICES', { protocol: proto, destination: ip, matches: [comment(`${name} external IP`), protoMatch(info.port)], target: jump(extChain) });
      for (const ip of lbIPs) add('KUBE-SERVICES', { protocol: proto, destination: ip, matches: [comment(`${name} loadbalancer IP`), protoMatch(info.port)], target: jump(extChain) });
      if (nodePort !== undefined) nodePortRules.push(['KUBE-NODEPORTS', { protocol: proto, matches: [comment(name), protoMatch(nodePort)], target: jump(extChain) }]);

      if (hasExternal) {
        if (externalLocal) {
          add(extChain, { source: podCIDR, matches: [comment(`pod traffic for ${name} external destinations`)], target: jump(svcChain) });
          add(extChain, { matches: [comment(`masquerade LOCAL traffic for ${name} external destinations`), { kind: 'addrtype', srcType: 'LOCAL' }], target: jump('KUBE-MARK-MASQ') });
          add(extChain, { matches: [comment(`route LOCAL traffic for ${name} external destinations`), { kind: 'addrtype', srcType: 'LOCAL' }], target: jump(svcChain) });
          if (local.length > 0) add(extChain, { target: jump(localChain) });
        } else {
          add(extChain, { matches: [comment(`masquerade traffic for ${name} external destinations`)], target: jump('KUBE-MARK-MASQ') });
          add(extChain, { target: jump(svcChain) });
        }
      }
      const affinity = svc.spec?.sessionAffinity === 'ClientIP' ? (svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
      const sepName = (e: ServiceEndpoint) => `KUBE-SEP-${chainHash(name, proto, `${e.ip}:${e.port}`)}`;
      const spread = (chainName: string, endpoints: ServiceEndpoint[]) => {
        const sorted = [...endpoints].sort((a, b) => (`${a.ip}:${a.port}` < `${b.ip}:${b.port}` ? -1 : 1));
        if (affinity !== undefined)
          for (const e of sorted) add(chainName, { matches: [comment(`${name} -> ${e.ip}:${e.port}`), { kind: 'recent', mode: 'rcheck', name: sepName(e), seconds: affinity }], target: jump(sepName(e)) });
        sorted.forEach((e, i) => {
          const left = sorted.length - i;
          add(chainName, { matches: [comment(`${name} -> ${e.ip}:${e.port}`), ...(left > 1 ? [{ kind: 'statistic', probability: probability(left) } as Match] : [])], target: jump(sepName(e)) });
        });
      };
      if (!internalLocal || hasExternal) {
        // Traffic from outside the pod network to the cluster IP is masqueraded (the local detector).
        if (!internalLocal) add(svcChain, { protocol: proto, source: podCIDR, sourceInvert: true, destination: clusterIP, matches: [comment(`${name} cluster IP`), protoMatch(info.port)], target: jump('KUBE-MARK-MASQ') });
        spread(svcChain, all);
      }
      if (internalLocal || externalLocal) {
        // Without local endpoints the filter table drops the traffic instead.
        if (local.length > 0) spread(localChain, local);
      }
      for (const e of all) {
        const sep = sepName(e);
        add(sep, { source: e.ip, matches: [comment(name)], target: jump('KUBE-MARK-MASQ') });
        add(sep, {
          protocol: proto,
          matches: [comment(name), ...(affinity !== undefined ? [{ kind: 'recent', mode: 'set', name: sep } as Match] : []), protoMatch()],
          target: { kind: 'DNAT', to: `${e.ip}:${e.port}` },
        });
      }
    }
  }
  if (table === 'nat') {
    for (const [name, rule] of nodePortRules) chain(name).rules.push(rule);
    add('KUBE-SERVICES', { matches: [comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), { kind: 'addrtype', dstType: 'LOCAL' }], target: jump('KUBE-NODEPORTS') });
  }
  return sortChains(table, chains);
}

function sortChains(table: Table, chains: Map<string, Chain>): Chain[] {
  const builtins = BUILTIN[table].map((n) => chains.get(n)!);
  const rest = [...chains.values()].filter((c) => !c.policy).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...rest];
}

/** How many rules jump to each chain (the "(N references)" of a listing). */
export function references(chains: readonly Chain[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of chains) for (const r of c.rules) if (r.target.kind === 'jump') out.set(r.target.chain, (out.get(r.target.chain) ?? 0) + 1);
  return out;
}
