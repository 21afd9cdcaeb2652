import { createCluster } from '../sim';
import { Shell } from './shell';

/** How long a wait without a timeout may run the clock in tests and scripts (virtual time). */
export const MANUAL_WAIT_LIMIT_MS = 60 * 60_000;

/** A shell on a fresh cluster whose sleep advances virtual time at once. */
export function testShell(): { shell: Shell; now(): number } {
  const cluster = createCluster({ seed: 1 });
  const shell = new Shell({
    client: cluster.client,
    now: () => cluster.clock.now(),
    sleep: async (ms) => cluster.clock.advance(ms),
    waitUntil: async (done, timeoutMs) => (cluster.clock.runUntil(done, timeoutMs ?? MANUAL_WAIT_LIMIT_MS) ? 'done' : 'timeout'),
  });
  return { shell, now: () => cluster.clock.now() };
}

export async function sh(shell: Shell, src: string): Promise<{ out: string; code: number }> {
  let out = '';
  const code = await shell.run(src, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  return { out, code };
}
