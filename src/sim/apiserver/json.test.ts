import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { jsonCopy, jsonEqual, shareEqual } from './json';

const odd = [undefined, null, NaN, Infinity, -0, 0, 1, 1.5, '', 'a', 'é\ud800', true, false, () => 1, Symbol('s'), new Date(0), { toJSON: () => 'x' }];

function value(r: SeededRandom, depth: number): unknown {
  const n = r.int(depth > 2 ? 6 : 9);
  if (n < 5) return odd[r.int(odd.length)];
  if (n < 6) return ['a', 'b', 'c'][r.int(3)];
  if (n < 8) return Array.from({ length: r.int(3) }, () => value(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = r.int(4); i > 0; i--) Object.defineProperty(o, ['a', 'b', 'c', '1', '__proto__'][r.int(5)]!, { value: value(r, depth + 1), enumerable: true, writable: true, configurable: true });
  return o;
}

describe('jsonCopy', () => {
  it('is the JSON round trip', () => {
    const r = new SeededRandom(9);
    for (let i = 0; i < 2000; i++) {
      const v = value(r, 0);
      const text = JSON.stringify(v);
      const copy = jsonCopy(v);
      expect(JSON.stringify(copy)).toBe(text);
      if (text !== undefined) expect(copy).toEqual(JSON.parse(text));
    }
  });

  it('keeps "__proto__" as an own key', () => {
    const v = JSON.parse('{"__proto__":{"x":1},"a":1}') as object;
    expect(Object.keys(jsonCopy(v) as object)).toEqual(['__proto__', 'a']);
  });
});

describe('jsonEqual', () => {
  it('says whether JSON.stringify writes the same text', () => {
    const r = new SeededRandom(10);
    for (let i = 0; i < 4000; i++) {
      const a = value(r, 0);
      const b = r.int(3) === 0 ? a : r.int(2) === 0 ? jsonCopy(a) : value(r, 0);
      expect(jsonEqual(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    }
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(jsonEqual({ a: 1, u: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([undefined], [null])).toBe(true);
  });
});

describe('shareEqual', () => {
  it('is JSON-equal to the new value, leaves it as it was, and is the old one when both are equal', () => {
    const r = new SeededRandom(11);
    for (let i = 0; i < 2000; i++) {
      const next = value(r, 0);
      const prev = r.int(2) ? jsonCopy(next) : r.int(2) ? value(r, 0) : { ...(jsonCopy(next) as object), c: 'x' };
      const before = JSON.stringify(next);
      const shared = shareEqual(next, prev);
      expect(JSON.stringify(shared)).toBe(before);
      expect(JSON.stringify(next)).toBe(before);
      if (jsonEqual(next, prev)) expect(shared).toBe(prev);
    }
  });

  it('shares the parts that did not change', () => {
    const prev = { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }], podIP: '10.0.0.1' };
    const next = { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }], podIP: '10.0.0.1' };
    const shared = shareEqual(next, prev) as typeof prev;
    expect(shared).toEqual(next);
    expect(shared.conditions[1]).toBe(prev.conditions[1]);
    expect(shared.conditions[0]).toBe(next.conditions[0]);
    expect(next.conditions[1]).not.toBe(prev.conditions[1]);
  });
});
