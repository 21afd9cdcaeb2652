import { describe, expect, it } from 'vitest';
import { createCluster } from '../sim';
import { Shell } from './shell';
import { TerminalSession } from './terminal';

/**
 * A terminal on a cluster whose clock moves only when the test says (as the app's pacer moves it
 * on its ticks); waits check their condition between those moves.
 */
function terminal() {
  const cluster = createCluster({ seed: 1 });
  const shell = new Shell({
    client: cluster.client,
    now: () => cluster.clock.now(),
    sleep: async (ms) => cluster.clock.advance(ms),
    waitUntil: (done, timeoutMs) => {
      const deadline = timeoutMs === undefined ? Infinity : cluster.clock.now() + timeoutMs;
      return new Promise((resolve) => {
        const check = () => (done() ? resolve('done') : cluster.clock.now() >= deadline ? resolve('timeout') : setImmediate(check));
        check();
      });
    },
  });
  let screen = '';
  const term = new TerminalSession(shell, (d) => (screen += d), () => ({ cols: 120, rows: 30 }));
  term.start();
  const take = () => {
    const s = screen;
    screen = '';
    return s;
  };
  return { cluster, term, take };
}

/** Lets the command's promises settle between keystrokes (the session runs on microtasks and the clock). */
async function settle(cluster: ReturnType<typeof createCluster>): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setImmediate(r));
    cluster.clock.advance(250);
  }
}

describe('the terminal gives foreground commands its keystrokes', () => {
  it('runs an interactive kubectl exec -it shell line by line and returns to the prompt on exit', async () => {
    const t = terminal();
    t.term.input('kubectl run bb --image=busybox -- sleep 3600\r');
    await t.term.whenIdle();
    t.cluster.clock.advance(30_000);
    t.term.input('kubectl get pod bb\r');
    await t.term.whenIdle();
    expect(t.take()).toContain('bb     1/1     Running');
    t.take();
    t.term.input('kubectl exec -it bb -- sh\r');
    await settle(t.cluster);
    t.term.input('echo hello from $HOSTNAME\r');
    await settle(t.cluster);
    t.term.input('exit\r');
    await t.term.whenIdle();
    const screen = t.take();
    expect(screen).toContain('hello from bb');
    expect(screen.endsWith('root@controlplane:~# ')).toBe(true);
  });
});
