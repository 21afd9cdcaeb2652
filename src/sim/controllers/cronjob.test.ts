import { afterEach, describe, expect, it } from 'vitest';
import { parseCronSchedule, rfc3339In } from './cronjob';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CRONJOBS = '/apis/batch/v1/namespaces/default/cronjobs';
const JOBS = '/apis/batch/v1/namespaces/default/jobs';
const MINUTE = 60_000;

describe('cron schedules (robfig/cron v3 ParseStandard)', () => {
  const utc = (s: string) => Date.parse(s);
  const next = (spec: string, from: string) => {
    const t = parseCronSchedule(spec).next(utc(from));
    return t === undefined ? undefined : new Date(t).toISOString();
  };
  it.each([
    ['*/15 * * * *', '2025-06-02T09:31:20Z', '2025-06-02T09:45:00.000Z'],
    ['0 * * * *', '2025-06-02T09:00:00Z', '2025-06-02T10:00:00.000Z'],
    ['0 9 * * 1-5', '2025-06-07T10:00:00Z', '2025-06-09T09:00:00.000Z'],
    ['0 9 * * MON-fri', '2025-06-07T10:00:00Z', '2025-06-09T09:00:00.000Z'],
    ['30 4 1,15 * *', '2025-06-02T00:00:00Z', '2025-06-15T04:30:00.000Z'],
    // Day of month and day of week both restricted: either matches.
    ['0 0 13 * 5', '2025-06-02T00:00:00Z', '2025-06-06T00:00:00.000Z'],
    ['0 0 1 jan ?', '2025-06-02T00:00:00Z', '2026-01-01T00:00:00.000Z'],
    ['5/20 * * * *', '2025-06-02T09:31:00Z', '2025-06-02T09:45:00.000Z'],
    ['@hourly', '2025-06-02T09:31:00Z', '2025-06-02T10:00:00.000Z'],
    ['@daily', '2025-06-02T09:31:00Z', '2025-06-03T00:00:00.000Z'],
    ['@midnight', '2025-06-02T09:31:00Z', '2025-06-03T00:00:00.000Z'],
    ['@weekly', '2025-06-02T09:31:00Z', '2025-06-08T00:00:00.000Z'],
    ['@monthly', '2025-06-02T09:31:00Z', '2025-07-01T00:00:00.000Z'],
    ['@yearly', '2025-06-02T09:31:00Z', '2026-01-01T00:00:00.000Z'],
    ['@annually', '2025-06-02T09:31:00Z', '2026-01-01T00:00:00.000Z'],
    ['@every 90m', '2025-06-02T09:31:20.500Z', '2025-06-02T11:01:20.000Z'],
    ['0 0 30 2 *', '2025-06-02T00:00:00Z', undefined],
    ['TZ=Asia/Seoul 0 9 * * *', '2025-06-02T09:31:00Z', '2025-06-03T00:00:00.000Z'],
    ['CRON_TZ=Asia/Kolkata 0 9 * * *', '2025-06-02T00:00:00Z', '2025-06-02T03:30:00.000Z'],
    // Daylight saving time in New York: 02:30 does not exist on 9 March 2025 and is skipped...
    ['TZ=America/New_York 30 2 * * *', '2025-03-08T07:30:00Z', '2025-03-10T06:30:00.000Z'],
    // ...and 01:30 happens twice on 2 November 2025.
    ['TZ=America/New_York 30 1 * * *', '2025-11-02T05:30:00Z', '2025-11-02T06:30:00.000Z'],
    ['TZ=America/New_York 30 1 * * *', '2025-11-02T06:30:00Z', '2025-11-03T06:30:00.000Z'],
  ])('%s after %s is %s', (spec, from, expected) => {
    expect(next(spec, from)).toBe(expected);
  });

  it.each([
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['61 * * * *', 'end of range (61) above maximum (59): 61'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
    ['TZ=Mars/Olympus * * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ])('rejects %s: %s', (spec, message) => {
    expect(() => parseCronSchedule(spec)).toThrow(message);
  });

  it('formats the scheduled timestamp in the CronJob time zone', () => {
    expect(rfc3339In('', utc('2025-06-02T09:34:00Z'))).toBe('2025-06-02T09:34:00Z');
    expect(rfc3339In('Asia/Seoul', utc('2025-06-02T09:34:00Z'))).toBe('2025-06-02T18:34:00+09:00');
    expect(rfc3339In('America/New_York', utc('2025-06-02T09:34:00Z'))).toBe('2025-06-02T05:34:00-04:00');
    expect(rfc3339In('Europe/London', utc('2025-01-02T09:34:00Z'))).toBe('2025-01-02T09:34:00Z');
  });
});

let h: Harness;

describe('CronJob controller', () => {
  afterEach(() => expect(h.invariantViolations()).toEqual([]));

  it('creates a job per schedule time, named for its minute, tracks it and keeps three successful ones', () => {
    h = cluster();
    const cj = h.create(cronJob('hello', '*/2 * * * *', 'echo hello; sleep 5'));
    const slots = scheduleTimes(2, 5);
    advanceTo(slots[0]! + 3_000);
    const first = `hello-${slots[0]! / MINUTE}`;
    const job = h.get(`${JOBS}/${first}`)!;
    expect(at(job.metadata.creationTimestamp)).toBe(slots[0]);
    expect(job.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': new Date(slots[0]!).toISOString().replace('.000Z', 'Z') });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(job.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'echo hello; sleep 5']);
    const running = h.get(`${CRONJOBS}/hello`)!;
    expect(running.status).toEqual({
      active: [{ kind: 'Job', namespace: 'default', name: first, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: expect.any(String) }],
      lastScheduleTime: new Date(slots[0]!).toISOString().replace('.000Z', 'Z'),
    });
    expect(cronRow('hello')).toEqual(['hello', '*/2 * * * *', '<none>', 'False', 1, '3s']);

    advanceTo(slots[4]! + 30_000);
    const names = h.list(JOBS).map((j) => j.metadata.name).sort();
    expect(names).toEqual(slots.slice(2).map((t) => `hello-${t / MINUTE}`));
    const last = h.get(`${JOBS}/hello-${slots[4]! / MINUTE}`)!;
    const status = h.get(`${CRONJOBS}/hello`)!.status;
    expect(status).toEqual({ lastScheduleTime: last.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'], lastSuccessfulTime: last.status.completionTime });
    const jobNames = slots.map((t) => `hello-${t / MINUTE}`);
    expect(cronEvents('hello')).toEqual([
      `Normal SuccessfulCreate Created job ${jobNames[0]}`,
      `Normal SawCompletedJob Saw completed job: ${jobNames[0]}, status: Complete`,
      `Normal SuccessfulCreate Created job ${jobNames[1]}`,
      `Normal SawCompletedJob Saw completed job: ${jobNames[1]}, status: Complete`,
      `Normal SuccessfulCreate Created job ${jobNames[2]}`,
      `Normal SawCompletedJob Saw completed job: ${jobNames[2]}, status: Complete`,
      `Normal SuccessfulCreate Created job ${jobNames[3]}`,
      // The oldest of four successful jobs goes as the fourth is seen complete.
      `Normal SuccessfulDelete Deleted job ${jobNames[0]}`,
      `Normal SawCompletedJob Saw completed job: ${jobNames[3]}, status: Complete`,
      `Normal SuccessfulCreate Created job ${jobNames[4]}`,
      `Normal SuccessfulDelete Deleted job ${jobNames[1]}`,
      `Normal SawCompletedJob Saw completed job: ${jobNames[4]}, status: Complete`,
    ]);
  });

  it.each([
    ['Allow', [0, 1, 2], 3],
    ['Forbid', [0], 1],
    ['Replace', [2], 1],
  ])('concurrencyPolicy %s with a job still running at the next schedule times', (policy, remaining, active) => {
    h = cluster();
    h.create(cronJob('long', '* * * * *', 'sleep 150', { concurrencyPolicy: policy }));
    const slots = scheduleTimes(1, 3);
    advanceTo(slots[2]! + 5_000);
    const names = slots.map((t) => `long-${t / MINUTE}`);
    expect(h.list(JOBS).map((j) => j.metadata.name).sort()).toEqual(remaining.map((i) => names[i]));
    expect(h.get(`${CRONJOBS}/long`)!.status.active.map((r: Obj) => r.name)).toEqual(remaining.map((i) => names[i]).slice(-active));
    const ev = cronEvents('long');
    if (policy === 'Allow') expect(ev).toEqual(names.map((n) => `Normal SuccessfulCreate Created job ${n}`));
    if (policy === 'Forbid')
      expect(ev).toEqual([`Normal SuccessfulCreate Created job ${names[0]}`, 'Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid x2']);
    if (policy === 'Replace')
      expect(ev).toEqual([
        `Normal SuccessfulCreate Created job ${names[0]}`,
        `Normal SuccessfulDelete Deleted job ${names[0]}`,
        `Normal SuccessfulCreate Created job ${names[1]}`,
        `Normal SuccessfulDelete Deleted job ${names[1]}`,
        `Normal SuccessfulCreate Created job ${names[2]}`,
      ]);
    if (policy === 'Forbid') {
      // Once the running job finishes, the most recent schedule time it blocked runs at once.
      const first = () => h.get(`${JOBS}/${names[0]}`)!;
      while (!first().status.completionTime) h.advance(1_000);
      const late = h.get(`${JOBS}/${names[2]}`)!;
      expect(at(late.metadata.creationTimestamp) - at(first().status.completionTime)).toBeLessThanOrEqual(1_000);
      expect(late.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(slots[2]!).toISOString().replace('.000Z', 'Z'));
      expect(h.list(JOBS).map((j) => j.metadata.name).sort()).toEqual([names[0], names[2]]);
    }
  });

  it('keeps failedJobsHistoryLimit failed jobs and reports them failed', () => {
    h = cluster();
    h.create(cronJob('bad', '* * * * *', 'exit 1', { failedJobsHistoryLimit: 1 }, { backoffLimit: 0 }));
    const slots = scheduleTimes(1, 3);
    advanceTo(slots[2]! + 30_000);
    const names = slots.map((t) => `bad-${t / MINUTE}`);
    expect(h.list(JOBS).map((j) => j.metadata.name)).toEqual([names[2]]);
    expect(cronEvents('bad')).toEqual([
      `Normal SuccessfulCreate Created job ${names[0]}`,
      `Normal SawCompletedJob Saw completed job: ${names[0]}, status: Failed`,
      `Normal SuccessfulCreate Created job ${names[1]}`,
      `Normal SuccessfulDelete Deleted job ${names[0]}`,
      `Normal SawCompletedJob Saw completed job: ${names[1]}, status: Failed`,
      `Normal SuccessfulCreate Created job ${names[2]}`,
      `Normal SuccessfulDelete Deleted job ${names[1]}`,
      `Normal SawCompletedJob Saw completed job: ${names[2]}, status: Failed`,
    ]);
    expect(h.get(`${CRONJOBS}/bad`)!.status.lastSuccessfulTime).toBeUndefined();
  });

  it('reads the schedule in spec.timeZone', () => {
    h = cluster();
    const slot = scheduleTimes(1, 3)[2]!;
    const kst = new Date(slot + 9 * 60 * MINUTE);
    const spec = `${kst.getUTCMinutes()} ${kst.getUTCHours()} * * *`;
    h.create(cronJob('seoul', spec, 'sleep 1', { timeZone: 'Asia/Seoul' }));
    h.create(cronJob('utc', spec, 'sleep 1'));
    advanceTo(slot + 5_000);
    const jobs = h.list(JOBS);
    expect(jobs.map((j) => j.metadata.name)).toEqual([`seoul-${slot / MINUTE}`]);
    expect(jobs[0]!.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(`${kst.toISOString().slice(0, 19)}+09:00`);
    expect(cronRow('seoul').slice(1, 3)).toEqual([spec, 'Asia/Seoul']);
  });

  it('reports an unknown time zone and creates nothing', () => {
    h = cluster();
    const res = h.call({ method: 'POST', path: CRONJOBS, body: cronJob('mars', '* * * * *', 'true', { timeZone: 'Mars/Olympus' }) }, true);
    if (res.kind === 'Status') return; // refused by validation
    advanceTo(scheduleTimes(1, 1)[0]! + 5_000);
    expect(h.list(JOBS)).toEqual([]);
    expect(cronEvents('mars')[0]).toBe('Warning UnknownTimeZone invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus');
  });

  it('creates nothing while suspended, then runs the most recent missed schedule on resume', () => {
    h = cluster();
    h.create(cronJob('paused', '* * * * *', 'sleep 1', { suspend: true }));
    const slots = scheduleTimes(1, 3);
    advanceTo(slots[2]! + 20_000);
    expect(h.list(JOBS)).toEqual([]);
    expect(cronRow('paused').slice(3, 6)).toEqual(['True', 0, '<none>']);
    h.call({ method: 'PATCH', path: `${CRONJOBS}/paused`, contentType: 'application/merge-patch+json', body: { spec: { suspend: false } } });
    h.advance(0);
    expect(h.list(JOBS).map((j) => j.metadata.name)).toEqual([`paused-${slots[2]! / MINUTE}`]);
    advanceTo(slots[2]! + MINUTE + 1_000);
    expect(h.list(JOBS).map((j) => j.metadata.name)).toEqual([`paused-${slots[2]! / MINUTE}`, `paused-${slots[2]! / MINUTE + 1}`]);
  });

  it.each([
    [60, false],
    [200, true],
  ])('with startingDeadlineSeconds %i a schedule missed 2 minutes ago runs late: %s', (deadline, runsLate) => {
    h = cluster();
    h.create(cronJob('late', '*/5 * * * *', 'sleep 1', { suspend: true, startingDeadlineSeconds: deadline }));
    const [missed, following] = scheduleTimes(5, 2);
    advanceTo(missed! + 2 * MINUTE);
    h.call({ method: 'PATCH', path: `${CRONJOBS}/late`, contentType: 'application/merge-patch+json', body: { spec: { suspend: false } } });
    h.advance(1_000);
    expect(h.list(JOBS).map((j) => j.metadata.name)).toEqual(runsLate ? [`late-${missed! / MINUTE}`] : []);
    advanceTo(following! + 1_000);
    expect(h.list(JOBS).map((j) => j.metadata.name)).toEqual([...(runsLate ? [`late-${missed! / MINUTE}`] : []), `late-${following! / MINUTE}`]);
  });

  it('warns about more than 100 missed start times and starts the most recent one', () => {
    h = cluster();
    h.create(cronJob('lost', '* * * * *', 'sleep 1', { suspend: true }));
    h.advance(150 * MINUTE);
    const now = h.cluster.clock.now();
    h.call({ method: 'PATCH', path: `${CRONJOBS}/lost`, contentType: 'application/merge-patch+json', body: { spec: { suspend: false } } });
    h.advance(0);
    expect(cronEvents('lost')).toEqual([
      'Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      `Normal SuccessfulCreate Created job lost-${Math.floor(now / MINUTE)}`,
    ]);
  });
});

function cluster(): Harness {
  return harness();
}

function cronJob(name: string, schedule: string, command: string, spec: Obj = {}, jobSpec: Obj = {}): Obj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule,
      ...spec,
      jobTemplate: { spec: { ...jobSpec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', command] }] } } } },
    },
  };
}

const at = (t: string) => Date.parse(t);

/** The next `count` schedule times of "every `every` minutes" after now. */
function scheduleTimes(every: number, count: number): number[] {
  const now = h.cluster.clock.now();
  const first = (Math.floor(now / (every * MINUTE)) + 1) * every * MINUTE;
  return Array.from({ length: count }, (_, i) => first + i * every * MINUTE);
}

function advanceTo(t: number): void {
  h.advance(Math.max(0, t - h.cluster.clock.now()));
}

function cronEvents(name: string): string[] {
  return h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.involvedObject.kind === 'CronJob' && e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.message}${e.count > 1 ? ` x${e.count}` : ''}`);
}

/** `kubectl get cronjob NAME`: NAME, SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE. */
function cronRow(name: string): unknown[] {
  const table = h.call({ method: 'GET', path: `${CRONJOBS}/${name}`, as: 'Table' });
  return (table.rows[0].cells as unknown[]).slice(0, 6);
}

