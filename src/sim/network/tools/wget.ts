/**
 * busybox wget (1.36): `-q`, `-O FILE` (`-` for stdout), `-T SEC`, `--spider`, `-S`, `-U`,
 * `--header`, with busybox's messages on stderr and its exit status 1 for every failure.
 */
import { utf8Length } from '../../bytes';
import { HOST_UNREACHABLE_MS, httpRequest, KERNEL_CONNECT_TIMEOUT_MS, parseUrl, REASONS } from './http';
import { strerror, type Libc } from './errors';
import type { Tool, ToolContext, ToolIO } from './types';

interface WgetOptions {
  quiet: boolean;
  output?: string;
  timeoutSec?: number;
  spider: boolean;
  serverResponse: boolean;
  userAgent: string;
  headers: [string, string][];
  urls: string[];
}

const USAGE = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n\n\t--spider\tOnly check URL existence: $? is 0 if exists\n\t--header STR\tAdd STR (of form \'header: value\') to headers\n\t--post-data STR\tSend STR using POST method\n\t--post-file FILE\tSend FILE using POST method\n\t--no-check-certificate\tDon\'t validate the server\'s certificate\n\t-c\t\tContinue retrieval of aborted transfer\n\t-q\t\tQuiet\n\t-P DIR\t\tSave to DIR (default .)\n\t-S    \t\tShow server response\n\t-T SEC\t\tNetwork read timeout is SEC seconds\n\t-O FILE\t\tSave to FILE (\'-\' for stdout)\n\t-o LOGFILE\tLog messages to FILE\n\t-U STR\t\tUse STR for User-Agent header\n\t-Y on/off\tUse proxy\n';

function parse(args: string[]): WgetOptions | string {
  const o: WgetOptions = { quiet: false, spider: false, serverResponse: false, userAgent: 'Wget', headers: [], urls: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => args[++i];
    if (a === '--spider') o.spider = true;
    else if (a === '--header') {
      const h = value() ?? '';
      const c = h.indexOf(':');
      if (c > 0) o.headers.push([h.slice(0, c).trim(), h.slice(c + 1).trim()]);
    } else if (a === '--no-check-certificate' || a === '-c') continue;
    else if (a.startsWith('--timeout=')) o.timeoutSec = Number(a.slice(10));
    else if (a.startsWith('--output-document=')) o.output = a.slice(18);
    else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k]!;
        if (f === 'q') o.quiet = true;
        else if (f === 'S') o.serverResponse = true;
        else if (f === 'O' || f === 'T' || f === 'U' || f === 'P' || f === 'o' || f === 'Y') {
          const v = a.slice(k + 1) || value();
          if (v === undefined) return `wget: option requires an argument -- '${f}'\n${USAGE}`;
          if (f === 'O') o.output = v;
          else if (f === 'T') o.timeoutSec = Number(v);
          else if (f === 'U') o.userAgent = v;
          break;
        } else return `wget: unrecognized option: ${f}\n${USAGE}`;
      }
    } else if (a.startsWith('--')) return `wget: unrecognized option '${a}'\n${USAGE}`;
    else o.urls.push(a);
  }
  return o;
}

/** The file name wget saves a URL's path to: its last segment, index.html for a directory. */
function localName(path: string): string {
  const clean = path.split('?')[0]!;
  const last = clean.slice(clean.lastIndexOf('/') + 1);
  return last || 'index.html';
}

/** busybox's progress line for a finished transfer (no terminal: one line). */
function progress(name: string, size: number): string {
  const label = name.length > 20 ? name.slice(0, 20) : name.padEnd(20);
  return `${label} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n`;
}

function* run(ctx: ToolContext, libc: Libc, args: string[], io: ToolIO): Generator<number, number, void> {
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    io.stderr(parsed);
    return 1;
  }
  if (parsed.urls.length === 0) {
    io.stderr(USAGE);
    return 1;
  }
  let status = 0;
  for (const raw of parsed.urls) {
    const url = parseUrl(raw);
    if (!url) {
      io.stderr(`wget: not an http or ftp url: ${raw}\n`);
      return 1;
    }
    const outcome = httpRequest(ctx, url, { method: parsed.spider ? 'HEAD' : 'GET', headers: parsed.headers, userAgent: parsed.userAgent });
    if (outcome.kind === 'resolve-failed') {
      if (outcome.reason === 'timeout') yield 10_000;
      io.stderr(`wget: bad address '${url.host}'\n`);
      return 1;
    }
    if (!parsed.quiet) io.stderr(`Connecting to ${url.host} (${outcome.ip}:${url.port})\n`);
    if (outcome.kind === 'timeout') {
      if (parsed.timeoutSec !== undefined && parsed.timeoutSec > 0) {
        yield parsed.timeoutSec * 1000;
        io.stderr('wget: download timed out\n');
      } else {
        yield KERNEL_CONNECT_TIMEOUT_MS;
        io.stderr(`wget: can't connect to remote host (${outcome.ip}): ${strerror(libc, 'timeout')}\n`);
      }
      return 1;
    }
    if (outcome.kind === 'refused' || outcome.kind === 'unreachable') {
      if (outcome.kind === 'unreachable') yield HOST_UNREACHABLE_MS;
      io.stderr(`wget: can't connect to remote host (${outcome.ip}): ${strerror(libc, outcome.kind)}\n`);
      return 1;
    }
    if (outcome.kind === 'tls-mismatch') {
      io.stderr('wget: error getting response: Connection reset by peer\n');
      return 1;
    }
    if (outcome.kind === 'no-http') {
      if (parsed.timeoutSec !== undefined && parsed.timeoutSec > 0) {
        yield parsed.timeoutSec * 1000;
        io.stderr('wget: download timed out\n');
      } else io.stderr('wget: error getting response\n');
      return 1;
    }
    const res = outcome.response;
    if (res.delayMs) yield res.delayMs;
    if (parsed.serverResponse) {
      io.stderr(`  HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}\n`);
      for (const [k, v] of res.headers ?? []) io.stderr(`  ${k}: ${v}\n`);
    }
    if (res.status >= 400) {
      io.stderr(`wget: server returned error: HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}\n`);
      status = 1;
      continue;
    }
    if (parsed.spider) {
      if (!parsed.quiet) io.stderr('remote file exists\n');
      continue;
    }
    const size = utf8Length(res.body);
    const target = parsed.output ?? localName(url.path);
    if (target === '-') {
      if (!parsed.quiet) io.stderr('writing to stdout\n');
      io.stdout(res.body);
      if (!parsed.quiet) io.stderr(`${progress('-', size)}written to stdout\n`);
      continue;
    }
    if (!parsed.quiet) io.stderr(`saving to '${target}'\n`);
    try {
      io.writeFile(target, res.body);
    } catch {
      io.stderr(`wget: can't open '${target}': Permission denied\n`);
      return 1;
    }
    if (!parsed.quiet) io.stderr(`${progress(target, size)}'${target}' saved\n`);
  }
  return status;
}

/** busybox wget on glibc (the busybox image) or musl (alpine). */
export const busyboxWget =
  (libc: Libc) =>
  (ctx: ToolContext): Tool =>
  (args, io) =>
    run(ctx, libc, args, io);
