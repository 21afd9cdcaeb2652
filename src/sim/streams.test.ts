import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';
import { isExecSession, isStreamHandle } from './client';

function podCluster(command: string[]) {
  const cluster = createCluster({ seed: 1 });
  cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'box' }, spec: { containers: [{ name: 'box', image: 'busybox', command }] } } });
  cluster.clock.advance(60_000);
  return cluster;
}

describe('in-process streams', () => {
  it('follows a log until the container stops', async () => {
    const cluster = podCluster(['sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 1; done']);
    let text = '';
    let closed = false;
    // The loop ran out already: a fresh pod whose loop runs longer.
    cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'slow' }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do echo n $i; sleep 10; done'] }] } } });
    cluster.clock.runUntil(() => cluster.api.getByResource('pods', '', 'default', 'slow')?.status?.phase === 'Running', 120_000);
    const h = await cluster.client.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/slow/log', query: { follow: 'true' } }, (t) => (text += t), () => (closed = true));
    expect(isStreamHandle(h)).toBe(true);
    cluster.clock.runUntil(() => closed, 200_000);
    await Promise.resolve();
    expect(closed).toBe(true);
    expect(text).toBe(Array.from({ length: 10 }, (_, i) => `n ${i + 1}\n`).join(''));
  });

  it('execs with stdin, exit codes, missing programs and refusals', async () => {
    const cluster = podCluster(['sleep', '3600']);
    const run = async (command: string[], stdin?: string) => {
      let out = '';
      let err = '';
      const s = await cluster.client.exec({ namespace: 'default', pod: 'box', command, stdin: stdin !== undefined, stdout: true, stderr: true, tty: false }, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
      if (!isExecSession(s)) return { response: s };
      if (stdin !== undefined) {
        s.write(stdin);
        s.closeStdin();
      }
      const p = s.done;
      cluster.clock.advance(5000);
      return { out, err, status: await p };
    };
    expect(await run(['cat'], 'x\n')).toMatchObject({ out: 'x\n', status: { status: 'Success' } });
    expect(await run(['sh'], 'echo hi; exit 3\n')).toMatchObject({ out: 'hi\n', status: { reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } } });
    const missing = await run(['nope']);
    expect(missing.status?.reason).toBe('InternalError');
    expect(missing.status?.message).toMatch(/^Internal error occurred: Internal error occurred: error executing command in container: .*exec: "nope": executable file not found in \$PATH: unknown$/);
    const refused = await cluster.client.exec({ namespace: 'default', pod: 'gone', command: ['ls'], stdin: false, stdout: true, stderr: true, tty: false }, { stdout: () => {}, stderr: () => {} });
    expect(refused).toMatchObject({ status: 404, body: { message: 'pods "gone" not found' } });
  });

  it('takes a container with stdin open for a waiting shell only when it runs one (its command, or its image default)', () => {
    const cluster = createCluster({ seed: 1 });
    const pod = (name: string, image: string, command?: string[]) =>
      cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name, image, stdin: true, ...(command ? { command } : {}) }] } } });
    pod('shell', 'busybox');
    pod('explicit', 'busybox', ['sh']);
    pod('web', 'nginx');
    pod('sleeper', 'busybox', ['sleep', '3600']);
    cluster.clock.advance(60_000);
    const waits = (name: string) => cluster.api.containerWaitsOnStdin('default', name, name);
    expect([waits('shell'), waits('explicit'), waits('web'), waits('sleeper')]).toEqual([true, true, false, false]);
  });
});
