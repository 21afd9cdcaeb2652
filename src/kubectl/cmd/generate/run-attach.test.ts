import { describe, expect, it } from 'vitest';
import { runKubectl } from '../root';
import type { KubectlContext } from '../../context';
import { kubectlTestSession } from '../../testing';

describe('kubectl run -i/-it attaches to the shell it starts', () => {
  it('runs an interactive shell on the terminal and deletes the pod with --rm', async () => {
    const s = kubectlTestSession();
    let out = '';
    let err = '';
    let typed: ((t: string) => void) | undefined;
    // The clock moves only while kubectl waits; each wait polls with setImmediate.
    const ctx: KubectlContext = {
      client: s.cluster.client,
      namespace: 'default',
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      clock: {
        now: () => s.cluster.clock.now(),
        waitUntil: (done, ms) => {
          const deadline = s.cluster.clock.now() + (ms ?? 3_600_000);
          return new Promise((resolve) => {
            const check = () => {
              if (done()) return resolve('done');
              if (s.cluster.clock.now() >= deadline) return resolve('timeout');
              s.cluster.clock.advance(250);
              setImmediate(check);
            };
            check();
          });
        },
      },
      terminal: {
        columns: 80,
        rows: 24,
        onInput(listener) {
          typed = listener;
          return () => (typed = undefined);
        },
      },
    };
    const running = runKubectl(['run', 'bb', '-it', '--rm', '--image=busybox', '--restart=Never', '--', 'sh'], ctx);
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setImmediate(r));
    };
    await until(() => typed !== undefined);
    const pod = (await s.kubectl('get pod bb -o json')).stdout;
    expect(JSON.parse(pod).spec.containers[0]).toMatchObject({ stdin: true, stdinOnce: true, tty: true });
    typed?.('echo hi\r');
    await until(() => out.includes('hi\r\n/ # '));
    typed?.('exit\r');
    expect(await running).toBe(0);
    expect(err).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(out).toBe('/ # echo hi\r\nhi\r\n/ # exit\r\npod "bb" deleted\n');
    expect((await s.kubectl('get pod bb')).code).toBe(1);
  });

  it('runs piped stdin as the shell script once it closes', async () => {
    const s = kubectlTestSession();
    const r = await s.kubectl(['run', 'x', '-i', '--rm', '--image=busybox', '--restart=Never', '--', 'sh'], { stdin: 'echo hi\nexit 4\n' });
    expect(r).toEqual({ code: 4, stdout: 'hi\npod "x" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\npod default/x terminated (Error)\n" });
    const ok = await s.kubectl(['run', 'y', '-i', '--rm', '--image=busybox', '--restart=Never', '--', 'sh'], { stdin: 'echo hi\n' });
    expect(ok).toEqual({ code: 0, stdout: 'hi\npod "y" deleted\n', stderr: "If you don't see a command prompt, try pressing enter.\n" });
  });
});
