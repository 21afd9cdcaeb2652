import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Creates a CronJob with the given spec fields; the API server's message, or "created". */
function createCronJob(spec: Obj): string {
  const { api } = createCluster();
  const res = api.handle({
    method: 'POST',
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    body: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
    },
  });
  return res.status === 201 ? 'created' : ((res.body as Obj).message as string);
}

const invalid = (...errors: string[]) => `CronJob.batch "c" is invalid: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
const schedule = (s: string, detail: string) => `spec.schedule: Invalid value: ${JSON.stringify(s)}: ${detail}`;
const timeZone = (z: string, detail: string) => `spec.timeZone: Invalid value: ${JSON.stringify(z)}: ${detail}`;
const TZ_IN_SCHEDULE = 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';

describe('CronJob schedule validation (robfig/cron ParseStandard, pkg/apis/batch/validation)', () => {
  it.each([
    ['0 0 * * 0', 'created'],
    ['0 0 * * sun-sat', 'created'],
    ['0 0 1,,15 * *', 'created'],
    ['0 9 * jan-mar mon-fri', 'created'],
    ['@weekly', 'created'],
    ['@every 1h30m', 'created'],
    // Day of week runs 0-6: Sunday is 0 only.
    ['0 0 * * 7', invalid(schedule('0 0 * * 7', 'end of range (7) above maximum (6): 7'))],
    ['0 0 * * 1-7', invalid(schedule('0 0 * * 1-7', 'end of range (7) above maximum (6): 1-7'))],
    ['60 * * * *', invalid(schedule('60 * * * *', 'end of range (60) above maximum (59): 60'))],
    ['0 24 * * *', invalid(schedule('0 24 * * *', 'end of range (24) above maximum (23): 24'))],
    ['0 0 0 * *', invalid(schedule('0 0 0 * *', 'beginning of range (0) below minimum (1): 0'))],
    ['0 0 * 13 *', invalid(schedule('0 0 * 13 *', 'end of range (13) above maximum (12): 13'))],
    ['5-1 * * * *', invalid(schedule('5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'))],
    ['*/0 * * * *', invalid(schedule('*/0 * * * *', 'step of range should be a positive number: */0'))],
    ['1-2-3 * * * *', invalid(schedule('1-2-3 * * * *', 'too many hyphens: 1-2-3'))],
    ['*/2/3 * * * *', invalid(schedule('*/2/3 * * * *', 'too many slashes: */2/3'))],
    ['*/-5 * * * *', invalid(schedule('*/-5 * * * *', 'negative number (-5) not allowed: -5'))],
    ['x * * * *', invalid(schedule('x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'))],
    ['99999999999999999999 * * * *', invalid(schedule('99999999999999999999 * * * *', 'failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'))],
    ['0 0 * *', invalid(schedule('0 0 * *', 'expected exactly 5 fields, found 4: [0 0 * *]'))],
    [' @daily', invalid(schedule(' @daily', 'expected exactly 5 fields, found 1: [@daily]'))],
    ['@fortnightly', invalid(schedule('@fortnightly', 'unrecognized descriptor: @fortnightly'))],
    ['@every 1x', invalid(schedule('@every 1x', 'failed to parse duration @every 1x: time: unknown unit "x" in duration "1x"'))],
    ['TZ=UTC 0 0 * * *', invalid(schedule('TZ=UTC 0 0 * * *', TZ_IN_SCHEDULE))],
    ['CRON_TZ=Mars/Olympus 0 0 * * *', invalid(schedule('CRON_TZ=Mars/Olympus 0 0 * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'), schedule('CRON_TZ=Mars/Olympus 0 0 * * *', TZ_IN_SCHEDULE))],
  ])('%j', (s, expected) => {
    expect(createCronJob({ schedule: s })).toBe(expected);
  });
});

describe('CronJob timeZone validation', () => {
  it.each([
    ['Europe/Berlin', 'created'],
    ['America/Argentina/Buenos_Aires', 'created'],
    ['Etc/GMT+5', 'created'],
    ['UTC', 'created'],
    ['Mars/Olympus', invalid(timeZone('Mars/Olympus', 'unknown time zone Mars/Olympus'))],
    // Zone files are looked up by name: case matters.
    ['europe/berlin', invalid(timeZone('europe/berlin', 'unknown time zone europe/berlin'))],
    ['Local', invalid(timeZone('Local', 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'))],
    ['local', invalid(timeZone('local', 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'), timeZone('local', 'unknown time zone local'))],
    ['', invalid(timeZone('', 'timeZone must be nil or non-empty string'))],
    ['../etc/passwd', invalid(timeZone('../etc/passwd', 'unknown time zone ../etc/passwd'))],
    ['+05:00', invalid(timeZone('+05:00', 'unknown time zone +05:00'))],
    ['Europe/Berlin_Charlottenburg', invalid(timeZone('Europe/Berlin_Charlottenburg', 'unknown time zone Europe/Berlin_Charlottenburg'))],
    ['Europe/a..b', invalid(timeZone('Europe/a..b', 'time: invalid location name'))],
  ])('%j', (zone, expected) => {
    expect(createCronJob({ timeZone: zone })).toBe(expected);
  });

  it('reports schedule, startingDeadlineSeconds and timeZone errors in that order', () => {
    expect(createCronJob({ schedule: '0 0 * * 7', startingDeadlineSeconds: -1, timeZone: 'Mars/Olympus' })).toBe(
      invalid(schedule('0 0 * * 7', 'end of range (7) above maximum (6): 7'), 'spec.startingDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0', timeZone('Mars/Olympus', 'unknown time zone Mars/Olympus')),
    );
  });
});
