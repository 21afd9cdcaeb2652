/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished, Kubernetes 1.32): a Job
 * with spec.ttlSecondsAfterFinished is deleted that many seconds after it finished (the
 * lastTransitionTime of its Complete or Failed condition), with propagationPolicy Foreground
 * and a UID precondition, after re-reading it from the API server. Until then the Job is
 * queued again for the moment its TTL expires; nothing polls. It records no events.
 */
import { jobFinishedCondition } from './job';
import { keyOf, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function ttlAfterFinishedController(): Controller {
  return new TTLAfterFinishedController();
}

function needsCleanup(job: Obj): boolean {
  return job.spec?.ttlSecondsAfterFinished != null && jobFinishedCondition(job) !== undefined;
}

class TTLAfterFinishedController implements Controller {
  readonly name = 'ttl-after-finished-controller';
  private ctx!: ControllerContext;
  private jobs!: Informer;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.jobs = ctx.informers.for('jobs', 'batch');
    const enqueue = (job: Obj) => {
      if (!job.metadata.deletionTimestamp && needsCleanup(job)) ctx.queue.add(keyOf(job));
    };
    this.jobs.on({ add: enqueue, update: (_, job) => enqueue(job) });
  }

  reconcile(key: string): ReconcileResult {
    const job = this.jobs.get(key);
    if (!job) return;
    const cached = this.processTTL(job);
    if (cached !== 'expired') return cached;
    // The cached TTL may be stale: check the Job as the API server has it now.
    const { namespace, name } = splitKey(key);
    const path = `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`;
    const res = this.ctx.request({ method: 'GET', path });
    if (res.status === 404) return;
    if (res.status !== 200) return { requeue: true };
    const fresh = res.body as Obj;
    const checked = this.processTTL(fresh);
    if (checked !== 'expired') return checked;
    const del = this.ctx.request({
      method: 'DELETE',
      path,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } },
    });
    if (del.status >= 400 && del.status !== 404) return { requeue: true };
  }

  /** 'expired', or when to look again (nothing for jobs that need no cleanup). */
  private processTTL(job: Obj): 'expired' | ReconcileResult {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return;
    const finishedAt = Date.parse(jobFinishedCondition(job)!.lastTransitionTime);
    if (Number.isNaN(finishedAt)) return;
    const left = finishedAt + job.spec.ttlSecondsAfterFinished * 1000 - this.ctx.clock.now();
    if (left <= 0) return 'expired';
    return { requeueAfter: left };
  }
}
