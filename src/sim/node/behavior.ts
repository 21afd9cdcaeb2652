/**
 * The container behaviour catalog: what each known image does when it starts — the log lines
 * it prints, the ports it answers on, whether it exits (and with what code), how long it takes
 * to stop on SIGTERM and how much memory it uses. Data, easy to extend.
 */
import { FsFailure, normalizePath } from './fs';
import { base64Encode, utf8Length } from '../bytes';
import { accessLogTime, httpDate, ingressNginxProcess, type Connection, type HttpRequest, type HttpResponse, type ObjectReader } from '../network';
import { MiniShell, scriptFromArgv, type ShellFs } from './script';

export interface ContainerContext {
  env: Record<string, string>;
  /** The process arguments (command + args, or the image's entrypoint and cmd). */
  argv: string[];
  hostname: string;
  now(): number;
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  exit(code: number): void;
  /** Calls `fn` after `ms` of virtual time, unless the container has stopped by then. */
  after(ms: number, fn: () => void): void;
  /** The container's file system (root file system and volumes). */
  readonly fs: ShellFs;
  cwd?: string;
  processes(): { pid: number; args: string }[];
  /** The process's resident memory changed (the OOM killer acts when it passes the limit). */
  setMemory(bytes: number): void;
  /** The cluster as an in-cluster client sees it (controllers and add-ons running in pods). */
  cluster?: InClusterAccess;
}

/** What a process in a pod reaches: the API (as its service account) and the network. */
export interface InClusterAccess {
  /** Reads objects as an informer cache would. */
  reader: ObjectReader;
  /** Opens a connection from the pod's network namespace. */
  connect(ip: string, port: number): Connection;
  /** Sends an API request with the pod's service account token. */
  request(req: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown }): { status: number; body: unknown };
  /** Random hex digits from the cluster's seeded stream (request IDs). */
  hex(length: number): string;
}

export type { HttpResponse };

export interface RunningProcess {
  /** Ports the process listens on (TCP). */
  ports: number[];
  /** The ports among them that speak TLS (HTTPS). */
  tlsPorts?: number[];
  /** Answers an HTTP request on a port it listens on (`req` when a client sent it, not a probe). */
  http?(port: number, path: string, req?: HttpRequest): HttpResponse | undefined;
  /** Answers DNS on port 53 (CoreDNS). */
  dns?: boolean;
  /** Milliseconds the process takes to exit after SIGTERM; Infinity when it ignores it (PID 1 sleep). */
  stopMillis: number;
  /** Resident memory in bytes (for OOM kills and metrics). */
  memoryBytes: number;
  /** CPU use in millicores (for metrics). */
  cpuMillis: number;
}

export interface ImageDefaults {
  entrypoint: string[];
  cmd: string[];
}

interface Behavior {
  defaults: ImageDefaults;
  start(ctx: ContainerContext): RunningProcess;
}


function nginxTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Runs a script-style command (sh -c, or a plain command) with the mini shell. */
function runCommand(ctx: ContainerContext, argv: string[]): RunningProcess {
  const script = scriptFromArgv(argv);
  // The container log is line-based; a partial line is logged when the process exits.
  const pending = { stdout: '', stderr: '' };
  const write = (stream: 'stdout' | 'stderr') => (text: string) => {
    const lines = (pending[stream] + text).split('\n');
    pending[stream] = lines.pop()!;
    for (const l of lines) ctx.log(l, stream);
  };
  const flush = () => {
    for (const stream of ['stdout', 'stderr'] as const) if (pending[stream]) ctx.log(pending[stream], stream);
    pending.stdout = pending.stderr = '';
  };
  const shell = new MiniShell({
    env: ctx.env,
    now: ctx.now,
    hostname: ctx.hostname,
    stdout: write('stdout'),
    stderr: write('stderr'),
    fs: ctx.fs,
    ...(ctx.cwd ? { cwd: ctx.cwd } : {}),
    processes: ctx.processes,
  });
  const steps = shell.run(script);
  const step = () => {
    const r = steps.next();
    if (r.done) {
      flush();
      ctx.exit(r.value);
    }
    else if (r.value !== Infinity) ctx.after(r.value, step);
  };
  step();
  return { ports: [], stopMillis: Infinity, memoryBytes: 600 * 1024, cpuMillis: 0 };
}

const busyboxLike = (cmd: string[]): Behavior => ({
  defaults: { entrypoint: [], cmd },
  start: (ctx) => runCommand(ctx, ctx.argv),
});

const NGINX_404 = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n';
const NGINX_403 = '<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n';
const HTTPD_404 = '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n';

