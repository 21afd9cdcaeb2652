/**
 * dig (BIND 9.18 as Ubuntu 24.04 ships it): the full answer with its header, EDNS, question,
 * answer and authority sections and footer, `+short`, `-x`, `@server`, record types; names are
 * queried as given (dig does not use the search list unless +search).
 */
import type { DnsRecord, RecordType } from '../dns';
import { CLUSTER_DOMAIN } from '../dns';
import type { Tool, ToolContext, ToolIO } from './types';

const VERSION = '9.18.30-0ubuntu0.24.04.2-Ubuntu';
const TYPES = new Set(['A', 'AAAA', 'CNAME', 'SRV', 'PTR', 'TXT', 'MX', 'NS', 'SOA', 'ANY']);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A record in BIND's master-file style: TTL, class, type and data start at columns 24, 32, 40 and 48. */
function rr(name: string, ttl: string, type: string, data: string): string {
  return `${tabTo(tabTo(tabTo(tabTo('', name, 24), ttl, 32), 'IN', 40), type, 48)}${data}`;
}

/**
 * Appends `field`, then moves to column `col` as BIND's indent() does: at least one column
 * further, with tabs to the tab stop and spaces beyond it.
 */
function tabTo(line: string, field: string, col: number): string {
  const text = line + field;
  const from = visualWidth(text);
  const to = Math.max(col, from + 1);
  const tabs = Math.floor(to / 8) - Math.floor(from / 8);
  return tabs > 0 ? `${text}${'\t'.repeat(tabs)}${' '.repeat(to - Math.floor(to / 8) * 8)}` : `${text}${' '.repeat(to - from)}`;
}

function visualWidth(s: string): number {
  let w = 0;
  for (const c of s) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
}

function nameLength(name: string): number {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return labels.reduce((n, l) => n + l.length + 1, 0) + 1;
}

function rdataLength(r: DnsRecord): number {
  if (r.type === 'A') return 4;
  if (r.type === 'AAAA') return 16;
  if (r.type === 'SRV') return 6 + nameLength(r.data.split(' ')[3] ?? '');
  if (r.type === 'SOA') {
    const [mname = '', rname = ''] = r.data.split(' ');
    return nameLength(mname) + nameLength(rname) + 20;
  }
  return nameLength(r.data);
}

function whenText(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function* run(ctx: ToolContext, args: string[], io: ToolIO): Generator<number, number, void> {
  let server = ctx.resolver.server;
  let type: RecordType = 'A';
  let short = false;
  let search = false;
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('@')) server = a.slice(1);
    else if (a === '+short') short = true;
    else if (a === '+search') search = true;
    else if (a.startsWith('+')) continue;
    else if (a === '-x') {
      const ip = args[++i] ?? '';
      name = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
      type = 'PTR';
    } else if (a === '-t') type = (args[++i] ?? 'A').toUpperCase() as RecordType;
    else if (TYPES.has(a.toUpperCase()) && name !== undefined) type = a.toUpperCase() as RecordType;
    else if (name === undefined) name = a;
  }
  const queried = name === undefined ? '.' : name;
  const fq = queried.endsWith('.') ? queried : `${queried}.`;
  const id = 1 + ((fq.length * 7919 + ctx.now()) % 65534);
  const names = search && name ? ctx.resolver.candidates(name).map((n) => `${n}.`) : [fq];
  let outcome = ctx.resolver.query(names[0]!, type, server);
  let asked = names[0]!;
  for (const n of names.slice(1)) {
    if (outcome.kind === 'answer' && outcome.answer.rcode === 'NOERROR' && outcome.answer.answers.length) break;
    outcome = ctx.resolver.query(n, type, server);
    asked = n;
  }
  if (outcome.kind === 'timeout') {
    yield 15_000;
    const lines = [`;; communications error to ${server}#53: timed out`, `;; communications error to ${server}#53: timed out`, `;; communications error to ${server}#53: timed out`];
    if (!short) io.stdout(`\n; <<>> DiG ${VERSION} <<>> ${args.join(' ')}\n;; global options: +cmd\n`);
    io.stdout(`${lines.join('\n')}\n`);
    if (!short) io.stdout(`;; no servers could be reached\n\n`);
    return 9;
  }
  const answer = outcome.answer;
  if (short) {
    for (const r of answer.answers) io.stdout(`${r.data}\n`);
    return 0;
  }
  const authority: DnsRecord[] =
    answer.answers.length === 0 && answer.authoritative
      ? [{ name: `${CLUSTER_DOMAIN}.`, type: 'SOA', ttl: 30, data: `ns.dns.${CLUSTER_DOMAIN}. hostmaster.${CLUSTER_DOMAIN}. ${Math.floor(ctx.now() / 1000)} 7200 1800 86400 30` }]
      : [];
  const flags = ['qr', ...(answer.authoritative ? ['aa'] : []), 'rd'];
  // CoreDNS (miekg/dns) writes owner names uncompressed; the OPT record echoes dig's 8-byte cookie.
  const size = 12 + nameLength(asked) + 4 + [...answer.answers, ...authority].reduce((n, r) => n + nameLength(r.name) + 10 + rdataLength(r), 0) + 11 + 12;
  const cookie = (BigInt(ctx.now()) * 0x9e3779b97f4a7c15n).toString(16).slice(-16).padStart(16, '0');
  const out: string[] = [
    '',
    `; <<>> DiG ${VERSION} <<>> ${args.join(' ')}`,
    ';; global options: +cmd',
    ';; Got answer:',
    ...(/\.local\.?$/.test(asked) ? [';; WARNING: .local is reserved for Multicast DNS', ';; You are currently testing what happens when an mDNS query is leaked to DNS'] : []),
    `;; ->>HEADER<<- opcode: QUERY, status: ${answer.rcode}, id: ${id}`,
    `;; flags: ${flags.join(' ')}; QUERY: 1, ANSWER: ${answer.answers.length}, AUTHORITY: ${authority.length}, ADDITIONAL: 1`,
    ';; WARNING: recursion requested but not available',
    '',
    ';; OPT PSEUDOSECTION:',
    '; EDNS: version: 0, flags:; udp: 1232',
    `; COOKIE: ${cookie} (echoed)`,
    ';; QUESTION SECTION:',
    // The leading ';' does not count toward the columns.
    `;${tabTo(tabTo('', asked, 32), 'IN', 40)}${type}`,
    '',
  ];
  if (answer.answers.length) out.push(';; ANSWER SECTION:', ...answer.answers.map((r) => rr(r.name, String(r.ttl), r.type, r.data)), '');
  if (authority.length) out.push(';; AUTHORITY SECTION:', ...authority.map((r) => rr(r.name, String(r.ttl), r.type, r.data)), '');
  out.push(';; Query time: 0 msec', `;; SERVER: ${server}#53(${server}) (UDP)`, `;; WHEN: ${whenText(ctx.now())}`, `;; MSG SIZE  rcvd: ${size}`, '', '');
  io.stdout(out.join('\n'));
  return 0;
}

export const dig = (ctx: ToolContext): Tool => (args, io) => run(ctx, args, io);
