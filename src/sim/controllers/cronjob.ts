/**
 * The CronJob controller (pkg/controller/cronjob, cronjob_controllerv2.go, Kubernetes 1.32).
 * For each CronJob it finds the most recent unmet schedule time (robfig/cron v3 standard
 * schedules in spec.timeZone, UTC without one), creates the Job `<cronjob>-<minutes since the
 * epoch>` with the batch.kubernetes.io/cronjob-scheduled-timestamp annotation, applies
 * concurrencyPolicy (Allow, Forbid, Replace), keeps status.active, lastScheduleTime and
 * lastSuccessfulTime, deletes finished Jobs beyond successfulJobsHistoryLimit and
 * failedJobsHistoryLimit (oldest first), and asks its queue to wake it 100 ms after the next
 * schedule time on the virtual clock — it never polls.
 *
 * Schedules and time zones come from ../cron (robfig/cron v3's ParseStandard and
 * SpecSchedule.Next), which CronJob validation shares.
 */
import { rfc3339 } from '../apiserver';
import { parseCronSchedule, timeZoneError, zoneOffset, type CronSchedule } from '../cron';
import { isJobFinished, jobFinishedCondition } from './job';
import { errorMessage } from './replicaset';
import { controllerOf, keyOf, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The controller wakes this long after a schedule time (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export { parseCronSchedule, timeZoneError } from '../cron';

/** time.Format(time.RFC3339) of an instant in a zone: "2025-06-02T18:35:00+09:00", "Z" at offset zero. */
export function rfc3339In(zone: string, t: number): string {
  const off = zoneOffset(zone, t);
  if (off === 0) return rfc3339(t);
  const wall = new Date(Math.floor(t / 1000) * 1000 + off).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off) / MINUTE;
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** t.UTC().Format(time.RFC1123Z): "Mon, 02 Jun 2025 09:35:00 +0000". */
function rfc1123z(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

// ---- schedule arithmetic (utils.go) -----------------------------------------------------------

type Missed = 'none' | 'few' | 'many';

interface MostRecent {
  earliest: number;
  mostRecent: number | undefined;
  missed: Missed;
  error?: string;
}

/**
 * mostRecentScheduleTime: from the last schedule time (or creation, or now minus
 * startingDeadlineSeconds when later), the most recent schedule time not after now and how
 * many were missed (roughly: more than 100 is "many").
 */
function mostRecentScheduleTime(cj: Obj, now: number, sched: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp);
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && sds != null) {
    const deadline = now - sds * SECOND;
    if (deadline > earliest) earliest = deadline;
  }
  const invalid: MostRecent = { earliest, mostRecent: undefined, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const t1 = sched.next(earliest);
  if (t1 === undefined) return invalid;
  if (now < t1) return { earliest, mostRecent: undefined, missed: 'none' };
  const t2 = sched.next(t1);
  if (t2 === undefined) return invalid;
  if (now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / SECOND);
  if (between < 1) return invalid;
  const elapsed = Math.trunc((now - t1) / SECOND);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missedCount - 2) * between * SECOND;
  for (let t = sched.next(potentialEarliest); t !== undefined && t <= now; t = sched.next(t)) mostRecent = t;
  const missed: Missed = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** nextScheduleTimeDuration: how long until 100 ms after the next schedule time. */
function nextScheduleTimeDuration(cj: Obj, now: number, sched: CronSchedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, sched, false);
  let from: number;
  if (r.error) from = now;
  else if (r.mostRecent === undefined) from = r.missed === 'none' ? r.earliest : now;
  else from = r.mostRecent;
  const next = sched.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** The job name for a schedule time: minutes since the epoch. */
export function cronJobName(cronJobName: string, scheduledTime: number): string {
  return `${cronJobName}-${Math.floor(scheduledTime / MINUTE)}`;
}

// ---- the controller ------------------------------------------------------------------------

export function cronJobController(): Controller {
  return new CronJobController();
}

interface SyncResult {
  requeueAfter?: number;
  updateStatus: boolean;
  error?: string;
}

/** The CronJob status the controller edits. */
interface CronStatus {
  active: Obj[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

function isJobSucceeded(job: Obj): boolean {
  return jobFinishedCondition(job)?.type === 'Complete';
}

class CronJobController implements Controller {
  readonly name = 'cronjob-controller';
  private ctx!: ControllerContext;
  private cronJobs!: Informer;
  private jobs!: Informer;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.cronJobs = ctx.informers.for('cronjobs', 'batch');
    this.jobs = ctx.informers.for('jobs', 'batch');
    this.cronJobs.on({ add: (cj) => ctx.queue.add(keyOf(cj)), update: (old, cj) => this.cronJobUpdated(old, cj), delete: (cj) => ctx.queue.add(keyOf(cj)) });
    const ownerOf = (job: Obj) => this.resolve(job.metadata.namespace, controllerOf(job));
    const wake = (job: Obj) => {
      const cj = ownerOf(job);
      if (cj) ctx.queue.add(keyOf(cj));
    };
    this.jobs.on({
      add: wake,
      update: (old, job) => {
        const oldRef = controllerOf(old);
        if (oldRef && JSON.stringify(oldRef) !== JSON.stringify(controllerOf(job))) {
          const cj = this.resolve(old.metadata.namespace, oldRef);
          if (cj) ctx.queue.add(keyOf(cj));
        }
        wake(job);
      },
      delete: wake,
    });
  }

  private resolve(namespace: string, ref: Obj | undefined): Obj | undefined {
    if (!ref || ref.kind !== 'CronJob') return undefined;
    const cj = this.cronJobs.get(`${namespace}/${ref.name}`);
    return cj?.metadata.uid === ref.uid ? cj : undefined;
  }

  /** A new schedule or time zone moves the next wake-up; other changes sync at once. */
  private cronJobUpdated(old: Obj, cj: Obj): void {
    const key = keyOf(cj);
    if (old.spec?.schedule !== cj.spec?.schedule || (old.spec?.timeZone ?? null) !== (cj.spec?.timeZone ?? null)) {
      let sched: CronSchedule;
      try {
        sched = parseCronSchedule(this.formatSchedule(cj, false));
      } catch {
        this.event(cj, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cj.spec?.schedule}`);
        return;
      }
      const after = nextScheduleTimeDuration(cj, this.ctx.clock.now(), sched);
      if (after !== undefined) this.ctx.queue.addAfter(key, after);
      return;
    }
    this.ctx.queue.add(key);
  }

  reconcile(key: string): ReconcileResult {
    const cj = this.cronJobs.get(key);
    if (!cj) return;
    // Every job whose controller reference names this CronJob, even if its labels changed.
    const jobs = this.jobs.list(cj.metadata.namespace).filter((j) => {
      const ref = controllerOf(j);
      return ref?.kind === 'CronJob' && ref.name === cj.metadata.name;
    });
    const status: CronStatus = {
      active: ((cj.status?.active ?? []) as Obj[]).map((r) => ({ ...r })),
      ...(cj.status?.lastScheduleTime ? { lastScheduleTime: cj.status.lastScheduleTime } : {}),
      ...(cj.status?.lastSuccessfulTime ? { lastSuccessfulTime: cj.status.lastSuccessfulTime } : {}),
    };
    const cleaned = this.cleanupFinishedJobs(cj, status, jobs);
    const result = this.syncCronJob(cj, status, jobs);
    if (cleaned || result.updateStatus) {
      const { namespace, name } = splitKey(key);
      const res = this.ctx.request({
        method: 'PUT',
        path: `/apis/batch/v1/namespaces/${namespace}/cronjobs/${name}/status`,
        body: { ...this.cronJobs.versioned(cj), status: writeStatus(status) },
      });
      if (res.status !== 200) return { requeue: true };
    }
    if (result.requeueAfter !== undefined) return { requeueAfter: result.requeueAfter };
    if (result.error !== undefined) return { requeue: true };
  }

  private syncCronJob(cj: Obj, status: CronStatus, jobs: Obj[]): SyncResult {
    const now = this.ctx.clock.now();
    let updateStatus = false;
    const children = new Set<string>();
    for (const j of jobs) {
      const uid: string = j.metadata.uid;
      children.add(uid);
      const found = status.active.some((r) => r.uid === uid);
      if (!found && !isJobFinished(j)) {
        const fresh = this.get(`/apis/batch/v1/namespaces/${cj.metadata.namespace}/cronjobs/${cj.metadata.name}`);
        if (fresh.error !== undefined) return { updateStatus, error: fresh.error };
        if (((fresh.body?.status?.active ?? []) as Obj[]).some((r) => r.uid === uid)) continue;
        // Ours but not in the active list: created by someone else, or forgotten.
        this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (found && isJobFinished(j)) {
        const type = jobFinishedCondition(j)!.type;
        status.active = status.active.filter((r) => r.uid !== uid);
        this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, status: ${type}`);
        updateStatus = true;
      } else if (isJobSucceeded(j)) {
        // Finished jobs need not be active to count as the last success.
        const done: string | undefined = j.status?.completionTime;
        if (!status.lastSuccessfulTime) {
          if (done) status.lastSuccessfulTime = done;
          updateStatus = true;
        }
        if (done && status.lastSuccessfulTime && Date.parse(done) > Date.parse(status.lastSuccessfulTime)) {
          status.lastSuccessfulTime = done;
          updateStatus = true;
        }
      }
    }
    // Active jobs that no longer exist leave the list (checked against the API server, not the cache).
    for (const ref of [...status.active]) {
      if (children.has(ref.uid)) continue;
      const res = this.get(`/apis/batch/v1/namespaces/${ref.namespace}/jobs/${ref.name}`);
      if (res.status === 404) {
        this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        status.active = status.active.filter((r) => r.uid !== ref.uid);
        updateStatus = true;
      } else if (res.error !== undefined) return { updateStatus, error: res.error };
    }
    if (cj.metadata.deletionTimestamp) return { updateStatus };

    const timeZone: string | undefined = cj.spec?.timeZone ?? undefined;
    if (timeZone !== undefined) {
      const err = timeZoneError(timeZone);
      if (err) {
        this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: ${err}`);
        return { updateStatus };
      }
    }
    if (cj.spec?.suspend === true) return { updateStatus };

    let sched: CronSchedule;
    try {
      sched = parseCronSchedule(this.formatSchedule(cj, true));
    } catch (e) {
      this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${(e as Error).message}`);
      return { updateStatus };
    }
    const view = { ...cj, status };
    const recent = mostRecentScheduleTime(view, now, sched, true);
    if (recent.error !== undefined) {
      this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${cj.spec?.schedule} : ${recent.error}`);
      return { updateStatus };
    }
    const next = () => nextScheduleTimeDuration(view, now, sched);
    const scheduledTime = recent.mostRecent !== undefined && recent.mostRecent <= now ? recent.mostRecent : undefined;
    if (scheduledTime === undefined) return { requeueAfter: next(), updateStatus };
    if (recent.missed === 'many') this.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');

    const sds = cj.spec?.startingDeadlineSeconds;
    if (sds != null && scheduledTime + sds * SECOND < now) {
      this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduledTime)}`);
      return { requeueAfter: next(), updateStatus };
    }
    const name = cronJobName(cj.metadata.name, scheduledTime);
    if (status.active.some((r) => r.name === name && r.namespace === cj.metadata.namespace) || (status.lastScheduleTime !== undefined && Date.parse(status.lastScheduleTime) === scheduledTime)) {
      return { requeueAfter: next(), updateStatus };
    }
    const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && status.active.length > 0) {
      this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: next(), updateStatus };
    }
    if (policy === 'Replace') {
      for (const ref of [...status.active]) {
        const res = this.get(`/apis/batch/v1/namespaces/${ref.namespace}/jobs/${ref.name}`);
        if (res.error !== undefined) {
          this.event(cj, 'Warning', 'FailedGet', `Get job: ${res.error}`);
          return { updateStatus, error: res.error };
        }
        if (!this.deleteJob(cj, status, res.body!)) return { updateStatus, error: `could not replace job ${ref.namespace}/${ref.name}` };
        updateStatus = true;
      }
    }

    const jobReq = this.jobFromTemplate(cj, scheduledTime, name);
    const res = this.ctx.request({ method: 'POST', path: `/apis/batch/v1/namespaces/${cj.metadata.namespace}/jobs`, body: jobReq });
    let job: Obj;
    if (res.status === 201) {
      job = res.body as Obj;
      this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
    } else if (res.status === 409 && (res.body as Obj)?.reason === 'AlreadyExists') {
      // Created earlier but not recorded in the status (or by someone else).
      const existing = this.get(`/apis/batch/v1/namespaces/${cj.metadata.namespace}/jobs/${name}`);
      if (existing.error !== undefined) return { updateStatus, error: existing.error };
      job = existing.body!;
      const ref = controllerOf(job);
      if (ref?.uid !== cj.metadata.uid) return { updateStatus };
      if (status.active.some((r) => r.uid === job.metadata.uid)) return { updateStatus };
    } else {
      const message = errorMessage(res);
      if (/because it is being terminated/.test(message)) return { updateStatus, error: message };
      this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${message}`);
      return { updateStatus, error: message };
    }
    status.active.push({ kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion });
    status.lastScheduleTime = rfc3339(scheduledTime);
    updateStatus = true;
    return { requeueAfter: next(), updateStatus };
  }

  /** spec.timeZone becomes a TZ= prefix; a TZ in the schedule itself is used as written, with a warning. */
  private formatSchedule(cj: Obj, warn: boolean): string {
    const schedule: string = cj.spec?.schedule ?? '';
    if (schedule.includes('TZ')) {
      if (warn)
        this.event(
          cj,
          'Warning',
          'UnsupportedSchedule',
          `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
        );
      return schedule;
    }
    const tz = cj.spec?.timeZone;
    if (tz != null) return timeZoneError(tz) ? schedule : `TZ=${tz} ${schedule}`;
    return schedule;
  }

  /** getJobFromTemplate2: the template's labels, annotations and spec, named for the schedule time. */
  private jobFromTemplate(cj: Obj, scheduledTime: number, name: string): Obj {
    const template: Obj = cj.spec?.jobTemplate ?? {};
    const labels = { ...(template.metadata?.labels ?? {}) };
    const annotations = { ...(template.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP]: rfc3339In(cj.spec?.timeZone ?? '', scheduledTime) };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        ...(Object.keys(labels).length ? { labels } : {}),
        annotations,
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: JSON.parse(JSON.stringify(template.spec ?? {})),
    };
  }

  /** cleanupFinishedJobs: finished jobs beyond the history limits go, oldest first. */
  private cleanupFinishedJobs(cj: Obj, status: CronStatus, jobs: Obj[]): boolean {
    const successLimit = cj.spec?.successfulJobsHistoryLimit;
    const failedLimit = cj.spec?.failedJobsHistoryLimit;
    if (successLimit == null && failedLimit == null) return false;
    const succeeded: Obj[] = [];
    const failed: Obj[] = [];
    for (const j of jobs) {
      const type = jobFinishedCondition(j)?.type;
      if (type === 'Complete') succeeded.push(j);
      else if (type === 'Failed') failed.push(j);
    }
    let update = false;
    if (successLimit != null && this.removeOldestJobs(cj, status, succeeded, successLimit)) update = true;
    if (failedLimit != null && this.removeOldestJobs(cj, status, failed, failedLimit)) update = true;
    return update;
  }

  private removeOldestJobs(cj: Obj, status: CronStatus, jobs: Obj[], max: number): boolean {
    const count = jobs.length - max;
    if (count <= 0) return false;
    const byStart = [...jobs].sort((a, b) => {
      const sa = a.status?.startTime;
      const sb = b.status?.startTime;
      if (!sa && sb) return 1;
      if (sa && !sb) return -1;
      if (sa === sb || (sa && sb && Date.parse(sa) === Date.parse(sb))) return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
      return Date.parse(sa) - Date.parse(sb);
    });
    let update = false;
    for (let i = 0; i < count; i++) if (this.deleteJob(cj, status, byStart[i]!)) update = true;
    return update;
  }

  /** Deletes a job (background propagation: the garbage collector takes its pods) and drops it from the active list. */
  private deleteJob(cj: Obj, status: CronStatus, job: Obj): boolean {
    const res = this.ctx.request({
      method: 'DELETE',
      path: `/apis/batch/v1/namespaces/${job.metadata.namespace}/jobs/${job.metadata.name}`,
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
    });
    if (res.status !== 200) {
      this.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(res)}`);
      return false;
    }
    status.active = status.active.filter((r) => r.uid !== job.metadata.uid);
    this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }

  private get(path: string): { status: number; body?: Obj; error?: string } {
    const res = this.ctx.request({ method: 'GET', path });
    if (res.status === 200) return { status: 200, body: res.body as Obj };
    return { status: res.status, error: errorMessage(res) };
  }

  private event(cj: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.event(this.cronJobs.reference({ ...cj, kind: 'CronJob', apiVersion: 'batch/v1' }), type, reason, message);
  }
}

/** CronJobStatus as Go serialises it (empty active list omitted). */
function writeStatus(status: CronStatus): Obj {
  return {
    ...(status.active.length ? { active: status.active } : {}),
    ...(status.lastScheduleTime ? { lastScheduleTime: status.lastScheduleTime } : {}),
    ...(status.lastSuccessfulTime ? { lastSuccessfulTime: status.lastSuccessfulTime } : {}),
  };
}
