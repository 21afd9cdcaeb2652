import { describe, expect, it } from 'vitest';
import { KUBE_NAME_ALPHABET, SeededRandom } from './random';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('makes generateName suffixes from Kubernetes alphabet', () => {
    const r = new SeededRandom(7);
    for (let i = 0; i < 100; i++) {
      const s = r.nameSuffix();
      expect(s).toHaveLength(5);
      for (const ch of s) expect(KUBE_NAME_ALPHABET).toContain(ch);
    }
  });

  it('makes version-4 UUIDs', () => {
    const r = new SeededRandom(1);
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps int() within bounds', () => {
    const r = new SeededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const v = r.between(5, 7);
      expect(v).toBeGreaterThanOrEqual(5);
      expect(v).toBeLessThanOrEqual(7);
    }
  });
});
