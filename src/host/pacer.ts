/**
 * Paces the virtual clock to the wall clock for the app (×1, ×10, ×60, paused), and lets
 * commands wait for virtual time to pass.
 */
import type { VirtualClock } from '../sim';
import { InterruptedError, type Interrupt } from '../shell';

export type Speed = 0 | 1 | 10 | 60;

interface Waiter {
  /** Whether the wait is over at the current virtual time. */
  ready(): boolean;
  resolve(): void;
}

export class ClockPacer {
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = 0;
  private readonly waiters = new Set<Waiter>();
  speed: Speed = 1;

  constructor(
    private readonly clock: VirtualClock,
    private readonly tickMs = 100,
  ) {}

  start(): void {
    if (this.timer) return;
    this.last = Date.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Advances by the wall time elapsed since the last tick, times the speed. */
  tick(now = Date.now()): void {
    const elapsed = now - this.last;
    this.last = now;
    if (this.speed > 0 && elapsed > 0) this.clock.advance(elapsed * this.speed);
    for (const w of this.waiters) {
      if (w.ready()) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Resolves once `ms` of virtual time has passed; rejects if interrupted first. */
  sleep(ms: number, interrupt?: Interrupt): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const until = this.clock.now() + ms;
      const waiter: Waiter = {
        ready: () => this.clock.now() >= until,
        resolve: () => {
          unsubscribe?.();
          resolve();
        },
      };
      const unsubscribe = interrupt?.onAbort(() => {
        this.waiters.delete(waiter);
        reject(new InterruptedError());
      });
      this.waiters.add(waiter);
    });
  }

  /**
   * Resolves when `done()` holds (checked after every tick), when `timeoutMs` of virtual time has
   * passed, or when interrupted, saying which.
   */
  waitUntil(done: () => boolean, timeoutMs: number | undefined, interrupt?: Interrupt): Promise<'done' | 'timeout' | 'interrupted'> {
    if (done()) return Promise.resolve('done');
    if (interrupt?.aborted) return Promise.resolve('interrupted');
    const until = timeoutMs === undefined ? Infinity : this.clock.now() + timeoutMs;
    return new Promise((resolve) => {
      let outcome: 'done' | 'timeout' = 'timeout';
      const waiter: Waiter = {
        ready: () => {
          if (done()) outcome = 'done';
          return outcome === 'done' || this.clock.now() >= until;
        },
        resolve: () => {
          unsubscribe?.();
          resolve(outcome);
        },
      };
      const unsubscribe = interrupt?.onAbort(() => {
        this.waiters.delete(waiter);
        resolve('interrupted');
      });
      this.waiters.add(waiter);
    });
  }
}
