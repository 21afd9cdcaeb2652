import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../apiserver';
import { SeededRandom } from '../random';
import { NodeInfoCache } from './nodeinfo';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function snapshot(c: NodeInfoCache): unknown {
  return {
    anti: c.antiAffinityPods,
    nodes: [...c.nodes.values()].map((n) => ({
      name: n.name,
      requested: { ...n.requested, scalar: [...n.requested.scalar] },
      nonZero: n.nonZeroRequested,
      pods: [...n.pods.keys()],
      podObjects: [...n.pods.values()],
      ports: [...n.usedPorts],
    })),
  };
}

describe('NodeInfoCache', () => {
  it('ends in the same state when a pod update keeps its spec as when it is taken out and put back', () => {
    const r = new SeededRandom(12);
    const node = (name: string) => deepFreeze({ metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'example.com/gpu': '4' } } }) as unknown as KubeObject;
    const fast = new NodeInfoCache();
    const slow = new NodeInfoCache();
    for (const c of [fast, slow]) for (const n of ['a', 'b']) c.upsertNode(node(n));
    const specs = Array.from({ length: 6 }, (_, i) =>
      deepFreeze({
        nodeName: ['a', 'b'][i % 2],
        containers: [{ name: 'c', resources: { requests: { cpu: ['100m', '250m', '1'][i % 3], memory: i === 5 ? '100m' : '64Mi', ...(i === 4 ? { 'example.com/gpu': '1' } : {}) } }, ports: i % 2 ? [{ hostPort: 80 + i, containerPort: 80 }] : [] }],
      }),
    );
    const pods = new Map<string, Obj>();
    for (let step = 0; step < 400; step++) {
      const name = `p${r.int(8)}`;
      const prev = pods.get(name);
      const spec = prev && r.int(4) > 0 ? prev.spec : specs[r.int(specs.length)];
      const pod = deepFreeze({ metadata: { name, namespace: 'default' }, spec, status: { phase: ['Running', 'Pending', 'Succeeded'][r.int(3)] } });
      pods.set(name, pod);
      fast.upsertPod(pod);
      slow.removePod(pod);
      slow.upsertPod(pod);
      expect(snapshot(fast)).toEqual(snapshot(slow));
    }
  });

  it('counts the pods of a node added back in the order they were last recorded', () => {
    const node = (name: string) => deepFreeze({ metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } }) as unknown as KubeObject;
    const spec = deepFreeze({ nodeName: 'a', containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] });
    const cache = new NodeInfoCache();
    cache.upsertNode(node('a'));
    const pod = (name: string, phase: string) => deepFreeze({ metadata: { name, namespace: 'default' }, spec, status: { phase } });
    for (const name of ['p1', 'p2', 'p3']) cache.upsertPod(pod(name, 'Pending'));
    cache.upsertPod(pod('p1', 'Running')); // same spec: p1 is now the latest
    cache.upsertPod(pod('p2', 'Running'));
    cache.removeNode('a');
    cache.upsertNode(node('a'));
    const info = cache.nodes.get('a')!;
    expect([...info.pods.keys()]).toEqual(['default/p3', 'default/p1', 'default/p2']);
    expect(info.requested.cpu).toBe(300);
    cache.deletePod(pod('p3', 'Running'));
    expect([...info.pods.keys()]).toEqual(['default/p1', 'default/p2']);
    expect(info.requested.cpu).toBe(200);
  });
});
