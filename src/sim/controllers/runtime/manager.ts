/**
 * kube-controller-manager's runtime: shared informers feed keys into one rate-limited work queue
 * per controller; queued keys are reconciled on the virtual clock, controller by controller in
 * registration order and each queue in FIFO order, so runs are deterministic. Reconcile is
 * level-based: it reads the caches, compares with what should be, and acts through the API
 * server like the real controllers (same user agent, so managedFields say kube-controller-manager).
 */
import type { ApiRequest, ApiResponse, ApiServer } from '../../apiserver';
import type { VirtualClock } from '../../clock';
import { EventRecorder } from '../../events';
import type { Store } from '../../store';
import { InformerFactory } from './informer';
import { WorkQueue } from './workqueue';

/** What a reconcile asks of the queue: nothing (done), a retry with back-off, or a later look. */
export type ReconcileResult = void | { requeue: true } | { requeueAfter: number };

export interface ControllerContext {
  api: ApiServer;
  store: Store;
  clock: VirtualClock;
  informers: InformerFactory;
  /** The controller's own work queue. */
  queue: WorkQueue;
  /** Sends a request as this controller. */
  request(req: Omit<ApiRequest, 'userAgent'>): ApiResponse;
  /** Events from this controller (source component = its name). */
  recorder: EventRecorder;
}

export interface Controller {
  /** The controller's name, also its event source ("replicaset-controller"). */
  readonly name: string;
  /** Its own user agent, for a controller that is not part of kube-controller-manager (an add-on's). */
  readonly userAgent?: string;
  /** Registers informer handlers that add keys to ctx.queue. */
  start(ctx: ControllerContext): void;
  reconcile(key: string): ReconcileResult;
}

/** A request failed in a way that a later retry may fix (conflict, server error). */
export class RetryableError extends Error {}

interface Running {
  controller: Controller;
  queue: WorkQueue;
}

export class ControllerManager {
  readonly informers: InformerFactory;
  private readonly running: Running[] = [];
  private scheduled = false;
  private draining = false;

  constructor(
    private readonly api: ApiServer,
    private readonly store: Store,
    private readonly clock: VirtualClock,
    private readonly userAgentPrefix = 'kube-controller-manager',
  ) {
    this.informers = new InformerFactory(store, api.registry);
  }

  /** Starts a controller: its handlers see every cached object at once (level-based). */
  add(controller: Controller): void {
    const queue = new WorkQueue(this.clock, () => this.schedule());
    const userAgent = controller.userAgent ?? `${this.userAgentPrefix}/system:serviceaccount:kube-system:${controller.name}`;
    const ctx: ControllerContext = {
      api: this.api,
      store: this.store,
      clock: this.clock,
      informers: this.informers,
      queue,
      request: (req) => this.api.handle({ ...req, userAgent }),
      recorder: new EventRecorder(this.api, this.clock, { component: controller.name }),
    };
    this.running.push({ controller, queue });
    controller.start(ctx);
  }

  stop(): void {
    for (const r of this.running) r.queue.shutDown();
    this.running.length = 0;
  }

  /** Reconciles every ready key now, until all queues are empty (bootstrap and tests settle with it). */
  drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let busy = true; busy; ) {
        busy = false;
        for (const { controller, queue } of this.running) {
          for (let n = queue.length; n > 0; n--) {
            const key = queue.get()!;
            busy = true;
            this.process(controller, queue, key);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private process(controller: Controller, queue: WorkQueue, key: string): void {
    let result: ReconcileResult;
    try {
      result = controller.reconcile(key);
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      result = { requeue: true };
    } finally {
      queue.done(key);
    }
    if (result && 'requeue' in result) {
      queue.addRateLimited(key);
      return;
    }
    queue.forget(key);
    if (result && 'requeueAfter' in result) queue.addAfter(key, result.requeueAfter);
  }

  private schedule(): void {
    if (this.scheduled || this.draining) return;
    this.scheduled = true;
    this.clock.schedule(0, () => {
      this.scheduled = false;
      this.drain();
    });
  }
}
