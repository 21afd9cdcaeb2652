/**
 * The simulated cluster as a Kubernetes API on 127.0.0.1, so that the real kubectl, client
 * libraries, k9s or Lens can use it: HTTPS requests (a self-signed certificate) become the simulated API server's
 * requests, every request must carry the kubeconfig's bearer token, bodies are limited as
 * kube-apiserver limits them, watches stream as chunked JSON lines, and Table responses are
 * given to clients that ask for them.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { ApiRequest, ApiResponse, Cluster, PatchType } from '../../sim';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from './protobuf';
import { aggregatedDiscoveryResponse } from './discovery';
import { streamingApiExtension } from './exec';
import { openApiResponse } from './openapi';
import type { ApiExtensions } from './extensions';
import { selfSignedCertificate } from './tls';

/** kube-apiserver's --max-request-bytes default (3 MiB), for JSON and YAML bodies alike. */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export interface ApiServerOptions {
  cluster: Cluster;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bearer token clients must present; a random one by default. */
  token?: string;
  extensions?: ApiExtensions[];
}

export interface RunningApiServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The serving certificate (PEM), which is also the kubeconfig's certificate authority. */
  readonly certificate: string;
  /** A kubeconfig for this server (cluster, user and context "kubelab"). */
  kubeconfig(): string;
  close(): Promise<void>;
}

