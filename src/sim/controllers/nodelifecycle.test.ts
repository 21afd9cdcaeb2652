import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const cluster = createCluster({ seed: 1 });
  const call = cluster.api.handle.bind(cluster.api);
  const createPod = (name: string, node: string, tolerationSeconds?: number) =>
    call({
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          nodeName: node,
          containers: [{ name: 'c', image: 'nginx' }],
          ...(tolerationSeconds !== undefined ? { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }] } : {}),
        },
      },
    });
  const pod = (name: string) => call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` });
  return { cluster, call, createPod, pod };
}

describe('node lifecycle controller: taint-based eviction', () => {
  it('evicts the pods of a node that stays silent, but not when its kubelet comes back in time', () => {
    const { cluster, createPod, pod } = setup();
    createPod('a', 'node01', 120);
    createPod('b', 'node01');
    createPod('c', 'node02', 60);
    cluster.clock.advance(10_000);
    cluster.kubelets.get('node01')!.stop();
    cluster.kubelets.get('node02')!.stop();
    // Both nodes are noticed 35–45 s later; their pods' timers start then.
    cluster.clock.advance(50_000);
    // node02 comes back before c's 60 s run out: its timer is cancelled.
    cluster.kubelets.get('node02')!.start();
    cluster.clock.advance(120_000);
    expect((pod('a').body as Obj).metadata.deletionTimestamp).toBeDefined();
    expect((pod('b').body as Obj).metadata.deletionTimestamp).toBeUndefined();
    expect((pod('c').body as Obj).metadata.deletionTimestamp).toBeUndefined();
    cluster.clock.advance(200_000);
    expect((pod('b').body as Obj).metadata.deletionTimestamp).toBeDefined();
    expect((pod('c').body as Obj).metadata.deletionTimestamp).toBeUndefined();
  });

  it('lets the timer of a pod deleted meanwhile run out without touching a new pod of the same name', () => {
    const { cluster, call, createPod, pod } = setup();
    createPod('a', 'node01', 100);
    cluster.clock.advance(10_000);
    cluster.kubelets.get('node01')!.stop();
    cluster.clock.advance(50_000);
    call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/a', query: { gracePeriodSeconds: '0' } });
    createPod('a', 'node02');
    cluster.clock.advance(200_000);
    expect(pod('a').status).toBe(200);
    expect((pod('a').body as Obj).metadata.deletionTimestamp).toBeUndefined();
    expect((pod('a').body as Obj).spec.nodeName).toBe('node02');
  });
});
