/**
 * The Job controller (pkg/controller/job, Kubernetes 1.32). It creates pods from the template
 * (generateName `<job>-`, or `<job>-<index>-` with the completion index as annotation, label,
 * hostname and JOB_COMPLETION_INDEX for Indexed jobs), at most min(parallelism, remaining
 * completions) active at once, each carrying the batch.kubernetes.io/job-tracking finalizer.
 * Finished pods are first recorded in status.uncountedTerminatedPods, then their finalizer is
 * removed and they are moved into status.succeeded/failed (completedIndexes for Indexed jobs).
 * Failed pods are replaced after an exponential back-off (10 s doubling, at most 10 min, as
 * 1.32's MaxJobPodFailureBackOff); past spec.backoffLimit, past activeDeadlineSeconds or on a
 * FailJob pod failure policy rule the job gets FailureTarget, its active pods are deleted, and
 * once none is terminating it gets Failed. Success gives SuccessCriteriaMet, then Complete
 * (with 1.32's feature defaults: JobPodReplacementPolicy, JobSuccessPolicy and PodIndexLabel
 * on, so status.terminating is reported and terminal conditions wait for terminating pods).
 * Suspending deletes the active pods; resuming resets startTime. Pod events are batched one
 * second (syncJobBatchPeriod) as upstream.
 *
 * Not modelled: backoffLimitPerIndex / maxFailedIndexes (FailIndex), managedBy other than the
 * built-in controller (such jobs are skipped, as upstream), metrics.
 */
import { rfc3339 } from '../apiserver';
import { matchesLabelSelector } from '../labels';
import { isPodActive, isPodReady, sortPodsForDeletion } from './podutil';
import { errorMessage, indexPods, podFromTemplate } from './replicaset';
import {
  controllerOf,
  Expectations,
  keyOf,
  RetryableError,
  type Controller,
  type ControllerContext,
  type Informer,
  type ReconcileResult,
} from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** Pod events and Job status updates sync the Job after this delay (syncJobBatchPeriod). */
export const SYNC_JOB_BATCH_MS = 1000;
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;
const MAX_UNCOUNTED_PODS = 500;
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** names.MaxGeneratedNameLength: 63 minus the five random characters. */
const MAX_GENERATED_NAME_LENGTH = 58;
const JOB_CONTROLLER_MANAGER = 'kubernetes.io/job-controller';
/** Work-queue keys of orphan pods whose tracking finalizer is to be removed (upstream's orphanQueue). */
const ORPHAN_KEY = 'orphan-pod:';

export function jobController(): Controller {
  return new JobController();
}

// ---- helpers shared with the CronJob and TTL controllers -------------------------------

/** Complete or Failed is True (util.IsJobFinished). */
export function isJobFinished(job: Obj): boolean {
  return jobFinishedCondition(job) !== undefined;
}

/** The Complete or Failed condition that is True, if any. */
export function jobFinishedCondition(job: Obj): Obj | undefined {
  for (const c of (job.status?.conditions ?? []) as Obj[]) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c;
  return undefined;
}

// ---- status ------------------------------------------------------------------------------

