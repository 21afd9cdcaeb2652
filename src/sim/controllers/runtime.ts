/**
 * A small level-based controller runtime: store changes under watched prefixes enqueue keys;
 * each key is reconciled once per batch, in order, on the virtual clock. Reconcilers talk to the
 * API server like real controllers, with their own user agent.
 */
import type { ApiRequest, ApiResponse, ApiServer } from '../apiserver';
import type { VirtualClock } from '../clock';
import type { Store } from '../store';

export interface ControllerContext {
  api: ApiServer;
  store: Store;
  clock: VirtualClock;
  /** Sends a request as this controller. */
  request(req: Omit<ApiRequest, 'userAgent'>): ApiResponse;
}

export interface Controller {
  name: string;
  /** etcd prefixes whose changes enqueue keys. */
  watches: string[];
  /** Maps a changed etcd key to the work key it affects (undefined to ignore). */
  keyFor(etcdKey: string): string | undefined;
  reconcile(key: string, ctx: ControllerContext): void;
}

export class ControllerManager {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private scheduled = false;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly controllers: Controller[],
    private readonly api: ApiServer,
    private readonly store: Store,
    private readonly clock: VirtualClock,
  ) {}

  start(): void {
    for (const c of this.controllers) {
      for (const prefix of c.watches) {
        this.stops.push(
          this.store.watch(prefix, (e) => {
            const key = c.keyFor(e.kv.key);
            if (key !== undefined) this.enqueue(`${c.name}\u0000${key}`);
          }),
        );
        // Level-based: everything that already exists is reconciled once at start.
        for (const kv of this.store.range(prefix)) {
          const key = c.keyFor(kv.key);
          if (key !== undefined) this.enqueue(`${c.name}\u0000${key}`);
        }
      }
    }
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }

  /** Runs queued work right now (bootstrap uses it to settle before the learner arrives). */
  drain(): void {
    while (this.queue.length) {
      const item = this.queue.shift()!;
      this.queued.delete(item);
      const [name, key] = item.split('\u0000') as [string, string];
      const controller = this.controllers.find((c) => c.name === name)!;
      controller.reconcile(key, this.context(controller));
    }
  }

  private context(c: Controller): ControllerContext {
    return {
      api: this.api,
      store: this.store,
      clock: this.clock,
      request: (req) => this.api.handle({ ...req, userAgent: c.name }),
    };
  }

  private enqueue(item: string): void {
    if (this.queued.has(item)) return;
    this.queued.add(item);
    this.queue.push(item);
    if (!this.scheduled) {
      this.scheduled = true;
      this.clock.schedule(0, () => {
        this.scheduled = false;
        this.drain();
      });
    }
  }
}
