import type { ApiClient } from '../kubectl';
import type { Interrupt } from './interrupt';

/** What a host program reads and writes (the session's shell wires these to its pipes and files). */
export interface HostProgramIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdin: string;
  writeFile(path: string, content: string): void;
}

/**
 * A program the simulated host provides (curl, ping, nslookup …): it yields the virtual
 * milliseconds it waits and returns its exit status.
 */
export type HostProgram = (args: string[], io: HostProgramIO) => Generator<number, number, void>;

/** What the shell needs from the session around it. */
export interface ShellServices {
  /** The API client kubectl uses. */
  client: ApiClient;
  /** Current virtual time in Unix milliseconds (for `date`). */
  now(): number;
  /**
   * Lets `ms` of virtual time pass. In a script run this advances the clock at once; in the
   * app it waits for the paced clock. Rejects with an InterruptedError when `signal` fires (Ctrl-C).
   */
  sleep(ms: number, signal?: Interrupt): Promise<void>;
  /**
   * Lets virtual time pass until `done()` holds, `timeoutMs` passes (undefined: as long as it
   * takes) or Ctrl-C, and says which. Scripts run the clock forward event by event.
   */
  waitUntil(done: () => boolean, timeoutMs: number | undefined, signal?: Interrupt): Promise<'done' | 'timeout' | 'interrupted'>;
  /** The host's own programs by name (the node's network tools), when the session has a cluster host. */
  hostProgram?(name: string): HostProgram | undefined;
}
