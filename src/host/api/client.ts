/**
 * Our kubectl as a client of any Kubernetes API over HTTPS: an ApiClient that reads a
 * kubeconfig's current context (server, certificate authority, bearer token or client
 * certificate, namespace) and sends each request as kubectl would.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { parse as parseYaml } from 'yaml';
import WebSocket from 'ws';
import type { ApiClient, ApiRequest, ApiResponse, ExecOutput, ExecRequest, ExecSession, StreamHandle, StreamStatus, WatchEventObject, WatchHandle } from '../../sim';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KubeconfigContext {
  server: string;
  namespace: string;
  ca?: string;
  insecure: boolean;
  token?: string;
  cert?: string;
  key?: string;
}

const decode = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined);

/** The current context of a kubeconfig (its text), with the files it names read. */
export function readKubeconfig(text: string, contextName?: string): KubeconfigContext {
  const config = (parseYaml(text) ?? {}) as Obj;
  const name = contextName ?? config['current-context'];
  const named = (list: Obj[] | undefined, n: string | undefined) => (list ?? []).find((e) => e.name === n);
  const context = named(config.contexts, name)?.context;
  if (!context) throw new Error(name ? `context was not found for specified context: ${name}` : 'current-context is not set');
  const cluster = named(config.clusters, context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`cluster has no server defined`);
  const user = named(config.users, context.user)?.user ?? {};
  const file = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : undefined);
  return {
    server: String(cluster.server).replace(/\/$/, ''),
    namespace: context.namespace ?? 'default',
    ca: decode(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    token: user.token ?? file(user.tokenFile)?.trim(),
    cert: decode(user['client-certificate-data']) ?? file(user['client-certificate']),
    key: decode(user['client-key-data']) ?? file(user['client-key']),
  };
}

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export class HttpApiClient implements ApiClient {
  constructor(
    private readonly context: KubeconfigContext,
    private readonly userAgent = 'kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd',
  ) {}

  /** A watch as kubectl opens it: a GET with watch=true whose chunked body is one JSON event per line. */
  watch(req: ApiRequest, onEvent: (event: WatchEventObject) => void, onClose?: () => void): Promise<WatchHandle | ApiResponse> {
    let pending = '';
    const onText = (text: string) => {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line) onEvent(JSON.parse(line) as WatchEventObject);
      }
    };
    return this.stream({ ...req, query: { ...req.query, watch: 'true' } }, onText, onClose);
  }

  /** A GET whose chunked body keeps coming (logs -f): each chunk as it arrives, until the server ends it or stop(). */
  stream(req: ApiRequest, onData: (text: string) => void, onClose?: () => void): Promise<StreamHandle | ApiResponse> {
    const { url, options } = this.prepare({ ...req, method: 'GET' }, undefined);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = send(url, options, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve(this.response(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
          return;
        }
        let stopped = false;
        let closed = false;
        const close = () => {
          if (closed || stopped) return;
          closed = true;
          onClose?.();
        };
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          if (!stopped) onData(text);
        });
        res.on('end', close);
        res.on('error', close);
        res.on('close', close);
        resolve({
          stop: () => {
            stopped = true;
            r.destroy();
          },
        });
      });
      r.on('error', reject);
      r.end();
    });
  }

  exec(req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse> {
    return this.channelSession('exec', req, output);
  }

  attach(req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse> {
    return this.channelSession('attach', req, output);
  }

  /**
   * pods/exec or pods/attach as kubectl 1.32 opens it: a WebSocket with v5.channel.k8s.io,
   * messages prefixed by their channel (0 stdin, 1 stdout, 2 stderr, 3 the final Status,
   * 4 resize; [255, 0] closes stdin). A refused upgrade resolves to the server's answer.
   */
  private channelSession(subresource: 'exec' | 'attach', req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse> {
    const url = new URL(`${this.context.server}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/${subresource}`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    for (const c of req.command ?? []) url.searchParams.append('command', c);
    if (req.container) url.searchParams.set('container', req.container);
    for (const k of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (req[k]) url.searchParams.set(k, 'true');
    const headers: Record<string, string> = { 'User-Agent': this.userAgent };
    if (this.context.token) headers.Authorization = `Bearer ${this.context.token}`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      headers,
      perMessageDeflate: false,
      ...(this.context.ca ? { ca: this.context.ca } : {}),
      ...(this.context.cert ? { cert: this.context.cert } : {}),
      ...(this.context.key ? { key: this.context.key } : {}),
      rejectUnauthorized: !this.context.insecure,
    });
    return new Promise((resolve, reject) => {
      let status: StreamStatus | undefined;
      let resolveDone!: (s: StreamStatus) => void;
      const done = new Promise<StreamStatus>((r) => (resolveDone = r));
      const send = (channel: number, data: Buffer | string) => {
        if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data, 'utf8') : data]), { binary: true });
      };
      const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
      ws.on('unexpected-response', (_req, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve(this.response(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
      });
      ws.on('error', (err) => reject(err));
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary || data.length === 0) return;
        const channel = data[0]!;
        const payload = data.subarray(1);
        if (channel === 1 || channel === 2) {
          const text = decoders[channel].decode(payload, { stream: true });
          if (text) (channel === 1 ? output.stdout : output.stderr)(text);
        } else if (channel === 3) {
          try {
            status = JSON.parse(payload.toString('utf8')) as StreamStatus;
          } catch {
            status = { status: 'Failure', message: payload.toString('utf8') };
          }
        }
      });
      ws.on('close', () => resolveDone(status ?? { metadata: {}, status: 'Success' }));
      ws.on('open', () =>
        resolve({
          write: (text) => send(0, text),
          closeStdin: () => send(255, Buffer.from([0])),
          resize: (width, height) => send(4, JSON.stringify({ Width: width, Height: height })),
          close: () => ws.close(1000),
          done,
        }),
      );
    });
  }

  request(req: ApiRequest): Promise<ApiResponse> {
    const body = req.rawBody ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    const { url, options } = this.prepare(req, body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = send(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve(this.response(res.statusCode ?? 0, res.headers, Buffer.concat(chunks).toString('utf8'))));
      });
      r.on('error', reject);
      if (body !== undefined) r.write(body);
      r.end();
    });
  }

  private prepare(req: ApiRequest, body: string | undefined): { url: URL; options: RequestOptions } {
    const url = new URL(`${this.context.server}${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      Accept: req.as === 'Table' ? TABLE_ACCEPT : 'application/json',
      'User-Agent': req.userAgent ?? this.userAgent,
    };
    if (this.context.token) headers.Authorization = `Bearer ${this.context.token}`;
    if (req.impersonate) {
      headers['Impersonate-User'] = req.impersonate.username;
      if (req.impersonate.uid) headers['Impersonate-Uid'] = req.impersonate.uid;
      if (req.impersonate.groups?.length) (headers as Record<string, string | string[]>)['Impersonate-Group'] = req.impersonate.groups;
    }
    if (body !== undefined) headers['Content-Type'] = req.method === 'PATCH' ? (req.contentType ?? 'application/strategic-merge-patch+json') : 'application/json';
    // Node sends DELETE bodies neither chunked nor sized unless told their length.
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const options: RequestOptions = {
      method: req.method,
      headers,
      ...(this.context.ca ? { ca: this.context.ca } : {}),
      ...(this.context.cert ? { cert: this.context.cert } : {}),
      ...(this.context.key ? { key: this.context.key } : {}),
      rejectUnauthorized: !this.context.insecure,
    };
    return { url, options };
  }

  private response(status: number, headers: IncomingHttpHeaders, text: string): ApiResponse {
    const json = /json/.test(String(headers['content-type'] ?? ''));
    let parsed: unknown = text;
    if (json) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const warning = headers.warning;
    const warnings = (Array.isArray(warning) ? warning : warning ? [warning] : []).map((w) => /^\d{3} \S+ "(.*)"$/.exec(w)?.[1]?.replace(/\\"/g, '"') ?? w);
    return { status, body: parsed, ...(warnings.length ? { warnings } : {}) };
  }
}
