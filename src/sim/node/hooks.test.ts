import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const cluster = createCluster({ seed: 4 });
  const call = cluster.api.handle.bind(cluster.api);
  const createPod = (name: string, spec: Obj) =>
    call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } });
  const pod = (name: string) => call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` }).body as Obj;
  const state = (name: string) => pod(name).status.containerStatuses[0];
  const events = (name: string) =>
    ((call({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { fieldSelector: `involvedObject.name=${name}` } }).body as Obj).items as Obj[])
      .sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1))
      .map((e) => `${e.type} ${e.reason}: ${e.message}`);
  const cat = async (name: string, path: string) => {
    let out = '';
    await cluster.api.exec('default', name, { command: ['cat', path], tty: false }, { stdout: (d) => (out += d), stderr: (d) => (out += d) });
    return out;
  };
  return { cluster, call, createPod, pod, state, events, cat };
}

describe('lifecycle hooks', () => {
  it('runs postStart before the container counts as running (the docs example)', async () => {
    const { cluster, createPod, state, cat } = setup();
    createPod('lifecycle-demo', {
      containers: [
        {
          name: 'lifecycle-demo-container',
          image: 'nginx',
          lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', 'echo Hello from the postStart handler > /usr/share/message'] } } },
        },
      ],
    });
    cluster.clock.advance(15_000);
    expect(state('lifecycle-demo').state.running).toBeDefined();
    expect(await cat('lifecycle-demo', '/usr/share/message')).toBe('Hello from the postStart handler\n');
  });

  it('holds the container in ContainerCreating while a postStart hook runs', () => {
    const { cluster, createPod, state } = setup();
    createPod('slow', { containers: [{ name: 'app', image: 'nginx', lifecycle: { postStart: { sleep: { seconds: 30 } } } }] });
    cluster.clock.advance(15_000);
    expect(state('slow')).toMatchObject({ state: { waiting: { reason: 'ContainerCreating' } }, ready: false, started: false });
    cluster.clock.advance(30_000);
    expect(state('slow')).toMatchObject({ ready: true, started: true });
    expect(state('slow').state.running).toBeDefined();
  });

  it('kills and restarts a container whose postStart hook fails', () => {
    const { cluster, createPod, state, events } = setup();
    createPod('bad-hook', { containers: [{ name: 'app', image: 'nginx', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 3'] } } } }] });
    cluster.clock.advance(15_000);
    const ev = events('bad-hook');
    const started = ev.indexOf('Normal Started: Started container app');
    expect(ev.slice(started + 1, started + 3)).toEqual(['Warning FailedPostStartHook: PostStartHook failed', 'Normal Killing: FailedPostStartHook']);
    cluster.clock.advance(60_000);
    expect(state('bad-hook').restartCount).toBeGreaterThanOrEqual(2);
    expect(state('bad-hook').lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('runs preStop within the grace period before SIGTERM', () => {
    const { cluster, call, createPod, pod, events } = setup();
    createPod('quick', { containers: [{ name: 'app', image: 'nginx', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] });
    createPod('stubborn', { terminationGracePeriodSeconds: 10, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 60'] } } } }] });
    createPod('failing', { containers: [{ name: 'app', image: 'nginx', lifecycle: { preStop: { httpGet: { path: '/shutdown', port: 8080 } } } }] });
    cluster.clock.advance(15_000);
    for (const name of ['quick', 'stubborn', 'failing']) call({ method: 'DELETE', path: `/api/v1/namespaces/default/pods/${name}` });
    cluster.clock.advance(4_000);
    expect(pod('quick').metadata.deletionTimestamp).toBeDefined();
    expect(pod('failing').kind).toBe('Status');
    expect(events('failing')).toContain('Warning FailedPreStopHook: PreStopHook failed');
    cluster.clock.advance(2_000);
    expect(pod('quick').kind).toBe('Status');
    // The hook outlives the 10 s grace period: the kubelet allows 2 s more for SIGTERM (which
    // `sleep` as PID 1 ignores), then kills.
    cluster.clock.advance(5_000);
    expect(pod('stubborn').metadata.name).toBe('stubborn');
    cluster.clock.advance(2_000);
    expect(pod('stubborn').kind).toBe('Status');
    expect(events('stubborn')).not.toContain('Warning FailedPreStopHook: PreStopHook failed');
  });
});

describe('memory limits', () => {
  it('kills a container that grows past its limit with OOMKilled and backs off', () => {
    const { cluster, createPod, state, pod } = setup();
    const stress = (name: string, limit: string) =>
      createPod(name, {
        containers: [{ name: 'memory-demo-ctr', image: 'polinux/stress', resources: { requests: { memory: '50Mi' }, limits: { memory: limit } }, command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }],
      });
    stress('memory-demo', '200Mi');
    stress('memory-demo-2', '100Mi');
    cluster.clock.advance(20_000);
    expect(state('memory-demo').state.running).toBeDefined();
    expect(state('memory-demo-2').lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    cluster.clock.advance(60_000);
    const s = state('memory-demo-2');
    expect(s.restartCount).toBeGreaterThanOrEqual(3);
    expect(s.state.waiting?.reason ?? s.state.terminated?.reason).toMatch(/^(CrashLoopBackOff|OOMKilled)$/);
    expect(pod('memory-demo-2').status.phase).toBe('Running');
  });
});

describe('interpreter images', () => {
  it('exit 0 when run bare (stdin is closed) and serve with http.server', async () => {
    const { cluster, createPod, state, pod } = setup();
    createPod('py', { containers: [{ name: 'py', image: 'python:3.12' }] });
    createPod('srv', { containers: [{ name: 'srv', image: 'python:3.12', command: ['python3', '-m', 'http.server', '8080'], readinessProbe: { httpGet: { path: '/', port: 8080 } } }] });
    createPod('missing', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'node:20', command: ['node', 'app.js'] }] });
    cluster.clock.advance(30_000);
    expect(state('py').lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(state('srv').ready).toBe(true);
    expect(pod('missing').status.phase).toBe('Failed');
    expect(state('missing').state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const logs = cluster.kubelets.get(pod('missing').spec.nodeName)!.containerLogs(pod('missing'), { container: 'app', previous: false, timestamps: false });
    expect(logs).toContain("Error: Cannot find module '/app.js'\n");
  });
});