interface Condition {
  type: string;
  status: string;
  lastProbeTime: string;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** batch/v1 JobStatus as the controller works on it. */
interface Status {
  conditions: Obj[];
  startTime?: string;
  completionTime?: string;
  active: number;
  succeeded: number;
  failed: number;
  terminating?: number;
  completedIndexes: string;
  failedIndexes?: string;
  uncounted: { succeeded: string[]; failed: string[] };
  ready?: number;
}

function readStatus(s: Obj | undefined): Status {
  const st = s ?? {};
  return {
    conditions: ((st.conditions ?? []) as Obj[]).map((c) => ({ ...c })),
    startTime: st.startTime ?? undefined,
    completionTime: st.completionTime ?? undefined,
    active: st.active ?? 0,
    succeeded: st.succeeded ?? 0,
    failed: st.failed ?? 0,
    terminating: st.terminating ?? undefined,
    completedIndexes: st.completedIndexes ?? '',
    failedIndexes: st.failedIndexes ?? undefined,
    uncounted: { succeeded: [...(st.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(st.uncountedTerminatedPods?.failed ?? [])] },
    ready: st.ready ?? undefined,
  };
}

/** The status as Go serialises it: JobStatus field order, zero counters and empty lists omitted. */
function writeStatus(st: Status): Obj {
  const out: Obj = {};
  if (st.conditions.length) out.conditions = st.conditions;
  if (st.startTime) out.startTime = st.startTime;
  if (st.completionTime) out.completionTime = st.completionTime;
  if (st.active) out.active = st.active;
  if (st.succeeded) out.succeeded = st.succeeded;
  if (st.failed) out.failed = st.failed;
  if (st.terminating !== undefined) out.terminating = st.terminating;
  if (st.completedIndexes) out.completedIndexes = st.completedIndexes;
  if (st.failedIndexes !== undefined) out.failedIndexes = st.failedIndexes;
  const uncounted: Obj = {};
  if (st.uncounted.succeeded.length) uncounted.succeeded = st.uncounted.succeeded;
  if (st.uncounted.failed.length) uncounted.failed = st.uncounted.failed;
  out.uncountedTerminatedPods = uncounted;
  if (st.ready !== undefined) out.ready = st.ready;
  return out;
}

function newCondition(type: string, status: string, reason: string | undefined, message: string | undefined, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function findCondition(list: Obj[], type: string): Obj | undefined {
  return list.find((c) => c.type === type);
}

/** ensureJobConditionStatus: adds or updates a condition; a False one is never added. Returns whether it changed. */
function ensureCondition(st: Status, type: string, status: string, reason: string, message: string, now: number): boolean {
  const i = st.conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = st.conditions[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    st.conditions[i] = newCondition(type, status, reason, message, now);
    return true;
  }
  if (status === 'False') return false;
  st.conditions.push(newCondition(type, status, reason, message, now));
  return true;
}

function isSuccessCriteriaMet(c: Condition | Obj | undefined): boolean {
  return c?.type === 'SuccessCriteriaMet' && c.status === 'True';
}

// ---- pods --------------------------------------------------------------------------------

function hasTrackingFinalizer(pod: Obj): boolean {
  return ((pod.metadata.finalizers ?? []) as string[]).includes(JOB_TRACKING_FINALIZER);
}

function isPodTerminating(pod: Obj): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && Boolean(pod.metadata.deletionTimestamp);
}

function isIndexed(job: Obj): boolean {
  return job.spec?.completionMode === 'Indexed';
}

function suspended(job: Obj): boolean {
  return job.spec?.suspend === true;
}

/** PodReplacementPolicy Failed, or a pod failure policy: replace pods only once they failed. */
function onlyReplaceFailedPods(job: Obj): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || Boolean(job.spec?.podFailurePolicy);
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before succeeding. */
function isPodFailed(pod: Obj, job: Obj): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(pod.metadata.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

/** The pod's completion index annotation, or -1. */
function completionIndex(pod: Obj): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  return Number(v);
}

function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/**
 * When a pod finished (getFinishedTime): the last container's finishedAt, else the time Ready
 * turned False, else the deletion time minus its grace period, else its creation.
 */
function podFinishedTime(pod: Obj): number {
  let finish: number | undefined;
  let allTerminated = true;
  for (const cs of (pod.status?.containerStatuses ?? []) as Obj[]) {
    const at = cs.state?.terminated?.finishedAt;
    if (!at) {
      allTerminated = false;
      break;
    }
    const t = Date.parse(at);
    if (finish === undefined || t > finish) finish = t;
  }
  if (allTerminated && finish !== undefined) return finish;
  const ready = ((pod.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp) - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return Date.parse(pod.metadata.creationTimestamp);
}

// ---- pod failure and success policies ---------------------------------------------------

interface PolicyMatch {
  /** The job failure message of a FailJob rule. */
  failJob?: string;
  /** Whether the failure counts towards backoffLimit (not for Ignore). */
  countFailed: boolean;
  action?: string;
}

/** matchPodFailurePolicy: the first rule matching the failed pod's exit codes or conditions. */
function matchPodFailurePolicy(policy: Obj | undefined, pod: Obj): PolicyMatch {
  if (!policy) return { countFailed: true };
  const rules: Obj[] = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.onExitCodes) {
      const cs = matchOnExitCodes(pod, rule.onExitCodes);
      if (!cs) continue;
      if (rule.action === 'Ignore') return { countFailed: false, action: 'Ignore' };
      if (rule.action === 'Count') return { countFailed: true, action: 'Count' };
      if (rule.action === 'FailJob')
        return {
          countFailed: true,
          action: 'FailJob',
          failJob: `Container ${cs.name} for pod ${pod.metadata.namespace}/${pod.metadata.name} failed with exit code ${cs.state.terminated.exitCode} matching FailJob rule at index ${index}`,
        };
    } else if (rule.onPodConditions) {
      const cond = ((pod.status?.conditions ?? []) as Obj[]).find((c) => (rule.onPodConditions as Obj[]).some((p) => p.type === c.type && (p.status ?? 'True') === c.status));
      if (!cond) continue;
      if (rule.action === 'Ignore') return { countFailed: false, action: 'Ignore' };
      if (rule.action === 'Count') return { countFailed: true, action: 'Count' };
      if (rule.action === 'FailJob')
        return { countFailed: true, action: 'FailJob', failJob: `Pod ${pod.metadata.namespace}/${pod.metadata.name} has condition ${cond.type} matching FailJob rule at index ${index}` };
    }
  }
  return { countFailed: true };
}

function matchOnExitCodes(pod: Obj, req: Obj): Obj | undefined {
  const lists = [pod.status?.containerStatuses ?? [], pod.status?.initContainerStatuses ?? []] as Obj[][];
  for (const list of lists) {
    for (const cs of list) {
      const term = cs.state?.terminated;
      if (!term) continue;
      if (req.containerName && req.containerName !== cs.name) continue;
      if (term.exitCode === 0) continue;
      const values: number[] = req.values ?? [];
      if (req.operator === 'In' ? values.includes(term.exitCode) : req.operator === 'NotIn' ? !values.includes(term.exitCode) : false) return cs;
    }
  }
  return undefined;
}

// ---- completion indexes as ordered intervals ---------------------------------------------

type Interval = [number, number];

function parseIndexes(text: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!text) return out;
  for (const part of text.split(',')) {
    const [a, b] = part.split('-');
    if (!/^\d+$/.test(a ?? '')) continue;
    const first = Number(a);
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      if (!/^\d+$/.test(b)) continue;
      last = Math.min(Number(b), completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev[1] === first - 1) prev[1] = last;
    else out.push([first, last]);
  }
  return out;
}

