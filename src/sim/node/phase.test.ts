/**
 * The pod phase the kubelet reports (getPhase in pkg/kubelet/kubelet_pods.go, 1.32) as a user
 * watching `kubectl get pod -w` sees it change, for each restartPolicy, with init containers,
 * sidecars (restartable init containers) and deletion.
 */
import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { podPhase } from './kubelet';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const cluster = createCluster({ seed: 1 });
  /** Every phase each pod showed, consecutive repeats collapsed, as `kubectl get pod -w` would. */
  const phases = new Map<string, string[]>();
  cluster.store.watch('/registry/pods/default/', (e) => {
    if (e.type !== 'put') return;
    const pod = e.kv.value as Obj;
    const seen = phases.get(pod.metadata.name) ?? [];
    const phase = pod.status?.phase ?? '';
    if (seen[seen.length - 1] !== phase) seen.push(phase);
    phases.set(pod.metadata.name, seen);
  });
  const call = cluster.api.handle.bind(cluster.api);
  const createPod = (name: string, spec: object) => {
    const res = call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  };
  const pod = (name: string) => call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` }).body as Obj;
  return { cluster, phases, createPod, pod, call };
}

const sh = (name: string, script: string, extra: Obj = {}) => ({ name, image: 'busybox', command: ['sh', '-c', script], ...extra });

interface Case {
  name: string;
  spec: Obj;
  /** The phases seen over five virtual minutes. */
  phases: string[];
  /** The container restarts by then (regular containers, in order). */
  restarts?: number[];
}

const CASES: Case[] = [
  { name: 'Never, exit 0', spec: { restartPolicy: 'Never', containers: [sh('c', 'sleep 2; exit 0')] }, phases: ['Pending', 'Running', 'Succeeded'], restarts: [0] },
  { name: 'Never, exit 1', spec: { restartPolicy: 'Never', containers: [sh('c', 'sleep 2; exit 1')] }, phases: ['Pending', 'Running', 'Failed'], restarts: [0] },
  { name: 'OnFailure, exit 0', spec: { restartPolicy: 'OnFailure', containers: [sh('c', 'sleep 2; exit 0')] }, phases: ['Pending', 'Running', 'Succeeded'], restarts: [0] },
  // A failed container that will be restarted keeps the pod Running, through its back-off too.
  { name: 'OnFailure, exit 1', spec: { restartPolicy: 'OnFailure', containers: [sh('c', 'sleep 2; exit 1')] }, phases: ['Pending', 'Running'] },
  {
    name: 'OnFailure, exit 1 once then exit 0',
    spec: {
      restartPolicy: 'OnFailure',
      containers: [sh('c', 'test -f /data/failed-once && exit 0; touch /data/failed-once; sleep 2; exit 1', { volumeMounts: [{ name: 'data', mountPath: '/data' }] })],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
    phases: ['Pending', 'Running', 'Succeeded'],
    restarts: [1],
  },
  { name: 'Always, exit 0', spec: { restartPolicy: 'Always', containers: [sh('c', 'sleep 2; exit 0')] }, phases: ['Pending', 'Running'] },
  { name: 'Always, exit 1', spec: { restartPolicy: 'Always', containers: [sh('c', 'sleep 2; exit 1')] }, phases: ['Pending', 'Running'] },
  {
    name: 'Never, one container fails while the other still runs',
    spec: { restartPolicy: 'Never', containers: [sh('quick', 'sleep 2; exit 1'), sh('slow', 'sleep 30; exit 0')] },
    phases: ['Pending', 'Running', 'Failed'],
    restarts: [0, 0],
  },
  {
    name: 'OnFailure, one container succeeds while the other still runs',
    spec: { restartPolicy: 'OnFailure', containers: [sh('quick', 'sleep 2; exit 0'), sh('slow', 'sleep 30; exit 0')] },
    phases: ['Pending', 'Running', 'Succeeded'],
    restarts: [0, 0],
  },
  { name: 'Never, init container fails', spec: { restartPolicy: 'Never', initContainers: [sh('init', 'sleep 2; exit 1')], containers: [sh('c', 'sleep 3600')] }, phases: ['Pending', 'Failed'] },
  // A failing init container is restarted under OnFailure and Always: the pod stays Pending.
  { name: 'OnFailure, init container fails', spec: { restartPolicy: 'OnFailure', initContainers: [sh('init', 'sleep 2; exit 1')], containers: [sh('c', 'sleep 3600')] }, phases: ['Pending'] },
  { name: 'Always, init container fails', spec: { restartPolicy: 'Always', initContainers: [sh('init', 'sleep 2; exit 1')], containers: [sh('c', 'sleep 3600')] }, phases: ['Pending'] },
  { name: 'Never, init container succeeds', spec: { restartPolicy: 'Never', initContainers: [sh('init', 'sleep 2')], containers: [sh('c', 'sleep 2; exit 0')] }, phases: ['Pending', 'Running', 'Succeeded'] },
  {
    name: 'Never, a sidecar runs beside the main container, which exits 0',
    spec: { restartPolicy: 'Never', initContainers: [sh('sidecar', 'sleep 3600', { restartPolicy: 'Always' })], containers: [sh('c', 'sleep 5; exit 0')] },
    phases: ['Pending', 'Running', 'Succeeded'],
  },
  {
    name: 'OnFailure, a crashing sidecar does not fail the pod',
    spec: { restartPolicy: 'OnFailure', initContainers: [sh('sidecar', 'sleep 10; exit 1', { restartPolicy: 'Always' })], containers: [sh('c', 'sleep 120; exit 0')] },
    phases: ['Pending', 'Running', 'Succeeded'],
  },
];

describe('pod phase over time', () => {
  it.each(CASES)('$name', ({ spec, phases: expected, restarts }) => {
    const { cluster, phases, createPod, pod } = setup();
    createPod('p', spec);
    cluster.clock.advance(5 * 60_000);
    expect(phases.get('p')).toEqual(expected);
    if (restarts) expect(pod('p').status.containerStatuses.map((c: Obj) => c.restartCount)).toEqual(restarts);
  });

  it('keeps a crash-looping OnFailure pod Running between restarts, whatever its container shows', () => {
    const { cluster, createPod, pod } = setup();
    createPod('p', { restartPolicy: 'OnFailure', containers: [sh('c', 'sleep 2; exit 1')] });
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      cluster.clock.advance(500);
      const p = pod('p');
      const cs = p.status.containerStatuses[0];
      const state = Object.keys(cs.state)[0]!;
      seen.add(`${p.status.phase} ${state}${cs.state.waiting ? `:${cs.state.waiting.reason}` : cs.state.terminated ? `:${cs.state.terminated.reason}` : ''}`);
    }
    expect([...seen].sort()).toEqual(['Pending waiting:ContainerCreating', 'Running running', 'Running terminated:Error', 'Running waiting:CrashLoopBackOff']);
    expect(pod('p').status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(4);
  });

  // Every container must have started once for Running: one still pulling its image keeps the pod Pending.
  it('shows the pod Pending while the second container still pulls, Running once both started', () => {
    const { cluster, createPod, pod } = setup();
    createPod('p', { containers: [sh('first', 'sleep 3600'), { name: 'second', image: 'nginx' }] });
    let runningWhilePulling = false;
    for (let i = 0; i < 100; i++) {
      cluster.clock.advance(100);
      const [first, second] = pod('p').status.containerStatuses ?? [];
      if (first?.state.running && second?.state.waiting && pod('p').status.phase === 'Running') runningWhilePulling = true;
    }
    expect(runningWhilePulling).toBe(false);
    expect(pod('p').status.phase).toBe('Running');
  });

  it('gives a deleted pod a terminal phase once its containers stopped (Succeeded on exit 0, Failed when killed)', () => {
    const { cluster, phases, createPod, call } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx' }] });
    createPod('sleeper', { terminationGracePeriodSeconds: 5, containers: [sh('c', 'sleep 3600')] });
    cluster.clock.advance(20_000);
    for (const name of ['web', 'sleeper']) call({ method: 'DELETE', path: `/api/v1/namespaces/default/pods/${name}` });
    cluster.clock.advance(20_000);
    expect(phases.get('web')).toEqual(['Pending', 'Running', 'Succeeded']);
    expect(phases.get('sleeper')).toEqual(['Pending', 'Running', 'Failed']);
  });

  it('keeps static pods out of terminal phases when they stop: the kubelet restarts them', () => {
    const stopped = [{ name: 'c', state: { terminated: { exitCode: 0 } }, lastState: {} }];
    const pod = (source?: string) => ({
      metadata: { name: 'p', ...(source ? { annotations: { 'kubernetes.io/config.source': source } } : {}) },
      spec: { containers: [{ name: 'c' }] },
    });
    expect(podPhase(pod('file'), [], stopped, true)).toBe('Running');
    expect(podPhase(pod('api'), [], stopped, true)).toBe('Succeeded');
    expect(podPhase(pod(), [], stopped, true)).toBe('Succeeded');
    expect(podPhase(pod(), [], stopped, false)).toBe('Running');
  });
});
