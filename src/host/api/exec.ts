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
import { ApiError, type ApiServer } from '../../sim';
import { containerStatus, followContainerLog, readPod, streamPodLogs, type LogFollower } from './logs';
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

/** A metav1.Status as the stream writes it (json.Marshal of a Status: no kind or apiVersion). */
export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[]; [k: string]: unknown };
  code?: number;
}

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

/**
 * What the API server checks before it upgrades (ExecLocation/AttachLocation: the pod, the
 * container, the node); returns the pod and the container's spec.
 */
function locate(api: ApiServer, target: ExecTarget, options: StreamOptions): { pod: Obj; container: Obj } {
  const name = target.pod;
  const pod = readPod(api, target.namespace, name);
  if (!pod) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pods "${name}" not found`, reason: 'NotFound', details: { name, kind: 'pods' }, code: 404 });
  const containers: Obj[] = pod.spec?.containers ?? [];
  const inits: Obj[] = pod.spec?.initContainers ?? [];
  const ephemeral: Obj[] = pod.spec?.ephemeralContainers ?? [];
  let container: Obj | undefined;
  if (!options.container) {
    if (containers.length === 1) container = containers[0];
    else if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    else {
      let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
      if (inits.length) msg += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`;
      if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.map((c) => c.name).join(' ')}]`;
      throw badRequest(msg);
    }
  } else {
    container = [...containers, ...inits, ...ephemeral].find((c) => c.name === options.container);
    if (!container) throw badRequest(`container ${options.container} is not valid for pod ${name}`);
  }
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  if (target.subresource === 'exec' && options.command.length === 0) throw badRequest('you must specify at least 1 command');
  if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return { pod, container: container! };
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
export function handleExecUpgrade(api: ApiServer, req: IncomingMessage, socket: Duplex, head: Buffer, target: ExecTarget): void {
  const options = parseOptions(target.query);
  let located: { pod: Obj; container: Obj };
  try {
    located = locate(api, target, options);
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
    if (target.subresource === 'attach') runAttach(api, conn, target, options, located);
    else runExec(api, conn, target, options, located);
  });
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;
const LOG_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;

/**
 * The facade's extension for the streaming subresources: exec and attach upgrades, and GET
 * pods/NAME/log with follow (without follow the simulated API server answers by itself).
 */
export function streamingApiExtension(api: ApiServer): ApiExtensions {
  return {
    handle(req, res) {
      const m = req.method === 'GET' ? LOG_PATH.exec(req.path) : null;
      if (!m || !flag(req.query, 'follow')) return false;
      streamPodLogs(api, res, { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), query: req.query });
      return true;
    },
    upgrade(req, socket, head, path, query) {
      const m = STREAM_PATH.exec(path);
      if (!m) return false;
      handleExecUpgrade(api, req, socket, head, { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), subresource: m[3] as 'exec' | 'attach', query });
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

// ---- statuses ----------------------------------------------------------------------------

export const SUCCESS: StreamStatus = { metadata: {}, status: 'Success' };

/** A non-zero exit code, as the stream translator reports the kubelet's CodeExitError. */
export function exitStatus(code: number): StreamStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** apierrors.NewInternalError(err) as the stream translator writes it. */
export function internalStatus(message: string): StreamStatus {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** How a failure to start the command reaches the client: the kubelet's refusal, wrapped by the translator. */
function startFailure(err: unknown): StreamStatus {
  if (err instanceof ApiError) {
    const s = err.status;
    const message = s.message ?? '';
    if (message.startsWith('unable to upgrade connection:')) return internalStatus(message);
    const dial = /dial tcp (\S+): (.*)$/.exec(message);
    if (s.reason === 'InternalError' && dial) return internalStatus(`error dialing backend: dial tcp ${dial[1]}: ${dial[2]}`);
    const { kind: _k, apiVersion: _a, ...rest } = s;
    return rest as StreamStatus;
  }
  return internalStatus(err instanceof Error ? err.message : String(err));
}

/**
 * The simulated kubelet reports a program missing from the image by writing kubectl's final
 * message to stderr and exiting 128; through the API server it is an InternalError, which the
 * stream translator wraps once more.
 */
const MISSING_EXECUTABLE = /^error: (Internal error occurred: error executing command in container: [^\n]*)\n$/;

/** The terminal's output processing (onlcr): a newline goes out as CR LF. */
function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

// ---- exec --------------------------------------------------------------------------------

const SHELLS = new Set(['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash']);

/** A shell started without a script: it reads its commands from stdin. */
function isBareShell(command: string[]): boolean {
  return SHELLS.has(command[0] ?? '') && command.slice(1).every((a) => ['-i', '-l', '-s', '--login'].includes(a));
}

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
  const run = (command: string[], sink: Output): Promise<number> =>
    api.exec(target.namespace, target.pod, { container, command, tty: options.tty }, { stdout: (t) => sink.stdout(t), stderr: (t) => sink.stderr(t) });
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
  if (options.stdin) conn.onStdin(() => {}, () => {});
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
  finish(run(options.command, sink).then((code) => (missing !== undefined && code === 128 ? internalStatus(missing) : code)));
}

// ---- the interactive shell ---------------------------------------------------------------

/** Marks where a line's own output ends and the shell's state (working directory, variables) follows. */
const STATE_MARK = '__KUBELAB_SHELL_STATE__';
const RC_VAR = '__kubelab_rc';

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whether a command typed so far continues on the next line (open quote, loop, if, pipe...). */
export function needsMore(script: string): boolean {
  let q: string | null = null;
  let plain = '';
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (q) {
      if (c === q) q = null;
      continue;
    }
    if (c === '\\') {
      if (i === script.length - 1) return true;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      q = c;
      plain += ' ';
      continue;
    }
    plain += c;
  }
  if (q) return true;
  if (/(\|\||&&|\|)\s*$/.test(plain)) return true;
  const words = plain.split(/[\s;&|()]+/).filter(Boolean);
  const count = (w: string) => words.filter((x) => x === w).length;
  const loops = Math.max(count('for') + count('while') + count('until'), count('do'));
  return count('if') > count('fi') || loops > count('done') || count('case') > count('esac') || count('{') > count('}');
}

/** Commands that leave `$?` as the previous line left it (for `echo $?` and a bare `exit`), where the container's shell can. */
const RESTORE_STATUS: Record<number, string> = {
  1: 'false\n',
  2: `cd /.${RC_VAR} 2>/dev/null\n`,
  127: `.${RC_VAR} 2>/dev/null\n`,
};

type Runner = (command: string[], sink: Output) => Promise<number>;

/**
 * An interactive shell on a terminal. The simulated container runs whole commands, so each line
 * entered runs as `sh -c` with the working directory and variables the previous lines left,
 * which the command reports after a marker that is not shown.
 */
export class ShellSession {
  private line = '';
  private escape = '';
  private script = '';
  private readonly queue: string[] = [];
  private running = 0;
  private busy = false;
  private inputEnded = false;
  private ended = false;
  private cwd = '/';
  private home = '/root';
  private status = 0;
  private baseEnv: Record<string, string> = {};
  private env: Record<string, string> = {};
  private resolveEnd: ((r: number | StreamStatus) => void) | undefined;
  private readonly flavor: 'ash' | 'bash' | 'dash';
  private readonly hostname: string;
  private readonly root: boolean;

  constructor(
    private readonly run: Runner,
    private readonly terminal: (text: string) => void,
    private readonly shell: string,
    pod: Obj,
    container: Obj,
  ) {
    const image = String(container.image ?? '');
    this.flavor = /bash$/.test(shell) ? 'bash' : /busybox|alpine/.test(image) ? 'ash' : 'dash';
    this.hostname = pod.spec?.hostname ?? pod.metadata?.name ?? 'localhost';
    const uid = container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
    this.root = uid === undefined || uid === 0;
  }

  /** Starts the shell; resolves to its exit code, or a Status when it could not start. */
  start(): Promise<number | StreamStatus> {
    return new Promise((resolve, reject) => {
      this.resolveEnd = resolve;
      this.busy = true;
      this.exec('true', { silent: true })
        .then(() => {
          this.busy = false;
          this.status = 0;
          this.prompt();
          this.drain();
        })
        .catch(reject);
    });
  }

  private write(text: string): void {
    if (!this.ended) this.terminal(text);
  }

  private prompt(continuation = false): void {
    if (continuation) return this.write('> ');
    const dir = this.cwd === this.home ? '~' : this.cwd.startsWith(`${this.home}/`) ? `~${this.cwd.slice(this.home.length)}` : this.cwd;
    const sign = this.root ? '#' : '$';
    if (this.flavor === 'bash') this.write(`${this.root ? 'root' : 'user'}@${this.hostname}:${dir}${sign} `);
    else if (this.flavor === 'ash') this.write(`${dir} ${sign} `);
    else this.write(`${sign} `);
  }

  /** Runs `script` in the container with the session's state; reads the state it leaves. */
  private async exec(script: string, opts: { silent?: boolean } = {}): Promise<{ code: number; reachedEnd: boolean }> {
    const id = ++this.running;
    const assigns = Object.entries(this.env)
      .filter(([k, v]) => this.baseEnv[k] !== v)
      .map(([k, v]) => `${k}=${quote(v)}\n`)
      .join('');
    const wrapped = `cd ${quote(this.cwd)} 2>/dev/null\n${assigns}${RESTORE_STATUS[this.status] ?? ''}${script}\n${RC_VAR}=$?\necho -n ${STATE_MARK}\npwd\nenv\nexit $${RC_VAR}\n`;
    let state: string | undefined;
    const live = () => id === this.running && !this.ended;
    const show = (t: string) => {
      if (state !== undefined) state += t;
      else if (t === STATE_MARK) state = '';
      else if (!opts.silent && live()) this.write(crlf(t));
    };
    const code = await this.run([this.shell, '-c', wrapped], { stdout: show, stderr: (t) => state === undefined && show(t) });
    if (state !== undefined && live()) {
      const [cwd, ...env] = state.split('\n');
      if (cwd) this.cwd = cwd;
      const vars: Record<string, string> = {};
      for (const line of env) {
        const eq = line.indexOf('=');
        if (eq > 0 && line.slice(0, eq) !== RC_VAR) vars[line.slice(0, eq)] = line.slice(eq + 1);
      }
      if (opts.silent) this.baseEnv = vars;
      this.env = vars;
      this.home = vars.HOME ?? this.home;
    }
    return { code, reachedEnd: state !== undefined };
  }

  /** Text typed on the terminal. */
  input(text: string): void {
    for (const ch of text) {
      if (this.ended) return;
      if (this.escape) {
        // Arrow keys and other escape sequences: the line editor's, not supported here.
        this.escape += ch;
        if (/^\x1b(\[[0-9;?]*[@-~]|O.|[^[O])$/.test(this.escape)) this.escape = '';
        continue;
      }
      switch (ch) {
        case '\x1b':
          this.escape = ch;
          break;
        case '\r':
        case '\n':
          this.write('\r\n');
          this.queue.push(this.line);
          this.line = '';
          this.drain();
          break;
        case '\x7f':
        case '\b':
          if (this.line) {
            this.line = [...this.line].slice(0, -1).join('');
            this.write('\b \b');
          }
          break;
        case '\x15':
          this.write('\b \b'.repeat([...this.line].length));
          this.line = '';
          break;
        case '\x03':
          this.write('^C\r\n');
          this.line = '';
          this.interrupt();
          break;
        case '\x04':
          if (!this.line) {
            this.inputEnded = true;
            this.drain();
          }
          break;
        default:
          if (ch >= ' ') {
            this.line += ch;
            this.write(ch);
          }
      }
    }
  }

  /** stdin was closed: the shell exits after what it has read. */
  endOfInput(): void {
    this.inputEnded = true;
    this.drain();
  }

  /** The client went away. */
  abandon(): void {
    this.ended = true;
    this.running++;
  }

  private interrupt(): void {
    this.queue.length = 0;
    this.script = '';
    if (this.busy) {
      // The command is left to finish unseen: the simulated kubelet cannot signal it.
      this.running++;
      this.busy = false;
      this.status = 130;
    }
    this.prompt();
  }

  private end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveEnd?.(code);
  }

  private drain(): void {
    while (!this.busy && !this.ended) {
      const line = this.queue.shift();
      if (line === undefined) {
        if (this.inputEnded) {
          if (this.flavor === 'bash') this.write('exit\r\n');
          this.end(this.status);
        }
        return;
      }
      this.script = this.script ? `${this.script}\n${line}` : line;
      if (needsMore(this.script)) {
        this.prompt(true);
        continue;
      }
      const script = this.script;
      this.script = '';
      if (!script.trim()) {
        this.prompt();
        continue;
      }
      this.busy = true;
      const id = this.running + 1;
      this.exec(script).then(
        ({ code, reachedEnd }) => {
          if (id !== this.running || this.ended) return;
          this.busy = false;
          this.status = code;
          if (!reachedEnd && /(^|[\s;&|(])exit(\s|;|$)/.test(script)) {
            if (this.flavor === 'bash') this.write('exit\r\n');
            return this.end(code);
          }
          this.prompt();
          this.drain();
        },
        () => {
          if (id !== this.running || this.ended) return;
          // The container stopped under the shell.
          this.busy = false;
          this.end(137);
        },
      );
    }
  }
}

// ---- attach ------------------------------------------------------------------------------

function runAttach(api: ApiServer, conn: ChannelConnection, target: ExecTarget, options: StreamOptions, located: { pod: Obj; container: Obj }): void {
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
  // What is typed reaches the container's stdin, which the simulated processes do not read.
  if (options.stdin) conn.onStdin(() => {}, () => {});
  const follower: LogFollower = followContainerLog(
    api,
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
