/**
 * The contract between the host (Electron main or the web host) and the renderer.
 * Both transports — Electron IPC through the preload, and WebSocket in browser mode —
 * carry exactly these methods, notifications and events.
 */

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface SessionInfo {
  /** Kubernetes version the simulated cluster reports, e.g. "v1.32.4". */
  kubernetesVersion: string;
  /** The cluster's nodes, in creation order. */
  nodes: { name: string; role: 'control-plane' | 'worker' }[];
  /** The learner's home directory inside the simulated controlplane host. */
  home: string;
}

/** The session's cluster served as a Kubernetes API for the learner's own kubectl. */
export interface ExposedApi {
  /** https://127.0.0.1:PORT */
  url: string;
  /** The kubeconfig file written for it. */
  kubeconfig: string;
  /** What to type in a terminal: `export KUBECONFIG=…`. */
  command: string;
}

/** Request/response calls: method name → params and result. */
export interface HostMethods {
  'session.info': { params: Record<string, never>; result: SessionInfo };
  'terminal.open': { params: TerminalSize; result: { opened: true } };
  'files.read': { params: { path: string }; result: { content: string } };
  'files.write': { params: { path: string; content: string }; result: { saved: true } };
  'api.expose': { params: Record<string, never>; result: ExposedApi };
}

/** Fire-and-forget messages from the renderer. */
export interface HostNotifications {
  'terminal.input': { data: string };
  'terminal.resize': TerminalSize;
}

/** Messages the host pushes to the renderer. */
export interface HostEvents {
  'terminal.output': { data: string };
}

export type MethodName = keyof HostMethods;
export type NotificationName = keyof HostNotifications;
export type EventName = keyof HostEvents;

/** The typed object the renderer sees as `window.kubelab`. */
export interface KubelabApi {
  readonly transport: 'ipc' | 'websocket';
  session: {
    info(): Promise<SessionInfo>;
  };
  terminal: {
    open(size: TerminalSize): Promise<void>;
    input(data: string): void;
    resize(size: TerminalSize): void;
    /** Subscribes to terminal output; returns an unsubscribe function. */
    onOutput(listener: (data: string) => void): () => void;
  };
  files: {
    read(path: string): Promise<string>;
    write(path: string, content: string): Promise<void>;
  };
  /** "Use your own kubectl": serves the cluster on 127.0.0.1 and says how to point kubectl at it. */
  api: {
    expose(): Promise<ExposedApi>;
  };
}
