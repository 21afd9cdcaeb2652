import { createCluster } from '../sim';
import { Shell } from './shell';

/** A shell on a fresh cluster whose sleep advances virtual time at once. */
export function testShell(): { shell: Shell; now(): number } {
  const cluster = createCluster({ seed: 1 });
  const shell = new Shell({
    client: cluster.client,
    now: () => cluster.clock.now(),
    sleep: async (ms) => cluster.clock.advance(ms),
  });
  return { shell, now: () => cluster.clock.now() };
}

export async function sh(shell: Shell, src: string): Promise<{ out: string; code: number }> {
  let out = '';
  const code = await shell.run(src, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  return { out, code };
}
