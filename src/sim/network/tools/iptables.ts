/**
 * `iptables` on a node (Ubuntu 22.04: iptables v1.8.7, nf_tables), read-only: -L (with -n, -v,
 * --line-numbers) and -S over the rules kube-proxy keeps on that node, in iptables' own listing
 * layout (xshared.c print_header / print_rule_details and each extension's print and save).
 * Changing rules is refused the way a node does when something else owns them.
 */
import { kubeProxyTable, references, type Chain, type Match, type Rule, type Table, type Target } from '../kube-proxy-rules';
import type { Tool, ToolContext, ToolIO } from './types';

const VERSION = 'iptables v1.8.7 (nf_tables)';
/** /etc/services names `-L` prints without -n. */
const SERVICES: Record<number, string> = { 21: 'ftp', 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 443: 'https', 3306: 'mysql', 5432: 'postgresql', 8080: 'http-alt' };

interface Options {
  table: Table;
  command?: 'list' | 'save';
  chain?: string;
  numeric: boolean;
  verbose: boolean;
  lineNumbers: boolean;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function parse(args: string[]): Options | { error: string; code: number } {
  const o: Options = { table: 'filter', numeric: false, verbose: false, lineNumbers: false };
  const tryHelp = `Try \`iptables -h' or 'iptables --help' for more information.\n`;
  const setCommand = (c: 'list' | 'save', next: string | undefined): boolean => {
    if (o.command) return false;
    o.command = c;
    if (next !== undefined && !next.startsWith('-')) o.chain = next;
    return true;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--line-numbers') o.lineNumbers = true;
    else if (a === '--numeric') o.numeric = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--table') o.table = args[++i] as Table;
    else if (a === '--list' || a === '--list-rules') {
      if (!setCommand(a === '--list' ? 'list' : 'save', args[i + 1])) return { error: `${VERSION}: Cannot use -${a === '--list' ? 'L' : 'S'} with -${o.command === 'list' ? 'L' : 'S'}\n\n${tryHelp}`, code: 2 };
      if (o.chain !== undefined && args[i + 1] === o.chain) i++;
    } else if (a === '-w' || a === '--wait') {
      if (args[i + 1] !== undefined && /^\d+$/.test(args[i + 1]!)) i++;
    } else if (/^-[a-zA-Z]+$/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k]!;
        if (f === 'n') o.numeric = true;
        else if (f === 'v') o.verbose = true;
        else if (f === 'x' || f === 'w') continue;
        else if (f === 't') {
          const v = a.slice(k + 1) || args[++i];
          if (v === undefined) return { error: `${VERSION}: option "-t" requires an argument\n${tryHelp}`, code: 2 };
          o.table = v as Table;
          break;
        } else if (f === 'L' || f === 'S') {
          const last = k === a.length - 1;
          if (!setCommand(f === 'L' ? 'list' : 'save', last ? args[i + 1] : undefined)) return { error: `${VERSION}: Cannot use -${f} with -${o.command === 'list' ? 'L' : 'S'}\n\n${tryHelp}`, code: 2 };
          if (last && o.chain !== undefined && args[i + 1] === o.chain) i++;
        } else if ('AIDRNXPFZE'.includes(f)) {
          // Writes: kube-proxy owns these rules on the simulated nodes.
          return { error: `${VERSION}: can't modify the rules here: kube-proxy manages them (change the Service instead)\n`, code: 4 };
        } else return { error: `${VERSION}: unknown option "${a}"\n${tryHelp}`, code: 2 };
      }
    } else return { error: `Bad argument \`${a}'\n${tryHelp}`, code: 2 };
  }
  if (!['nat', 'filter', 'mangle'].includes(o.table)) return { error: `${VERSION}: table '${o.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, code: 3 };
  return o;
}

/** The text of one match in a listing (each starts with a space). */
function listMatch(m: Match, rule: Rule, numeric: boolean): string {
  switch (m.kind) {
    case 'comment':
      return ` /* ${m.text} */`;
    case 'proto':
      return ` ${rule.protocol}${m.dport !== undefined ? ` dpt:${numeric ? m.dport : (SERVICES[m.dport] ?? m.dport)}` : ''}`;
    case 'statistic':
      return ` statistic mode random probability ${storedProbability(m.probability)}`;
    case 'addrtype':
      return ` ADDRTYPE match${m.srcType ? ` src-type ${m.srcType}` : ''}${m.dstType ? ` dst-type ${m.dstType}` : ''}`;
    case 'mark':
      return ` mark match ${m.invert ? '! ' : ''}${m.mark}`;
    case 'conntrack':
      return ` ${m.invert ? '! ' : ''}ctstate ${m.states}`;
    case 'recent':
      return m.mode === 'rcheck'
        ? ` recent: CHECK seconds: ${m.seconds} reap name: ${m.name} side: source mask: 255.255.255.255`
        : ` recent: SET name: ${m.name} side: source mask: 255.255.255.255`;
  }
}

function listTarget(t: Target): string {
  switch (t.kind) {
    case 'DNAT':
      return ` to:${t.to}`;
    case 'MARK':
      return ` MARK ${t.op} ${t.mark}`;
    case 'REJECT':
      return ' reject-with icmp-port-unreachable';
    case 'MASQUERADE':
      return ' random-fully';
    default:
      return '';
  }
}

function targetName(t: Target): string {
  return t.kind === 'jump' ? t.chain : t.kind;
}

/** The probability as the kernel keeps it (a 31-bit fraction), printed with 11 digits. */
function storedProbability(text: string): string {
  return (Math.round(Number(text) * 2 ** 31) / 2 ** 31).toFixed(11);
}

function saveMatch(m: Match, rule: Rule): string {
  switch (m.kind) {
    case 'comment':
      return ` -m comment --comment ${quote(m.text)}`;
    case 'proto':
      return ` -m ${rule.protocol}${m.dport !== undefined ? ` --dport ${m.dport}` : ''}`;
    case 'statistic':
      return ` -m statistic --mode random --probability ${storedProbability(m.probability)}`;
    case 'addrtype':
      return ` -m addrtype${m.srcType ? ` --src-type ${m.srcType}` : ''}${m.dstType ? ` --dst-type ${m.dstType}` : ''}`;
    case 'mark':
      return ` -m mark${m.invert ? ' !' : ''} --mark ${m.mark}`;
    case 'conntrack':
      return ` -m conntrack${m.invert ? ' !' : ''} --ctstate ${m.states}`;
    case 'recent':
      return m.mode === 'rcheck' ? ` -m recent --rcheck --seconds ${m.seconds} --reap --name ${m.name} --mask 255.255.255.255 --rsource` : ` -m recent --set --name ${m.name} --mask 255.255.255.255 --rsource`;
  }
}

function saveTarget(t: Target): string {
  switch (t.kind) {
    case 'jump':
      return ` -j ${t.chain}`;
    case 'DNAT':
      return ` -j DNAT --to-destination ${t.to}`;
    case 'MARK':
      return ` -j MARK --set-xmark ${t.mark}/${t.op === 'or' ? t.mark : '0x0'}`;
    case 'REJECT':
      return ' -j REJECT --reject-with icmp-port-unreachable';
    case 'MASQUERADE':
      return ' -j MASQUERADE --random-fully';
    default:
      return ` -j ${t.kind}`;
  }
}

/** xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted. */
function quote(text: string): string {
  return /^[A-Za-z0-9_-]+$/.test(text) ? text : `"${text.replace(/(["\\'])/g, '\\$1')}"`;
}

