import { describe, expect, it } from 'vitest';
import type { KubectlContext, PortForwarding } from '../../context';
import { runKubectl } from '../root';
import { kubectlTestSession } from '../../testing';

describe('kubectl attach, port-forward, proxy', () => {
  it('attach shows what the container writes until it stops', async () => {
    const s = kubectlTestSession();
    await s.kubectl(['run', 'tick', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'sleep 20; i=0; while [ $i -lt 3 ]; do echo t $i; i=$((i+1)); sleep 1; done']);
    s.cluster.clock.advance(15_000);
    expect(await s.kubectl('attach tick')).toEqual({ code: 0, stdout: 't 0\nt 1\nt 2\n', stderr: "If you don't see a command prompt, try pressing enter.\n" });
  });

  it('port-forward prints where it listens, records it, and stops on Ctrl-C', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx');
    await s.kubectl('expose deployment web --port=8080 --target-port=80');
    s.cluster.clock.advance(60_000);
    const open = new Set<PortForwarding>();
    let out = '';
    let abort: (() => void) | undefined;
    const ctx: KubectlContext = {
      client: s.cluster.client,
      namespace: 'default',
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      clock: { now: () => s.cluster.clock.now(), waitUntil: (done, _ms, signal) => new Promise((r) => signal?.onAbort(() => r('interrupted'))) },
      signal: { aborted: false, onAbort: (l) => ((abort = l), () => {}) },
      listeners: { portForward: (f) => (open.add(f), () => open.delete(f)), proxy: () => () => {} },
    };
    const running = runKubectl(['port-forward', 'svc/web', '9090:8080'], ctx);
    for (let i = 0; i < 200 && !abort; i++) await Promise.resolve();
    expect(out).toBe('Forwarding from 127.0.0.1:9090 -> 80\nForwarding from [::1]:9090 -> 80\n');
    expect([...open].map((f) => `${f.address}:${f.localPort} ${f.pod.replace(/-.*/, '')}:${f.remotePort}`)).toEqual(['127.0.0.1:9090 web:80', '::1:9090 web:80']);
    abort!();
    expect(await running).toBe(0);
    expect(open.size).toBe(0);
  });
});
