/**
 * nslookup in its three common builds: busybox 1.28's (getaddrinfo with the search list, then
 * reverse names: the version the Kubernetes DNS docs use), busybox 1.3x's own resolver (A then
 * AAAA, the search list only for names without a dot, hence its famous NXDOMAIN for
 * "kubernetes.default"), and BIND's (search list, one answer block).
 */
import type { Tool, ToolContext, ToolIO } from './types';

const TIMEOUT_MS = 15_000;

function args2(args: string[]): { name?: string; server?: string } {
  const positional = args.filter((a) => !a.startsWith('-'));
  return { name: positional[0], server: positional[1] };
}

/** The name a reverse lookup gives for `ip`, if any (busybox 1.28 prints it beside addresses). */
function reverseName(ctx: ToolContext, ip: string, server: string): string | undefined {
  const q = ctx.resolver.query(`${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR', server);
  if (q.kind !== 'answer') return undefined;
  return q.answer.answers.find((r) => r.type === 'PTR')?.data.replace(/\.$/, '');
}

function* busyboxOld(ctx: ToolContext, args: string[], io: ToolIO): Generator<number, number, void> {
  const { name, server = ctx.resolver.server } = args2(args);
  if (!name) {
    io.stderr('BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server\n');
    return 1;
  }
  const serverName = reverseName(ctx, server, server);
  io.stdout(`Server:    ${server}\nAddress 1: ${server}${serverName ? ` ${serverName}` : ''}\n\n`);
  const lookup = ctx.resolver.lookupHost(name);
  if (!lookup.ok) {
    if (lookup.reason === 'timeout') yield TIMEOUT_MS;
    io.stderr(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  io.stdout(`Name:      ${name}\n`);
  lookup.addresses.forEach((ip, i) => {
    const rev = reverseName(ctx, ip, server);
    io.stdout(`Address ${i + 1}: ${ip}${rev ? ` ${rev}` : ''}\n`);
  });
  return 0;
}

function* busyboxNew(ctx: ToolContext, args: string[], io: ToolIO): Generator<number, number, void> {
  const { name, server = ctx.resolver.server } = args2(args);
  if (!name) {
    io.stderr('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n');
    return 1;
  }
  // The search list only for a name without a dot (ndots is ignored); A queries, then AAAA.
  const names = name.includes('.') ? [name] : ctx.resolver.conf.search.map((d) => `${name}.${d}`);
  const questions = [...names.map((n) => ({ n, type: 'A' as const })), ...names.map((n) => ({ n, type: 'AAAA' as const }))];
  let out = '';
  let failed = false;
  for (const q of questions) {
    const reply = ctx.resolver.query(q.n, q.type, server);
    if (reply.kind === 'timeout') {
      yield 5_000;
      io.stdout(';; connection timed out; no servers could be reached\n\n');
      return 1;
    }
    const a = reply.answer;
    if (a.rcode !== 'NOERROR') {
      out += `** server can't find ${q.n}: ${a.rcode}\n\n`;
      failed = true;
      continue;
    }
    if (!a.authoritative) out += 'Non-authoritative answer:\n';
    for (const r of a.answers) {
      if (r.type === 'CNAME') out += `${r.name.replace(/\.$/, '')}\tcanonical name = ${r.data.replace(/\.$/, '')}\n`;
      else if (r.type === q.type) out += `Name:\t${r.name.replace(/\.$/, '')}\nAddress: ${r.data}\n`;
    }
    out += '\n';
  }
  io.stdout(`Server:\t\t${server}\nAddress:\t${server}:53\n\n${out}`);
  return failed ? 1 : 0;
}

function* bind(ctx: ToolContext, args: string[], io: ToolIO): Generator<number, number, void> {
  const { name, server = ctx.resolver.server } = args2(args);
  if (!name) {
    io.stderr('> ');
    return 0;
  }
  const candidates = name.includes('.') && ctx.resolver.conf.ndots <= name.split('.').length - 1 ? [name] : ctx.resolver.candidates(name);
  let last: 'NXDOMAIN' | 'SERVFAIL' = 'NXDOMAIN';
  for (const candidate of candidates) {
    const a = ctx.resolver.query(candidate, 'A', server);
    if (a.kind === 'timeout') {
      yield TIMEOUT_MS;
      io.stdout(`;; connection timed out; no servers could be reached\n\n`);
      return 1;
    }
    if (a.answer.rcode !== 'NOERROR' || !a.answer.answers.length) {
      if (a.answer.rcode === 'SERVFAIL') last = 'SERVFAIL';
      continue;
    }
    io.stdout(`Server:\t\t${server}\nAddress:\t${server}#53\n\n${a.answer.authoritative ? '' : 'Non-authoritative answer:\n'}`);
    for (const r of a.answer.answers) {
      if (r.type === 'CNAME') io.stdout(`${r.name.replace(/\.$/, '')}\tcanonical name = ${r.data}\n`);
      else if (r.type === 'A') io.stdout(`Name:\t${r.name.replace(/\.$/, '')}\nAddress: ${r.data}\n`);
    }
    io.stdout('\n');
    return 0;
  }
  io.stdout(`Server:\t\t${server}\nAddress:\t${server}#53\n\n** server can't find ${name}: ${last}\n\n`);
  return 1;
}

export const busyboxNslookup = (version: 'old' | 'new') => (ctx: ToolContext): Tool => (args, io) => (version === 'old' ? busyboxOld(ctx, args, io) : busyboxNew(ctx, args, io));
export const bindNslookup = (ctx: ToolContext): Tool => (args, io) => bind(ctx, args, io);
