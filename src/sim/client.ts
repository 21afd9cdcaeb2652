import type { ApiServer } from './apiserver';
import type { ApiRequest, ApiResponse, WatchEventObject } from './apiserver';
import type { VirtualClock } from './clock';
import { openAttach, openExec, openStream, type ExecOutput, type ExecRequest, type ExecSession, type StreamHandle } from './streams';

export type { ExecOutput, ExecRequest, ExecSession, StreamHandle, StreamStatus } from './streams';

/** An open watch; stop() ends it (the server's end is reported through onClose). */
export interface WatchHandle {
  stop(): void;
}

/**
 * How clients (our kubectl, the lab engine, the UI) talk to the API server. The in-process
 * client and an HTTP client speak the same REST requests, so kubectl never knows which it has.
 */
export interface ApiClient {
  request(req: ApiRequest): Promise<ApiResponse>;
  /**
   * A GET with watch semantics (`watch=true` is implied): events arrive through `onEvent` until
   * stop() or the server ends the stream (`onClose`). Resolves to the server's response instead
   * when it refuses the watch (410 Gone, 404, 403 …).
   */
  watch(req: ApiRequest, onEvent: (event: WatchEventObject) => void, onClose?: () => void): Promise<WatchHandle | ApiResponse>;
  /**
   * A GET whose body keeps coming (pods/NAME/log with follow=true): text arrives through
   * `onData` until stop() or the server ends it (`onClose`). Resolves to the server's response
   * instead when it answers with an error (the request's Status).
   */
  stream(req: ApiRequest, onData: (text: string) => void, onClose?: () => void): Promise<StreamHandle | ApiResponse>;
  /**
   * Opens pods/NAME/exec: output arrives through `output`, the session ends with a Status.
   * Resolves to the server's response when it refuses before the session starts (pod not
   * found, invalid container, no command …).
   */
  exec(req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse>;
  /** Opens pods/NAME/attach, as exec (no command). */
  attach(req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse>;
}

export function isStreamHandle(value: StreamHandle | ApiResponse): value is StreamHandle {
  return typeof (value as StreamHandle).stop === 'function';
}

export function isExecSession(value: ExecSession | ApiResponse): value is ExecSession {
  return typeof (value as ExecSession).closeStdin === 'function';
}

export function isWatchHandle(value: WatchHandle | ApiResponse): value is WatchHandle {
  return typeof (value as WatchHandle).stop === 'function';
}

export class InProcessClient implements ApiClient {
  /** `clock` drives followed logs and attach (without it they end after what is there now). */
  constructor(
    private readonly server: ApiServer,
    private readonly clock?: VirtualClock,
  ) {}

  async stream(req: ApiRequest, onData: (text: string) => void, onClose?: () => void): Promise<StreamHandle | ApiResponse> {
    const query = { ...req.query };
    if (!this.clock) delete query.follow;
    const outcome = openStream(this.server, this.clock!, { path: req.path, query, ...(req.userAgent ? { userAgent: req.userAgent } : {}) }, onData, onClose);
    return 'stop' in outcome ? outcome : { status: outcome.status, body: structuredCloneJson(outcome.body) };
  }

  async exec(req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse> {
    const outcome = openExec(this.server, structuredCloneJson(req), output);
    return 'closeStdin' in outcome ? outcome : { status: outcome.status, body: structuredCloneJson(outcome.body) };
  }

  async attach(req: ExecRequest, output: ExecOutput): Promise<ExecSession | ApiResponse> {
    if (!this.clock) throw new Error('attach needs the cluster clock');
    const outcome = openAttach(this.server, this.clock, structuredCloneJson(req), output);
    return 'closeStdin' in outcome ? outcome : { status: outcome.status, body: structuredCloneJson(outcome.body) };
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    // Serialise through JSON, as the wire would: callers never share the store's objects.
    const res = this.server.handle(structuredCloneJson(req));
    // The server builds each response afresh and the parts it shares with the store are frozen, so
    // a Table (read by printers only) or a read-only caller's answer needs no copy.
    const body = (req.as === 'Table' || req.readOnly) && res.status < 300 ? res.body : structuredCloneJson(res.body);
    return { status: res.status, body, ...(res.warnings?.length ? { warnings: [...res.warnings] } : {}) };
  }

  async watch(req: ApiRequest, onEvent: (event: WatchEventObject) => void, onClose?: () => void): Promise<WatchHandle | ApiResponse> {
    let open = true;
    const outcome = this.server.watch(structuredCloneJson(req), (e) => {
      if (open) onEvent(structuredCloneJson(e));
    });
    if (!('stop' in outcome)) return { status: outcome.status, body: structuredCloneJson(outcome.body) };
    return {
      stop: () => {
        if (!open) return;
        open = false;
        outcome.stop();
        onClose?.();
      },
    };
  }
}

function structuredCloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

