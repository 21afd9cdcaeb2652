/**
 * Discrete-event virtual clock. All simulated time flows through it: components schedule
 * callbacks at virtual instants, and tests or the host advance time explicitly. Events due at
 * the same instant run in the order they were scheduled, so runs are deterministic.
 */

export type TimerId = number;

interface ScheduledEvent {
  at: number;
  seq: number;
  id: TimerId;
  fn: () => void;
}

export class VirtualClock {
  private current: number;
  private seq = 0;
  private readonly heap: ScheduledEvent[] = [];
  private readonly cancelled = new Set<TimerId>();

  /** @param startMs virtual wall-clock time (Unix ms) at which the clock starts */
  constructor(startMs: number) {
    this.current = startMs;
  }

  /** Current virtual time in Unix milliseconds. */
  now(): number {
    return this.current;
  }

  /** Current virtual time as a Date. */
  date(): Date {
    return new Date(this.current);
  }

  /** Runs `fn` after `delayMs` of virtual time (0 = at the current instant, after already-due events). */
  schedule(delayMs: number, fn: () => void): TimerId {
    const id = ++this.seq;
    this.push({ at: this.current + Math.max(0, delayMs), seq: id, id, fn });
    return id;
  }

  cancel(id: TimerId): void {
    this.cancelled.add(id);
  }

  /** Number of events still waiting to run. */
  pending(): number {
    return this.heap.length - this.cancelled.size;
  }

  /** Moves virtual time forward by `ms`, running every event that falls due on the way. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`cannot advance the clock by a negative duration (${ms} ms)`);
    const target = this.current + ms;
    this.runDueUntil(target);
    this.current = target;
  }

  /**
   * Advances time event by event until `predicate` holds or `timeoutMs` of virtual time passes.
   * Returns whether the predicate held. Time stops at the instant the predicate became true.
   */
  runUntil(predicate: () => boolean, timeoutMs: number): boolean {
    const deadline = this.current + timeoutMs;
    if (predicate()) return true;
    for (;;) {
      const next = this.peek();
      if (!next || next.at > deadline) {
        this.current = deadline;
        return predicate();
      }
      this.current = next.at;
      this.runDueUntil(next.at);
      if (predicate()) return true;
    }
  }

  private runDueUntil(target: number): void {
    for (;;) {
      const next = this.peek();
      if (!next || next.at > target) return;
      this.pop();
      this.current = next.at;
      next.fn();
    }
  }

  /** Earliest live event, discarding cancelled ones. */
  private peek(): ScheduledEvent | undefined {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0]!.id)) {
      this.cancelled.delete(this.heap[0]!.id);
      this.pop();
    }
    return this.heap[0];
  }

  private less(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: ScheduledEvent): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      // Swapped through a local: a destructuring swap allocates an array in unoptimized code.
      const t = h[i]!;
      h[i] = h[parent]!;
      h[parent] = t;
      i = parent;
    }
  }

  private pop(): ScheduledEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
    return top;
  }
}
