import type { ApiServer } from './apiserver';
import type { ApiRequest, ApiResponse, WatchEventObject } from './apiserver';

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
}

export function isWatchHandle(value: WatchHandle | ApiResponse): value is WatchHandle {
  return typeof (value as WatchHandle).stop === 'function';
}

export class InProcessClient implements ApiClient {
  constructor(private readonly server: ApiServer) {}

  async request(req: ApiRequest): Promise<ApiResponse> {
    // Serialise through JSON, as the wire would: callers never share the store's objects.
    const res = this.server.handle(structuredCloneJson(req));
    return { status: res.status, body: structuredCloneJson(res.body), ...(res.warnings?.length ? { warnings: [...res.warnings] } : {}) };
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