const PATCH_TYPES: readonly PatchType[] = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function sendJson(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  const text = JSON.stringify(body);
  res.statusCode = code;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  if (warnings.length) res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Whether the client asks for a meta.k8s.io Table (kubectl get does, with JSON as fallback). */
function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

/** Reads the body up to the limit; undefined when it is too large (the request is answered then). */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        refused = true;
        sendJson(res, 413, status(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3000000'));
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (refused ? undefined : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function firstValues(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) if (!(k in out)) out[k] = v;
  return out;
}

/** Writes an answer the OpenAPI or discovery modules gave; false when they had none. */
function served(res: ServerResponse, answer: { status: number; headers: Record<string, string>; body: string | Buffer } | undefined): boolean {
  if (!answer) return false;
  res.statusCode = answer.status;
  for (const [k, v] of Object.entries(answer.headers)) res.setHeader(k, v);
  res.end(answer.body);
  return true;
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const { cluster } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  // Exec and attach over WebSocket and followed logs, then whatever the caller adds.
  const extensions = [streamingApiExtension(cluster.api, cluster.clock), ...(options.extensions ?? [])];
  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`;

  const tls = selfSignedCertificate();
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, status(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req)) return sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const accept = req.headers.accept;
    for (const ext of extensions) if (ext.handle?.({ method, path: url.pathname, query: url.searchParams, accept }, res)) return;
    if (method === 'GET' && served(res, builtIn(url, accept, req))) return;
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return sendJson(res, 405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    const query = firstValues(url.searchParams);
    const apiReq: ApiRequest = {
      method: method as ApiRequest['method'],
      path: url.pathname,
      query,
      userAgent: req.headers['user-agent'] ?? 'unknown',
      ...(wantsTable(accept) ? { as: 'Table' as const } : {}),
      ...impersonation(req),
    };
    if (method !== 'GET') {
      const raw = await readBody(req, res);
      if (raw === undefined) return;
      const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
      if (contentType === 'application/vnd.kubernetes.protobuf') {
        // What kubectl writes through typed clients (create deployment, create token, certificate approve, ...).
        try {
          if (raw.length) apiReq.body = decodeKubernetesProtobuf(raw);
        } catch (err) {
          if (!(err instanceof ProtobufDecodeError)) throw err;
          const message = err.kind ? `${err.kind} in version "${(err.apiVersion ?? '').split('/').pop()}" cannot be handled as a ${err.kind}: ${err.message}` : err.message;
          return sendJson(res, 400, status(400, 'BadRequest', message));
        }
      } else {
        const text = raw.toString('utf8');
        if (text.trim()) {
          try {
            apiReq.body = /yaml/.test(contentType) ? parseYaml(text) : JSON.parse(text);
            apiReq.rawBody = text;
          } catch (err) {
            return sendJson(res, 400, status(400, 'BadRequest', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor: ${err instanceof Error ? err.message : ''}`));
          }
        }
      }
      if (method === 'PATCH') {
        if (!PATCH_TYPES.includes(contentType as PatchType))
          return sendJson(res, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`));
        apiReq.contentType = contentType as PatchType;
      }
    }
    if (method === 'GET' && (query.watch === 'true' || query.watch === '1')) return watch(req, res, apiReq);
    const answer: ApiResponse = cluster.api.handle(apiReq);
    if (typeof answer.body === 'string') {
      res.statusCode = answer.status;
      res.setHeader('Content-Type', 'text/plain');
      res.end(answer.body);
      return;
    }
    sendJson(res, answer.status, answer.body, answer.warnings);
  }

  /** What kube-apiserver serves beside the resources: OpenAPI documents and aggregated discovery. */
  function builtIn(url: URL, accept: string | undefined, req: IncomingMessage) {
    const ifNoneMatch = req.headers['if-none-match'];
    const acceptEncoding = req.headers['accept-encoding'];
    return (
      openApiResponse(cluster.api, url.pathname, url.searchParams, accept, { ...(ifNoneMatch ? { ifNoneMatch } : {}), ...(acceptEncoding ? { acceptEncoding } : {}) }) ??
      aggregatedDiscoveryResponse(cluster.api, url.pathname, accept, ifNoneMatch)
    );
  }

  /** A watch as chunked JSON lines; it ends after timeoutSeconds or when the client goes. */
  function watch(req: IncomingMessage, res: ServerResponse, apiReq: ApiRequest): void {
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache, private');
      res.setHeader('Transfer-Encoding', 'chunked');
      res.flushHeaders();
    };
    const write = (event: unknown) => {
      start();
      res.write(`${JSON.stringify(event)}\n`);
    };
    const outcome = cluster.api.watch(apiReq, write);
    if (!('stop' in outcome)) return sendJson(res, outcome.status, outcome.body);
    const stop = () => outcome.stop();
    // The client learns at once that the watch is open, events or not.
    start();
    // As kube-apiserver: an absent or zero timeoutSeconds means the server's own (--min-request-timeout, 1800 s).
    const seconds = Number(apiReq.query?.timeoutSeconds) || 1800;
    const timer = setTimeout(end, Math.max(0, seconds) * 1000);
    function end(): void {
      clearTimeout(timer);
      stop();
      if (!res.writableEnded) res.end();
    }
    req.on('close', end);
  }

  server.on('upgrade', (req, socket, head) => {
    if (!authorized(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n' + JSON.stringify(status(401, 'Unauthorized', 'Unauthorized')));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    for (const ext of extensions) if (ext.upgrade?.(req, socket, head, url.pathname, url.searchParams)) return;
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    port,
    token,
    certificate: tls.cert,
    kubeconfig: () =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${Buffer.from(tls.cert).toString('base64')}`,
        `    server: ${url}`,
        '  name: kubelab',
        'contexts:',
        '- context:',
        '    cluster: kubelab',
        '    user: kubelab',
        '  name: kubelab',
        'current-context: kubelab',
        'preferences: {}',
        'users:',
        '- name: kubelab',
        '  user:',
        `    token: ${token}`,
        '',
      ].join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Impersonate-User, -Group (repeated) and -Uid headers, as kubectl --as/--as-group/--as-uid send them. */
function impersonation(req: IncomingMessage): Pick<ApiRequest, 'impersonate'> {
  const user = req.headers['impersonate-user'];
  if (typeof user !== 'string' || !user) return {};
  const groups = req.headersDistinct['impersonate-group'] ?? [];
  const uid = req.headers['impersonate-uid'];
  return { impersonate: { username: user, groups, ...(typeof uid === 'string' && uid ? { uid } : {}) } };
}
