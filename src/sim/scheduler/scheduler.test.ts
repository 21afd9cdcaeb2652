import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { histogram } from './scheduler';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const cluster = createCluster({ seed: 2 });
  const call = cluster.api.handle.bind(cluster.api);
  const create = (name: string, spec: Obj, labels: Record<string, string> = {}) =>
    call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec } });
  const pod = (name: string) => call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` });
  return { cluster, call, create, pod };
}

describe('histogram (FitError.Error)', () => {
  it('counts reasons and sorts the "N reason" strings as Go sorts them', () => {
    expect(histogram(12, [...Array(10).fill('Insufficient cpu'), 'node(s) were unschedulable', 'Insufficient memory'])).toBe(
      '0/12 nodes are available: 1 Insufficient memory, 1 node(s) were unschedulable, 10 Insufficient cpu',
    );
  });
});

describe('scheduling rules', () => {
  it('keeps replicas with required anti-affinity on different nodes', () => {
    const { cluster, create, pod } = setup();
    const spec = {
      containers: [{ name: 'c', image: 'nginx' }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    };
    for (const n of ['a', 'b', 'c']) create(n, spec, { app: 'x' });
    cluster.clock.advance(2000);
    const nodes = ['a', 'b', 'c'].map((n) => (pod(n).body as Obj).spec.nodeName);
    expect(new Set(nodes.filter(Boolean)).size).toBe(2);
    const pending = ['a', 'b', 'c'].find((n) => !(pod(n).body as Obj).spec.nodeName)!;
    expect((pod(pending).body as Obj).status.conditions[0].message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });

  it('preempts a lower-priority pod to make room', () => {
    const { cluster, call, create, pod } = setup();
    call({ method: 'POST', path: '/apis/scheduling.k8s.io/v1/priorityclasses', body: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } });
    const heavy = { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1500m' } } }] };
    create('low-1', heavy);
    create('low-2', heavy);
    cluster.clock.advance(15_000);
    create('vip', { ...heavy, priorityClassName: 'high' });
    cluster.clock.advance(60_000);
    const vip = pod('vip').body as Obj;
    expect(vip.spec.nodeName).toMatch(/^node0[12]$/);
    expect(vip.spec.priority).toBe(1000);
    const remaining = ['low-1', 'low-2'].filter((n) => pod(n).status === 200);
    expect(remaining).toHaveLength(1);
  });
});
