import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { histogram, numFeasibleNodesToFind, type Explanation } from './scheduler';

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

  it('looks only at the nodes a pod is pinned to by name (NodeAffinity PreFilterResult)', () => {
    const { cluster, create, pod } = setup();
    const pinned = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node02'] }] }] } } };
    create('fits', { containers: [{ name: 'c', image: 'nginx' }], affinity: pinned });
    create('big', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3' } } }], affinity: pinned });
    cluster.clock.advance(2000);
    expect((pod('fits').body as Obj).spec.nodeName).toBe('node02');
    expect((pod('big').body as Obj).status.conditions[0].message).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
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

describe('percentageOfNodesToScore (adaptive) and the rotating start', () => {
  it('looks for every node below 100 nodes, then 50% less 1% per 125 nodes, at least 5% and 100 nodes', () => {
    expect([0, 3, 99, 100, 101, 250, 1000, 1001, 1500, 5000, 6000, 10_000].map(numFeasibleNodesToFind)).toEqual([0, 3, 99, 100, 100, 120, 420, 420, 570, 500, 300, 500]);
  });

  function bigCluster(workers: number) {
    const nodes = [{ name: 'controlplane', role: 'control-plane' as const }, ...Array.from({ length: workers }, (_, i) => ({ name: `node${String(i + 1).padStart(3, '0')}`, role: 'worker' as const }))];
    const cluster = createCluster({ seed: 4, nodes, joinIntervalMs: 1000, podSubnet: '10.0.0.0/8' });
    const create = (name: string) =>
      cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    return { cluster, create };
  }

  it('stops at 100 feasible nodes of 151 and starts the next search where the last one stopped', () => {
    const { cluster, create } = bigCluster(150);
    for (const name of ['a', 'b', 'c']) create(name);
    cluster.clock.advance(100);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => cluster.scheduler.explain('default', n)!) as [Explanation, Explanation, Explanation];
    const sorted = ['controlplane', ...Array.from({ length: 150 }, (_, i) => `node${String(i + 1).padStart(3, '0')}`)];
    // a: controlplane (rejected: tainted) and the next 100 nodes, all feasible.
    expect(a.nodes.map((n) => n.node)).toEqual(sorted.slice(0, 101));
    expect(a.nodes[0]!.rejectedBy?.plugin).toBe('TaintToleration');
    expect(a.nodes.slice(1).every((n) => n.total !== undefined)).toBe(true);
    // b: from node101 to the end, round past the control plane to node051.
    expect(b.nodes.map((n) => n.node)).toEqual([...sorted.slice(101), ...sorted.slice(0, 51)]);
    // c: 101 + 101 = 202 nodes processed, so it starts at (202 % 151) = 51.
    expect(c.nodes[0]!.node).toBe(sorted[51]);
    expect(c.nodes).toHaveLength(100);
    for (const e of [a, b, c]) {
      const chosen = e.nodes.find((n) => n.node === e.selected)!;
      expect(chosen.total).toBe(Math.max(...e.nodes.map((n) => n.total ?? -1)));
      expect((cluster.api.handle({ method: 'GET', path: `/api/v1/namespaces/default/pods/${e.pod.split('/')[1]}` }).body as Obj).spec.nodeName).toBe(e.selected);
    }
  });

  it('evaluates every node, in name order, in smaller clusters', () => {
    const { cluster, create } = bigCluster(40);
    for (const name of ['a', 'b']) create(name);
    cluster.clock.advance(100);
    for (const name of ['a', 'b']) {
      const e = cluster.scheduler.explain('default', name)!;
      expect(e.nodes.map((n) => n.node)).toEqual(['controlplane', ...Array.from({ length: 40 }, (_, i) => `node${String(i + 1).padStart(3, '0')}`)]);
    }
  });
});

describe('VolumeBinding', () => {
  const claim = (name: string, storageClassName = '') => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName },
  });
  const withClaim = (claimName: string) => ({
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
  });
  const failed = (cluster: ReturnType<typeof setup>['cluster'], name: string) =>
    ((cluster.api.handle({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { fieldSelector: `involvedObject.name=${name},reason=FailedScheduling` } }).body as Obj).items as Obj[]).map((e) => e.message);

  it('rejects pods whose claim is missing or unbound (Immediate) before looking at nodes', () => {
    const { cluster, call, create } = setup();
    create('missing', withClaim('data'));
    call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: claim('pending') });
    create('waiting', withClaim('pending'));
    cluster.clock.advance(2_000);
    expect(failed(cluster, 'missing')).toEqual([
      '0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    ]);
    expect(failed(cluster, 'waiting')).toEqual([
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    ]);
  });

  it('places a pod where its bound local volume is, and the kubelet mounts it', async () => {
    const { cluster, call, create, pod } = setup();
    cluster.kubelets.get('node02')!.hostFs.mkdir('/mnt/disks/vol1', { parents: true });
    cluster.kubelets.get('node02')!.hostFs.write('/mnt/disks/vol1/hello', 'from node02\n');
    call({
      method: 'POST',
      path: '/api/v1/persistentvolumes',
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'local-pv' },
        spec: {
          capacity: { storage: '5Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: '',
          local: { path: '/mnt/disks/vol1' },
          claimRef: { namespace: 'default', name: 'data' },
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node02'] }] }] } },
        },
      },
    });
    const pvc = call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: { ...claim('data'), spec: { ...claim('data').spec, volumeName: 'local-pv' } } }).body as Obj;
    call({ method: 'PUT', path: '/api/v1/namespaces/default/persistentvolumeclaims/data/status', body: { ...pvc, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } } } });
    for (let i = 0; i < 4; i++) create(`reader-${i}`, withClaim('data'));
    cluster.clock.advance(15_000);
    for (let i = 0; i < 4; i++) expect((pod(`reader-${i}`).body as Obj).spec.nodeName).toBe('node02');
    let out = '';
    await cluster.api.exec('default', 'reader-0', { command: ['cat', '/data/hello'], tty: false }, { stdout: (d) => (out += d), stderr: () => {} });
    expect(out).toBe('from node02\n');
  });

  it('waits for first consumer: nodes without a matching volume fail unless the class provisions', () => {
    const { cluster, call, create } = setup();
    const sc = (name: string, provisioner: string) =>
      call({ method: 'POST', path: '/apis/storage.k8s.io/v1/storageclasses', body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, volumeBindingMode: 'WaitForFirstConsumer' } });
    sc('local-storage', 'kubernetes.io/no-provisioner');
    sc('local-path', 'rancher.io/local-path');
    call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: claim('static', 'local-storage') });
    call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: claim('dynamic', 'local-path') });
    create('static-pod', withClaim('static'));
    create('dynamic-pod', withClaim('dynamic'));
    cluster.clock.advance(2_000);
    expect(failed(cluster, 'static-pod')).toEqual([
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    ]);
    expect(failed(cluster, 'dynamic-pod')).toEqual([]);
  });
});

