/**
 * ping as busybox and iputils print it: one echo a second (`-c N` to stop, `-W`/`-w` bounds),
 * replies from pods and nodes, silence from Service addresses (kube-proxy answers no ICMP), and
 * the statistics block with exit status 1 when nothing came back.
 */
import type { Tool, ToolContext, ToolIO } from './types';

interface PingOptions {
  count?: number;
  deadlineSec?: number;
  quiet: boolean;
  host?: string;
}

function parse(args: string[]): PingOptions | string {
  const o: PingOptions = { quiet: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^-([cwWisq])(.*)$/.exec(a);
    if (m) {
      if (m[1] === 'q') {
        o.quiet = true;
        continue;
      }
      const v = m[2] || args[++i];
      if (v === undefined) return m[1]!;
      if (m[1] === 'c') o.count = Number(v);
      else if (m[1] === 'w') o.deadlineSec = Number(v);
    } else if (a.startsWith('-')) return a;
    else o.host = a;
  }
  return o;
}

/** A round-trip time in ms with three decimals, steady for a path (pod network ~0.05–0.1 ms). */
function rtt(seq: number, sameNode: boolean): number {
  const base = sameNode ? 0.052 : 0.081;
  return Math.round((base + ((seq * 7919) % 13) / 1000) * 1000) / 1000;
}

function stats(times: number[]): { min: string; avg: string; max: string; mdev: string } {
  const min = Math.min(...times);
  const max = Math.max(...times);
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  const mdev = Math.sqrt(times.reduce((a, b) => a + (b - avg) ** 2, 0) / times.length);
  return { min: min.toFixed(3), avg: avg.toFixed(3), max: max.toFixed(3), mdev: mdev.toFixed(3) };
}

function* run(ctx: ToolContext, flavor: 'busybox' | 'iputils', args: string[], io: ToolIO): Generator<number, number, void> {
  const o = parse(args);
  if (typeof o === 'string' || !o.host) {
    if (flavor === 'iputils') io.stderr(o === undefined || typeof o !== 'string' ? 'ping: usage error: Destination address required\n' : `ping: invalid option -- '${o.replace(/^-+/, '')}'\n`);
    else io.stderr('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n');
    return flavor === 'iputils' ? 2 : 1;
  }
  const lookup = ctx.resolver.lookupHost(o.host);
  if (!lookup.ok) {
    io.stderr(flavor === 'busybox' ? `ping: bad address '${o.host}'\n` : `ping: ${o.host}: ${lookup.reason === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n`);
    return flavor === 'busybox' ? 1 : 2;
  }
  const ip = lookup.addresses[0]!;
  const shown = lookup.canonical ?? (o.host === ip ? ip : lookup.name);
  const sameNode = ctx.network.directory.podByIP(ip)?.node === ctx.source.node;
  if (flavor === 'busybox') io.stdout(`PING ${o.host} (${ip}): 56 data bytes\n`);
  else io.stdout(`PING ${shown} (${ip}) 56(84) bytes of data.\n`);
  const times: number[] = [];
  let sent = 0;
  let errors = 0;
  const limit = o.count ?? (o.deadlineSec !== undefined ? o.deadlineSec : Infinity);
  const start = ctx.now();
  while (sent < limit) {
    const answer = ctx.network.ping(ctx.source, ip);
    const seq = sent;
    sent++;
    if (answer === 'reply') {
      const t = rtt(seq, sameNode);
      times.push(t);
      const ttl = sameNode || ctx.network.directory.nodeByIP(ip) ? 64 : 63;
      if (!o.quiet) io.stdout(flavor === 'busybox' ? `64 bytes from ${ip}: seq=${seq} ttl=${ttl} time=${t.toFixed(3)} ms\n` : `64 bytes from ${ip}: icmp_seq=${seq + 1} ttl=${ttl} time=${t.toFixed(3)} ms\n`);
    } else if (answer === 'unreachable' && flavor === 'iputils') {
      errors++;
      if (!o.quiet) io.stdout(`From ${ctx.source.ip} icmp_seq=${seq + 1} Destination Host Unreachable\n`);
    }
    if (sent < limit) yield 1000;
  }
  const elapsed = Math.max(0, ctx.now() - start);
  const received = times.length;
  const loss = Math.round(((sent - received) / Math.max(1, sent)) * 100);
  if (flavor === 'busybox') {
    io.stdout(`\n--- ${o.host} ping statistics ---\n${sent} packets transmitted, ${received} packets received, ${loss}% packet loss\n`);
    if (received) {
      const s = stats(times);
      io.stdout(`round-trip min/avg/max = ${s.min}/${s.avg}/${s.max} ms\n`);
    }
  } else {
    io.stdout(`\n--- ${shown} ping statistics ---\n${sent} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ''}${loss}% packet loss, time ${elapsed}ms\n`);
    if (received) {
      const s = stats(times);
      io.stdout(`rtt min/avg/max/mdev = ${s.min}/${s.avg}/${s.max}/${s.mdev} ms\n`);
    }
  }
  return received ? 0 : 1;
}

export const busyboxPing = (ctx: ToolContext): Tool => (args, io) => run(ctx, 'busybox', args, io);
export const iputilsPing = (ctx: ToolContext): Tool => (args, io) => run(ctx, 'iputils', args, io);