/** The intervals with `indexes` (increasing) added. */
function withIndexes(intervals: Interval[], indexes: number[]): Interval[] {
  const out: Interval[] = [];
  const push = (iv: Interval) => {
    const last = out[out.length - 1];
    if (!last || iv[0] > last[1] + 1) out.push([iv[0], iv[1]]);
    else if (last[1] < iv[1]) last[1] = iv[1];
  };
  let i = 0;
  let j = 0;
  while (i < intervals.length && j < indexes.length) {
    if (intervals[i]![0] < indexes[j]!) push(intervals[i++]!);
    else {
      push([indexes[j]!, indexes[j]!]);
      j++;
    }
  }
  while (i < intervals.length) push(intervals[i++]!);
  while (j < indexes.length) {
    push([indexes[j]!, indexes[j]!]);
    j++;
  }
  return out;
}

function totalIndexes(intervals: Interval[]): number {
  return intervals.reduce((n, [a, b]) => n + b - a + 1, 0);
}

function hasIndex(intervals: Interval[], ix: number): boolean {
  return intervals.some(([a, b]) => a <= ix && ix <= b);
}

/** "0-2,4,6,7" as orderedIntervals.String() writes it (two consecutive indexes with a comma). */
function indexesString(intervals: Interval[]): string {
  return intervals.map(([a, b]) => (b === a ? `${a}` : b === a + 1 ? `${a},${b}` : `${a}-${b}`)).join(',');
}

