/**
 * curl as each system builds it (Ubuntu 22.04's 7.81 on nodes, Debian's in the nginx image,
 * Alpine's in the curl images), alike for these options: -s -S -v -i -I
 * -o -O -w -H -X -d -f -k -L -m --connect-timeout, with curl's "curl: (N) ..." errors and exit
 * codes. Times in messages are the virtual milliseconds the attempt took.
 */
import { utf8Length } from '../../bytes';
import { HOST_UNREACHABLE_MS, httpRequest, KERNEL_CONNECT_TIMEOUT_MS, parseUrl, REASONS } from './http';
import type { Tool, ToolContext, ToolIO } from './types';

/** A curl build: its version (the User-Agent) and the TLS library it names in errors. */
export interface CurlBuild {
  version: string;
  openssl: string;
}

export const UBUNTU_CURL: CurlBuild = { version: '7.81.0', openssl: 'OpenSSL/3.0.2' };
export const DEBIAN_CURL: CurlBuild = { version: '7.88.1', openssl: 'OpenSSL/3.0.15' };
export const ALPINE_CURL: CurlBuild = { version: '8.11.1', openssl: 'OpenSSL/3.3.2' };

interface CurlOptions {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  fail: boolean;
  insecure: boolean;
  output?: string;
  remoteName: boolean;
  writeOut?: string;
  method?: string;
  data?: string;
  headers: [string, string][];
  maxTimeSec?: number;
  connectTimeoutSec?: number;
  userAgent: string;
  urls: string[];
}

const WITH_VALUE = new Set(['o', 'w', 'H', 'X', 'd', 'm', 'A', 'u', 'e', 'x', 'b', 'c']);
const LONG_VALUE: Record<string, string> = {
  '--output': 'o',
  '--write-out': 'w',
  '--header': 'H',
  '--request': 'X',
  '--data': 'd',
  '--data-raw': 'd',
  '--data-binary': 'd',
  '--max-time': 'm',
  '--user-agent': 'A',
  '--user': 'u',
  '--connect-timeout': 'connect-timeout',
  '--resolve': 'resolve',
  '--cacert': 'cacert',
};
const LONG_FLAG: Record<string, string> = {
  '--silent': 's',
  '--show-error': 'S',
  '--verbose': 'v',
  '--include': 'i',
  '--head': 'I',
  '--fail': 'f',
  '--insecure': 'k',
  '--location': 'L',
  '--remote-name': 'O',
  '--http1.1': '',
  '--compressed': '',
};

