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
 * The simulated kubelet runs a command to completion with no streamed stdin
 * (`api.exec(namespace, pod, options, streams)`), so:
 * - a command runs when the session opens; stdin sent to it is dropped, except that
 * - a bare shell (`sh`, `bash`) without a TTY runs what it reads on stdin, once stdin is closed;
 * - a bare shell with a TTY and stdin (`kubectl exec -it POD -- sh`) is an interactive session:
 *   the terminal's line discipline (echo, erase, ^C, ^D, CR/LF) is done here, each line entered
 *   runs as one command in the container, and the shell's working directory and variables are
 *   carried from one line to the next;
 * - attach streams what the container writes from now on, until it stops (its log).
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ApiError, containerStatus, crlf, followLog, locateStream, exitStatus, internalStatus, isBareShell, MISSING_EXECUTABLE, readsStdin, ShellSession, startFailure, SUCCESS, type ApiServer, type StreamHandle, type StreamStatus, type VirtualClock } from '../../sim';

export { exitStatus, internalStatus, needsMore, ShellSession, SUCCESS, type StreamStatus } from '../../sim';
import { readPod, streamPodLogs } from './logs';
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
interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Where the command's output goes: with a TTY both streams are the terminal (stdout channel, CR LF). */
function outputFor(conn: ChannelConnection, options: StreamOptions): Output {
  if (options.tty) {
    const out = (t: string) => options.stdout && conn.write(STDOUT, crlf(t));
    return { stdout: out, stderr: out };
  }
  return {
    stdout: (t) => options.stdout && conn.write(STDOUT, t),
    stderr: (t) => options.stderr && conn.write(STDERR, t),
  };
}

function announce(conn: ChannelConnection, options: StreamOptions): void {
  // The empty message on the lowest writable channel tells the client the session is up.
  conn.write(options.stdout ? STDOUT : options.stderr ? STDERR : ERROR, Buffer.alloc(0));
}

function runExec(api: ApiServer, conn: ChannelConnection, target: ExecTarget, options: StreamOptions, located: { pod: Obj; container: Obj }): void {
  announce(conn, options);
  const container = located.container.name as string;
  const out = outputFor(conn, options);
  const run = (command: string[], sink: Output, stdin?: string): Promise<number> =>
    api.exec(target.namespace, target.pod, { container, command, tty: options.tty }, { ...(stdin !== undefined ? { stdin } : {}), stdout: (t) => sink.stdout(t), stderr: (t) => sink.stderr(t) });
  const finish = (p: Promise<number | StreamStatus>) =>
    p.then(
      (r) => conn.finish(typeof r === 'number' ? (r === 0 ? SUCCESS : exitStatus(r)) : r),
      (err: unknown) => conn.finish(startFailure(err)),
    );

  if (options.stdin && options.tty && isBareShell(options.command)) {
    // The session writes the terminal's bytes itself (its echo, and its commands' output as CR LF).
    const terminal = (t: string) => conn.write(STDOUT, t);
    const session = new ShellSession(run, terminal, options.command[0]!, located.pod, located.container);
    conn.onGone(() => session.abandon());
    const decoder = new StringDecoder('utf8');
    finish(session.start());
    conn.onStdin(
      (d) => session.input(decoder.write(d)),
      () => session.endOfInput(),
    );
    return;
  }
  if (options.stdin && isBareShell(options.command)) {
    // The shell runs the script it reads; it can only run once stdin is closed.
    const chunks: Buffer[] = [];
    conn.onStdin(
      (d) => chunks.push(d),
      () => {
        if (!conn.isOpen) return;
        finish(run([options.command[0]!, '-c', Buffer.concat(chunks).toString('utf8')], out));
      },
    );
    return;
  }
  let missing: string | undefined;
  let first = true;
  const sink: Output = {
    stdout: (t) => {
      first = false;
      out.stdout(t);
    },
    stderr: (t) => {
      const m = first ? MISSING_EXECUTABLE.exec(t) : null;
      first = false;
      if (m) missing = m[1];
      else out.stderr(t);
    },
  };
  const start = (stdin?: string) => finish(run(options.command, sink, stdin).then((code) => (missing !== undefined && code === 128 ? internalStatus(missing) : code)));
  if (options.stdin && readsStdin(options.command)) {
    // A program that reads its stdin (cat, tar x) runs once stdin is closed, with what it brought.
    const chunks: Buffer[] = [];
    conn.onStdin(
      (d) => chunks.push(d),
      () => conn.isOpen && start(Buffer.concat(chunks).toString('utf8')),
    );
    return;
  }
  if (options.stdin) conn.onStdin(() => {}, () => {});
  start();
}

