/**
 * Paces the virtual clock to the wall clock for the app (×1, ×10, ×60, paused), and lets
 * commands wait for virtual time to pass.
 */
import type { VirtualClock } from '../sim';
import { InterruptedError, type Interrupt } from '../shell';

export type Speed = 0 | 1 | 10 | 60;

interface Waiter {
  until: number;
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
      if (this.clock.now() >= w.until) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Resolves once `ms` of virtual time has passed; rejects if interrupted first. */
  sleep(ms: number, interrupt?: Interrupt): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        until: this.clock.now() + ms,
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
}
