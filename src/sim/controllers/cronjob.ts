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
 * The schedule parser follows robfig/cron v3's ParseStandard (five fields, names, ranges,
 * steps, `?`, the @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly descriptors and
 * @every <duration>, a TZ= or CRON_TZ= prefix) and SpecSchedule.Next, including its handling of
 * daylight-saving transitions. Time zones come from Intl (IANA names), with offsets cached per
 * quarter hour.
 */
import { rfc3339 } from '../apiserver';
import { isJobFinished, jobFinishedCondition } from './job';
import { errorMessage } from './replicaset';
import { controllerOf, keyOf, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** The controller wakes this long after a schedule time (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// ---- time zones ----------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

function isUTC(zone: string): boolean {
  return zone === '' || zone === 'UTC';
}

/** time.LoadLocation: undefined when the zone exists, else Go's error text. */
export function timeZoneError(zone: string): string | undefined {
  if (isUTC(zone)) return undefined;
  try {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone });
    const resolved = f.resolvedOptions().timeZone;
    // Go reads zoneinfo files by name: case matters.
    if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) return `unknown time zone ${zone}`;
    return undefined;
  } catch {
    return `unknown time zone ${zone}`;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset (ms) at an instant; transitions fall on quarter hours in every zone in use. */
export function zoneOffset(zone: string, instant: number): number {
  if (isUTC(zone)) return 0;
  const bucket = Math.floor(instant / (15 * MINUTE));
  const key = `${zone}|${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const at = bucket * 15 * MINUTE;
    const parts: Record<string, number> = {};
    for (const p of formatter(zone).formatToParts(new Date(at))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
    off = Math.round((wall - at) / MINUTE) * MINUTE;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function fieldsIn(zone: string, t: number): Fields {
  const d = new Date(t + zoneOffset(zone, t));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
}

/** time.Date in a zone, normalising overflowing fields, with Go's choice in gaps and overlaps. */
function dateIn(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let off = zoneOffset(zone, wall);
  const utc = wall - off;
  const there = zoneOffset(zone, utc);
  if (there !== off) off = there;
  return wall - off;
}

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

// ---- schedules (robfig/cron v3) ------------------------------------------------------------

export interface CronSchedule {
  /** The first activation strictly after `t` (ms), or undefined if none within five years. */
  next(t: number): number | undefined;
}

interface FieldSet {
  bits: boolean[];
  star: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

function fieldSet(min: number, max: number, step: number, star: boolean): FieldSet {
  const bits: boolean[] = [];
  for (let i = min; i <= max; i += step) bits[i] = true;
  return { bits, star };
}

function union(a: FieldSet, b: FieldSet): FieldSet {
  const bits = [...a.bits];
  b.bits.forEach((v, i) => {
    if (v) bits[i] = true;
  });
  return { bits, star: a.star || b.star };
}

function atoi(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function intOrName(expr: string, names: Record<string, number> | undefined): number {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : atoi(expr);
}

/** getRange: one comma-separated part of a field. */
function parseRange(expr: string, r: Bounds): FieldSet {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = intOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = intOrName(lowAndHigh[1]!, r.names);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = atoi(rangeAndStep[1]!);
    if (single) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new Error(`too many slashes: ${expr}`);
  if (start < r.min) throw new Error(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new Error(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  return fieldSet(start, end, step, star);
}

function parseField(field: string, r: Bounds): FieldSet {
  return field.split(',').map((part) => parseRange(part, r)).reduce(union);
}

const all = (r: Bounds) => fieldSet(r.min, r.max, 1, true);
const only = (v: number) => fieldSet(v, v, 1, false);

class SpecSchedule implements CronSchedule {
  constructor(
    private readonly minute: FieldSet,
    private readonly hour: FieldSet,
    private readonly dom: FieldSet,
    private readonly month: FieldSet,
    private readonly dow: FieldSet,
    private readonly zone: string,
  ) {}

  private dayMatches(f: Fields): boolean {
    const domMatch = this.dom.bits[f.day] === true;
    const dowMatch = this.dow.bits[f.weekday] === true;
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  /** SpecSchedule.Next, field by field, with real-time hour and minute steps across DST changes. */
  next(from: number): number | undefined {
    const z = this.zone;
    // The upcoming second; five-field schedules fire at second 0.
    let t = Math.floor(from / SECOND) * SECOND + SECOND;
    let added = false;
    let f = fieldsIn(z, t);
    const yearLimit = f.year + 5;
    wrap: for (;;) {
      f = fieldsIn(z, t);
      if (f.year > yearLimit) return undefined;
      while (!this.month.bits[f.month]) {
        if (!added) {
          added = true;
          t = dateIn(z, f.year, f.month, 1, 0, 0, 0);
          f = fieldsIn(z, t);
        }
        t = dateIn(z, f.year, f.month + 1, f.day, f.hour, f.minute, f.second);
        f = fieldsIn(z, t);
        if (f.month === 1) continue wrap;
      }
      while (!this.dayMatches(f)) {
        if (!added) {
          added = true;
          t = dateIn(z, f.year, f.month, f.day, 0, 0, 0);
          f = fieldsIn(z, t);
        }
        t = dateIn(z, f.year, f.month, f.day + 1, f.hour, f.minute, f.second);
        f = fieldsIn(z, t);
        // Midnight may have moved with a DST change.
        if (f.hour !== 0) {
          t += f.hour > 12 ? (24 - f.hour) * HOUR : -f.hour * HOUR;
          f = fieldsIn(z, t);
        }
        if (f.day === 1) continue wrap;
      }
      while (!this.hour.bits[f.hour]) {
        if (!added) {
          added = true;
          t = dateIn(z, f.year, f.month, f.day, f.hour, 0, 0);
        }
        t += HOUR;
        f = fieldsIn(z, t);
        if (f.hour === 0) continue wrap;
      }
      while (!this.minute.bits[f.minute]) {
        if (!added) {
          added = true;
          t = Math.floor(t / MINUTE) * MINUTE;
        }
        t += MINUTE;
        f = fieldsIn(z, t);
        if (f.minute === 0) continue wrap;
      }
      if (f.second !== 0) {
        // Seconds count up to the next whole minute, which is checked again from the month.
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE + MINUTE;
        continue wrap;
      }
      return t;
    }
  }
}

/** @every: a constant delay, at least a second, in whole seconds. */
class ConstantDelaySchedule implements CronSchedule {
  constructor(private readonly delay: number) {}
  next(t: number): number {
    return Math.floor(t / SECOND) * SECOND + this.delay;
  }
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: SECOND, m: MINUTE, h: HOUR };

/** time.ParseDuration, in ms. */
function parseGoDuration(text: string): number {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== '0') throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  if (text === '0') return 0;
  let total = 0;
  for (const part of text.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * GO_UNITS[part[2]!]!;
  return m![1] === '-' ? -total : total;
}

/**
 * cron.ParseStandard: a five-field spec or a descriptor, optionally prefixed with TZ=<zone>;
 * without a zone, `zone` (the controller's local time, UTC) applies. Throws robfig's errors.
 */
export function parseCronSchedule(spec: string, zone = 'UTC'): CronSchedule {
  if (spec.length === 0) throw new Error('empty spec string');
  let loc = zone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    const err = timeZoneError(name);
    if (err) throw new Error(`provided bad location ${name}: ${err}`);
    loc = name;
    spec = space < 0 ? '' : spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    switch (spec) {
      case '@yearly':
      case '@annually':
        return new SpecSchedule(only(0), only(0), only(1), only(1), all(DOW), loc);
      case '@monthly':
        return new SpecSchedule(only(0), only(0), only(1), all(MONTH), all(DOW), loc);
      case '@weekly':
        return new SpecSchedule(only(0), only(0), all(DOM), all(MONTH), only(0), loc);
      case '@daily':
      case '@midnight':
        return new SpecSchedule(only(0), only(0), all(DOM), all(MONTH), all(DOW), loc);
      case '@hourly':
        return new SpecSchedule(only(0), all(HOURS), all(DOM), all(MONTH), all(DOW), loc);
    }
    if (spec.startsWith('@every ')) {
      let delay: number;
      try {
        delay = parseGoDuration(spec.slice('@every '.length));
      } catch (e) {
        throw new Error(`failed to parse duration ${spec}: ${(e as Error).message}`);
      }
      if (delay < SECOND) delay = SECOND;
      return new ConstantDelaySchedule(delay - (delay % SECOND));
    }
    throw new Error(`unrecognized descriptor: ${spec}`);
  }
  const fields = spec.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return new SpecSchedule(parseField(fields[0]!, MINUTES), parseField(fields[1]!, HOURS), parseField(fields[2]!, DOM), parseField(fields[3]!, MONTH), parseField(fields[4]!, DOW), loc);
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
    this.ctx.recorder.event(
      { kind: 'CronJob', apiVersion: 'batch/v1', name: cj.metadata.name, namespace: cj.metadata.namespace, uid: cj.metadata.uid, resourceVersion: this.cronJobs.resourceVersion(keyOf(cj)) },
      type,
      reason,
      message,
    );
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
