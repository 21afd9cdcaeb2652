import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../sim';
import { Interrupt, InterruptedError } from '../shell';
import { ClockPacer } from './pacer';

describe('ClockPacer', () => {
  it('advances virtual time by wall time times the speed', () => {
    const clock = new VirtualClock(0);
    const pacer = new ClockPacer(clock);
    pacer.tick(1000); // first tick sets the reference point
    const start = clock.now();
    pacer.speed = 10;
    pacer.tick(1500);
    expect(clock.now() - start).toBe(5000);
    pacer.speed = 0;
    pacer.tick(3000);
    expect(clock.now() - start).toBe(5000);
  });

  it('wakes sleepers once their virtual time has passed, and not before', async () => {
    const clock = new VirtualClock(0);
    const pacer = new ClockPacer(clock);
    pacer.tick(0);
    let woke = false;
    const sleeping = pacer.sleep(3000).then(() => (woke = true));
    pacer.tick(2000);
    await Promise.resolve();
    expect(woke).toBe(false);
    pacer.tick(3000);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('rejects a sleep that is interrupted (Ctrl-C)', async () => {
    const clock = new VirtualClock(0);
    const pacer = new ClockPacer(clock);
    const interrupt = new Interrupt();
    const sleeping = pacer.sleep(60_000, interrupt);
    interrupt.abort();
    await expect(sleeping).rejects.toBeInstanceOf(InterruptedError);
  });
});
