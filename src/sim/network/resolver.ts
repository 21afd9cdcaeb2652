/**
 * The client side of name resolution, as glibc and musl do it: /etc/hosts first, then the
 * nameservers of /etc/resolv.conf with its search list and ndots. Queries travel over the
 * simulated network, so a missing CoreDNS or a NetworkPolicy blocking port 53 times out.
 */
import type { ClusterDns, DnsAnswer, RecordType } from './dns';
import type { ClusterNetwork } from './fabric';
import type { Source } from './types';

/** The resolver of the nodes' own network (their resolv.conf nameserver): it knows no names here. */
export const UPSTREAM_DNS = '172.30.0.1';

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
}

export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1 };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) conf.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') conf.search = rest;
    else if (key === 'options')
      for (const o of rest) {
        const m = /^ndots:(\d+)$/.exec(o);
        if (m) conf.ndots = Math.min(15, Number(m[1]));
      }
  }
  return conf;
}

/** /etc/hosts: name → addresses, in file order. */
export function parseHosts(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [ip, ...names] = line.split(/\s+/);
    if (!ip || ip.includes(':')) continue;
    for (const n of names) out.set(n.toLowerCase(), [...(out.get(n.toLowerCase()) ?? []), ip]);
  }
  return out;
}

export type QueryOutcome = { kind: 'answer'; server: string; answer: DnsAnswer } | { kind: 'timeout'; server: string };

export type HostLookup =
  | { ok: true; name: string; addresses: string[]; canonical?: string }
  | { ok: false; reason: 'nxdomain' | 'timeout' };

export class Resolver {
  constructor(
    private readonly network: ClusterNetwork,
    private readonly dns: ClusterDns,
    readonly source: Source,
    readonly conf: ResolvConf,
    private readonly hosts: Map<string, string[]>,
  ) {}

  /** The server queries go to first (what nslookup and dig print). */
  get server(): string {
    return this.conf.nameservers[0] ?? '127.0.0.1';
  }

  /** One question to `server` (default: the first nameserver), over UDP port 53. */
  query(name: string, type: RecordType, server = this.server): QueryOutcome {
    if (server === UPSTREAM_DNS) return { kind: 'answer', server, answer: { rcode: 'NXDOMAIN', answers: [], authoritative: false } };
    const conn = this.network.connect(this.source, server, 53, 'UDP');
    if (conn.kind !== 'open' || !conn.listener.dns) return { kind: 'timeout', server };
    return { kind: 'answer', server, answer: this.dns.query(name, type) };
  }

  /** The first /etc/hosts name of `ip` (what tools print for an address without -n). */
  hostName(ip: string): string | undefined {
    for (const [name, addresses] of this.hosts) if (addresses.includes(ip)) return name;
    return undefined;
  }

  /** The names tried for `name`, in order (search list and ndots). */
  candidates(name: string): string[] {
    if (name.endsWith('.')) return [name.slice(0, -1)];
    const dots = name.split('.').length - 1;
    const searched = this.conf.search.map((d) => `${name}.${d}`);
    return dots >= this.conf.ndots ? [name, ...searched] : [...searched, name];
  }

  /** Resolves a host name to IPv4 addresses as getaddrinfo does. */
  lookupHost(name: string): HostLookup {
    const lower = name.toLowerCase().replace(/\.$/, '');
    if (/^\d+\.\d+\.\d+\.\d+$/.test(lower)) return { ok: true, name: lower, addresses: [lower] };
    const fromHosts = this.hosts.get(lower);
    if (fromHosts) return { ok: true, name: lower, addresses: fromHosts };
    let timedOut = false;
    for (const candidate of this.candidates(name)) {
      const out = this.query(candidate, 'A');
      if (out.kind === 'timeout') {
        timedOut = true;
        continue;
      }
      const a = out.answer.answers.filter((r) => r.type === 'A').map((r) => r.data);
      const cname = out.answer.answers.find((r) => r.type === 'CNAME');
      if (a.length) return { ok: true, name: candidate, addresses: a, ...(cname ? { canonical: cname.data.replace(/\.$/, '') } : {}) };
      if (cname) {
        // An ExternalName: follow the CNAME (a cluster name, or an outside one nobody can resolve here).
        const target = this.lookupHost(cname.data);
        if (target.ok) return { ...target, name: candidate, canonical: cname.data.replace(/\.$/, '') };
        return target;
      }
    }
    return { ok: false, reason: timedOut ? 'timeout' : 'nxdomain' };
  }
}
