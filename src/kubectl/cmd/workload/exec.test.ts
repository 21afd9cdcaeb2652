import { describe, expect, it } from 'vitest';
import { runKubectl } from '../root';
import type { KubectlContext } from '../../context';
import { kubectlTestSession } from '../../testing';

async function withBox() {
  const s = kubectlTestSession();
  await s.kubectl(['run', 'box', '--image=busybox', '--', 'sleep', '3600']);
  s.cluster.clock.advance(60_000);
  return s;
}

describe('kubectl exec', () => {
  it('runs a command, with its exit code', async () => {
    const s = await withBox();
    expect(await s.kubectl(['exec', 'box', '--', 'echo', 'hi'])).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    expect(await s.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo oops >&2; exit 3'])).toEqual({ code: 3, stdout: '', stderr: 'oops\ncommand terminated with exit code 3\n' });
    expect(await s.kubectl(['exec', 'box', '--', 'sleep', '5'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('sends piped stdin', async () => {
    const s = await withBox();
    expect(await s.kubectl(['exec', '-i', 'box', '--', 'cat'], { stdin: 'x\n' })).toEqual({ code: 0, stdout: 'x\n', stderr: '' });
    expect(await s.kubectl(['exec', '-it', 'box', '--', 'sh'], { stdin: 'echo $((1+2))\n' })).toEqual({ code: 0, stdout: '3\n', stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\n' });
  });

  it('is an interactive shell on a terminal', async () => {
    const s = await withBox();
    let out = '';
    let typed: ((t: string) => void) | undefined;
    const ctx: KubectlContext = {
      client: s.cluster.client,
      namespace: 'default',
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      clock: { now: () => s.cluster.clock.now(), waitUntil: async (done, ms) => (s.cluster.clock.runUntil(done, ms ?? 3_600_000) ? 'done' : 'timeout') },
      terminal: {
        columns: 80,
        rows: 24,
        onInput(listener) {
          typed = listener;
          return () => (typed = undefined);
        },
      },
    };
    const running = runKubectl(['exec', '-it', 'box', '--', 'sh'], ctx);
    for (let i = 0; i < 100 && !out.includes('# '); i++) await Promise.resolve();
    typed?.('echo hello\r');
    for (let i = 0; i < 100 && !out.includes('hello\r\n/ # '); i++) await Promise.resolve();
    typed?.('exit 2\r');
    expect(await running).toBe(2);
    expect(out).toBe('/ # echo hello\r\nhello\r\n/ # exit 2\r\ncommand terminated with exit code 2\n');
  });

  it('refuses as kubectl does', async () => {
    const s = await withBox();
    expect(await s.kubectl(['exec', 'box'])).toEqual({ code: 1, stdout: '', stderr: 'error: you must specify at least one command for the container\n' });
    expect(await s.kubectl(['exec', 'nope', '--', 'ls'])).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    const missing = await s.kubectl(['exec', 'box', '--', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: Internal error occurred: Internal error occurred: error executing command in container: .*"nope": executable file not found in \$PATH: unknown\n$/);
  });
});
