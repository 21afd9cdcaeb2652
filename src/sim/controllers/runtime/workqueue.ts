/**
 * client-go's rate-limited work queue on the virtual clock: a key is queued at most once, a key
 * being processed is queued again only after it is done, delayed adds keep the earliest time
 * per key, and failures back off per key from 5 ms doubling to 1000 s until forgotten.
 */
import type { TimerId, VirtualClock } from '../../clock';

const BASE_DELAY_MS = 5;
const MAX_DELAY_MS = 1000_000;

export class WorkQueue {
  private queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly waiting = new Map<string, { at: number; timer: TimerId }>();

  constructor(
    private readonly clock: VirtualClock,
    /** Called when a key becomes ready, so the owner can schedule processing. */
    private readonly onReady: () => void,
  ) {}

  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.onReady();
  }

  /** Adds `key` after `ms` of virtual time; an earlier pending add for the same key wins. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const pending = this.waiting.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.clock.cancel(pending.timer);
    const timer = this.clock.schedule(ms, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { at, timer });
  }

  /** Adds `key` after its per-key exponential back-off. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS));
  }

  /** Clears the key's failure count (after a successful reconcile). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys ready to process now. */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Takes the next ready key; call done() after processing it. */
  get(): string | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.onReady();
    }
  }

  /** Stops pending delayed adds. */
  shutDown(): void {
    for (const w of this.waiting.values()) this.clock.cancel(w.timer);
    this.waiting.clear();
  }
}
