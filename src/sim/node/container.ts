/** Runtime state of one container as the kubelet tracks it across restarts. */
import type { RunningProcess } from './behavior';
import type { ContainerFs } from './fs';
import type { ImageInfo } from './images';

export interface LogLine {
  time: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: number }
  | { kind: 'terminated'; exitCode: number; reason: string; signal?: number; message?: string; startedAt: number; finishedAt: number };

export interface ContainerRuntime {
  name: string;
  isInit: boolean;
  /** Restartable init container (sidecar). */
  sidecar: boolean;
  /** An ephemeral container (kubectl debug): never restarted, not part of the pod's readiness. */
  ephemeral?: boolean;
  /** Whether the kubelet has begun starting this ephemeral container. */
  launched?: boolean;
  /** The process is a shell reading its stdin (attach feeds it; its end ends the container). */
  stdinShell?: boolean;
  state: ContainerState;
  lastTerminated?: Extract<ContainerState, { kind: 'terminated' }> & { containerID: string };
  restartCount: number;
  containerID?: string;
  image?: ImageInfo;
  ready: boolean;
  started: boolean;
  process?: RunningProcess;
  /** Incremented on each start, so callbacks from an old instance are ignored. */
  instance: number;
  logs: LogLine[];
  previousLogs?: LogLine[];
  /** Crash back-off: the next delay and when the current one ends. */
  backoffMs: number;
  backoffUntil?: number;
  /** Image pull back-off. */
  pullBackoffMs: number;
  pullBackoffUntil?: number;
  stopping?: boolean;
  /** The postStart hook has not finished yet. */
  postStartPending?: boolean;
  /** The process arguments of the current instance (for `ps`). */
  argv?: string[];
  /** The environment the current instance started with (exec sessions inherit it). */
  env?: Record<string, string>;
  /** The current instance's file system, created on first use. */
  fs?: ContainerFs;
}

export function newContainer(name: string, isInit: boolean, sidecar: boolean): ContainerRuntime {
  return {
    name,
    isInit,
    sidecar,
    state: { kind: 'waiting', reason: isInit ? 'PodInitializing' : 'ContainerCreating' },
    restartCount: 0,
    ready: false,
    started: false,
    instance: 0,
    logs: [],
    backoffMs: 0,
    pullBackoffMs: 0,
  };
}