/**
 * A static file server over the container's file system: `/` and directories serve index.html;
 * a directory without one is 403 (no autoindex), a missing file 404.
 */
function serveFile(fs: ShellFs, docroot: string, urlPath: string, notFound: string, forbidden: string | ((dir: string, url: string) => string)): HttpResponse {
  const clean = urlPath.split('?')[0]!;
  let path = normalizePath(`${docroot}/${clean}`);
  try {
    if (fs.stat(path)?.kind === 'dir') {
      const dir = path;
      path = `${dir === '/' ? '' : dir}/index.html`;
      if (!fs.stat(path)) return typeof forbidden === 'string' ? { status: 403, body: forbidden } : { status: 200, body: forbidden(dir, clean) };
    }
    return { status: 200, body: fs.read(path) };
  } catch (err) {
    if (err instanceof FsFailure) return { status: 404, body: notFound };
    throw err;
  }
}

/** The image's index.html was built at this time (its Last-Modified and ETag). */
const NGINX_INDEX_MTIME = Date.UTC(2024, 10, 26, 15, 55, 0);

function nginxHeaders(res: HttpResponse, length: number, now: number): [string, string][] {
  const headers: [string, string][] = [
    ['Server', 'nginx/1.27.3'],
    ['Date', httpDate(now)],
    ['Content-Type', 'text/html'],
    ['Content-Length', String(length)],
  ];
  if (res.status === 200) headers.push(['Last-Modified', httpDate(NGINX_INDEX_MTIME)]);
  headers.push(['Connection', 'keep-alive']);
  if (res.status === 200) headers.push(['ETag', `"${(NGINX_INDEX_MTIME / 1000).toString(16)}-${length.toString(16)}"`], ['Accept-Ranges', 'bytes']);
  return headers;
}

/** nginx's start-up lines at a given second (cached: pods started together share the strings). */
let nginxLines: { t: string; lines: string[] } | undefined;
function nginxStartLines(ms: number): string[] {
  const t = nginxTime(ms);
  if (nginxLines?.t === t) return nginxLines.lines;
  const lines = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${t} [notice] 1#1: using the "epoll" event method`,
    `${t} [notice] 1#1: nginx/1.27.3`,
    `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
    `${t} [notice] 1#1: OS: Linux 5.15.0-131-generic`,
    `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
    `${t} [notice] 1#1: start worker processes`,
    `${t} [notice] 1#1: start worker process 29`,
    `${t} [notice] 1#1: start worker process 30`,
  ];
  nginxLines = { t, lines };
  return lines;
}

const PYTHON_404 =
  '<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n';

/**
 * python and node images: the bare interpreter is a REPL that reads stdin, which a container
 * without `stdin: true` closes, so it exits 0 at once (and a Deployment of it crash-loops);
 * `python -m http.server [port]` serves its directory; anything else runs as a command.
 */
