import type {
  EventName,
  HostEvents,
  HostMethods,
  HostNotifications,
  KubelabApi,
  MethodName,
  NotificationName,
} from './api';

/** Wire messages shared by the IPC and WebSocket transports. */
export type ClientMessage =
  | { kind: 'call'; id: number; method: MethodName; params: unknown }
  | { kind: 'notify'; method: NotificationName; params: unknown };

export interface RemoteErrorShape {
  message: string;
  code: string;
}

export type HostMessage =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: RemoteErrorShape }
  | { kind: 'event'; event: EventName; payload: unknown };

/** An error raised by the host, re-thrown in the renderer with its code. */
export class RemoteError extends Error {
  readonly code: string;
  constructor(shape: RemoteErrorShape) {
    super(shape.message);
    this.name = 'RemoteError';
    this.code = shape.code;
  }
}

/** What a transport must provide for {@link createKubelabApi}. */
export interface Transport {
  readonly name: KubelabApi['transport'];
  call<M extends MethodName>(method: M, params: HostMethods[M]['params']): Promise<HostMethods[M]['result']>;
  notify<N extends NotificationName>(method: N, params: HostNotifications[N]): void;
  onEvent<E extends EventName>(event: E, listener: (payload: HostEvents[E]) => void): () => void;
}

/** Builds the typed `window.kubelab` object on top of any transport. */
export function createKubelabApi(transport: Transport): KubelabApi {
  return {
    transport: transport.name,
    session: {
      info: () => transport.call('session.info', {}),
    },
    terminal: {
      open: async (size) => {
        await transport.call('terminal.open', size);
      },
      input: (data) => transport.notify('terminal.input', { data }),
      resize: (size) => transport.notify('terminal.resize', size),
      onOutput: (listener) => transport.onEvent('terminal.output', (p) => listener(p.data)),
    },
    files: {
      read: async (path) => (await transport.call('files.read', { path })).content,
      write: async (path, content) => {
        await transport.call('files.write', { path, content });
      },
    },
    api: {
      expose: () => transport.call('api.expose', {}),
    },
  };
}

/**
 * Client side of the message protocol for transports that carry {@link ClientMessage}
 * and {@link HostMessage} objects (WebSocket, a MessagePort, a test pipe).
 */
export function createMessageTransport(
  name: KubelabApi['transport'],
  send: (message: ClientMessage) => void,
): { transport: Transport; receive(message: HostMessage): void; failAll(reason: string): void } {
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const transport: Transport = {
    name,
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        send({ kind: 'call', id, method, params });
      });
    },
    notify(method, params) {
      send({ kind: 'notify', method, params });
    },
    onEvent(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
  };

  return {
    transport,
    receive(message) {
      if (message.kind === 'event') {
        for (const l of listeners.get(message.event) ?? []) l(message.payload);
        return;
      }
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.ok) p.resolve(message.value);
      else p.reject(new RemoteError(message.error));
    },
    failAll(reason) {
      for (const p of pending.values()) p.reject(new RemoteError({ message: reason, code: 'Disconnected' }));
      pending.clear();
    },
  };
}

/** IPC channel names used by the Electron preload and main process. */
export const IPC_CHANNELS = {
  call: 'kubelab:call',
  notify: 'kubelab:notify',
  event: 'kubelab:event',
} as const;

/** Path of the WebSocket endpoint on the web host. */
export const WS_PATH = '/kubelab';

/** Content Security Policy of the app's pages, in Electron and in browser mode: only the app's own code. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
