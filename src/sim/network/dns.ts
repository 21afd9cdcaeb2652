/**
 * Cluster DNS as kubeadm's CoreDNS answers it (kubernetes plugin for cluster.local with
 * `pods insecure` and `ttl 30`, `loadbalance` shuffling A records): Service names, headless
 * Services' endpoints and their hostnames (StatefulSet pods), ExternalName CNAMEs, SRV records
 * for named ports, pod A records and reverse (PTR) names. Names outside the cluster go to the
 * upstream resolver, which in this offline world knows none.
 */
import type { SeededRandom } from '../random';
import { isIPv4 } from './cidr';
import { clusterIPsOf, endpointsFor, serviceType } from './services';
import type { Obj, ObjectReader, Protocol } from './types';

export const CLUSTER_DOMAIN = 'cluster.local';
const TTL = 30;

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR' | 'TXT' | 'MX' | 'NS' | 'SOA' | 'ANY';

export interface DnsRecord {
  /** Owner name, fully qualified with its trailing dot. */
  name: string;
  type: Exclude<RecordType, 'ANY'>;
  ttl: number;
  /** A/AAAA: the address; CNAME/PTR: the target with its dot; SRV: "priority weight port target." */
  data: string;
}

export interface DnsAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  answers: DnsRecord[];
  /** Whether the answer is authoritative (the cluster zone is; forwarded answers are not). */
  authoritative: boolean;
}

const fq = (n: string) => (n.endsWith('.') ? n : `${n}.`);

const NX: DnsAnswer = { rcode: 'NXDOMAIN', answers: [], authoritative: true };

export class ClusterDns {
  constructor(
    private readonly reader: ObjectReader,
    private readonly random: SeededRandom,
  ) {}

  /** Answers one question as CoreDNS would. `name` may carry a trailing dot. */
  query(rawName: string, type: RecordType): DnsAnswer {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    if (name.endsWith('.in-addr.arpa')) return this.reverse(name, type);
    const zone = `.${CLUSTER_DOMAIN}`;
    if (!name.endsWith(zone) && name !== CLUSTER_DOMAIN) return { rcode: 'NXDOMAIN', answers: [], authoritative: false };
    const labels = name === CLUSTER_DOMAIN ? [] : name.slice(0, -zone.length).split('.');
    const kind = labels[labels.length - 1];
    if (kind === 'svc') return this.service(name, labels.slice(0, -1), type);
    if (kind === 'pod' && labels.length === 3) return this.pod(name, labels[0]!, labels[1]!, type);
    return NX;
  }

  private namespaceExists(ns: string): boolean {
    return !!this.reader.getByResource('namespaces', '', undefined, ns);
  }

  private service(name: string, labels: string[], type: RecordType): DnsAnswer {
    // [svc, ns] | [endpoint, svc, ns] | [_port, _proto, svc, ns]
    if (labels.length < 2 || labels.length > 4) return NX;
    const ns = labels[labels.length - 1]!;
    const svcName = labels[labels.length - 2]!;
    if (!this.namespaceExists(ns)) return NX;
    const svc = this.reader.getByResource('services', '', ns, svcName);
    if (!svc) return NX;
    const fqdn = `${svcName}.${ns}.svc.${CLUSTER_DOMAIN}.`;
    if (labels.length === 4) return this.srv(fq(name), svc, labels[0]!, labels[1]!, type);
    if (serviceType(svc) === 'ExternalName') {
      if (labels.length !== 2) return NX;
      if (type !== 'A' && type !== 'AAAA' && type !== 'CNAME' && type !== 'ANY') return this.noData();
      return { rcode: 'NOERROR', answers: [{ name: fqdn, type: 'CNAME', ttl: TTL, data: fq(String(svc.spec?.externalName ?? '')) }], authoritative: true };
    }
    const clusterIPs = clusterIPsOf(svc);
    if (labels.length === 3) {
      // A headless Service's endpoint by hostname (or dashed address).
      const wanted = labels[0]!;
      const ep = this.headlessEndpoints(svc).find((e) => (e.hostname ?? e.ip.replaceAll('.', '-')) === wanted);
      if (!ep || clusterIPs.length) return NX;
      return type === 'A' || type === 'ANY' ? { rcode: 'NOERROR', answers: [{ name: fq(name), type: 'A', ttl: TTL, data: ep.ip }], authoritative: true } : this.noData();
    }
    if (type !== 'A' && type !== 'ANY' && type !== 'SRV') return this.noData();
    if (type === 'SRV') return this.srvAll(fqdn, svc);
    if (clusterIPs.length) return { rcode: 'NOERROR', answers: clusterIPs.map((ip) => ({ name: fqdn, type: 'A', ttl: TTL, data: ip })), authoritative: true };
    const eps = this.headlessEndpoints(svc);
    if (!eps.length) return NX;
    const ips = [...new Set(eps.map((e) => e.ip))];
    return { rcode: 'NOERROR', answers: this.shuffle(ips).map((ip) => ({ name: fqdn, type: 'A' as const, ttl: TTL, data: ip })), authoritative: true };
  }

