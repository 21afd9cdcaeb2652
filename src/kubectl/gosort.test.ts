import { describe, expect, it } from 'vitest';
import { goSort, goSortStable } from './gosort';

/** A deterministic pseudo-random sequence (tests only). */
function numbers(n: number, range: number, seed = 7): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(s % range);
  }
  return out;
}

describe('gosort', () => {
  it('sorts any input, few keys or many, short or long', () => {
    for (const n of [0, 1, 2, 5, 12, 13, 40, 51, 200, 1000]) {
      for (const range of [1, 3, 50, 1e6]) {
        const xs = numbers(n, range);
        expect(goSort([...xs], (a, b) => a < b)).toEqual([...xs].sort((a, b) => a - b));
        expect(goSort([...xs].reverse(), (a, b) => a < b)).toEqual([...xs].sort((a, b) => a - b));
      }
    }
  });

  it('Stable keeps equal elements in their order', () => {
    for (const n of [0, 19, 20, 21, 45, 300]) {
      const xs = numbers(n, 5).map((k, i) => ({ k, i }));
      const sorted = goSortStable([...xs], (a, b) => a.k < b.k);
      expect(sorted).toEqual([...xs].sort((a, b) => a.k - b.k || a.i - b.i));
    }
  });

  it('leaves ties where Go does, not in input order, past 12 elements', () => {
    // Insertion sort (12 or fewer) keeps ties in order; pdqsort on more moves them. The order is
    // Go 1.23's (the fidelity suite checks it against kubectl's event lists).
    const keys = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    const xs = keys.map((k, i) => ({ k, i }));
    const got = goSort([...xs], (a, b) => a.k < b.k).map((x) => x.i);
    expect(got).toMatchInlineSnapshot(`
      [
        15,
        17,
        9,
        3,
        13,
        5,
        11,
        7,
        19,
        1,
        10,
        6,
        12,
        4,
        14,
        0,
        16,
        2,
        18,
        8,
      ]
    `);
    const few = xs.slice(0, 12);
    expect(goSort([...few], (a, b) => a.k < b.k).map((x) => x.i)).toEqual([1, 3, 5, 7, 9, 11, 0, 2, 4, 6, 8, 10]);
  });
});