const withMask = (address: string) => (address.includes('/') ? address : `${address}/32`);

function saveRule(chain: string, r: Rule): string {
  let line = `-A ${chain}`;
  if (r.source) line += `${r.sourceInvert ? ' !' : ''} -s ${withMask(r.source)}`;
  if (r.destination) line += ` -d ${withMask(r.destination)}`;
  if (r.protocol) line += ` -p ${r.protocol}`;
  for (const m of r.matches) line += saveMatch(m, r);
  return line + saveTarget(r.target);
}

function* run(ctx: ToolContext, args: string[], io: ToolIO): Generator<number, number, void> {
  const o = parse(args);
  if ('error' in o) {
    io.stderr(o.error);
    return o.code;
  }
  if (!o.command) {
    io.stderr(`${VERSION}: no command specified\nTry \`iptables -h' or 'iptables --help' for more information.\n`);
    return 2;
  }
  const chains = kubeProxyTable(ctx.network.reader, ctx.source.node, o.table);
  const shown = o.chain === undefined ? chains : chains.filter((c) => c.name === o.chain);
  if (shown.length === 0) {
    io.stderr('iptables: No chain/target/match by that name.\n');
    return 1;
  }
  if (o.command === 'save') {
    let out = '';
    for (const c of shown) out += c.policy ? `-P ${c.name} ${c.policy}\n` : `-N ${c.name}\n`;
    for (const c of shown) for (const r of c.rules) out += `${saveRule(c.name, r)}\n`;
    io.stdout(out);
    return 0;
  }
  const refs = references(chains);
  const address = (a: string | undefined): string => {
    if (a === undefined) return o.numeric ? '0.0.0.0/0' : 'anywhere';
    if (o.numeric || a.includes('/')) return a;
    return ctx.resolver.hostName(a) ?? a;
  };
  const blocks = shown.map((c) => listChain(c, refs.get(c.name) ?? 0, o, address));
  io.stdout(blocks.join('\n'));
  return 0;
}

function listChain(c: Chain, refs: number, o: Options, address: (a: string | undefined) => string): string {
  let out = `Chain ${c.name}${c.policy ? ` (policy ${c.policy}${o.verbose ? ' 0 packets, 0 bytes' : ''})` : ` (${refs} references)`}\n`;
  out += `${o.lineNumbers ? 'num  ' : ''}${o.verbose ? ' pkts bytes ' : ''}target     prot opt ${o.verbose ? 'in     out     ' : ''}source               destination         \n`;
  c.rules.forEach((r, i) => {
    let line = o.lineNumbers ? pad(String(i + 1), 4) + ' ' : '';
    if (o.verbose) line += `${padLeft('0', 5)} ${padLeft('0', 5)} `;
    line += `${pad(targetName(r.target), 9)}  ${pad(r.protocol ?? 'all', 4)} -- `;
    if (o.verbose) line += ` ${pad(o.numeric ? '*' : 'any', 6)} ${pad(o.numeric ? '*' : 'any', 6)} `;
    line += `${r.sourceInvert ? '!' : ' '}${pad(address(r.source), 19)}  ${pad(address(r.destination), 19)} `;
    line += r.matches.map((m) => listMatch(m, r, o.numeric)).join('') + listTarget(r.target);
    out += `${line}\n`;
  });
  return out;
}

export const iptables = (ctx: ToolContext): Tool => (args, io) => run(ctx, args, io);
