/**
 * The contract between the API server and the kubelets for pods/log and pods/exec: the API
 * server checks the pod and container as kube-apiserver does, then hands the request to the
 * node's agent (the kubelet, which the node issue builds).
 */

export interface LogOptions {
  container: string;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  limitBytes?: number;
}

export interface ExecStreams {
  stdin?: string;
  stdout(data: string): void;
  stderr(data: string): void;
}

export interface ExecOptions {
  container: string;
  command: string[];
  tty: boolean;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface NodeAgent {
  /** Returns the container's log text, or throws an ApiError (for example a waiting container). */
  containerLogs(pod: Obj, options: LogOptions): string;
  /** Runs a command in the container; resolves to its exit code. */
  exec(pod: Obj, options: ExecOptions, streams: ExecStreams): Promise<number>;
  /**
   * The shell a container runs on its stdin (stdin: true, a bare shell) read the end of its input
   * with this exit status after an attached session: the container's process ends with it.
   */
  stdinEnded?(pod: Obj, container: string, exitCode: number): void;
  /** Whether the running container is a shell waiting on its stdin (its command, or its image's). */
  waitsOnStdin?(pod: Obj, container: string): boolean;
}
