/**
 * nc: `-z` port checks with `-v` messages and `-w` timeouts, or sending stdin and printing what
 * comes back (an HTTP request gets the server's raw response). OpenBSD netcat's wording on the
 * nodes and in netshoot, busybox's in busybox and alpine.
 */
import { utf8Length } from '../../bytes';
import { HOST_UNREACHABLE_MS, KERNEL_CONNECT_TIMEOUT_MS, REASONS } from './http';
import type { Tool, ToolContext, ToolIO } from './types';

const SERVICES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https', 6443: 'sun-sr-https', 2379: 'etcd-client', 3306: 'mysql', 5432: 'postgresql', 6379: 'redis', 8080: 'http-alt' };

interface NcOptions {
  zero: boolean;
  verbose: boolean;
  udp: boolean;
  waitSec?: number;
  host?: string;
  ports: number[];
}

function parse(args: string[]): NcOptions | string {
  const o: NcOptions = { zero: false, verbose: false, udp: false, ports: [] };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k]!;
        if (f === 'z') o.zero = true;
        else if (f === 'v') o.verbose = true;
        else if (f === 'u') o.udp = true;
        else if (f === 'n' || f === 'N' || f === 'q') continue;
        else if (f === 'w') {
          o.waitSec = Number(a.slice(k + 1) || args[++i]);
          break;
        } else return f;
      }
    } else positional.push(a);
  }
  o.host = positional[0];
  for (const p of positional.slice(1)) {
    const range = /^(\d+)-(\d+)$/.exec(p);
    if (range) for (let n = Number(range[1]); n <= Number(range[2]); n++) o.ports.push(n);
    else o.ports.push(Number(p));
  }
  return o;
}

/** The raw response a server process gives to an HTTP request sent over a bare connection. */
function rawHttp(request: string, respond: (path: string, host: string) => { status: number; body: string; headers?: [string, string][] } | undefined): string | undefined {
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(request);
  if (!m) return undefined;
  const host = /\r?\nhost:\s*([^\r\n]*)/i.exec(request)?.[1] ?? '';
  const res = respond(m[2]!, host);
  if (!res) return undefined;
  const headers = res.headers ?? [['Content-Length', String(utf8Length(res.body))]];
  return `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${m[1] === 'HEAD' ? '' : res.body}`;
}

function* run(ctx: ToolContext, flavor: 'openbsd' | 'busybox', args: string[], io: ToolIO): Generator<number, number, void> {
  const o = parse(args);
  if (typeof o === 'string' || !o.host || o.ports.length === 0 || o.ports.some((p) => !Number.isInteger(p))) {
    io.stderr(flavor === 'openbsd' ? 'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n' : 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n');
    return 1;
  }
  const lookup = ctx.resolver.lookupHost(o.host);
  if (!lookup.ok) {
    io.stderr(flavor === 'openbsd' ? `nc: getaddrinfo for host "${o.host}" port ${o.ports[0]}: ${lookup.reason === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}\n` : `nc: bad address '${o.host}'\n`);
    return 1;
  }
  const ip = lookup.addresses[0]!;
  // OpenBSD netcat adds " (ip)" after a host given by name.
  const shown = o.host === ip ? ip : `${o.host} (${ip})`;
  let status = 0;
  for (const port of o.ports) {
    const conn = ctx.network.connect(ctx.source, ip, port, o.udp ? 'UDP' : 'TCP');
    const proto = o.udp ? 'udp' : 'tcp';
    const service = SERVICES[port] ?? '*';
    if (conn.kind === 'open') {
      if (o.verbose) io.stderr(flavor === 'openbsd' ? `Connection to ${shown} ${port} port [${proto}/${service}] succeeded!\n` : `${o.host} (${ip}:${port}) open\n`);
      if (!o.zero && io.stdin) {
        const reply = rawHttp(io.stdin, (path, host) => conn.listener.http?.(conn.target.port, path, { method: 'GET', path, host, headers: [], clientIP: conn.clientIP }));
        if (reply) io.stdout(reply);
      }
      continue;
    }
    status = 1;
    if (conn.kind === 'refused') {
      if (flavor === 'openbsd') io.stderr(`nc: connect to ${shown} port ${port} (${proto}) failed: Connection refused\n`);
      continue;
    }
    const kernelMs = conn.kind === 'timeout' ? KERNEL_CONNECT_TIMEOUT_MS : HOST_UNREACHABLE_MS;
    if (o.waitSec !== undefined && o.waitSec * 1000 < kernelMs) {
      yield o.waitSec * 1000;
      if (flavor === 'openbsd') io.stderr(`nc: connect to ${shown} port ${port} (${proto}) timed out: Operation now in progress\n`);
      else if (o.verbose) io.stderr(`nc: ${o.host} (${ip}:${port}): Connection timed out\n`);
      continue;
    }
    yield kernelMs;
    const why = conn.kind === 'timeout' ? 'Connection timed out' : 'No route to host';
    if (flavor === 'openbsd') io.stderr(`nc: connect to ${shown} port ${port} (${proto}) failed: ${why}\n`);
    else if (o.verbose) io.stderr(`nc: ${o.host} (${ip}:${port}): Connection timed out\n`);
  }
  return status;
}

export const openbsdNc = (ctx: ToolContext): Tool => (args, io) => run(ctx, 'openbsd', args, io);
export const busyboxNc = (ctx: ToolContext): Tool => (args, io) => run(ctx, 'busybox', args, io);
