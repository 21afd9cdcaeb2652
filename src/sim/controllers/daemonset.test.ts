import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const DS = '/apis/apps/v1/namespaces/default/daemonsets';

function daemonSet(spec: Obj = {}, podSpec: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'busybox', command: ['sleep', '3600'] }], ...podSpec } },
      ...spec,
    },
  };
}

const placement = () =>
  h
    .pods('default', { app: 'agent' })
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.spec.nodeName)
    .sort();
const status = () => {
  const s = h.get(`${DS}/agent`)!.status;
  return [s.desiredNumberScheduled, s.currentNumberScheduled, s.numberReady, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0, s.numberMisscheduled];
};

describe('DaemonSet controller', () => {
  it.each([
    { name: 'runs on every worker (the control plane is tainted)', spec: {}, nodes: ['node01', 'node02'] },
    { name: 'runs on the control plane too with a toleration', spec: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }, nodes: ['controlplane', 'node01', 'node02'] },
    { name: 'follows a nodeSelector', spec: { nodeSelector: { 'kubernetes.io/hostname': 'node02' } }, nodes: ['node02'] },
    {
      name: 'follows required node affinity',
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['node01'] }] }] } } } },
      nodes: ['node02'],
    },
  ])('$name', ({ spec, nodes }) => {
    h = harness();
    h.create(daemonSet({}, spec));
    h.advance(30_000);
    expect(placement()).toEqual(nodes);
    expect(status()).toEqual([nodes.length, nodes.length, nodes.length, nodes.length, nodes.length, 0]);
  });

  it('pins each pod to its node with node affinity and adds the daemon tolerations', () => {
    h = harness();
    h.create(daemonSet());
    h.advance(0);
    const pod = h.pods('default', { app: 'agent' })[0]!;
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }] }]);
    expect(pod.spec.tolerations.map((t: Obj) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    expect(pod.metadata.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1', 'controller-revision-hash': expect.any(String) });
    const revisions = h.list('/apis/apps/v1/namespaces/default/controllerrevisions');
    expect(revisions.map((r) => [r.metadata.name, r.revision])).toEqual([[`agent-${pod.metadata.labels['controller-revision-hash']}`, 1]]);
  });

  it('follows nodes: a new node gets a pod, a node labelled out loses its pod', () => {
    h = harness();
    h.create(daemonSet({}, { nodeSelector: { disk: 'ssd' } }));
    h.advance(0);
    expect(placement()).toEqual([]);
    h.call({ method: 'PATCH', path: '/api/v1/nodes/node01', contentType: 'application/merge-patch+json', body: { metadata: { labels: { disk: 'ssd' } } } });
    h.advance(10_000);
    expect(placement()).toEqual(['node01']);
    h.cluster.addNode({ name: 'node03', role: 'worker' });
    h.call({ method: 'PATCH', path: '/api/v1/nodes/node03', contentType: 'application/merge-patch+json', body: { metadata: { labels: { disk: 'ssd' } } } });
    h.call({ method: 'PATCH', path: '/api/v1/nodes/node01', contentType: 'application/merge-patch+json', body: { metadata: { labels: { disk: null } } } });
    h.advance(60_000);
    expect(placement()).toEqual(['node03']);
  });

  it('rolls out a new template one node at a time (maxUnavailable 1) with a new ControllerRevision', () => {
    h = harness();
    h.create(daemonSet({}, { terminationGracePeriodSeconds: 5 }));
    h.advance(30_000);
    h.call({ method: 'PATCH', path: `${DS}/agent`, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { metadata: { annotations: { v: '2' } } } } } });
    h.advance(0);
    expect(h.pods('default', { app: 'agent' }).filter((p) => p.metadata.deletionTimestamp)).toHaveLength(1);
    h.advance(60_000);
    expect(status()).toEqual([2, 2, 2, 2, 2, 0]);
    expect(h.list('/apis/apps/v1/namespaces/default/controllerrevisions').map((r) => r.revision).sort()).toEqual([1, 2]);
    const reasons = h.list('/api/v1/namespaces/default/events').filter((e) => e.involvedObject.kind === 'DaemonSet').map((e) => e.reason);
    expect(reasons.filter((r) => r === 'SuccessfulDelete')).toHaveLength(2);
  });

  it('with maxSurge starts the new pod on a node before the old one goes', () => {
    h = harness();
    h.create(daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    h.advance(30_000);
    let minAvailable = Infinity;
    h.cluster.store.watch('/registry/pods/default/', () => {
      const ready = h.cluster.store
        .range<Obj>('/registry/pods/default/')
        .map((kv) => kv.value)
        .filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
      minAvailable = Math.min(minAvailable, new Set(ready.map((p) => p.spec.nodeName)).size);
    });
    h.call({ method: 'PATCH', path: `${DS}/agent`, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { metadata: { annotations: { v: '2' } } } } } });
    h.advance(0);
    // One surge pod at a time, next to the old one on its node.
    expect(h.pods('default', { app: 'agent' })).toHaveLength(3);
    h.advance(120_000);
    expect(minAvailable).toBe(2);
    expect(status()).toEqual([2, 2, 2, 2, 2, 0]);
    expect(placement()).toEqual(['node01', 'node02']);
  });

  it('OnDelete leaves old pods until they are deleted', () => {
    h = harness();
    h.create(daemonSet({ updateStrategy: { type: 'OnDelete' } }));
    h.advance(30_000);
    h.call({ method: 'PATCH', path: `${DS}/agent`, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { metadata: { annotations: { v: '2' } } } } } });
    h.advance(30_000);
    expect(status()).toEqual([2, 2, 2, 0, 2, 0]);
    const [first] = h.pods('default', { app: 'agent' });
    h.call({ method: 'DELETE', path: `/api/v1/namespaces/default/pods/${first!.metadata.name}`, body: { gracePeriodSeconds: 0 } });
    h.advance(30_000);
    expect(status()).toEqual([2, 2, 2, 1, 2, 0]);
  });

  it('replaces a failed daemon pod and says so', () => {
    h = harness();
    h.create(daemonSet({}, { nodeSelector: { 'kubernetes.io/hostname': 'node01' }, restartPolicy: 'Always' }));
    h.advance(30_000);
    const [pod] = h.pods('default', { app: 'agent' });
    h.call({ method: 'PUT', path: `/api/v1/namespaces/default/pods/${pod!.metadata.name}/status`, body: { ...pod, status: { ...pod!.status, phase: 'Failed' } } });
    h.advance(0);
    const messages = h.list('/api/v1/namespaces/default/events').filter((e) => e.reason === 'FailedDaemonPod').map((e) => e.message);
    expect(messages).toEqual([`Found failed daemon pod default/${pod!.metadata.name} on node node01, will try to kill it`]);
    h.advance(30_000);
    expect(placement()).toEqual(['node01']);
  });

  it('runs kubeadm\'s kube-proxy on every node', () => {
    h = harness();
    const proxies = h.pods('kube-system', { 'k8s-app': 'kube-proxy' });
    expect(proxies.map((p) => [p.spec.nodeName, p.status.phase])).toEqual(
      expect.arrayContaining([
        ['controlplane', 'Running'],
        ['node01', 'Running'],
        ['node02', 'Running'],
      ]),
    );
    expect(proxies[0]!.spec.tolerations.map((t: Obj) => t.key ?? '(all)')).toContain('node.kubernetes.io/network-unavailable');
  });
});