function interpreter(cmd: string[], name: RegExp): Behavior {
  return {
    defaults: { entrypoint: [], cmd },
    start(ctx) {
      const [bin = '', ...args] = ctx.argv;
      if (!name.test(bin.replace(/^.*\//, ''))) return runCommand(ctx, ctx.argv);
      if (args.length === 0) {
        ctx.after(50, () => ctx.exit(0));
        return { ports: [], stopMillis: 0, memoryBytes: 9 * 1024 * 1024, cpuMillis: 0 };
      }
      if (args[0] === '-m' && args[1] === 'http.server') {
        const port = Number(args[2] ?? 8000);
        ctx.log(`Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`);
        const listing = (dir: string, url: string) => {
          const items = ctx.fs.list(dir).map((n) => (ctx.fs.stat(`${dir === '/' ? '' : dir}/${n}`)?.kind === 'dir' ? `${n}/` : n));
          const title = `Directory listing for ${url}`;
          return `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n<h1>${title}</h1>\n<hr>\n<ul>\n${items.map((i) => `<li><a href="${i}">${i}</a></li>\n`).join('')}</ul>\n<hr>\n</body>\n</html>\n`;
        };
        return { ports: [port], http: (p, path) => (p === port ? serveFile(ctx.fs, ctx.cwd ?? '/', path, PYTHON_404, listing) : undefined), stopMillis: 100, memoryBytes: 14 * 1024 * 1024, cpuMillis: 1 };
      }
      const script = args.find((a) => !a.startsWith('-')) ?? '';
      const path = normalizePath(script, ctx.cwd ?? '/');
      // A script we cannot interpret but that exists runs as a quiet long-lived process.
      if (ctx.fs.stat(path)?.kind === 'file') return { ports: [], stopMillis: 100, memoryBytes: 20 * 1024 * 1024, cpuMillis: 2 };
      const isNode = cmd[0] === 'node';
      if (isNode) for (const line of ['node:internal/modules/cjs/loader:1228', '  throw err;', '  ^', '', `Error: Cannot find module '${path}'`]) ctx.log(line, 'stderr');
      else ctx.log(`${bin}: can't open file '${path}': [Errno 2] No such file or directory`, 'stderr');
      ctx.after(50, () => ctx.exit(isNode ? 1 : 2));
      return { ports: [], stopMillis: 0, memoryBytes: 9 * 1024 * 1024, cpuMillis: 0 };
    },
  };
}

function isDefaultNginx(argv: string[]): boolean {
  return argv[0] === '/docker-entrypoint.sh' || argv[0] === 'nginx';
}

const nginx: Behavior = {
  defaults: { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] },
  start(ctx) {
    if (!isDefaultNginx(ctx.argv)) return runCommand(ctx, ctx.argv);
    for (const line of nginxStartLines(ctx.now()))
      ctx.log(line, line.includes('[notice]') ? 'stderr' : 'stdout');
    return {
      ports: [80],
      http: (port, path, req) => {
        if (port !== 80) return undefined;
        const res = serveFile(ctx.fs, '/usr/share/nginx/html', path, NGINX_404, NGINX_403);
        if (!req) return res;
        // A client's request: nginx's headers, and its access log line on stdout.
        const length = utf8Length(res.body);
        ctx.log(`${req.clientIP} - - [${accessLogTime(ctx.now())}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${req.method === 'HEAD' ? 0 : length} "-" "${req.userAgent ?? '-'}" "-"`);
        return { ...res, headers: nginxHeaders(res, length, ctx.now()) };
      },
      stopMillis: 100,
      memoryBytes: 3 * 1024 * 1024,
      cpuMillis: 0,
    };
  },
};

const httpd: Behavior = {
  defaults: { entrypoint: [], cmd: ['httpd-foreground'] },
  start(ctx) {
    if (ctx.argv[0] !== 'httpd-foreground') return runCommand(ctx, ctx.argv);
    ctx.log(`AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.env.__POD_IP__ ?? '10.244.1.2'}. Set the 'ServerName' directive globally to suppress this message`, 'stderr');
    ctx.log(`AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.env.__POD_IP__ ?? '10.244.1.2'}. Set the 'ServerName' directive globally to suppress this message`, 'stderr');
    return {
      ports: [80],
      http: (port, path) => (port !== 80 ? undefined : serveFile(ctx.fs, '/usr/local/apache2/htdocs', path, HTTPD_404, HTTPD_404)),
      stopMillis: 1000,
      memoryBytes: 6 * 1024 * 1024,
      cpuMillis: 1,
    };
  },
};

function database(name: string, required: string[][], errorLines: (ctx: ContainerContext) => string[], port: number, memory: number): Behavior {
  return {
    defaults: { entrypoint: ['docker-entrypoint.sh'], cmd: [name] },
    start(ctx) {
      if (ctx.argv[0] !== 'docker-entrypoint.sh') return runCommand(ctx, ctx.argv);
      const satisfied = required.some((alternatives) => alternatives.every((v) => ctx.env[v] !== undefined && ctx.env[v] !== ''));
      if (!satisfied) {
        for (const line of errorLines(ctx)) ctx.log(line, 'stderr');
        ctx.after(100, () => ctx.exit(1));
        return { ports: [], stopMillis: 0, memoryBytes: 10 * 1024 * 1024, cpuMillis: 0 };
      }
      ctx.log(`${name}: ready for connections on port ${port}`);
      return { ports: [port], stopMillis: 2000, memoryBytes: memory, cpuMillis: 5 };
    },
  };
}

function mysqlTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00').replace(/\.(\d{3})000/, '.$1000');
}

const mysql = database(
  'mysqld',
  [['MYSQL_ROOT_PASSWORD'], ['MYSQL_ALLOW_EMPTY_PASSWORD'], ['MYSQL_RANDOM_ROOT_PASSWORD']],
  (ctx) => {
    const t = mysqlTime(ctx.now());
    return [
      `${t} [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.1.0-1.el9 started.`,
      `${t} [Note] [Entrypoint]: Switching to dedicated user 'mysql'`,
      `${t} [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.1.0-1.el9 started.`,
      `${t} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
      '    You need to specify one of the following as an environment variable:',
      '    - MYSQL_ROOT_PASSWORD',
      '    - MYSQL_ALLOW_EMPTY_PASSWORD',
      '    - MYSQL_RANDOM_ROOT_PASSWORD',
    ];
  },
  3306,
  380 * 1024 * 1024,
);

const mariadb = database(
  'mariadbd',
  [['MARIADB_ROOT_PASSWORD'], ['MYSQL_ROOT_PASSWORD'], ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD'], ['MARIADB_RANDOM_ROOT_PASSWORD']],
  (ctx) => {
    const t = new Date(ctx.now()).toISOString().replace('T', ' ').replace(/\..*/, '');
    return [
      `${t}+00:00 [Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.4.4+maria~ubu2404 started.`,
      `${t}+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
      '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD',
    ];
  },
  3306,
  90 * 1024 * 1024,
);

const postgres = database(
  'postgres',
  [['POSTGRES_PASSWORD'], ['POSTGRES_HOST_AUTH_METHOD']],
  () => [
    'Error: Database is uninitialized and superuser password is not specified.',
    '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
    '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
    '',
    '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
    '       connections without a password. This is *not* recommended.',
    '',
    '       See PostgreSQL documentation about "trust":',
    '       https://www.postgresql.org/docs/current/auth-trust.html',
  ],
  5432,
  40 * 1024 * 1024,
);

const redis: Behavior = {
  defaults: { entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] },
  start(ctx) {
    if (ctx.argv[0] !== 'docker-entrypoint.sh') return runCommand(ctx, ctx.argv);
    const t = new Date(ctx.now());
    const stamp = `1:M ${String(t.getUTCDate()).padStart(2, '0')} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][t.getUTCMonth()]} ${t.getUTCFullYear()} ${t.toISOString().slice(11, 23)}`;
    ctx.log(`1:C ${stamp.slice(4)} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.`);
    ctx.log(`${stamp} * Ready to accept connections tcp`);
    return { ports: [6379], stopMillis: 200, memoryBytes: 4 * 1024 * 1024, cpuMillis: 2 };
  },
};

/** bpi(n) from Perl's bignum: n significant digits of pi. */
export function piDigits(n: number): string {
  const extra = 10n;
  const scale = 10n ** (BigInt(n) + extra);
  const arctanInv = (x: bigint) => {
    let sum = 0n;
    let term = scale / x;
    const x2 = x * x;
    for (let k = 0n; term !== 0n; k++) {
      sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
  const digits = (pi / 10n ** extra).toString();
  return `${digits[0]}.${digits.slice(1, n)}`;
}

const perl: Behavior = {
  defaults: { entrypoint: [], cmd: ['perl', '-de0'] },
  start(ctx) {
    const joined = ctx.argv.join(' ');
    const bpi = /bpi\((\d+)\)/.exec(joined);
    if (ctx.argv[0] === 'perl' && bpi) {
      const n = Math.min(Number(bpi[1]), 20000);
      // The computation takes a few seconds of CPU for 2000 digits.
      ctx.after(Math.max(500, n * 4), () => {
        ctx.log(piDigits(n));
        ctx.exit(0);
      });
      return { ports: [], stopMillis: 0, memoryBytes: 8 * 1024 * 1024, cpuMillis: 950 };
    }
    if (ctx.argv[0] === 'perl') {
      ctx.after(10, () => ctx.exit(0));
      return { ports: [], stopMillis: 0, memoryBytes: 4 * 1024 * 1024, cpuMillis: 0 };
    }
    return runCommand(ctx, ctx.argv);
  },
};

const stress: Behavior = {
  defaults: { entrypoint: [], cmd: [] },
  start(ctx) {
    if (ctx.argv[0] !== 'stress') return runCommand(ctx, ctx.argv);
    const bytes = /--vm-bytes\s+(\d+)([KMG]?)/.exec(ctx.argv.join(' '));
    const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(bytes?.[2] ?? 'M') as '' | 'K' | 'M' | 'G'];
    const memory = bytes ? Number(bytes[1]) * mult : 256 * 1024 ** 2;
    ctx.log('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd');
    // The vm worker allocates its bytes over a moment, then holds them (--vm-hang).
    ctx.after(300, () => ctx.setMemory(memory));
    return { ports: [], stopMillis: 0, memoryBytes: 1024 * 1024, cpuMillis: 1000 };
  },
};

function httpEcho(port: number, body: (path: string, ctx: ContainerContext) => string, firstLog: string): Behavior {
  return {
    defaults: { entrypoint: [], cmd: ['/app'] },
    start(ctx) {
      if (ctx.argv[0] !== '/app') return runCommand(ctx, ctx.argv);
      ctx.log(firstLog);
      return { ports: [port], http: (p, path) => (p === port ? { status: 200, body: body(path, ctx) } : undefined), stopMillis: 100, memoryBytes: 5 * 1024 * 1024, cpuMillis: 1 };
    },
  };
}

const BEHAVIORS: Record<string, Behavior> = {
  'docker.io/library/nginx': nginx,
  'docker.io/library/httpd': httpd,
  'docker.io/library/busybox': busyboxLike(['sh']),
  'docker.io/library/alpine': busyboxLike(['/bin/sh']),
  'docker.io/library/ubuntu': busyboxLike(['/bin/bash']),
  'docker.io/library/debian': busyboxLike(['bash']),
  'docker.io/library/python': interpreter(['python3'], /^python[0-9.]*$/),
  'docker.io/library/node': interpreter(['node'], /^node(js)?$/),
  'docker.io/library/perl': perl,
  'docker.io/library/redis': redis,
  'docker.io/library/mysql': mysql,
  'docker.io/library/mariadb': mariadb,
  'docker.io/library/postgres': postgres,
  'docker.io/library/mongo': database('mongod', [[]], () => [], 27017, 80 * 1024 * 1024),
  'docker.io/polinux/stress': stress,
  // Network tool images: their default command is a shell or the tool itself (which exits).
  'docker.io/curlimages/curl': busyboxLike(['curl']),
  'docker.io/nicolaka/netshoot': busyboxLike(['zsh']),
  'registry.k8s.io/e2e-test-images/jessie-dnsutils': busyboxLike(['sleep', '3600']),
  'registry.k8s.io/e2e-test-images/agnhost': busyboxLike(['pause']),
  'ghcr.io/subicura/echo': httpEcho(3000, (path, ctx) => `${ctx.hostname} ${path}\n`, 'Listening on port 3000'),
  'docker.io/kubetm/hello': httpEcho(8000, () => 'Hello World!\n', 'Server running at http://0.0.0.0:8000/'),
  'docker.io/kubetm/app': httpEcho(8080, (_p, ctx) => `Hostname : ${ctx.hostname}\n`, 'Server running at http://0.0.0.0:8080/'),
  'docker.io/kubetm/init': httpEcho(8080, (_p, ctx) => `Hostname : ${ctx.hostname}\n`, 'Server running at http://0.0.0.0:8080/'),
};

/** A long-lived server with typical usage (add-ons and unknown images). */
function server(cpuMillis: number, memoryMiB: number, ports: number[] = []): Behavior {
  return {
    defaults: { entrypoint: ['/server'], cmd: [] },
    start: () => ({ ports, stopMillis: 500, memoryBytes: memoryMiB * 1024 * 1024, cpuMillis }),
  };
}

// ---- system images: each answers its own health endpoints -----------------------------------

/** Go's http.ServeMux answer for a path nothing handles. */
const GO_NOT_FOUND: HttpResponse = { status: 404, body: '404 page not found\n' };

/** What an HTTP handler on one port answers for a path (without its query), undefined for 404. */
type Routes = Record<number, (path: string, query: string) => HttpResponse | undefined>;

function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

/** A server that listens on `ports`, answers HTTP on the ports it has routes for, and serves TLS on `tlsPorts`. */
function systemServer(cpuMillis: number, memoryMiB: number, ports: number[], routes: Routes, tlsPorts: number[] = [], stopMillis = 500): RunningProcess {
  return {
    ports,
    tlsPorts,
    http: (port, url) => {
      const route = routes[port];
      if (!route) return undefined;
      const [path, query] = splitUrl(url);
      return route(path, query) ?? GO_NOT_FOUND;
    },
    stopMillis,
    memoryBytes: memoryMiB * 1024 * 1024,
    cpuMillis,
  };
}

const OK: HttpResponse = { status: 200, body: 'ok' };

/**
 * A Kubernetes component's secure port for an anonymous client (what a kubelet probe is): the
 * health paths answer "ok", /metrics and the rest are forbidden.
 */
function componentPort(healthPaths: string[], handled: string[] = []): (path: string) => HttpResponse | undefined {
  return (path) => {
    if (healthPaths.includes(path)) return OK;
    // Always-allowed paths (--authorization-always-allow-paths) that the component does not serve.
    if (handled.includes(path)) return undefined;
    const message = `forbidden: User "system:anonymous" cannot get path "${path}"`;
    return {
      status: 403,
      body: `${JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details: {}, code: 403 }, null, 2)}\n`,
    };
  };
}

/** /metrics on an unauthenticated metrics port (the exposition itself is not simulated). */
const metricsOnly = (path: string): HttpResponse | undefined => (path === '/metrics' ? { status: 200, body: '' } : undefined);

/** kube-apiserver on 6443 (HTTPS): /livez, /readyz and /healthz are open to anonymous clients. */
const kubeApiserver: Behavior = {
  defaults: { entrypoint: ['kube-apiserver'], cmd: [] },
  start: () => systemServer(48, 285, [6443], { 6443: componentPort(['/livez', '/readyz', '/healthz']) }, [6443]),
};

/** kube-controller-manager on 10257 (HTTPS): only /healthz is served; /readyz and /livez are allowed but not handled. */
const kubeControllerManager: Behavior = {
  defaults: { entrypoint: ['kube-controller-manager'], cmd: [] },
  start: () => systemServer(16, 58, [10257], { 10257: componentPort(['/healthz'], ['/readyz', '/livez']) }, [10257]),
};

/** kube-scheduler on 10259 (HTTPS): /healthz, /livez and /readyz. */
const kubeScheduler: Behavior = {
  defaults: { entrypoint: ['kube-scheduler'], cmd: [] },
  start: () => systemServer(4, 24, [10259], { 10259: componentPort(['/healthz', '/livez', '/readyz']) }, [10259]),
};

/**
 * etcd 3.5: clients and peers on 2379/2380 (TLS), and the metrics listener on 2381 (HTTP) that
 * kubeadm's probes use: /health answers {"health":"true","reason":""}, /livez and /readyz (3.5.11+) "ok".
 */
const etcd: Behavior = {
  defaults: { entrypoint: ['/usr/local/bin/etcd'], cmd: [] },
  start: () =>
    systemServer(
      24,
      46,
      [2379, 2380, 2381],
      {
        2381: (path) => {
          if (path === '/health') return { status: 200, body: '{"health":"true","reason":""}' };
          if (path === '/livez' || path === '/readyz') return OK;
          return metricsOnly(path);
        },
      },
      [2379, 2380],
    ),
};

/** Go's time.Time.String() with its monotonic reading: "2025-06-02 09:30:00.5 +0000 UTC m=+1800.500000000". */
function goTimeString(ms: number, sinceStartMs: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  const mono = `${Math.floor(sinceStartMs / 1000)}.${String(sinceStartMs % 1000).padStart(3, '0')}000000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC m=+${mono}`;
}

/** kube-proxy: the healthz server on 10256 (/healthz and /livez, JSON) and metrics on 10249. */
const kubeProxy: Behavior = {
  defaults: { entrypoint: ['/usr/local/bin/kube-proxy'], cmd: [] },
  start(ctx) {
    const started = ctx.now();
    const stamp = () => JSON.stringify(goTimeString(ctx.now(), ctx.now() - started));
    return systemServer(1, 21, [10249, 10256], {
      10249: metricsOnly,
      10256: (path) => {
        const t = stamp();
        if (path === '/healthz') return { status: 200, body: `{"lastUpdated": ${t},"currentTime": ${t}, "nodeEligible": true}` };
        if (path === '/livez') return { status: 200, body: `{"lastUpdated": ${t},"currentTime": ${t}}` };
        return undefined;
      },
    });
  },
};

/** The -conf file a CoreDNS process reads (the kubeadm Deployment mounts its ConfigMap at /etc/coredns). */
function corefile(ctx: ContainerContext): string | undefined {
  const i = ctx.argv.indexOf('-conf');
  const path = i >= 0 ? ctx.argv[i + 1] : 'Corefile';
  if (!path) return undefined;
  try {
    return ctx.fs.read(normalizePath(path, ctx.cwd ?? '/'));
  } catch {
    return undefined;
  }
}

/** The port of a plugin's listen address ("health :8080", "prometheus localhost:9153"), its default when absent. */
function pluginPort(conf: string, plugin: string, fallback: number): number | undefined {
  const m = new RegExp(`^\\s*${plugin}(?:[ \\t]+([^\\s{]+))?[ \\t]*(?:\\{|$)`, 'm').exec(conf);
  if (!m) return undefined;
  const port = Number(/:(\d+)$/.exec(m[1] ?? '')?.[1] ?? fallback);
  return Number.isFinite(port) ? port : fallback;
}

/**
 * CoreDNS: DNS on 53, and the plugins its Corefile enables — health (GET /health "OK", default
 * :8080, with its lameduck delay on shutdown), ready (GET /ready "OK" once the kubernetes plugin
 * has synced, default :8181) and prometheus (/metrics, default :9153). DNS answers themselves are
 * not simulated.
 */
const coredns: Behavior = {
  defaults: { entrypoint: ['/coredns'], cmd: [] },
  start(ctx) {
    const conf = corefile(ctx) ?? 'health\nready\nprometheus :9153\n';
    const health = pluginPort(conf, 'health', 8080);
    const ready = pluginPort(conf, 'ready', 8181);
    const prometheus = pluginPort(conf, 'prometheus', 9153);
    const routes: Routes = {};
    const add = (port: number | undefined, path: string, answer: () => HttpResponse) => {
      if (port === undefined) return;
      const previous = routes[port];
      routes[port] = (p, q) => (p === path ? answer() : previous?.(p, q));
    };
    add(health, '/health', () => ({ status: 200, body: 'OK' }));
    add(ready, '/ready', () => ({ status: 200, body: 'OK' }));
    add(prometheus, '/metrics', () => ({ status: 200, body: '' }));
    const lameduck = /lameduck\s+(\d+)s/.exec(conf);
    const ports = [53, ...[health, ready, prometheus].filter((p): p is number => p !== undefined)];
    return { ...systemServer(2, 16, [...new Set(ports)], routes, [], lameduck ? Number(lameduck[1]) * 1000 : 100), dns: true };
  },
};

/** klog's header: "I0602 09:00:00.000000       7 file.go:1] ". */
function klog(level: 'I' | 'W' | 'E', ms: number, pid: number, where: string, text: string): string {
  const iso = new Date(ms).toISOString();
  return `${level}${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 23)}000 ${String(pid).padStart(7)} ${where}] ${text}`;
}

/**
 * The ingress-nginx controller (v1.12.0, nginx 1.25.5): its start-up banner and log lines, and
 * the data plane on 80/443 (see network/ingress). Status and events come from the
 * ingress-nginx status controller, which watches these pods.
 */
const ingressNginx: Behavior = {
  defaults: { entrypoint: ['/usr/bin/dumb-init', '--'], cmd: ['/nginx-ingress-controller'] },
  start(ctx) {
    if (ctx.argv[0] !== '/nginx-ingress-controller' && ctx.argv[2] !== '/nginx-ingress-controller') return runCommand(ctx, ctx.argv);
    const now = ctx.now();
    const pod = ctx.env.POD_NAME ?? ctx.hostname;
    for (const line of [
      '-------------------------------------------------------------------------------',
      'NGINX Ingress controller',
      '  Release:       v1.12.0',
      '  Build:         ba73b2c24d355f1cdcf4b31ef7c5574059f12118',
      '  Repository:    https://github.com/kubernetes/ingress-nginx',
      '  nginx version: nginx/1.25.5',
      '',
      '-------------------------------------------------------------------------------',
      '',
    ])
      ctx.log(line);
    ctx.log(klog('W', now, 7, 'client_config.go:667', 'Neither --kubeconfig nor --master was specified.  Using the inClusterConfig.  This might not work.'), 'stderr');
    ctx.log(klog('I', now, 7, 'main.go:205', '"Creating API client" host="https://10.96.0.1:443"'), 'stderr');
    ctx.log(klog('I', now, 7, 'main.go:101', '"SSL fake certificate created" file="/etc/ingress-controller/ssl/default-fake-certificate.pem"'), 'stderr');
    ctx.log(klog('I', now, 7, 'nginx.go:271', '"Starting NGINX Ingress controller"'), 'stderr');
    ctx.log(klog('I', now, 7, 'nginx.go:317', '"Starting NGINX process"'), 'stderr');
    ctx.log(klog('I', now, 7, 'leaderelection.go:257', 'attempting to acquire leader lease ingress-nginx/ingress-nginx-leader...'), 'stderr');
    ctx.log(klog('I', now, 7, 'nginx.go:337', '"Starting validation webhook" address=":8443" certPath="/usr/local/certificates/cert" keyPath="/usr/local/certificates/key"'), 'stderr');
    ctx.log(klog('I', now, 7, 'leaderelection.go:271', 'successfully acquired lease ingress-nginx/ingress-nginx-leader'), 'stderr');
    ctx.log(klog('I', now, 7, 'status.go:85', `"New leader elected" identity="${pod}"`), 'stderr');
    const cluster = ctx.cluster;
    const base = { stopMillis: 300, memoryBytes: 92 * 1024 * 1024, cpuMillis: 2 };
    if (!cluster) return { ports: [80, 443, 8443, 10254], tlsPorts: [443, 8443], ...base };
    const process = ingressNginxProcess({ reader: cluster.reader, connect: cluster.connect, now: ctx.now, log: (line) => ctx.log(line), requestId: () => cluster.hex(32) });
    return { ...process, ...base };
  },
};

/**
 * kube-webhook-certgen (v1.5): `create` makes the admission webhook's certificate Secret,
 * `patch` puts its CA into the ValidatingWebhookConfiguration; both exit when done.
 */
const webhookCertgen: Behavior = {
  defaults: { entrypoint: ['/kube-webhook-certgen'], cmd: [] },
  start(ctx) {
    const [verb, ...flags] = ctx.argv[0] === '/kube-webhook-certgen' ? ctx.argv.slice(1) : ctx.argv;
    const flag = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
    const namespace = flag('namespace') ?? 'default';
    const secret = flag('secret-name') ?? '';
    const stamp = () => new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const log = (msg: string, extra = '') => ctx.log(`{"level":"info","msg":"${msg}","source":"k8s/k8s.go:${verb === 'create' ? 95 : 66}","time":"${stamp()}"${extra}}`, 'stderr');
    let code = 0;
    const path = `/api/v1/namespaces/${namespace}/secrets`;
    if (verb === 'create') {
      const existing = ctx.cluster?.request({ method: 'GET', path: `${path}/${secret}` });
      if (existing?.status === 200) log('secret already exists');
      else {
        const pem = (label: string) => `-----BEGIN ${label}-----
${ctx.cluster?.hex(64) ?? ''}
-----END ${label}-----
`;
        const res = ctx.cluster?.request({ method: 'POST', path, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret, namespace }, data: { ca: base64Encode(pem('CERTIFICATE')), cert: base64Encode(pem('CERTIFICATE')), key: base64Encode(pem('EC PRIVATE KEY')) } } });
        if (res && res.status >= 300) code = 1;
        else log('creating secret', `,"name":"${secret}","namespace":"${namespace}"`);
      }
    } else if (verb === 'patch') {
      // The CA of the Secret `create` made goes into each webhook's clientConfig.caBundle.
      const webhookPath = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${flag('webhook-name') ?? ''}`;
      const ca = (ctx.cluster?.request({ method: 'GET', path: `${path}/${secret}` }).body as { data?: Record<string, string> } | undefined)?.data?.ca;
      const res = ctx.cluster?.request({ method: 'GET', path: webhookPath });
      const config = res?.status === 200 ? (res.body as { webhooks?: { clientConfig?: Record<string, unknown>; failurePolicy?: string }[] }) : undefined;
      if (!ca || !config) code = 1;
      else {
        const failurePolicy = flag('patch-failure-policy') ?? 'Fail';
        for (const w of config.webhooks ?? []) {
          w.clientConfig = { ...w.clientConfig, caBundle: ca };
          w.failurePolicy = failurePolicy;
        }
        const put = ctx.cluster!.request({ method: 'PUT', path: webhookPath, body: config });
        if (put.status === 200) log('patched hook(s)', `,"failurePolicy":"${failurePolicy}"`);
        else code = 1;
      }
    } else code = 1;
    ctx.after(1500, () => ctx.exit(code));
    return { ports: [], stopMillis: 0, memoryBytes: 8 * 1024 * 1024, cpuMillis: 5 };
  },
};

Object.assign(BEHAVIORS, {
  'registry.k8s.io/ingress-nginx/controller': ingressNginx,
  'registry.k8s.io/ingress-nginx/kube-webhook-certgen': webhookCertgen,
  'registry.k8s.io/kube-apiserver': kubeApiserver,
  'registry.k8s.io/etcd': etcd,
  'registry.k8s.io/kube-controller-manager': kubeControllerManager,
  'registry.k8s.io/kube-scheduler': kubeScheduler,
  'registry.k8s.io/coredns/coredns': coredns,
  'registry.k8s.io/kube-proxy': kubeProxy,
  'registry.k8s.io/metrics-server/metrics-server': server(4, 20, [10250]),
});

const SERVER_DEFAULT = server(20, 30);

export function behaviorFor(repository: string): Behavior {
  return BEHAVIORS[repository] ?? SERVER_DEFAULT;
}

/** The process arguments: command/args override the image's entrypoint/cmd as Docker does. */
export function argvFor(repository: string, command: string[] | undefined, args: string[] | undefined, env: Record<string, string> = {}): string[] {
  const defaults = behaviorFor(repository).defaults;
  const expand = (list: string[]) => list.map((a) => expandVars(a, env));
  if (command && command.length) return [...expand(command), ...expand(args ?? [])];
  return [...defaults.entrypoint, ...(args && args.length ? expand(args) : defaults.cmd)];
}

/**
 * The kubelet's $(VAR_NAME) expansion of a container's command and args: a defined variable is
 * replaced, an undefined reference stays as written, and $$ escapes a dollar.
 */
export function expandVars(text: string, env: Record<string, string>): string {
  return text.replace(/\$(\$|\(([^)]*)\))/g, (whole, _inner: string, name: string | undefined) => {
    if (name === undefined) return '$';
    return Object.prototype.hasOwnProperty.call(env, name) ? env[name]! : whole;
  });
}
