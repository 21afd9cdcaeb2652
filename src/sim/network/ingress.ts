/**
 * ingress-nginx (controller v1.12, nginx 1.25) as its data plane behaves: which Ingresses it
 * serves (IngressClass with controller k8s.io/ingress-nginx, or the legacy class annotation),
 * how a request finds a server (host, wildcard, catch-all) and a location (Exact, Prefix as
 * `= /p` plus `/p/`, ImplementationSpecific as an nginx prefix, case-insensitive anchored regexes
 * when use-regex or rewrite-target is set, longest first), the backend Service's ready endpoints
 * taken round robin, rewrite-target, the HTTPS redirect and HSTS for hosts with TLS, and nginx's
 * own answers (404 from the default backend, 503 without endpoints, 502/504 when the upstream
 * refuses or does not answer). Each request leaves an access-log line in the default upstreaminfo
 * format.
 */
import { utf8Length } from '../bytes';
import { accessLogTime, httpDate } from './http-time';
import { portInfo, usableEndpoints, type ServiceEndpoint } from './services';
import type { Connection, HttpRequest, HttpResponse, Listening, Obj, ObjectReader } from './types';

export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const ANNOTATION = 'nginx.ingress.kubernetes.io/';
/** proxy-connect-timeout: how long nginx waits for an upstream to accept. */
const CONNECT_TIMEOUT_MS = 5_000;
/** proxy-next-upstream-tries. */
const UPSTREAM_TRIES = 3;
const HSTS = 'max-age=31536000; includeSubDomains';
export const INGRESS_NGINX_PORTS = { http: 80, https: 443, webhook: 8443, healthz: 10254, defaultBackend: 8181 };

/** Whether ingress-nginx serves `ing`: by its IngressClass, else the legacy annotation. */
export function servedByIngressNginx(reader: ObjectReader, ing: Obj): boolean {
  if (ing.metadata?.deletionTimestamp) return false;
  const className = ing.spec?.ingressClassName as string | undefined;
  if (className) return reader.getByResource('ingressclasses', 'networking.k8s.io', undefined, className)?.spec?.controller === INGRESS_NGINX_CONTROLLER;
  return ing.metadata?.annotations?.[CLASS_ANNOTATION] === 'nginx';
}

