/**
 * pods/exec, pods/attach and followed pods/log as sessions, independent of any transport: the
 * in-process client opens them directly, the HTTP facade (host/api/exec.ts) carries the same
 * sessions over WebSocket channels.
 *
 * The simulated kubelet runs a command to completion (`api.exec`), so:
 * - a command runs when the session opens; what stdin brings is given to it once stdin closes
 *   when the command reads it (a bare shell runs it as its script);
 * - a bare shell with a TTY and stdin is an interactive session (ShellSession);
 * - attach and followed logs read the container's log as it grows, until the container stops.
 */
import { ApiError, type ApiResponse, type ApiServer } from './apiserver';
import type { VirtualClock } from './clock';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An open streamed response (a followed log); stop() hangs up (onClose is not called then). */
export interface StreamHandle {
  stop(): void;
}

/** pods/NAME/exec or pods/NAME/attach, as kubectl asks for them (its query parameters). */
export interface ExecRequest {
  namespace: string;
  pod: string;
  container?: string;
  /** The command and its arguments (exec only). */
  command?: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * The Status an exec or attach session ends with, as the stream's error channel carries it
 * (metav1.Status without kind and apiVersion): Success; Failure with reason NonZeroExitCode and
 * an ExitCode cause; InternalError for the kubelet's refusals.
 */
export interface StreamStatus {
  metadata?: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[]; [k: string]: unknown };
  code?: number;
}

/** Where a session's output goes; with a TTY everything arrives on stdout. */
export interface ExecOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** An open exec or attach session. */
export interface ExecSession {
  /** Text for the container's stdin (when the request asked for stdin). */
  write(text: string): void;
  /** Closes stdin (EOF). */
  closeStdin(): void;
  /** The terminal's size (TTY sessions). */
  resize(width: number, height: number): void;
  /** Hangs up; `done` then resolves with a Success unless the session already ended. */
  close(): void;
  /** Resolves once the session ends, with its Status. */
  readonly done: Promise<StreamStatus>;
}

type Output = ExecOutput;

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
export function startFailure(err: unknown): StreamStatus {
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
export const MISSING_EXECUTABLE = /^error: (Internal error occurred: error executing command in container: [^\n]*)\n$/;

/** The terminal's output processing (onlcr): a newline goes out as CR LF. */
export function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}


export const SHELLS = new Set(['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash']);

/** A shell started without a script: it reads its commands from stdin. */
export function isBareShell(command: string[]): boolean {
  return SHELLS.has(command[0] ?? '') && command.slice(1).every((a) => ['-i', '-l', '-s', '--login'].includes(a));
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

export type Runner = (command: string[], sink: Output) => Promise<number>;

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

// ---- where a session goes ------------------------------------------------------------------

function badRequest(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}

function readPod(api: ApiServer, namespace: string, name: string): Obj | undefined {
  return api.getByResource('pods', '', namespace, name);
}

/** A container's status in the pod's status, whatever kind of container it is. */
export function containerStatus(pod: Obj, container: string): Obj | undefined {
  const s = pod.status ?? {};
  return [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])].find((c: Obj) => c.name === container);
}

/**
 * What the API server checks before it upgrades an exec or attach (ExecLocation/AttachLocation:
 * the pod, the container, the node); returns the pod and the container's spec, or throws the
 * ApiError the upgrade request is answered with.
 */
export function locateStream(api: ApiServer, subresource: 'exec' | 'attach', req: ExecRequest): { pod: Obj; container: Obj } {
  const name = req.pod;
  const pod = readPod(api, req.namespace, name);
  if (!pod) throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pods "${name}" not found`, reason: 'NotFound', details: { name, kind: 'pods' }, code: 404 });
  const containers: Obj[] = pod.spec?.containers ?? [];
  const inits: Obj[] = pod.spec?.initContainers ?? [];
  const ephemeral: Obj[] = pod.spec?.ephemeralContainers ?? [];
  let container: Obj | undefined;
  if (!req.container) {
    if (containers.length === 1) container = containers[0];
    else if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    else {
      let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`;
      if (inits.length) msg += ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]`;
      if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.map((c) => c.name).join(' ')}]`;
      throw badRequest(msg);
    }
  } else {
    container = [...containers, ...inits, ...ephemeral].find((c) => c.name === req.container);
    if (!container) throw badRequest(`container ${req.container} is not valid for pod ${name}`);
  }
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  if (subresource === 'exec' && (req.command ?? []).length === 0) throw badRequest('you must specify at least 1 command');
  if (!req.stdin && !req.stdout && !req.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return { pod, container: container! };
}