// ---- attach ------------------------------------------------------------------------------

function runAttach(api: ApiServer, clock: VirtualClock, conn: ChannelConnection, target: ExecTarget, options: StreamOptions, located: { pod: Obj; container: Obj }): void {
  const name = located.container.name as string;
  // The TTY is the container's (spec.tty), whatever the request says.
  const tty = located.container.tty === true;
  announce(conn, options);
  // The kubelet's GetAttach: an unreachable kubelet, or a container that is not running.
  const probe = api.handle({ method: 'GET', path: `/api/v1/namespaces/${target.namespace}/pods/${target.pod}/log`, query: { container: name, tailLines: '0' }, userAgent: 'kube-apiserver' });
  if (probe.status === 500) return conn.finish(startFailure(new ApiError(probe.body as ApiError['status'])));
  const pod = readPod(api, target.namespace, target.pod);
  if (probe.status !== 200 || !pod || !containerStatus(pod, name)?.state?.running)
    return conn.finish(internalStatus(`unable to upgrade connection: container ${name} not found in pod ${target.pod}_${target.namespace}`));
  // A shell waiting on its stdin (kubectl debug -it, a container with stdin: true running a bare
  // shell): what is typed runs in an interactive session, what is piped runs once stdin closes.
  const spec = located.container;
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])] as string[];
  if (options.stdin && spec.stdin === true && (argv.length === 0 || isBareShell(argv))) {
    const shellName = argv[0] ?? 'sh';
    const run = (command: string[], sink: Output): Promise<number> =>
      api.exec(target.namespace, target.pod, { container: name, command, tty: options.tty }, { stdout: (t) => sink.stdout(t), stderr: (t) => sink.stderr(t) });
    const end = (p: Promise<number | StreamStatus>) =>
      p.then(
        (r) => {
          conn.finish(typeof r === 'number' ? SUCCESS : r);
          // The shell read the end of its input: it exits, and the container with it.
          if (typeof r === 'number') api.containerStdinEnded(target.namespace, target.pod, name, r);
        },
        (err: unknown) => conn.finish(startFailure(err)),
      );
    if (options.tty) {
      const session = new ShellSession(run, (t: string) => conn.write(STDOUT, t), shellName, pod, spec);
      conn.onGone(() => session.abandon());
      const decoder = new StringDecoder('utf8');
      end(session.start());
      conn.onStdin(
        (d) => session.input(decoder.write(d)),
        () => session.endOfInput(),
      );
      return;
    }
    const chunks: Buffer[] = [];
    conn.onStdin(
      (d) => chunks.push(d),
      () => conn.isOpen && end(run([shellName, '-c', Buffer.concat(chunks).toString('utf8')], outputFor(conn, options))),
    );
    return;
  }
  // What is typed reaches the container's stdin, which the simulated processes do not read.
  if (options.stdin) conn.onStdin(() => {}, () => {});
  const follower: StreamHandle = followLog(
    api,
    clock,
    target.namespace,
    target.pod,
    { container: name, timestamps: false },
    (text) => {
      if (!options.stdout) return;
      conn.write(STDOUT, tty ? crlf(text) : text);
    },
    () => conn.finish(SUCCESS),
  );
  conn.onGone(() => follower.stop());
}