/** nginx's error pages, as ingress-nginx serves them (server_tokens off: no version). */
function page(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

interface Backend {
  namespace: string;
  service?: Obj;
}

interface Location {
  ingress: Obj;
  path: string;
  type: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: Backend;
}

interface Server {
  host: string;
  locations: Location[];
  /** An Ingress lists the host under spec.tls: HTTPS with HSTS, and HTTP redirects to it. */
  tls: boolean;
  defaultBackend?: Backend;
}

const byAge = (a: Obj, b: Obj) =>
  String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')) || `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);

/** The servers nginx.conf would hold: one per host, plus the catch-all "_". */
function buildServers(reader: ObjectReader): Map<string, Server> {
  const servers = new Map<string, Server>();
  const server = (host: string): Server => {
    let s = servers.get(host);
    if (!s) servers.set(host, (s = { host, locations: [], tls: false }));
    return s;
  };
  server('_');
  const ingresses = reader.listByResource('ingresses', 'networking.k8s.io', undefined).filter((i) => servedByIngressNginx(reader, i)).sort(byAge);
  for (const ing of ingresses) {
    const namespace = ing.metadata.namespace as string;
    const hosts = new Set<string>();
    for (const rule of (ing.spec?.rules ?? []) as Obj[]) {
      const s = server((rule.host as string | undefined)?.toLowerCase() || '_');
      hosts.add(s.host);
      for (const p of (rule.http?.paths ?? []) as Obj[]) {
        const path = (p.path as string | undefined) || '/';
        const type = (p.pathType ?? 'ImplementationSpecific') as Location['type'];
        // The first Ingress to define a host's path keeps it.
        if (s.locations.some((l) => l.path === path && l.type === type)) continue;
        s.locations.push({ ingress: ing, path, type, backend: { namespace, service: p.backend?.service } });
      }
    }
    const fallback = ing.spec?.defaultBackend;
    if (fallback) {
      const backend: Backend = { namespace, service: fallback.service };
      for (const h of hosts) server(h).defaultBackend ??= backend;
      server('_').defaultBackend ??= backend;
    }
    for (const tls of (ing.spec?.tls ?? []) as Obj[]) for (const h of (tls.hosts ?? []) as string[]) if (servers.has(h.toLowerCase())) server(h.toLowerCase()).tls = true;
  }
  return servers;
}

function findServer(servers: Map<string, Server>, host: string): Server {
  const exact = servers.get(host);
  if (exact) return exact;
  const wildcards = [...servers.values()].filter((s) => s.host.startsWith('*.') && host.endsWith(s.host.slice(1))).sort((a, b) => b.host.length - a.host.length);
  return wildcards[0] ?? servers.get('_')!;
}

const annotation = (ing: Obj, name: string): string | undefined => ing.metadata?.annotations?.[`${ANNOTATION}${name}`];

/** Whether a server's locations are regexes: any of its Ingresses asks for regex or a rewrite. */
function usesRegex(s: Server): boolean {
  return s.locations.some((l) => annotation(l.ingress, 'use-regex') === 'true' || annotation(l.ingress, 'rewrite-target') !== undefined);
}

function regexOf(path: string): RegExp | undefined {
  try {
    return new RegExp(`^${path}`, 'i');
  } catch {
    return undefined;
  }
}

/** nginx's location choice for `uri` (without its query). */
function findLocation(s: Server, uri: string): Location | undefined {
  if (usesRegex(s)) return [...s.locations].sort((a, b) => b.path.length - a.path.length).find((l) => regexOf(l.path)?.test(uri));
  // `= path` locations: Exact ones, and the exact half of each Prefix.
  const trimmed = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  const exact = s.locations.find((l) => (l.type === 'Exact' && l.path === uri) || (l.type === 'Prefix' && l.path !== '/' && trimmed(l.path) === uri));
  if (exact) return exact;
  let best: Location | undefined;
  let bestLength = -1;
  for (const l of s.locations) {
    if (l.type === 'Exact') continue;
    const prefix = l.type === 'Prefix' ? (l.path === '/' ? '/' : `${trimmed(l.path)}/`) : l.path;
    if (uri.startsWith(prefix) && prefix.length > bestLength) {
      best = l;
      bestLength = prefix.length;
    }
  }
  return best;
}

/** nginx's rewrite: the whole URI becomes the target, with $1… from the location's regex. */
function rewrite(target: string, path: string, uri: string): string {
  let m: RegExpExecArray | null = null;
  try {
    m = new RegExp(path, 'i').exec(uri);
  } catch {
    m = null;
  }
  if (!m) return uri;
  return target.replace(/\$(\d)/g, (_, d: string) => m![Number(d)] ?? '');
}

/** The upstream name of a backend ("default-web-80"), as logs and metrics name it. */
function upstreamName(b: Backend): string {
  const port = b.service?.port?.number ?? b.service?.port?.name ?? '';
  return `${b.namespace}-${b.service?.name ?? ''}-${port}`;
}

function endpointsOf(reader: ObjectReader, b: Backend): ServiceEndpoint[] {
  if (!b.service?.name) return [];
  const svc = reader.getByResource('services', '', b.namespace, b.service.name);
  if (!svc) return [];
  const want = b.service.port ?? {};
  const sp = ((svc.spec?.ports ?? []) as Obj[]).find((p) => (want.number !== undefined ? p.port === want.number : p.name === want.name));
  if (!sp) return [];
  return usableEndpoints(portInfo(reader, svc, sp).endpoints);
}

/** What the controller process reaches the cluster through. */
export interface IngressNginxContext {
  reader: ObjectReader;
  /** Connects from the controller's pod. */
  connect(ip: string, port: number): Connection;
  now(): number;
  log(line: string): void;
  /** A request ID: 32 hex digits. */
  requestId(): string;
}

/** The request's size as nginx counts it: request line and headers. */
function requestLength(req: HttpRequest): number {
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${req.host}`, `User-Agent: ${req.userAgent ?? ''}`, 'Accept: */*', ...req.headers.filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]) => `${k}: ${v}`)];
  return utf8Length(`${lines.join('\r\n')}\r\n\r\n`);
}

interface Upstream {
  name: string;
  addr: string;
  status: number;
  length: number;
}

/** The controller's listening process: ports 80 and 443 (self-signed fake certificate), 8443 (webhook) and 10254 (health). */
export function ingressNginxProcess(ctx: IngressNginxContext): Listening {
  const roundRobin = new Map<string, number>();

  const ownAnswer = (status: number, reason: string, extra: [string, string][] = []): HttpResponse => {
    const body = page(status, reason);
    // The redirect's Location comes after Connection: Lua sets it, not nginx's header filter.
    return { status, body, headers: [['Date', httpDate(ctx.now())], ['Content-Type', 'text/html'], ['Content-Length', String(utf8Length(body))], ['Connection', 'keep-alive'], ...extra] };
  };

  const proxy = (backend: Backend, uri: string, query: string, req: HttpRequest, https: boolean): { res: HttpResponse; upstream: Upstream } => {
    const name = upstreamName(backend);
    const endpoints = endpointsOf(ctx.reader, backend);
    if (endpoints.length === 0) return { res: ownAnswer(503, 'Service Temporarily Unavailable'), upstream: { name, addr: '-', status: 0, length: 0 } };
    const start = roundRobin.get(name) ?? 0;
    roundRobin.set(name, start + 1);
    let waited = 0;
    let last: Connection | undefined;
    for (let i = 0; i < Math.min(UPSTREAM_TRIES, endpoints.length); i++) {
      const e = endpoints[(start + i) % endpoints.length]!;
      const conn = ctx.connect(e.ip, e.port);
      last = conn;
      if (conn.kind === 'timeout' || conn.kind === 'unreachable') waited += CONNECT_TIMEOUT_MS;
      if (conn.kind !== 'open') continue;
      const path = `${uri}${query}`;
      const upstreamReq: HttpRequest = {
        method: req.method,
        path,
        host: req.host,
        headers: [
          ['Host', req.host],
          ['X-Request-ID', ctx.requestId()],
          ['X-Real-IP', req.clientIP],
          ['X-Forwarded-For', req.clientIP],
          ['X-Forwarded-Host', req.host],
          ['X-Forwarded-Port', https ? '443' : '80'],
          ['X-Forwarded-Proto', https ? 'https' : 'http'],
          ['X-Forwarded-Scheme', https ? 'https' : 'http'],
          ['X-Scheme', https ? 'https' : 'http'],
          ...req.headers.filter(([k]) => k.toLowerCase() !== 'host'),
        ],
        clientIP: conn.clientIP,
        ...(req.userAgent !== undefined ? { userAgent: req.userAgent } : {}),
      };
      const answer = conn.listener.http?.(conn.target.port, path, upstreamReq);
      if (!answer) {
        last = { kind: 'refused', ip: e.ip, port: e.port };
        continue;
      }
      const length = utf8Length(answer.body);
      const from = answer.headers ?? [];
      const get = (k: string) => from.find(([h]) => h.toLowerCase() === k.toLowerCase());
      const passed = from.filter(([h]) => !['server', 'date', 'content-type', 'content-length', 'connection', 'keep-alive', 'last-modified', 'transfer-encoding'].includes(h.toLowerCase()));
      const headers: [string, string][] = [['Date', httpDate(ctx.now())], ...(get('Content-Type') ? [get('Content-Type')!] : []), ['Content-Length', String(length)], ...(get('Last-Modified') ? [get('Last-Modified')!] : []), ['Connection', 'keep-alive'], ...passed];
      return { res: { status: answer.status, body: answer.body, headers, ...(waited ? { delayMs: waited } : {}) }, upstream: { name, addr: `${e.ip}:${e.port}`, status: answer.status, length } };
    }
    const timedOut = last?.kind === 'timeout' || last?.kind === 'unreachable';
    const res = timedOut ? ownAnswer(504, 'Gateway Time-out') : ownAnswer(502, 'Bad Gateway');
    return { res: { ...res, ...(waited ? { delayMs: waited } : {}) }, upstream: { name, addr: endpoints.map((e) => `${e.ip}:${e.port}`).join(', '), status: timedOut ? 504 : 502, length: 0 } };
  };

  const serve = (req: HttpRequest, https: boolean): HttpResponse => {
    const host = req.host.replace(/:\d+$/, '').toLowerCase();
    const q = req.path.indexOf('?');
    const uri = q < 0 ? req.path : req.path.slice(0, q);
    const query = q < 0 ? '' : req.path.slice(q);
    const servers = buildServers(ctx.reader);
    const server = findServer(servers, host);
    const location = findLocation(server, uri);
    const ing = location?.ingress;
    let result: { res: HttpResponse; upstream: Upstream };
    const sslRedirect = server.tls ? annotation(ing ?? {}, 'ssl-redirect') !== 'false' : annotation(ing ?? {}, 'force-ssl-redirect') === 'true';
    if (!https && sslRedirect) {
      const target = `https://${host}${uri === '/' ? '' : uri.replace(/\/$/, '')}${query}`;
      result = { res: ownAnswer(308, 'Permanent Redirect', [['Location', target]]), upstream: { name: location ? upstreamName(location.backend) : 'upstream-default-backend', addr: '-', status: 0, length: 0 } };
    } else if (location) {
      const target = annotation(location.ingress, 'rewrite-target');
      const path = target !== undefined ? rewrite(target, location.path, uri) : uri;
      result = proxy(location.backend, path, query, req, https);
    } else if (server.defaultBackend) {
      result = proxy(server.defaultBackend, uri, query, req, https);
    } else {
      const res = ownAnswer(404, 'Not Found');
      result = { res, upstream: { name: 'upstream-default-backend', addr: `127.0.0.1:${INGRESS_NGINX_PORTS.defaultBackend}`, status: 404, length: utf8Length(res.body) } };
    }
    const { res, upstream } = result;
    if (https && server.tls) res.headers = [...(res.headers ?? []), ['Strict-Transport-Security', HSTS]];
    const bodyBytes = req.method === 'HEAD' ? 0 : utf8Length(res.body);
    const seconds = ((res.delayMs ?? 0) / 1000 + 0.001).toFixed(3);
    const up = upstream.addr === '-' ? '- - - -' : `${upstream.addr} ${upstream.length} ${seconds} ${upstream.status || res.status}`;
    ctx.log(
      `${req.clientIP} - - [${accessLogTime(ctx.now())}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${bodyBytes} "-" "${req.userAgent ?? '-'}" ${requestLength(req)} ${seconds} [${upstream.name}] [] ${up} ${ctx.requestId()}`,
    );
    return res;
  };

  return {
    ports: [INGRESS_NGINX_PORTS.http, INGRESS_NGINX_PORTS.https, INGRESS_NGINX_PORTS.webhook, INGRESS_NGINX_PORTS.healthz, INGRESS_NGINX_PORTS.defaultBackend],
    tlsPorts: [INGRESS_NGINX_PORTS.https, INGRESS_NGINX_PORTS.webhook],
    selfSignedPorts: [INGRESS_NGINX_PORTS.https, INGRESS_NGINX_PORTS.webhook],
    http(port, path, req) {
      if (port === INGRESS_NGINX_PORTS.healthz) return path === '/healthz' ? { status: 200, body: 'ok' } : { status: 404, body: '404 page not found\n' };
      if (port === INGRESS_NGINX_PORTS.defaultBackend) return ownAnswer(404, 'Not Found');
      if (port !== INGRESS_NGINX_PORTS.http && port !== INGRESS_NGINX_PORTS.https) return undefined;
      // A probe or a request without a client: the default server.
      if (!req) return ownAnswer(404, 'Not Found');
      return serve(req, port === INGRESS_NGINX_PORTS.https);
    },
  };
}
