/**
 * Ctrl-C for simulated commands. (The core runtime has no DOM or Node types, so no AbortSignal.)
 */
export class Interrupt {
  private fired = false;
  private readonly listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.fired;
  }

  abort(): void {
    if (this.fired) return;
    this.fired = true;
    for (const l of this.listeners) l();
    this.listeners.clear();
  }

  /** Calls `listener` once when interrupted; returns a function that unregisters it. */
  onAbort(listener: () => void): () => void {
    if (this.fired) {
      listener();
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** What a wait rejects with when Ctrl-C interrupts it. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor() {
    super('interrupted');
  }
}
