import { describe, expect, it } from 'vitest';
import { goDuration, humanDuration, rfc3339 } from './duration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (apimachinery HumanDuration)', () => {
  it.each([
    [-5 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 20 * s, '3m20s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 3 * m, '5h3m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 4 * h, '2d4h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [2 * 365 * d, '2y'],
    [3 * 365 * d + 10 * d, '3y10d'],
    [9 * 365 * d, '9y'],
  ])('%d ms prints %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('rfc3339', () => {
  it('drops sub-second precision as metav1.Time does', () => {
    expect(rfc3339(Date.UTC(2025, 5, 2, 9, 0, 0, 789))).toBe('2025-06-02T09:00:00Z');
  });
});

describe('goDuration (time.Duration.String)', () => {
  it('writes milliseconds, seconds, minutes and hours as Go does', () => {
    expect([0, 812, 2244, 10_000, 80_000, 300_000, 3_600_000, 3_723_500].map(goDuration)).toEqual(['0s', '812ms', '2.244s', '10s', '1m20s', '5m0s', '1h0m0s', '1h2m3.5s']);
  });
});