function parse(args: string[], build: CurlBuild): CurlOptions | { error: string; code: number } {
  const o: CurlOptions = { silent: false, showError: false, verbose: false, include: false, head: false, fail: false, insecure: false, remoteName: false, headers: [], userAgent: `curl/${build.version}`, urls: [] };
  const setValue = (key: string, v: string) => {
    if (key === 'o') o.output = v;
    else if (key === 'w') o.writeOut = v;
    else if (key === 'H') {
      const c = v.indexOf(':');
      if (c > 0) o.headers.push([v.slice(0, c).trim(), v.slice(c + 1).trim()]);
    } else if (key === 'X') o.method = v;
    else if (key === 'd') o.data = o.data === undefined ? v : `${o.data}&${v}`;
    else if (key === 'm') o.maxTimeSec = Number(v);
    else if (key === 'A') o.userAgent = v;
    else if (key === 'connect-timeout') o.connectTimeoutSec = Number(v);
  };
  const setFlag = (f: string): boolean => {
    if (f === 's') o.silent = true;
    else if (f === 'S') o.showError = true;
    else if (f === 'v') o.verbose = true;
    else if (f === 'i') o.include = true;
    else if (f === 'I') o.head = true;
    else if (f === 'f') o.fail = true;
    else if (f === 'O') o.remoteName = true;
    else if (f === 'k') o.insecure = true;
    else if (f === 'L' || f === '' || f === '4') return true;
    else return false;
    return true;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (name in LONG_FLAG) setFlag(LONG_FLAG[name]!);
      else if (name in LONG_VALUE) {
        const v = inline ?? args[++i];
        if (v === undefined) return { error: `curl: option ${name}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
        setValue(LONG_VALUE[name]!, v);
      } else return { error: `curl: option ${name}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
    } else if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const f = a[k]!;
        if (WITH_VALUE.has(f)) {
          const v = a.slice(k + 1) || args[++i];
          if (v === undefined) return { error: `curl: option -${f}: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
          setValue(f, v);
          break;
        }
        if (!setFlag(f)) return { error: `curl: option -${a.slice(k)}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`, code: 2 };
      }
    } else o.urls.push(a);
  }
  return o;
}

/** -w: %{http_code} and friends, \n and \t escapes. */
function writeOut(format: string, vars: Record<string, string>): string {
  return format
    .replace(/%\{([a-z_]+)\}/g, (m, name: string) => vars[name] ?? (name in KNOWN_VARS ? KNOWN_VARS[name]! : m))
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\r/g, '\r');
}

const KNOWN_VARS: Record<string, string> = { time_total: '0.001000', time_connect: '0.000500', size_download: '0' };

function* run(ctx: ToolContext, build: CurlBuild, args: string[], io: ToolIO): Generator<number, number, void> {
  const o = parse(args, build);
  if ('error' in o) {
    io.stderr(o.error);
    return o.code;
  }
  if (o.urls.length === 0) {
    io.stderr("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const fail = (code: number, message: string): number => {
    if (!o.silent || o.showError) io.stderr(`curl: (${code}) ${message}\n`);
    return code;
  };
  let status = 0;
  for (const raw of o.urls) {
    const url = parseUrl(raw);
    if (!url) {
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw)?.[1];
      status = scheme ? fail(1, `Protocol "${scheme}" not supported`) : fail(3, 'URL rejected: No host part in the URL');
      continue;
    }
    const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
    const headers: [string, string][] = [...o.headers];
    const outcome = httpRequest(ctx, url, { method, headers, userAgent: o.userAgent });
    const connectLimitMs = Math.min(o.connectTimeoutSec !== undefined ? o.connectTimeoutSec * 1000 : Infinity, o.maxTimeSec !== undefined ? o.maxTimeSec * 1000 : Infinity);
    if (outcome.kind === 'resolve-failed') {
      if (outcome.reason === 'timeout') yield Math.min(10_000, connectLimitMs);
      status = fail(6, `Could not resolve host: ${url.host}`);
      continue;
    }
    if (o.verbose) io.stderr(`*   Trying ${outcome.ip}:${url.port}...\n`);
    if (outcome.kind === 'timeout' || outcome.kind === 'unreachable') {
      const kernelMs = outcome.kind === 'timeout' ? KERNEL_CONNECT_TIMEOUT_MS : HOST_UNREACHABLE_MS;
      if (connectLimitMs < kernelMs) {
        yield connectLimitMs + 2;
        if (o.verbose) io.stderr(`* Connection timed out after ${connectLimitMs + 2} milliseconds\n* Closing connection\n`);
        status =
          o.connectTimeoutSec !== undefined && o.connectTimeoutSec * 1000 === connectLimitMs
            ? fail(28, `Failed to connect to ${url.host} port ${url.port} after ${connectLimitMs + 2} ms: Timeout was reached`)
            : fail(28, `Connection timed out after ${connectLimitMs + 2} milliseconds`);
        continue;
      }
      yield kernelMs;
      if (o.verbose) io.stderr(`* connect to ${outcome.ip} port ${url.port} from ${ctx.source.ip} port 0 failed: ${outcome.kind === 'timeout' ? 'Connection timed out' : 'No route to host'}\n* Failed to connect to ${url.host} port ${url.port} after ${kernelMs} ms: Couldn't connect to server\n* Closing connection\n`);
      status = fail(7, `Failed to connect to ${url.host} port ${url.port} after ${kernelMs} ms: Couldn't connect to server`);
      continue;
    }
    if (outcome.kind === 'refused') {
      if (o.verbose) io.stderr(`* connect to ${outcome.ip} port ${url.port} from ${ctx.source.ip} port 0 failed: Connection refused\n* Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server\n* Closing connection\n`);
      status = fail(7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`);
      continue;
    }
    if (o.verbose) io.stderr(`* Connected to ${url.host} (${outcome.ip}) port ${url.port}\n`);
    if (outcome.kind === 'tls-mismatch') {
      status = fail(35, `${build.openssl}: error:0A00010B:SSL routines::wrong version number`);
      continue;
    }
    if (url.scheme === 'https' && !o.insecure) {
      if (!o.silent || o.showError)
        io.stderr(
          `curl: (60) SSL certificate problem: ${outcome.selfSigned ? 'self-signed certificate' : 'unable to get local issuer certificate'}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the ${webPage(build)} mentioned above.\n`,
        );
      status = 60;
      continue;
    }
    if (outcome.kind === 'no-http') {
      status = fail(52, 'Empty reply from server');
      continue;
    }
    const res = outcome.response;
    if (res.delayMs) yield res.delayMs;
    const hostHeader = headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? (url.explicitPort ? `${url.host}:${url.port}` : url.host);
    const statusLine = `HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}`;
    const responseHeaders: [string, string][] = res.headers ?? [['Content-Length', String(utf8Length(res.body))]];
    if (o.verbose) {
      const sent = [`${method} ${url.path} HTTP/1.1`, `Host: ${hostHeader}`, `User-Agent: ${o.userAgent}`, 'Accept: */*', ...headers.filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => `${k}: ${v}`)];
      io.stderr(`${sent.map((l) => `> ${l}\r\n`).join('')}> \r\n`);
      io.stderr(`< ${statusLine}\r\n${responseHeaders.map(([k, v]) => `< ${k}: ${v}\r\n`).join('')}< \r\n`);
    }
    if (o.fail && res.status >= 400) {
      if (o.verbose) io.stderr(`* The requested URL returned error: ${res.status}\n* Closing connection\n`);
      status = fail(22, `The requested URL returned error: ${res.status}`);
      continue;
    }
    const headerText = `${statusLine}\r\n${responseHeaders.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    const body = method === 'HEAD' ? '' : res.body;
    const shown = (o.include || o.head ? headerText : '') + body;
    const target = o.output ?? (o.remoteName ? url.path.split('?')[0]!.split('/').pop() || '' : undefined);
    if (target === '') {
      status = fail(23, 'Failure writing output to destination, passed 1 returned 0');
      continue;
    }
    if (target !== undefined && target !== '-') {
      if (target !== '/dev/null') {
        try {
          io.writeFile(target, shown);
        } catch {
          status = fail(23, `Failure writing output to destination, passed ${utf8Length(shown)} returned 0`);
          continue;
        }
      }
    } else io.stdout(shown);
    if (o.verbose) io.stderr(`* Connection #0 to host ${url.host} left intact\n`);
    if (o.writeOut !== undefined) io.stdout(writeOut(o.writeOut, { http_code: String(res.status).padStart(3, '0'), response_code: String(res.status), remote_ip: outcome.ip, remote_port: String(url.port), size_download: String(utf8Length(body)), url_effective: raw }));
  }
  return status;
}

/** curl 8.9 reworded "web page" as "webpage" in its certificate help text. */
function webPage(build: CurlBuild): string {
  const [major = 0, minor = 0] = build.version.split('.').map(Number);
  return major > 8 || (major === 8 && minor >= 9) ? 'webpage' : 'web page';
}

export const curlBuild =
  (build: CurlBuild) =>
  (ctx: ToolContext): Tool =>
  (args, io) =>
    run(ctx, build, args, io);
