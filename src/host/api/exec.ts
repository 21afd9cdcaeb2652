/**
 * pods/exec and pods/attach over WebSocket for the HTTP facade, as kube-apiserver 1.32 serves
 * them to kubectl 1.32.
 *
 * kubectl 1.32 opens a WebSocket with the subprotocol v5.channel.k8s.io (and falls back to SPDY
 * only when that upgrade fails). Every binary message starts with its channel: 0 stdin, 1 stdout,
 * 2 stderr, 3 error (one metav1.Status, written last), 4 resize ({"Width":..,"Height":..}); in
 * v5 a message [255, n] from the client closes its channel n (stdin at EOF). The API server checks
 * the pod and container before the upgrade (a NotFound or BadRequest answers the upgrade request
 * itself, so kubectl retries with SPDY and prints "Error from server ..."); after it, the server
 * says it is ready with an empty message on the lowest output channel, and ends the session with
 * the Status on channel 3 and a normal close (1000). Failures from the kubelet come inside the
 * stream as InternalError, as the API server's stream translator reports them. Older clients get
 * the kubelet's protocols: v4.channel.k8s.io (the same Status), channel.k8s.io and the base64
 * variants (text messages, channel as an ASCII digit, base64 data; v1 writes only an error's text).
 *
 * The sessions themselves (which commands read stdin, interactive shells with a TTY, attach to a
 * container's output or to a shell waiting on stdin) are the simulated API server's, in
 * sim/streams.ts, shared with the in-process client; this module only speaks the channel protocol.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ApiError, isExecSession, locateStream, openAttach, openExec, startFailure, type ApiResponse, type ApiServer, type ExecOutput, type ExecRequest, type ExecSession, type StreamStatus, type VirtualClock } from '../../sim';

export { exitStatus, internalStatus, needsMore, ShellSession, SUCCESS, type StreamStatus } from '../../sim';
import { streamPodLogs } from './logs';
import type { ApiExtensions } from './extensions';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5: a message [CLOSE, channel] closes that channel. */
export const CLOSE = 255;

/** The subprotocols served, by preference when a client offers several. */
export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io'] as const;

export interface ExecTarget {
  namespace: string;
  pod: string;
  subresource: 'exec' | 'attach';
  query: URLSearchParams;
}