  /** Endpoints a headless Service publishes: ready ones, all with publishNotReadyAddresses. */
  private headlessEndpoints(svc: Obj): { ip: string; hostname?: string }[] {
    const all = new Map<string, { ip: string; hostname?: string }>();
    const ports = ((svc.spec?.ports ?? []) as Obj[]).length ? ((svc.spec?.ports ?? []) as Obj[]) : [{ name: '', protocol: 'TCP' }];
    for (const p of ports)
      for (const e of endpointsFor(this.reader, svc, p.name ?? '', (p.protocol ?? 'TCP') as Protocol))
        if (e.ready || svc.spec?.publishNotReadyAddresses) all.set(e.ip, { ip: e.ip, ...(e.hostname ? { hostname: e.hostname } : {}) });
    return [...all.values()];
  }

  private srv(name: string, svc: Obj, portLabel: string, protoLabel: string, type: RecordType): DnsAnswer {
    if (type !== 'SRV' && type !== 'ANY') return this.noData();
    const port = ((svc.spec?.ports ?? []) as Obj[]).find((p) => `_${p.name ?? ''}` === portLabel && `_${String(p.protocol ?? 'TCP').toLowerCase()}` === protoLabel);
    if (!port || !port.name) return NX;
    const fqdn = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}.`;
    if (clusterIPsOf(svc).length) return { rcode: 'NOERROR', answers: [{ name, type: 'SRV', ttl: TTL, data: `0 100 ${port.port} ${fqdn}` }], authoritative: true };
    const eps = this.headlessEndpoints(svc);
    if (!eps.length) return NX;
    const weight = Math.floor(100 / eps.length);
    return { rcode: 'NOERROR', answers: eps.map((e) => ({ name, type: 'SRV' as const, ttl: TTL, data: `0 ${weight} ${port.port} ${e.hostname ?? e.ip.replaceAll('.', '-')}.${fqdn}` })), authoritative: true };
  }

  private srvAll(fqdn: string, svc: Obj): DnsAnswer {
    const named = ((svc.spec?.ports ?? []) as Obj[]).filter((p) => p.name);
    if (!named.length) return { rcode: 'NOERROR', answers: [{ name: fqdn, type: 'SRV', ttl: TTL, data: `0 100 ${(svc.spec?.ports ?? [])[0]?.port ?? 0} ${fqdn}` }], authoritative: true };
    return { rcode: 'NOERROR', answers: named.map((p) => ({ name: fqdn, type: 'SRV' as const, ttl: TTL, data: `0 ${Math.floor(100 / named.length)} ${p.port} ${fqdn}` })), authoritative: true };
  }

  private pod(name: string, dashed: string, ns: string, type: RecordType): DnsAnswer {
    const ip = dashed.replaceAll('-', '.');
    if (!isIPv4(ip) || !this.namespaceExists(ns)) return NX;
    return type === 'A' || type === 'ANY' ? { rcode: 'NOERROR', answers: [{ name: fq(name), type: 'A', ttl: TTL, data: ip }], authoritative: true } : this.noData();
  }

  private reverse(name: string, type: RecordType): DnsAnswer {
    const ip = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse().join('.');
    if (!isIPv4(ip) || (type !== 'PTR' && type !== 'ANY')) return { rcode: 'NXDOMAIN', answers: [], authoritative: false };
    for (const svc of this.reader.listByResource('services', '', undefined)) {
      if (clusterIPsOf(svc).includes(ip))
        return { rcode: 'NOERROR', answers: [{ name: fq(name), type: 'PTR', ttl: TTL, data: `${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}.` }], authoritative: true };
    }
    // An endpoint of any Service: its hostname or dashed address under the Service's name.
    for (const svc of this.reader.listByResource('services', '', undefined)) {
      if (serviceType(svc) === 'ExternalName') continue;
      const ep = this.headlessEndpoints(svc).find((e) => e.ip === ip);
      if (ep)
        return {
          rcode: 'NOERROR',
          answers: [{ name: fq(name), type: 'PTR', ttl: TTL, data: `${ep.hostname ?? ip.replaceAll('.', '-')}.${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}.` }],
          authoritative: true,
        };
    }
    // fallthrough in-addr.arpa: the upstream resolver, which knows nothing here.
    return { rcode: 'NXDOMAIN', answers: [], authoritative: false };
  }

  private noData(): DnsAnswer {
    return { rcode: 'NOERROR', answers: [], authoritative: true };
  }

  /** The loadbalance plugin: A records in a random rotation. */
  private shuffle<T>(items: T[]): T[] {
    if (items.length < 2) return items;
    const k = this.random.int(items.length);
    return [...items.slice(k), ...items.slice(0, k)];
  }
}
