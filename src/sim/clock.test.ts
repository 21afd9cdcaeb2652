import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';

describe('VirtualClock', () => {
  it('runs events in time order, and same-time events in scheduling order', () => {
    const clock = new VirtualClock(1000);
    const seen: string[] = [];
    clock.schedule(30, () => seen.push('c@30'));
    clock.schedule(10, () => seen.push('a@10'));
    clock.schedule(10, () => seen.push('b@10'));
    clock.advance(25);
    expect(seen).toEqual(['a@10', 'b@10']);
    expect(clock.now()).toBe(1025);
    clock.advance(5);
    expect(seen).toEqual(['a@10', 'b@10', 'c@30']);
  });

  it('lets an event schedule further events inside the same advance', () => {
    const clock = new VirtualClock(0);
    const times: number[] = [];
    const tick = () => {
      times.push(clock.now());
      if (times.length < 4) clock.schedule(100, tick);
    };
    clock.schedule(100, tick);
    clock.advance(1000);
    expect(times).toEqual([100, 200, 300, 400]);
    expect(clock.pending()).toBe(0);
  });

  it('does not run cancelled events', () => {
    const clock = new VirtualClock(0);
    let ran = false;
    const id = clock.schedule(10, () => (ran = true));
    clock.cancel(id);
    clock.advance(20);
    expect(ran).toBe(false);
  });

  it('runUntil stops at the instant the predicate holds, or at the timeout', () => {
    const clock = new VirtualClock(0);
    let ready = false;
    clock.schedule(4000, () => (ready = true));
    expect(clock.runUntil(() => ready, 10_000)).toBe(true);
    expect(clock.now()).toBe(4000);
    expect(clock.runUntil(() => false, 500)).toBe(false);
    expect(clock.now()).toBe(4500);
  });

  it('refuses to go backwards', () => {
    expect(() => new VirtualClock(0).advance(-1)).toThrow(RangeError);
  });
});