interface StreamOptions {
  container?: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A query boolean as the API server converts it: absent is false, "0" and "false" are false, anything else true. */
function flag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

function parseOptions(query: URLSearchParams): StreamOptions {
  const container = query.get('container') ?? undefined;
  return {
    ...(container ? { container } : {}),
    command: query.getAll('command'),
    stdin: flag(query, 'stdin'),
    stdout: flag(query, 'stdout'),
    stderr: flag(query, 'stderr'),
    tty: flag(query, 'tty'),
  };
}

function badRequest(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}


/** Answers an upgrade request with an HTTP error and closes the connection. */
function refuse(socket: Duplex, code: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const head = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`, 'Cache-Control: no-cache, private', 'Connection: close', `Content-Length: ${Buffer.byteLength(text)}`];
  if (body !== undefined) head.push('Content-Type: application/json');
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}

/** The subprotocol to answer with: the first the client offers that is served; '' when it offers none; undefined when none offered is served. */
export function negotiate(header: string | undefined): string | undefined {
  const offered = (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (offered.length === 0) return '';
  return offered.find((p) => (PROTOCOLS as readonly string[]).includes(p));
}

const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  clientTracking: false,
  handleProtocols: (protocols) => negotiate([...protocols].join(',')) || false,
});

/** Handles an HTTP upgrade for .../pods/NAME/exec or .../attach (auth already checked). */
export function handleExecUpgrade(api: ApiServer, clock: VirtualClock, req: IncomingMessage, socket: Duplex, head: Buffer, target: ExecTarget): void {
  const options = parseOptions(target.query);
  let located: { pod: Obj; container: Obj };
  try {
    located = locateStream(api, target.subresource, { namespace: target.namespace, pod: target.pod, ...options });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    refuse(socket, err.status.code ?? 500, err.status);
    return;
  }
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade !== 'websocket') {
    // kubectl 1.32 tries SPDY only when the WebSocket upgrade was refused, which the checks
    // above have answered the same way; other SPDY clients are told what this server speaks.
    const message = upgrade ? `${req.headers.upgrade} is not supported: exec and attach are served over WebSocket (v5.channel.k8s.io)` : 'Upgrade request required';
    refuse(socket, 400, badRequest(message).status);
    return;
  }
  const protocol = negotiate(req.headers['sec-websocket-protocol']);
  if (protocol === undefined) {
    // As golang.org/x/net/websocket answers a handshake whose subprotocols it does not serve.
    refuse(socket, 403);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const conn = new ChannelConnection(ws, protocol);
    if (target.subresource === 'attach') runAttach(api, clock, conn, target, options, located);
    else runExec(api, conn, target, options, located);
  });
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;
const LOG_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;

/**
 * The facade's extension for the streaming subresources: exec and attach upgrades, and GET
 * pods/NAME/log with follow (without follow the simulated API server answers by itself).
 */
export function streamingApiExtension(api: ApiServer, clock: VirtualClock): ApiExtensions {
  return {
    handle(req, res) {
      const m = req.method === 'GET' ? LOG_PATH.exec(req.path) : null;
      if (!m || !flag(req.query, 'follow')) return false;
      streamPodLogs(api, clock, res, { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), query: req.query });
      return true;
    },
    upgrade(req, socket, head, path, query) {
      const m = STREAM_PATH.exec(path);
      if (!m) return false;
      handleExecUpgrade(api, clock, req, socket, head, { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), subresource: m[3] as 'exec' | 'attach', query });
      return true;
    },
  };
}

// ---- the channel protocol ----------------------------------------------------------------

/** One WebSocket session of a channel.k8s.io protocol, server side. */
export class ChannelConnection {
  readonly base64: boolean;
  /** v4 and v5 write the Status as JSON; the older protocols write a failure's message only. */
  readonly jsonStatus: boolean;
  readonly v5: boolean;
  private closed = false;
  private stdinListener: ((data: Buffer) => void) | undefined;
  private stdinEndListener: (() => void) | undefined;
  private stdinEnded = false;
  private readonly stdinQueue: Buffer[] = [];
  private goneListener: (() => void) | undefined;
  /** The terminal size last sent on the resize channel. */
  size: { width: number; height: number } | undefined;

  constructor(
    private readonly ws: WebSocket,
    readonly protocol: string,
  ) {
    this.base64 = protocol.includes('base64');
    this.jsonStatus = protocol.startsWith('v4.') || protocol.startsWith('v5.');
    this.v5 = protocol.startsWith('v5.');
    ws.on('message', (data: RawData, isBinary: boolean) => this.receive(toBuffer(data), isBinary));
    ws.on('close', () => {
      this.closed = true;
      this.endStdin();
      this.goneListener?.();
    });
    ws.on('error', () => {});
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (data.length === 0) return;
    let channel = data[0]!;
    let payload = data.subarray(1);
    if (this.base64) {
      if (isBinary) return;
      channel -= 0x30;
      payload = Buffer.from(payload.toString('latin1'), 'base64');
    } else if (!isBinary) return;
    if (this.v5 && channel === CLOSE) {
      if (payload[0] === STDIN) this.endStdin();
      return;
    }
    if (channel === STDIN) {
      if (this.stdinEnded) return;
      if (this.stdinListener) this.stdinListener(payload);
      else this.stdinQueue.push(payload);
    } else if (channel === RESIZE) {
      for (const line of payload.toString('utf8').split('\n')) {
        try {
          const size = JSON.parse(line) as { Width?: number; Height?: number };
          this.size = { width: Number(size.Width ?? 0), height: Number(size.Height ?? 0) };
        } catch {
          // Not one JSON object: ignored, as the server's decoder stops at it.
        }
      }
    }
  }

  private endStdin(): void {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    this.stdinEndListener?.();
  }

  /** Receives stdin (what arrived before is delivered at once) and its end. */
  onStdin(listener: (data: Buffer) => void, onEnd: () => void): void {
    this.stdinListener = listener;
    this.stdinEndListener = onEnd;
    for (const d of this.stdinQueue.splice(0)) listener(d);
    if (this.stdinEnded) onEnd();
  }

  /** Called when the client goes away before the session ends. */
  onGone(listener: () => void): void {
    this.goneListener = listener;
  }

  write(channel: number, data: Buffer | string): void {
    if (!this.isOpen) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.base64) this.ws.send(String.fromCharCode(0x30 + channel) + bytes.toString('base64'));
    else this.ws.send(Buffer.concat([Buffer.from([channel]), bytes]), { binary: true });
  }

  /** Writes the session's Status on the error channel and closes normally. */
  finish(status: StreamStatus): void {
    if (!this.isOpen) return;
    if (this.jsonStatus) this.write(ERROR, JSON.stringify(status));
    else if (status.status !== 'Success') this.write(ERROR, status.message ?? '');
    this.closed = true;
    this.ws.close(1000);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

// ---- exec --------------------------------------------------------------------------------
function announce(conn: ChannelConnection, options: StreamOptions): void {
  // The empty message on the lowest writable channel tells the client the session is up.
  conn.write(options.stdout ? STDOUT : options.stderr ? STDERR : ERROR, Buffer.alloc(0));
}

/**
 * exec and attach sessions are the simulated API server's own (sim/streams.ts openExec and
 * openAttach); the facade only carries them over the channels.
 */
function runExec(api: ApiServer, conn: ChannelConnection, target: ExecTarget, options: StreamOptions, located: { pod: Obj; container: Obj }): void {
  announce(conn, options);
  carry(conn, openExec(api, streamRequest(target, options, located), channelOutput(conn)));
}

function runAttach(api: ApiServer, clock: VirtualClock, conn: ChannelConnection, target: ExecTarget, options: StreamOptions, located: { pod: Obj; container: Obj }): void {
  announce(conn, options);
  carry(conn, openAttach(api, clock, streamRequest(target, options, located), channelOutput(conn)));
}

function streamRequest(target: ExecTarget, options: StreamOptions, located: { container: Obj }): ExecRequest {
  return { namespace: target.namespace, pod: target.pod, container: located.container.name as string, command: options.command, stdin: options.stdin, stdout: options.stdout, stderr: options.stderr, tty: options.tty };
}

function channelOutput(conn: ChannelConnection): ExecOutput {
  return { stdout: (t) => conn.write(STDOUT, t), stderr: (t) => conn.write(STDERR, t) };
}

/** Stdin and hang-ups from the client go to the session; its final Status ends the connection. */
function carry(conn: ChannelConnection, session: ExecSession | ApiResponse): void {
  if (!isExecSession(session)) return conn.finish(startFailure(new ApiError(session.body as ApiError['status'])));
  const decoder = new StringDecoder('utf8');
  conn.onStdin(
    (d) => session.write(decoder.write(d)),
    () => session.closeStdin(),
  );
  conn.onGone(() => session.close());
  void session.done.then((status) => conn.finish(status));
}