describe('VolumeBinding PreBind', () => {
  // The default cluster runs the PV binder and the local-path provisioner with its default class.
  const withControllers = () => setup();
  const claim = (name: string, spec: Obj = {}) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } });
  const withClaim = (claimName: string) => ({
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
  });
  const events = (cluster: ReturnType<typeof setup>['cluster'], name: string) =>
    ((cluster.api.handle({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { fieldSelector: `involvedObject.name=${name}` } }).body as Obj).items as Obj[]).map((e) => `${e.reason} ${e.message}`);

  it('names the node on a WaitForFirstConsumer claim and binds the pod once the provisioned volume is bound', () => {
    const { cluster, call, create, pod } = withControllers();
    call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: claim('data') });
    create('app', withClaim('data'));
    cluster.clock.advance(1000);
    const claimNow = (call({ method: 'GET', path: '/api/v1/namespaces/default/persistentvolumeclaims/data' }).body as Obj);
    const node = claimNow.metadata.annotations['volume.kubernetes.io/selected-node'];
    expect(['node01', 'node02']).toContain(node);
    // Not bound to the node before its claim is bound.
    expect((pod('app').body as Obj).spec.nodeName).toBeUndefined();
    cluster.clock.advance(5000);
    expect((pod('app').body as Obj).spec.nodeName).toBe(node);
    const pvName = `pvc-${claimNow.metadata.uid}`;
    const pv = call({ method: 'GET', path: `/api/v1/persistentvolumes/${pvName}` }).body as Obj;
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([node]);
    cluster.clock.advance(20_000);
    expect((pod('app').body as Obj).status.phase).toBe('Running');
    expect(events(cluster, 'app').filter((e) => e.startsWith('Scheduled'))).toEqual([`Scheduled Successfully assigned default/app to ${node}`]);
  });

  it('binds a static local volume to the claim for the node it chose', () => {
    const { cluster, call, create, pod } = withControllers();
    call({ method: 'POST', path: '/apis/storage.k8s.io/v1/storageclasses', body: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-storage' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' } });
    cluster.kubelets.get('node02')!.hostFs.mkdir('/mnt/disks/vol1', { parents: true });
    call({
      method: 'POST',
      path: '/api/v1/persistentvolumes',
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'local-pv' },
        spec: {
          capacity: { storage: '5Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'local-storage',
          local: { path: '/mnt/disks/vol1' },
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node02'] }] }] } },
        },
      },
    });
    call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: claim('data', { storageClassName: 'local-storage' }) });
    cluster.clock.advance(1000);
    expect(events(cluster, 'data')).toEqual(['WaitForFirstConsumer waiting for first consumer to be created before binding']);
    create('app', withClaim('data'));
    cluster.clock.advance(3000);
    const pv = call({ method: 'GET', path: '/api/v1/persistentvolumes/local-pv' }).body as Obj;
    expect(pv.spec.claimRef.name).toBe('data');
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pv.status.phase).toBe('Bound');
    expect((pod('app').body as Obj).spec.nodeName).toBe('node02');
    cluster.clock.advance(20_000);
    expect((pod('app').body as Obj).status.phase).toBe('Running');
  });

  it('gives up when the provisioner sends the claim back, and tries again', () => {
    const { cluster, call, create } = withControllers();
    call({ method: 'POST', path: '/api/v1/namespaces/default/persistentvolumeclaims', body: claim('data', { accessModes: ['ReadWriteMany'] }) });
    create('app', withClaim('data'));
    cluster.clock.advance(1000);
    // The claim keeps its node; the provisioner refuses ReadWriteMany, so the claim never binds.
    cluster.clock.advance(601_000);
    expect(events(cluster, 'app').filter((e) => e.startsWith('FailedScheduling'))[0]).toBe('FailedScheduling running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
  });
});
