import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('metrics-server', () => {
  it('is not there on a plain kubeadm cluster', () => {
    const cluster = createCluster();
    expect(cluster.api.handle({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/nodes' }).status).toBe(404);
    const groups = (cluster.api.handle({ method: 'GET', path: '/apis' }).body as Obj).groups.map((g: Obj) => g.name);
    expect(groups).not.toContain('metrics.k8s.io');
  });

  it('serves node and pod usage once it has scraped, 503 before', () => {
    const cluster = createCluster({ metricsServer: true });
    const get = (path: string) => cluster.api.handle({ method: 'GET', path });
    const groups = (get('/apis').body as Obj).groups.map((g: Obj) => g.name);
    expect(groups.at(-1)).toBe('metrics.k8s.io');
    expect(get('/apis/metrics.k8s.io/v1beta1/nodes')).toMatchObject({ status: 503, body: { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' } });

    cluster.api.handle({
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hog', labels: { app: 'hog' } }, spec: { containers: [{ name: 'stress', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }] } },
    });
    cluster.clock.advance(20_000);
    const nodes = get('/apis/metrics.k8s.io/v1beta1/nodes').body as Obj;
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items.map((n: Obj) => n.metadata.name)).toEqual(['controlplane', 'node01', 'node02']);
    const cp = nodes.items[0];
    expect(cp.usage.cpu).toMatch(/^\d+n$/);
    expect(cp.usage.memory).toMatch(/^\d+Ki$/);
    expect(cp.window).toMatch(/^(1[5-9]|20)(\.\d{1,3})?s$/);
    expect(cp.metadata.labels['node-role.kubernetes.io/control-plane']).toBe('');
    // Control-plane components make the control plane busier than an idle worker.
    const milli = (n: Obj) => Number(n.usage.cpu.slice(0, -1)) / 1e6;
    expect(milli(cp)).toBeGreaterThan(120);
    const hogNode = (cluster.api.getByResource('pods', '', 'default', 'hog') as Obj).spec.nodeName;
    const idle = nodes.items.find((n: Obj) => n.metadata.name !== 'controlplane' && n.metadata.name !== hogNode);
    expect(milli(idle)).toBeLessThan(60);

    // The pod needs two scrapes before it has a CPU rate.
    cluster.clock.advance(30_000);
    const hog = get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/hog').body as Obj;
    expect(hog).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'hog', namespace: 'default', labels: { app: 'hog' } } });
    const mi = Number(hog.containers[0].usage.memory.slice(0, -2)) / 1024;
    expect(mi).toBeGreaterThan(130);
    expect(mi).toBeLessThan(170);
    const etcd = cluster.api.handle({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/namespaces/kube-system/pods', query: { labelSelector: 'component=etcd' } }).body as Obj;
    expect(etcd.items.map((p: Obj) => `${p.metadata.name} ${p.containers[0].name}`)).toEqual(['etcd-controlplane etcd']);
    expect(get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope').body).toMatchObject({ code: 404, message: 'podmetrics.metrics.k8s.io "nope" not found' });
  });

  it('drops a node whose kubelet stopped', () => {
    const cluster = createCluster({ metricsServer: true });
    cluster.clock.advance(20_000);
    cluster.kubelets.get('node02')!.stop();
    cluster.clock.advance(16_000);
    const nodes = cluster.api.handle({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/nodes' }).body as Obj;
    expect(nodes.items.map((n: Obj) => n.metadata.name)).toEqual(['controlplane', 'node01']);
  });

  it('lets labs size nodes', () => {
    const cluster = createCluster({ nodes: [{ name: 'cp', role: 'control-plane', cpu: '4', memory: '8Gi' }] });
    const node = cluster.api.getByResource('nodes', '', undefined, 'cp')!;
    // As a real 8 GiB machine, it reports a little less than 8Gi.
    expect(node.status.capacity).toMatchObject({ cpu: '4', memory: '8031040Ki' });
    expect(node.status.allocatable.memory).toBe('7928640Ki');
  });
});
