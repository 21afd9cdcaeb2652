import type { ApiClient } from '../kubectl';
import type { Interrupt } from './interrupt';

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
}