function sortedUnique(values: Iterable<number>): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** matchSuccessPolicy: the message of the first rule the succeeded indexes satisfy. */
function matchSuccessPolicy(policy: Obj | undefined, completions: number, succeeded: Interval[]): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  const rules: Obj[] = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.succeededIndexes != null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      let contains = 0;
      for (const [a, b] of required) for (const [c, d] of succeeded) contains += Math.max(0, Math.min(b, d) - Math.max(a, c) + 1);
      if (contains === totalIndexes(required) || (rule.succeededCount != null && contains >= rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount != null && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

// ---- back-off ------------------------------------------------------------------------------

interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime: number | undefined;
}

/** Time left before a replacement pod may be created: 10 s doubling per failure, at most 10 min. */
function backoffRemaining(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = DEFAULT_POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_POD_FAILURE_BACKOFF_MS) {
      delay = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}

// ---- the controller ----------------------------------------------------------------------

/** What one sync knows (syncJobCtx). */
interface SyncCtx {
  key: string;
  job: Obj;
  st: Status;
  /** The resourceVersion to send with the next status update. */
  rv: string | undefined;
  pods: Obj[];
  activePods: Obj[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRemovals: Set<string>;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  finished: Condition | undefined;
  newBackoff: BackoffRecord;
}

class JobController implements Controller {
  readonly name = 'job-controller';
  private ctx!: ControllerContext;
  private jobs!: Informer;
  private pods!: Informer;
  private expectations!: Expectations;
  /** Pod UIDs whose tracking finalizer removal each job has asked for and not yet seen. */
  private readonly finalizerRemovals = new Map<string, Set<string>>();
  private readonly backoff = new Map<string, BackoffRecord>();

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.expectations = new Expectations(ctx.clock);
    this.jobs = ctx.informers.for('jobs', 'batch');
    this.pods = ctx.informers.for('pods');
    indexPods(this.pods);
    this.jobs.on({
      add: (j) => ctx.queue.add(keyOf(j)),
      update: (old, j) => this.jobUpdated(old, j),
      delete: (j) => {
        ctx.queue.add(keyOf(j));
        this.cleanupPodFinalizers(j);
      },
    });
    this.pods.on({ add: (p) => this.podAdded(p), update: (old, p) => this.podUpdated(old, p), delete: (p) => this.podDeleted(p, true) });
  }

  // ---- event handlers ----

  private batched(job: Obj): void {
    this.ctx.queue.addAfter(keyOf(job), SYNC_JOB_BATCH_MS);
  }

  private resolve(namespace: string, ref: Obj | undefined): Obj | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.get(`${namespace}/${ref.name}`);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  private jobsMatching(pod: Obj): Obj[] {
    return this.jobs.list(pod.metadata.namespace).filter((j) => matchesLabelSelector(j.spec?.selector, pod.metadata.labels));
  }

  private enqueueOrphan(pod: Obj): void {
    this.ctx.queue.add(ORPHAN_KEY + keyOf(pod));
  }

  private jobUpdated(old: Obj, job: Obj): void {
    const key = keyOf(job);
    if (old.metadata.uid !== job.metadata.uid) {
      this.expectations.delete(key);
      this.finalizerRemovals.delete(key);
      this.backoff.delete(key);
    }
    // A spec change syncs at once; status updates (mostly from pod events) are batched.
    if (job.metadata.generation === old.metadata.generation) this.batched(job);
    else this.ctx.queue.add(key);
    if (isJobFinished(job)) this.cleanupPodFinalizers(job);
    const ads = job.spec?.activeDeadlineSeconds;
    if (job.status?.startTime && ads != null && old.spec?.activeDeadlineSeconds !== ads) {
      this.ctx.queue.addAfter(key, ads * 1000 - (this.ctx.clock.now() - Date.parse(job.status.startTime)));
    }
  }

  private podAdded(pod: Obj): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod, false);
    const ref = controllerOf(pod);
    if (ref) {
      const job = this.resolve(pod.metadata.namespace, ref);
      if (!job) return;
      this.expectations.creationObserved(keyOf(job));
      this.batched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.enqueueOrphan(pod);
    for (const job of this.jobsMatching(pod)) this.batched(job);
  }

  private podUpdated(old: Obj, pod: Obj): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod, false);
    const finalizerRemoved = !hasTrackingFinalizer(pod);
    const ref = controllerOf(pod);
    const oldRef = controllerOf(old);
    const refChanged = ref !== oldRef && JSON.stringify(ref) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const job = this.resolve(old.metadata.namespace, oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerRemovalObserved(keyOf(job), pod.metadata.uid);
        this.batched(job);
      }
    }
    if (ref) {
      const job = this.resolve(pod.metadata.namespace, ref);
      if (!job) return;
      if (finalizerRemoved) this.finalizerRemovalObserved(keyOf(job), pod.metadata.uid);
      this.batched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.enqueueOrphan(pod);
    const labelsChanged = old.metadata.labels !== pod.metadata.labels && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.jobsMatching(pod)) this.batched(job);
  }

  /** A pod deleted, or (not `final`) marked for deletion. */
  private podDeleted(pod: Obj, final: boolean): void {
    const ref = controllerOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    if (!ref) {
      if (hasFinalizer) this.enqueueOrphan(pod);
      return;
    }
    const job = this.resolve(pod.metadata.namespace, ref);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.enqueueOrphan(pod);
      return;
    }
    const key = keyOf(job);
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.finalizerRemovalObserved(key, pod.metadata.uid);
    this.batched(job);
  }

  private finalizerRemovalObserved(key: string, uid: string): void {
    const set = this.finalizerRemovals.get(key);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.finalizerRemovals.delete(key);
  }

  /** Pods of a finished or deleted job keep no tracking finalizer. */
  private cleanupPodFinalizers(job: Obj): void {
    for (const pod of this.pods.byIndex('controller', job.metadata.uid)) {
      if (hasTrackingFinalizer(pod) && matchesLabelSelector(job.spec?.selector, pod.metadata.labels)) this.enqueueOrphan(pod);
    }
  }

  reconcile(key: string): ReconcileResult {
    if (key.startsWith(ORPHAN_KEY)) return this.syncOrphanPod(key.slice(ORPHAN_KEY.length));
    return this.syncJob(key);
  }

  /** Removes the tracking finalizer of a pod no (unfinished) job controls. */
  private syncOrphanPod(podKey: string): ReconcileResult {
    const pod = this.pods.get(podKey);
    if (!pod) return;
    const ref = controllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(pod.metadata.namespace, ref);
      if (job && managedByExternal(job)) return;
      if (job && !isJobFinished(job)) return;
    }
    if (!hasTrackingFinalizer(pod)) return;
    const res = this.removeFinalizer(pod);
    if (res.status >= 400 && res.status !== 404) return { requeue: true };
  }

  private syncJob(key: string): ReconcileResult {
    const job = this.jobs.get(key);
    if (!job) {
      this.expectations.delete(key);
      this.finalizerRemovals.delete(key);
      this.backoff.delete(key);
      return;
    }
    if (managedByExternal(job)) return;
    if (isJobFinished(job)) {
      this.backoff.delete(key);
      return;
    }
    const spec: Obj = job.spec ?? {};
    const mode = spec.completionMode ?? 'NonIndexed';
    if (mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const now = this.ctx.clock.now();
    const st = readStatus(job.status);
    // Expectations are read before the pods, so a pod created meanwhile defers the sync.
    const satisfied = this.expectations.satisfied(key);
    const pods = this.getPodsForJob(job);
    const activePods = pods.filter(isPodActive);
    const c: SyncCtx = {
      key,
      job,
      st,
      rv: this.jobs.resourceVersion(key),
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded: new Set(st.uncounted.succeeded),
      uncountedFailed: new Set(st.uncounted.failed),
      expectedRemovals: new Set(this.finalizerRemovals.get(key) ?? []),
      prevSucceededIndexes: [],
      succeededIndexes: [],
      finished: undefined,
      newBackoff: { failuresAfterLastSuccess: 0, lastFailureTime: undefined },
    };
    let active = activePods.length;
    const newSucceeded = this.newFinishedPods(c, c.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.newFinishedPods(c, c.uncountedFailed, (p) => isPodFailed(p, job));
    c.succeeded = st.succeeded + newSucceeded.length + c.uncountedSucceeded.size;
    c.failed = st.failed + newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed).length + c.uncountedFailed.size;

    // The job starts when first synced unsuspended.
    if (!st.startTime && !suspended(job)) st.startTime = rfc3339(now);
    c.newBackoff = this.newBackoffRecord(key, newSucceeded, newFailed);

    const exceedsBackoffLimit = c.failed > (spec.backoffLimit ?? 6);
    const successCriteriaMet = findCondition(st.conditions, 'SuccessCriteriaMet');
    if (successCriteriaMet?.status === 'True') c.finished = { ...successCriteriaMet } as Condition;
    if (!c.finished) {
      // A FailureTarget set earlier becomes Failed; a FailJob rule sets FailureTarget first.
      const target = findCondition(st.conditions, 'FailureTarget');
      if (target?.status === 'True') c.finished = newCondition('Failed', 'True', target.reason, target.message, now);
      else {
        const message = failJobMessage(job, pods);
        if (message) c.finished = newCondition('FailureTarget', 'True', 'PodFailurePolicy', message, now);
      }
    }
    if (!c.finished) {
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        c.finished = newCondition('FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (pastActiveDeadline(job, st, now)) {
        c.finished = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (spec.activeDeadlineSeconds != null && !suspended(job) && st.startTime) {
        this.ctx.queue.addAfter(key, spec.activeDeadlineSeconds * 1000 - (now - Date.parse(st.startTime)));
      }
    }

    const completions: number | undefined = spec.completions ?? undefined;
    if (isIndexed(job)) {
      c.prevSucceededIndexes = parseIndexes(st.completedIndexes, completions ?? 0);
      const fresh = pods
        .filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p))
        .map(completionIndex)
        .filter((ix) => ix >= 0 && ix < (completions ?? 0));
      c.succeededIndexes = withIndexes(c.prevSucceededIndexes, sortedUnique(fresh));
      c.succeeded = totalIndexes(c.succeededIndexes);
      if (!c.finished) {
        const message = matchSuccessPolicy(spec.successPolicy, completions ?? 0, c.succeededIndexes);
        if (message) c.finished = newCondition('SuccessCriteriaMet', 'True', 'SuccessPolicy', message, now);
      }
    }

    let suspendConditionChanged = false;
    let manageError: string | undefined;
    if (c.finished) {
      // Failed (or met its success policy): its remaining pods go, finalizers kept for counting.
      const r = this.deleteActivePods(job, c.activePods);
      if (r.deleted !== active || !satisfied) c.finished = undefined;
      active -= r.deleted;
      c.terminating += r.deleted;
      c.ready -= r.deletedReady;
      manageError = r.error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const r = this.manageJob(c, active);
        active = r.active;
        manageError = r.error;
        managed = true;
      }
      // Without completions, any success completes the job once nothing runs.
      const complete = completions === undefined ? c.succeeded > 0 && active === 0 : c.succeeded >= completions && active === 0;
      if (complete) {
        c.finished = newCondition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
      } else if (managed) {
        if (suspended(job)) {
          if (ensureCondition(st, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendConditionChanged = true;
            this.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(st, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendConditionChanged = true;
          this.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts from the resume.
          st.startTime = rfc3339(now);
        }
      }
    }

    const needsStatusUpdate = suspendConditionChanged || active !== st.active || c.ready !== st.ready || c.terminating !== st.terminating;
    st.active = active;
    st.ready = c.ready;
    st.terminating = c.terminating;
    this.trackStatusAndRemoveFinalizers(c, needsStatusUpdate);
    if (manageError !== undefined) return { requeue: true };
  }

  /** Finished pods not yet counted: tracked with a finalizer, not already uncounted (getValidPodsWithFilter). */
  private newFinishedPods(c: SyncCtx, uncounted: Set<string>, filter: (p: Obj) => boolean): Obj[] {
    const completions = c.job.spec?.completions ?? 0;
    return c.pods.filter((p) => {
      const uid = p.metadata.uid;
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || c.expectedRemovals.has(uid)) return false;
      if (isIndexed(c.job)) {
        const ix = completionIndex(p);
        if (ix < 0 || ix >= completions) return false;
      }
      return filter(p);
    });
  }

  /** The back-off record updated with newly finished pods: failures since the last success. */
  private newBackoffRecord(key: string, succeeded: Obj[], failed: Obj[]): BackoffRecord {
    const old = this.backoff.get(key);
    const record: BackoffRecord = { failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime };
    const failTimes = failed.map(podFinishedTime).sort((a, b) => a - b);
    if (succeeded.length === 0) {
      if (failTimes.length === 0) return record;
      record.failuresAfterLastSuccess += failTimes.length;
      record.lastFailureTime = failTimes[failTimes.length - 1];
      return record;
    }
    record.failuresAfterLastSuccess = 0;
    record.lastFailureTime = undefined;
    const lastSuccess = Math.max(...succeeded.map(podFinishedTime));
    for (let i = failTimes.length - 1; i >= 0; i--) {
      if (failTimes[i]! <= lastSuccess) break;
      record.lastFailureTime ??= failTimes[i];
      record.failuresAfterLastSuccess++;
    }
    return record;
  }

  // ---- pods of a job ----

  /** Claims the pods the job's selector matches (adopting orphans with a tracking finalizer, releasing the rest). */
  private getPodsForJob(job: Obj): Obj[] {
    const ns = job.metadata.namespace;
    const deleting = Boolean(job.metadata.deletionTimestamp);
    const matches = (p: Obj) => matchesLabelSelector(job.spec?.selector, p.metadata.labels);
    const out: Obj[] = [];
    for (const pod of this.pods.byIndex('controller', job.metadata.uid)) {
      if (matches(pod)) out.push(pod);
      else if (!deleting) this.patchPod(pod, { metadata: { ownerReferences: [{ $patch: 'delete', uid: job.metadata.uid }], uid: pod.metadata.uid, [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } });
    }
    if (deleting) return out;
    for (const pod of this.pods.byIndex('orphan', ns)) {
      if (pod.metadata.deletionTimestamp || !matches(pod)) continue;
      const res = this.patchPod(pod, { metadata: { ownerReferences: [jobRef(job)], uid: pod.metadata.uid, finalizers: [JOB_TRACKING_FINALIZER] } });
      if (res.status !== 200) continue;
      const adopted = this.pods.get(keyOf(pod)) ?? pod;
      out.push(hasTrackingFinalizer(adopted) ? adopted : { ...adopted, metadata: { ...adopted.metadata, finalizers: [...(adopted.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER] } });
    }
    return out;
  }

  private patchPod(pod: Obj, body: Obj): { status: number; body: unknown } {
    return this.ctx.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
      contentType: 'application/strategic-merge-patch+json',
      body,
    });
  }

  private removeFinalizer(pod: Obj): { status: number; body: unknown } {
    return this.patchPod(pod, { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } });
  }

  /** Creates or deletes pods until min(parallelism, remaining completions) are active; returns the active count. */
  private manageJob(c: SyncCtx, activeNow: number): { active: number; error?: string } {
    const { job, key } = c;
    const spec: Obj = job.spec ?? {};
    let active = activeNow;
    if (suspended(job)) {
      const victims = activePodsForRemoval(job, c.activePods, active, this.ctx.clock.now());
      this.expectations.expect(key, 0, victims.length);
      const r = this.deleteJobPods(job, key, victims);
      active -= r.removed;
      c.terminating += r.removed;
      c.ready -= r.removedReady;
      return { active, error: r.error };
    }
    const parallelism: number = spec.parallelism ?? 1;
    const completions: number | undefined = spec.completions ?? undefined;
    let wantActive: number;
    if (completions === undefined) wantActive = c.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(completions - c.succeeded, parallelism));

    const rmAtLeast = Math.max(0, active - wantActive);
    const victims = activePodsForRemoval(job, c.activePods, rmAtLeast, this.ctx.clock.now()).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (victims.length > 0) {
      this.expectations.expect(key, 0, victims.length);
      const r = this.deleteJobPods(job, key, victims);
      active -= r.removed;
      c.terminating += r.removed;
      c.ready -= r.removedReady;
      return { active, error: r.error };
    }

    const terminating = onlyReplaceFailedPods(job) ? c.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    const remaining = backoffRemaining(c.newBackoff, this.ctx.clock.now());
    if (remaining > 0) {
      this.ctx.queue.addAfter(key, Math.max(remaining, SYNC_JOB_BATCH_MS));
      // As upstream, the sync that waits out the back-off reports no active pods.
      return { active: 0 };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexed(job)) {
      indexes = firstPendingIndexes(c, diff, completions ?? 0);
      diff = indexes.length;
    }
    this.expectations.expect(key, diff, 0);
    active += diff;

    const template: Obj = JSON.parse(JSON.stringify(spec.template ?? {}));
    template.metadata = template.metadata ?? {};
    if (isIndexed(job)) addCompletionIndexEnv(template);
    const finalizers: string[] = template.metadata.finalizers ?? [];
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) template.metadata.finalizers = [...finalizers, JOB_TRACKING_FINALIZER];

    // Slow start: batches of 1, 2, 4, … until one has a failure.
    let error: string | undefined;
    let left = diff;
    for (let batch = Math.min(diff, 1); left > 0; batch = Math.min(2 * batch, left)) {
      let failed = 0;
      for (let i = 0; i < batch; i++) {
        const index = indexes.length ? indexes.shift()! : -1;
        const result = this.createPod(job, template, index);
        if (result === 'namespace-terminating') continue;
        if (result !== undefined) {
          this.expectations.creationObserved(key);
          active--;
          failed++;
          error ??= result;
        }
      }
      const skipped = left - batch;
      if (failed > 0 && skipped > 0) {
        active -= skipped;
        this.expectations.creationObserved(key, skipped);
        break;
      }
      left -= batch;
    }
    return { active, error };
  }

  /** Creates one pod; returns the error message, if it failed. */
  private createPod(job: Obj, template: Obj, index: number): string | undefined {
    let t = template;
    let generateName = `${job.metadata.name}-`;
    if (index >= 0) {
      t = JSON.parse(JSON.stringify(template));
      t.metadata.annotations = { ...(t.metadata.annotations ?? {}), [JOB_COMPLETION_INDEX]: String(index) };
      t.metadata.labels = { ...(t.metadata.labels ?? {}), [JOB_COMPLETION_INDEX]: String(index) };
      t.spec = { ...(t.spec ?? {}), hostname: `${job.metadata.name}-${index}` };
      generateName = podGenerateNameWithIndex(job.metadata.name, index);
    }
    const pod = podFromTemplate(t, job, generateName);
    pod.metadata.ownerReferences = [jobRef(job)];
    const res = this.ctx.request({ method: 'POST', path: `/api/v1/namespaces/${job.metadata.namespace}/pods`, body: pod });
    if (res.status === 201) {
      this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${(res.body as Obj).metadata.name}`);
      return undefined;
    }
    const message = errorMessage(res);
    if (/because it is being terminated/.test(message)) return 'namespace-terminating';
    this.event(job, 'Warning', 'FailedCreate', `Error creating: ${message}`);
    return message;
  }

  /** Deletes pods (suspend, too many): their finalizer goes first, so they are not counted. */
  private deleteJobPods(job: Obj, key: string, pods: Obj[]): { removed: number; removedReady: number; error?: string } {
    let removed = pods.length;
    let removedReady = 0;
    let error: string | undefined;
    for (const pod of pods) {
      if (hasTrackingFinalizer(pod)) {
        const res = this.removeFinalizer(pod);
        if (res.status !== 200) {
          this.expectations.deletionObserved(key);
          if (res.status !== 404) {
            removed--;
            error ??= `removing completion finalizer: ${errorMessage(res)}`;
          }
          continue;
        }
      }
      const err = this.deletePod(job, pod);
      if (err !== undefined) {
        this.expectations.deletionObserved(key);
        if (err !== 'not-found') {
          removed--;
          error ??= err;
        }
      }
      if (isPodReady(pod)) removedReady++;
    }
    return { removed, removedReady, error };
  }

  /** Deletes the active pods of a finished job, keeping their finalizers (deleteActivePods). */
  private deleteActivePods(job: Obj, pods: Obj[]): { deleted: number; deletedReady: number; error?: string } {
    let deleted = pods.length;
    let deletedReady = 0;
    let error: string | undefined;
    for (const pod of pods) {
      const err = this.deletePod(job, pod);
      if (err !== undefined && err !== 'not-found') {
        deleted--;
        error ??= err;
      }
      if (isPodReady(pod)) deletedReady++;
    }
    return { deleted, deletedReady, error };
  }

  /** RealPodControl.DeletePod: events for success and failure; "not-found" when already gone. */
  private deletePod(job: Obj, pod: Obj): string | undefined {
    const res = this.ctx.request({ method: 'DELETE', path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}` });
    if (res.status === 200) {
      this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      return undefined;
    }
    if (res.status === 404) return 'not-found';
    const message = errorMessage(res);
    this.event(job, 'Warning', 'FailedDelete', `Error deleting: ${message}`);
    return message;
  }

  // ---- status tracking ----

  /**
   * trackJobStatusAndRemoveFinalizers: records finished pods in uncountedTerminatedPods, removes
   * their finalizers, moves them to the counters, and sets the terminal condition once no pod
   * is uncounted or terminating.
   */
  private trackStatusAndRemoveFinalizers(c: SyncCtx, needsFlush: boolean): void {
    const { job, st } = c;
    const indexed = isIndexed(job);
    const completions: number = job.spec?.completions ?? 0;
    const pods = indexed ? [...c.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : c.pods;
    const withFinalizer = new Set<string>();
    for (const p of pods) if (hasTrackingFinalizer(p) && !c.expectedRemovals.has(p.metadata.uid)) withFinalizer.add(p.metadata.uid);
    if (cleanUncounted(st, withFinalizer)) needsFlush = true;

    const toRemove: Obj[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMaxUncounted = false;
    for (const pod of pods) {
      const uid: string = pod.metadata.uid;
      if (!hasTrackingFinalizer(pod) || c.expectedRemovals.has(uid)) continue;
      const considerFailed = isPodFailed(pod, job);
      const canRemove = Boolean(job.metadata.deletionTimestamp) || c.finished !== undefined || pod.status?.phase === 'Succeeded' || considerFailed;
      if (!canRemove) continue;
      toRemove.push(pod);
      if (pod.status?.phase === 'Succeeded' && !c.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(pod);
          if (ix >= 0 && ix < completions && !hasIndex(c.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!c.uncountedSucceeded.has(uid)) {
          needsFlush = true;
          st.uncounted.succeeded.push(uid);
        }
      } else if (considerFailed || (c.finished && !isSuccessCriteriaMet(c.finished))) {
        // Once the job is finished, every pod not succeeded counts as failed.
        const ix = completionIndex(pod);
        if (!c.uncountedFailed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
            needsFlush = true;
            st.uncounted.failed.push(uid);
          }
        }
      }
      if (newSucceededIndexes.length + st.uncounted.succeeded.length + st.uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
        reachedMaxUncounted = true;
        break;
      }
    }
    if (indexed) {
      c.succeededIndexes = withIndexes(c.succeededIndexes, sortedUnique(newSucceededIndexes));
      const text = indexesString(c.succeededIndexes);
      if (text !== st.completedIndexes) needsFlush = true;
      st.succeeded = totalIndexes(c.succeededIndexes);
      st.completedIndexes = text;
    }
    const now = this.ctx.clock.now();
    if (c.finished?.type === 'FailureTarget') {
      // The interim FailureTarget is written before any finalizer goes; Failed follows.
      st.conditions.push(c.finished);
      needsFlush = true;
      c.finished = newCondition('Failed', 'True', c.finished.reason, c.finished.message, now);
    }
    if (isSuccessCriteriaMet(c.finished)) {
      if (findCondition(st.conditions, 'SuccessCriteriaMet')?.status !== 'True') {
        st.conditions.push(c.finished!);
        needsFlush = true;
      }
      c.finished = newCondition('Complete', 'True', c.finished!.reason, c.finished!.message, now);
    }
    needsFlush = this.flushUncountedAndRemoveFinalizers(c, toRemove, withFinalizer, needsFlush);
    const finished = !reachedMaxUncounted && this.enactJobFinished(c);
    if (finished) needsFlush = true;
    if (needsFlush) {
      this.updateStatus(c);
      if (finished) this.recordJobFinished(c);
    }
  }

  /** Writes uncounted pods, removes finalizers, and moves the pods whose finalizer is gone to the counters. */
  private flushUncountedAndRemoveFinalizers(c: SyncCtx, toRemove: Obj[], withFinalizer: Set<string>, needsFlush: boolean): boolean {
    if (needsFlush) {
      this.updateStatus(c);
      this.backoff.set(c.key, c.newBackoff);
      needsFlush = false;
    }
    let removalError: string | undefined;
    if (toRemove.length > 0) {
      const expected = this.finalizerRemovals.get(c.key) ?? new Set<string>();
      for (const p of toRemove) expected.add(p.metadata.uid);
      this.finalizerRemovals.set(c.key, expected);
      for (const pod of toRemove) {
        const res = this.removeFinalizer(pod);
        if (res.status === 200 || res.status === 404) {
          withFinalizer.delete(pod.metadata.uid);
          if (res.status === 404) this.finalizerRemovalObserved(c.key, pod.metadata.uid);
          continue;
        }
        this.finalizerRemovalObserved(c.key, pod.metadata.uid);
        removalError ??= `removing tracking finalizer: ${errorMessage(res)}`;
      }
    }
    if (cleanUncounted(c.st, withFinalizer)) needsFlush = true;
    if (removalError !== undefined) {
      if (needsFlush) this.updateStatus(c);
      throw new RetryableError(removalError);
    }
    return needsFlush;
  }

  /** Adds Complete or Failed once nothing is uncounted or terminating; returns whether it did. */
  private enactJobFinished(c: SyncCtx): boolean {
    const f = c.finished;
    if (!f) return false;
    if (c.st.uncounted.succeeded.length + c.st.uncounted.failed.length > 0) return false;
    if (c.terminating > 0) return false;
    ensureCondition(c.st, f.type, f.status, f.reason ?? '', f.message ?? '', this.ctx.clock.now());
    if (f.type === 'Complete') c.st.completionTime = f.lastTransitionTime;
    return true;
  }

  private recordJobFinished(c: SyncCtx): void {
    const f = c.finished!;
    if (f.type === 'Complete') {
      const completions = c.job.spec?.completions;
      if (completions != null && c.st.succeeded > completions) this.event(c.job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      this.event(c.job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.event(c.job, 'Warning', f.reason ?? '', f.message ?? '');
    }
  }

  private updateStatus(c: SyncCtx): void {
    const { job } = c;
    const res = this.ctx.request({
      method: 'PUT',
      path: `/apis/batch/v1/namespaces/${job.metadata.namespace}/jobs/${job.metadata.name}/status`,
      body: { ...job, metadata: { ...job.metadata, resourceVersion: c.rv }, status: writeStatus(c.st) },
    });
    if (res.status !== 200) throw new RetryableError(errorMessage(res));
    c.rv = (res.body as Obj).metadata.resourceVersion;
  }

  private event(job: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.ctx.recorder.event(this.jobs.reference({ ...job, kind: 'Job', apiVersion: 'batch/v1' }), type, reason, message);
  }
}

function jobRef(job: Obj): Obj {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function managedByExternal(job: Obj): boolean {
  const by = job.spec?.managedBy;
  return by != null && by !== JOB_CONTROLLER_MANAGER;
}

/** Moves uncounted pods whose finalizer is gone into the counters; returns whether anything moved. */
function cleanUncounted(st: Status, withFinalizer: Set<string>): boolean {
  let updated = false;
  const succeeded = st.uncounted.succeeded.filter((uid) => withFinalizer.has(uid));
  if (succeeded.length !== st.uncounted.succeeded.length) {
    updated = true;
    st.succeeded += st.uncounted.succeeded.length - succeeded.length;
    st.uncounted.succeeded = succeeded;
  }
  const failed = st.uncounted.failed.filter((uid) => withFinalizer.has(uid));
  if (failed.length !== st.uncounted.failed.length) {
    updated = true;
    st.failed += st.uncounted.failed.length - failed.length;
    st.uncounted.failed = failed;
  }
  return updated;
}

/** The FailJob message of the first failed pod a pod failure policy rule fails the job for. */
function failJobMessage(job: Obj, pods: Obj[]): string | undefined {
  const policy = job.spec?.podFailurePolicy;
  if (!policy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(policy, p);
    if (m.failJob) return m.failJob;
  }
  return undefined;
}

/** restartPolicy OnFailure: the container restarts of running and pending pods reach backoffLimit. */
function pastBackoffLimitOnFailure(job: Obj, pods: Obj[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])] as Obj[]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function pastActiveDeadline(job: Obj, st: Status, now: number): boolean {
  const ads = job.spec?.activeDeadlineSeconds;
  if (ads == null || !st.startTime || suspended(job)) return false;
  return now - Date.parse(st.startTime) >= ads * 1000;
}

/** Indexes below `completions` neither succeeded nor held by an active (or, replacing only failed pods, terminating) pod. */
function firstPendingIndexes(c: SyncCtx, count: number, completions: number): number[] {
  if (count === 0) return [];
  let nonPending = withIndexes(c.succeededIndexes, sortedUnique(c.activePods.map(completionIndex).filter((ix) => ix >= 0)));
  if (onlyReplaceFailedPods(c.job)) nonPending = withIndexes(nonPending, sortedUnique(c.pods.filter(isPodTerminating).map(completionIndex).filter((ix) => ix >= 0)));
  const out: number[] = [];
  for (let ix = 0; ix < completions && out.length < count; ix++) if (!hasIndex(nonPending, ix)) out.push(ix);
  return out;
}

/**
 * Pods to delete: for Indexed jobs every pod without a valid index or repeating one (keeping the
 * most valuable), then the least valuable until `rmAtLeast` (activePodsForRemoval).
 */
function activePodsForRemoval(job: Obj, pods: Obj[], rmAtLeast: number, now: number): Obj[] {
  const rm: Obj[] = [];
  let left: Obj[] = pods;
  if (isIndexed(job)) {
    left = [];
    const completions: number = job.spec?.completions ?? 0;
    const byIndex = new Map<number, Obj[]>();
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix < 0 || ix >= completions) {
        rm.push(p);
        continue;
      }
      const group = byIndex.get(ix);
      if (group) group.push(p);
      else byIndex.set(ix, [p]);
    }
    for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
      const group = byIndex.get(ix)!;
      if (group.length === 1) {
        left.push(group[0]!);
        continue;
      }
      const sorted = sortPodsForDeletion(group, new Map(), now);
      rm.push(...sorted.slice(0, -1));
      left.push(sorted[sorted.length - 1]!);
    }
  }
  if (rm.length < rmAtLeast) rm.push(...sortPodsForDeletion(left, new Map(), now).slice(0, rmAtLeast - rm.length));
  return rm;
}

/** JOB_COMPLETION_INDEX from the pod's index label (PodIndexLabel is GA in 1.32). */
function addCompletionIndexEnv(template: Obj): void {
  const spec: Obj = (template.spec = template.spec ?? {});
  for (const list of [spec.initContainers, spec.containers] as (Obj[] | undefined)[]) {
    for (const container of list ?? []) {
      const env: Obj[] = container.env ?? [];
      if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue;
      container.env = [...env, { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } } }];
    }
  }
}