// ---- following a log on the virtual clock --------------------------------------------------

/** How often (virtual time) a followed log is read again. */
export const FOLLOW_POLL_MS = 250;

export interface FollowOptions {
  container: string;
  timestamps: boolean;
}

/**
 * Follows a running container's log from now on on the virtual clock: `onText` gets each new
 * piece as it is written, `onEnd` is called once when the container stops, restarts or its pod
 * is gone (not after stop()). A container not running now ends at once.
 */
export function followLog(api: ApiServer, clock: VirtualClock, namespace: string, pod: string, options: FollowOptions, onText: (text: string) => void, onEnd: () => void): StreamHandle {
  const path = `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
  const read = (previous: boolean): string | undefined => {
    const query: Record<string, string> = { container: options.container };
    if (options.timestamps) query.timestamps = 'true';
    if (previous) query.previous = 'true';
    const res = api.handle({ method: 'GET', path, query, userAgent: 'kube-apiserver' });
    return res.status === 200 && typeof res.body === 'string' ? res.body : undefined;
  };
  const first = readPod(api, namespace, pod);
  const uid = first?.metadata?.uid;
  const initial = first && containerStatus(first, options.container);
  const containerID = initial?.containerID;
  let seen = read(false);
  let timer: number | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    if (timer !== undefined) clock.cancel(timer);
    onEnd();
  };
  const emit = (text: string | undefined): boolean => {
    if (text === undefined || seen === undefined || !text.startsWith(seen)) return false;
    if (text.length > seen.length) onText(text.slice(seen.length));
    seen = text;
    return true;
  };
  const poll = () => {
    timer = undefined;
    if (done) return;
    const now = readPod(api, namespace, pod);
    if (!now || now.metadata?.uid !== uid) return finish();
    const status = containerStatus(now, options.container);
    if (!emit(read(false)) || status?.containerID !== containerID) {
      emit(read(true));
      return finish();
    }
    if (!status?.state?.running) return finish();
    timer = clock.schedule(FOLLOW_POLL_MS, poll);
  };
  if (!initial?.state?.running || seen === undefined) void Promise.resolve().then(finish);
  else timer = clock.schedule(FOLLOW_POLL_MS, poll);
  return {
    stop() {
      done = true;
      if (timer !== undefined) clock.cancel(timer);
    },
  };
}

/**
 * GET .../pods/NAME/log?follow=true: the answer the request gets without follow (its error as
 * the response), then what the container writes until it stops. limitBytes bounds the whole
 * stream. Other paths answer once.
 */
export function openStream(api: ApiServer, clock: VirtualClock, req: { path: string; query?: Record<string, string>; userAgent?: string }, onData: (text: string) => void, onClose?: () => void): StreamHandle | ApiResponse {
  const query: Record<string, string> = { ...req.query };
  const follow = query.follow === 'true';
  delete query.follow;
  const first = api.handle({ method: 'GET', path: req.path, query, ...(req.userAgent ? { userAgent: req.userAgent } : {}) });
  if (first.status !== 200) return first;
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(req.path);
  let closed = false;
  let follower: StreamHandle | undefined;
  const end = () => {
    if (closed) return;
    closed = true;
    follower?.stop();
    onClose?.();
  };
  let left = query.limitBytes !== undefined ? Number(query.limitBytes) : Infinity;
  const write = (text: string): boolean => {
    if (left <= 0) return false;
    const part = text.length > left ? text.slice(0, left) : text;
    left -= part.length;
    if (part) onData(part);
    return left > 0;
  };
  const text = typeof first.body === 'string' ? first.body : JSON.stringify(first.body);
  const more = write(text);
  const pod = m ? readPod(api, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)) : undefined;
  const container = query.container ?? pod?.spec?.containers?.[0]?.name;
  if (!more || !follow || !m || query.previous === 'true' || !container) {
    void Promise.resolve().then(end);
  } else {
    follower = followLog(api, clock, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), { container, timestamps: query.timestamps === 'true' }, (t) => {
      if (!closed && !write(t)) end();
    }, end);
  }
  return {
    stop() {
      closed = true;
      follower?.stop();
    },
  };
}

// ---- sessions ------------------------------------------------------------------------------

/** The server's side of one session: stdin as it arrives, the end, the client hanging up. */
export class SessionEnd implements ExecSession {
  private stdinListener: ((text: string) => void) | undefined;
  private stdinEndListener: (() => void) | undefined;
  private readonly stdinQueue: string[] = [];
  private stdinEnded = false;
  private ended = false;
  private goneListener: (() => void) | undefined;
  private resolveDone!: (status: StreamStatus) => void;
  size: { width: number; height: number } | undefined;
  readonly done: Promise<StreamStatus>;

  constructor() {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  write(text: string): void {
    if (this.stdinEnded || this.ended) return;
    if (this.stdinListener) this.stdinListener(text);
    else this.stdinQueue.push(text);
  }

  closeStdin(): void {
    if (this.stdinEnded) return;
    this.stdinEnded = true;
    this.stdinEndListener?.();
  }

  resize(width: number, height: number): void {
    this.size = { width, height };
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.closeStdin();
    this.goneListener?.();
    this.resolveDone({ metadata: {}, status: 'Success' });
  }

  /** Receives stdin (what arrived before is delivered at once) and its end. */
  onStdin(listener: (text: string) => void, onEnd: () => void): void {
    this.stdinListener = listener;
    this.stdinEndListener = onEnd;
    for (const d of this.stdinQueue.splice(0)) listener(d);
    if (this.stdinEnded) onEnd();
  }

  onGone(listener: () => void): void {
    this.goneListener = listener;
  }

  finish(status: StreamStatus): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveDone(status);
  }
}

/** Programs that read their stdin, so they run once it is closed with what it brought. */
export function readsStdin(command: string[]): boolean {
  const [program, ...args] = command;
  const base = (program ?? '').split('/').pop();
  if (base === 'cat') return args.filter((a) => a !== '-').length === 0;
  if (base === 'tar') return args.some((a) => /^-?[a-wyzA-Z]*x/.test(a) && !a.startsWith('--')) && args.includes('-');
  return false;
}

/** Opens pods/exec in process; the ApiResponse the upgrade gets when the server refuses it. */
export function openExec(api: ApiServer, req: ExecRequest, output: ExecOutput): ExecSession | ApiResponse {
  let located: { pod: Obj; container: Obj };
  try {
    located = locateStream(api, 'exec', req);
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status.code ?? 500, body: err.status };
    throw err;
  }
  const session = new SessionEnd();
  const command = req.command ?? [];
  const container = located.container.name as string;
  const guard = (f: (t: string) => void) => (t: string) => {
    if (session.isOpen) f(t);
  };
  const out: Output = req.tty
    ? { stdout: guard((t) => req.stdout && output.stdout(crlf(t))), stderr: guard((t) => req.stdout && output.stdout(crlf(t))) }
    : { stdout: guard((t) => req.stdout && output.stdout(t)), stderr: guard((t) => req.stderr && output.stderr(t)) };
  const run = (argv: string[], sink: Output, stdin?: string): Promise<number> =>
    api.exec(req.namespace, req.pod, { container, command: argv, tty: req.tty }, { ...(stdin !== undefined ? { stdin } : {}), stdout: (t) => sink.stdout(t), stderr: (t) => sink.stderr(t) });
  const finish = (p: Promise<number | StreamStatus>) =>
    p.then(
      (r) => session.finish(typeof r === 'number' ? (r === 0 ? SUCCESS : exitStatus(r)) : r),
      (err: unknown) => session.finish(startFailure(err)),
    );
  // A missing program: the kubelet's message becomes the session's InternalError.
  const runChecked = (argv: string[], stdin?: string) => {
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
    finish(run(argv, sink, stdin).then((code) => (missing !== undefined && code === 128 ? internalStatus(missing) : code)));
  };

  if (req.stdin && req.tty && isBareShell(command)) {
    const terminal = guard((t: string) => output.stdout(t));
    const shell = new ShellSession((argv, sink) => run(argv, sink), terminal, command[0]!, located.pod, located.container);
    session.onGone(() => shell.abandon());
    finish(shell.start());
    session.onStdin(
      (d) => shell.input(d),
      () => shell.endOfInput(),
    );
    return session;
  }
  if (req.stdin && (isBareShell(command) || readsStdin(command))) {
    const chunks: string[] = [];
    session.onStdin(
      (d) => chunks.push(d),
      () => {
        if (!session.isOpen) return;
        if (isBareShell(command)) finish(run([command[0]!, '-c', chunks.join('')], out));
        else runChecked(command, chunks.join(''));
      },
    );
    return session;
  }
  if (req.stdin) session.onStdin(() => {}, () => {});
  runChecked(command);
  return session;
}

/** Opens pods/attach in process: what the container writes from now on, until it stops. */
export function openAttach(api: ApiServer, clock: VirtualClock, req: ExecRequest, output: ExecOutput): ExecSession | ApiResponse {
  let located: { pod: Obj; container: Obj };
  try {
    located = locateStream(api, 'attach', req);
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status.code ?? 500, body: err.status };
    throw err;
  }
  const session = new SessionEnd();
  const name = located.container.name as string;
  const tty = located.container.tty === true;
  const probe = api.handle({ method: 'GET', path: `/api/v1/namespaces/${req.namespace}/pods/${req.pod}/log`, query: { container: name, tailLines: '0' }, userAgent: 'kube-apiserver' });
  if (probe.status === 500) {
    session.finish(startFailure(new ApiError(probe.body as ApiError['status'])));
    return session;
  }
  const pod = readPod(api, req.namespace, req.pod);
  if (probe.status !== 200 || !pod || !containerStatus(pod, name)?.state?.running) {
    session.finish(internalStatus(`unable to upgrade connection: container ${name} not found in pod ${req.pod}_${req.namespace}`));
    return session;
  }
  // A shell waiting on its stdin (kubectl debug -it, run -it): what is typed or piped runs in it.
  const spec = located.container;
  const argv = [...(spec.command ?? []), ...(spec.args ?? [])] as string[];
  // Whether the container runs a bare shell is the kubelet's to say: with no command it is the image's own (busybox: sh, nginx: nginx).
  if (req.stdin && spec.stdin === true && api.containerWaitsOnStdin(req.namespace, req.pod, name)) {
    const shellName = argv[0] ?? 'sh';
    const guard = (f: (t: string) => void) => (t: string) => {
      if (session.isOpen) f(t);
    };
    const run = (command: string[], sink: Output) => api.exec(req.namespace, req.pod, { container: name, command, tty: req.tty }, { stdout: (t) => sink.stdout(t), stderr: (t) => sink.stderr(t) });
    const end = (p: Promise<number | StreamStatus>) =>
      p.then(
        (r) => {
          session.finish(typeof r === 'number' ? SUCCESS : r);
          // The shell read the end of its input: it exits, and the container with it.
          if (typeof r === 'number') api.containerStdinEnded(req.namespace, req.pod, name, r);
        },
        (err: unknown) => session.finish(startFailure(err)),
      );
    if (req.tty) {
      const shell = new ShellSession((a, sink) => run(a, sink), guard((t: string) => output.stdout(t)), shellName, pod, spec);
      session.onGone(() => shell.abandon());
      end(shell.start());
      session.onStdin(
        (d) => shell.input(d),
        () => shell.endOfInput(),
      );
      return session;
    }
    const out: Output = { stdout: guard((t) => req.stdout && output.stdout(t)), stderr: guard((t) => req.stderr && output.stderr(t)) };
    const chunks: string[] = [];
    session.onStdin(
      (d) => chunks.push(d),
      () => {
        if (session.isOpen) end(run([shellName, '-c', chunks.join('')], out));
      },
    );
    return session;
  }
  if (req.stdin) session.onStdin(() => {}, () => {});
  const follower = followLog(
    api,
    clock,
    req.namespace,
    req.pod,
    { container: name, timestamps: false },
    (text) => {
      if (req.stdout && session.isOpen) output.stdout(tty ? crlf(text) : text);
    },
    () => session.finish(SUCCESS),
  );
  session.onGone(() => follower.stop());
  return session;
}
