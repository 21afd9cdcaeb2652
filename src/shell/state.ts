import type { Interrupt } from './interrupt';
import type { VirtualFs } from './fs';
import type { ShellServices } from './services';

/** The terminal a foreground command may read raw keystrokes from. */
export interface ShellTerminal {
  readonly columns: number;
  readonly rows: number;
  /** Calls `listener` with each piece typed (Ctrl-C included); returns a function that stops it. */
  onInput(listener: (text: string) => void): () => void;
}

/** The parts of a shell session that commands can see and change. */
export interface ShellState {
  readonly fs: VirtualFs;
  readonly env: Map<string, string>;
  cwd: string;
  lastStatus: number;
  readonly history: string[];
  readonly services: ShellServices;
  /** Runs a command line in this shell (an editor named by KUBE_EDITOR, for example). */
  run(src: string, out: { stdout(text: string): void; stderr(text: string): void }, signal?: Interrupt): Promise<number>;
}

/** Thrown by `exit` to stop the script or session with a status. */
export class ExitRequest extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}
