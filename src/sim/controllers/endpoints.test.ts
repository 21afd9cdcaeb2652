import { afterEach, describe, expect, it } from 'vitest';
import { md5Hex } from './endpointslice';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const NS = '/api/v1/namespaces/default';
const SLICES = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices';
const NAME = /^[a-z0-9-]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

function setup(): Harness {
  h = harness();
  return h;
}

function service(name: string, spec: Obj, labels: Obj = { app: name }): Obj {
  return h.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec });
}

/** nginx, ready once its readiness probe on port 80 answers. */
function nginx(name: string, labels: Obj, extra: Obj = {}, container: Obj = {}): Obj {
  return h.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 }, ...container }], ...extra },
  });
}

/** busybox whose readiness is the file /tmp/ready; it ignores SIGTERM, so it terminates for the whole grace period. */
function busybox(name: string, labels: Obj, script: string, extra: Obj = {}): Obj {
  return h.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', script], readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5 } }],
      ...extra,
    },
  });
}

function slicesOf(svc: string): Obj[] {
  return h.list(SLICES).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
}

function endpoints(svc: string): Obj | undefined {
  return h.get(`${NS}/endpoints/${svc}`);
}

function pod(name: string): Obj {
  return h.get(`${NS}/pods/${name}`)!;
}

/** A slice's endpoints as "pod ready/serving/terminating". */
function conditions(slice: Obj): string[] {
  return ((slice.endpoints ?? []) as Obj[]).map((e) => `${e.targetRef.name} ${e.conditions.ready}/${e.conditions.serving}/${e.conditions.terminating}`).sort();
}

/** What `kubectl get` shows for an object (its table row). */
function row(path: string): string[] {
  const table = h.call({ method: 'GET', path, as: 'Table' });
  return table.rows[0].cells.slice(0, -1);
}

/** A pod as a kubelet would have reported it, written straight to storage (no kubelet runs it). */
function storedPod(name: string, labels: Obj, nodeName: string, ip: string, ready: boolean): void {
  const at = '2025-06-02T09:30:00Z';
  h.cluster.store.put(`/registry/pods/default/${name}`, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `00000000-0000-4000-8000-${name.padStart(12, '0').slice(-12)}`, labels, creationTimestamp: at },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at }] },
  });
}

function events(name: string): string[] {
  return h
    .list(`${NS}/events`)
    .filter((e) => e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.source.component}: ${e.message}`);
}

function ref(p: Obj): Obj {
  return { kind: 'Pod', namespace: 'default', name: p.metadata.name, uid: p.metadata.uid };
}

describe('EndpointSlice and Endpoints controllers', () => {
  it('publish a placeholder, then the ready pods behind a Service, in one slice updated in place and in the Endpoints', () => {
    setup();
    const svc = service('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] }, { app: 'web', tier: 'front' });
    h.advance(0);
    const [placeholder, ...others] = slicesOf('web');
    expect(others).toEqual([]);
    expect(placeholder).toMatchObject({
      metadata: {
        name: expect.stringMatching(NAME),
        generateName: 'web-',
        labels: { app: 'web', tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': svc.metadata.creationTimestamp },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints: null,
      ports: null,
    });
    expect(placeholder!.metadata.managedFields[0].manager).toBe('kube-controller-manager');
    // No ready pods: the Endpoints has no subsets, and kubectl shows <none>.
    expect(endpoints('web')).toMatchObject({ metadata: { labels: { app: 'web', tier: 'front' } } });
    expect(endpoints('web')!.subsets).toBeUndefined();
    expect(row(`${NS}/endpoints/web`)).toEqual(['web', '<none>']);

    nginx('web-a', { app: 'web' });
    nginx('web-b', { app: 'web' });
    nginx('other', { app: 'other' });
    h.advance(60_000);
    const [slice, ...more] = slicesOf('web');
    expect(more).toEqual([]);
    // The placeholder became the real slice: same name.
    expect(slice!.metadata.name).toBe(placeholder!.metadata.name);
    const pa = pod('web-a');
    const pb = pod('web-b');
    expect(slice!.ports).toEqual([{ name: '', protocol: 'TCP', port: 80 }]);
    expect(slice!.endpoints).toEqual(
      [pa, pb].map((p) => ({
        addresses: [p.status.podIP],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: ref(p),
        nodeName: p.spec.nodeName,
      })),
    );
    // The trigger time is the latest pod readiness change the controller acted on.
    const readyAt = (p: Obj) => p.status.conditions.find((c: Obj) => c.type === 'Ready').lastTransitionTime;
    const latest = [readyAt(pa), readyAt(pb)].sort()[1];
    expect(slice!.metadata.annotations['endpoints.kubernetes.io/last-change-trigger-time']).toBe(latest);

    const ep = endpoints('web')!;
    const byIP = [pa, pb].sort((x, y) => (x.status.podIP < y.status.podIP ? -1 : 1));
    expect(ep.subsets).toEqual([
      {
        addresses: byIP.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: ref(p) })),
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
    expect(ep.metadata.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': latest });
    expect(ep.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(row(`${NS}/endpoints/web`)).toEqual(['web', byIP.map((p) => `${p.status.podIP}:80`).join(',')]);
    expect(row(`${SLICES}/${slice!.metadata.name}`)).toEqual([slice!.metadata.name, 'IPv4', '80', [pa, pb].map((p) => p.status.podIP).join(',')]);

    // Nothing changes: nothing is written.
    const versions = [slice!.metadata.resourceVersion, ep.metadata.resourceVersion];
    h.advance(120_000);
    expect([slicesOf('web')[0]!.metadata.resourceVersion, endpoints('web')!.metadata.resourceVersion]).toEqual(versions);
  });

  it('resolve named target ports per pod: a pod without the port gets a slice of its own and stays out of the Endpoints', () => {
    setup();
    service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] });
    nginx('named', { app: 'web' }, {}, { ports: [{ name: 'web', containerPort: 80 }] });
    nginx('unnamed', { app: 'web' });
    h.advance(60_000);
    const slices = slicesOf('web').sort((x, y) => (x.ports ? -1 : 1));
    expect(slices.map((s) => [s.ports, s.endpoints.map((e: Obj) => e.targetRef.name)])).toEqual([
      [[{ name: 'http', protocol: 'TCP', port: 80 }], ['named']],
      [null, ['unnamed']],
    ]);
    expect(endpoints('web')!.subsets).toEqual([
      { addresses: [{ ip: pod('named').status.podIP, nodeName: pod('named').spec.nodeName, targetRef: ref(pod('named')) }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    ]);
  });

  it('order ports by their Go hash, as kube-controller-manager writes them', () => {
    setup();
    // The kube-dns Service's ports: real clusters list the slice's as 9153,53,53 and the Endpoints' as dns-tcp, dns, metrics.
    service('dns', {
      selector: { app: 'dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    });
    nginx('dns-a', { app: 'dns' });
    h.advance(60_000);
    expect(slicesOf('dns')[0]!.ports.map((p: Obj) => p.port)).toEqual([9153, 53, 53]);
    expect(endpoints('dns')!.subsets[0].ports.map((p: Obj) => p.name)).toEqual(['dns-tcp', 'dns', 'metrics']);
    expect(md5Hex('The quick brown fox jumps over the lazy dog')).toBe('9e107d9d372bb6826bd81d3542a419d6');
  });

  it('move a pod that stops being ready to ready:false and notReadyAddresses, and back', () => {
    setup();
    service('app', { selector: { app: 'app' }, ports: [{ port: 8080 }] });
    busybox('flaky', { app: 'app' }, 'touch /tmp/ready; sleep 60; rm /tmp/ready; sleep 60; touch /tmp/ready; sleep 3600');
    h.advance(30_000);
    expect(conditions(slicesOf('app')[0]!)).toEqual(['flaky true/true/false']);
    expect(Object.keys(endpoints('app')!.subsets[0])).toEqual(['addresses', 'ports']);
    h.advance(60_000);
    expect(conditions(slicesOf('app')[0]!)).toEqual(['flaky false/false/false']);
    const ip = pod('flaky').status.podIP;
    expect(endpoints('app')!.subsets).toEqual([
      { notReadyAddresses: [{ ip, nodeName: pod('flaky').spec.nodeName, targetRef: ref(pod('flaky')) }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    // A subset with only not-ready addresses lists nothing (only an Endpoints without subsets shows <none>).
    expect(row(`${NS}/endpoints/app`)).toEqual(['app', '']);
    h.advance(60_000);
    expect(conditions(slicesOf('app')[0]!)).toEqual(['flaky true/true/false']);
    expect(endpoints('app')!.subsets[0].addresses.map((a: Obj) => a.ip)).toEqual([ip]);
  });

  it('show a terminating pod as terminating (still serving) in the slice, drop it from the Endpoints, and remove it once gone', () => {
    setup();
    service('app', { selector: { app: 'app' }, ports: [{ port: 8080 }] });
    busybox('stays', { app: 'app' }, 'touch /tmp/ready; sleep 3600');
    busybox('leaves', { app: 'app' }, 'touch /tmp/ready; sleep 3600');
    h.advance(30_000);
    expect(conditions(slicesOf('app')[0]!)).toEqual(['leaves true/true/false', 'stays true/true/false']);
    h.call({ method: 'DELETE', path: `${NS}/pods/leaves`, body: { gracePeriodSeconds: 30 } });
    h.advance(1000);
    expect(pod('leaves').metadata.deletionTimestamp).toBeDefined();
    expect(conditions(slicesOf('app')[0]!)).toEqual(['leaves false/true/true', 'stays true/true/false']);
    expect(endpoints('app')!.subsets).toEqual([
      { addresses: [{ ip: pod('stays').status.podIP, nodeName: pod('stays').spec.nodeName, targetRef: ref(pod('stays')) }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    h.advance(40_000);
    expect(h.get(`${NS}/pods/leaves`)).toBeUndefined();
    expect(conditions(slicesOf('app')[0]!)).toEqual(['stays true/true/false']);
  });

  it('publish not-ready and terminating pods as ready with publishNotReadyAddresses', () => {
    setup();
    service('peers', { selector: { app: 'peers' }, ports: [{ port: 8080 }], publishNotReadyAddresses: true });
    busybox('never-ready', { app: 'peers' }, 'sleep 3600');
    busybox('ready', { app: 'peers' }, 'touch /tmp/ready; sleep 3600');
    h.advance(30_000);
    expect(conditions(slicesOf('peers')[0]!)).toEqual(['never-ready true/false/false', 'ready true/true/false']);
    expect(endpoints('peers')!.subsets[0].addresses.map((a: Obj) => a.targetRef.name).sort()).toEqual(['never-ready', 'ready']);
    expect(endpoints('peers')!.subsets[0].notReadyAddresses).toBeUndefined();
    h.call({ method: 'DELETE', path: `${NS}/pods/ready` });
    h.advance(1000);
    expect(conditions(slicesOf('peers')[0]!)).toEqual(['never-ready true/false/false', 'ready true/true/true']);
    expect(endpoints('peers')!.subsets[0].addresses.map((a: Obj) => a.targetRef.name).sort()).toEqual(['never-ready', 'ready']);
    h.advance(40_000);
  });

  it('give pods with a hostname and the headless Service as subdomain their hostname, and label the headless slices', () => {
    setup();
    service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] });
    busybox('db-0', { app: 'db' }, 'touch /tmp/ready; sleep 3600', { hostname: 'db-0', subdomain: 'db' });
    busybox('db-x', { app: 'db' }, 'touch /tmp/ready; sleep 3600', { hostname: 'db-x', subdomain: 'elsewhere' });
    h.advance(30_000);
    const [slice] = slicesOf('db');
    expect(slice!.metadata.labels).toEqual({
      app: 'db',
      'service.kubernetes.io/headless': '',
      'kubernetes.io/service-name': 'db',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(Object.fromEntries(slice!.endpoints.map((e: Obj) => [e.targetRef.name, e.hostname]))).toEqual({ 'db-0': 'db-0', 'db-x': undefined });
    const ep = endpoints('db')!;
    expect(ep.metadata.labels).toEqual({ app: 'db', 'service.kubernetes.io/headless': '' });
    expect(Object.fromEntries(ep.subsets[0].addresses.map((a: Obj) => [a.targetRef.name, a.hostname]))).toEqual({ 'db-0': 'db-0', 'db-x': undefined });
    expect(ep.subsets[0].ports).toEqual([{ name: 'pg', port: 5432, protocol: 'TCP' }]);
  });

  it('record the zone of the node each pod runs on', () => {
    setup();
    for (const [node, zone] of [['node01', 'zone-a'], ['node02', 'zone-b']])
      h.call({ method: 'PATCH', path: `/api/v1/nodes/${node}`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { 'topology.kubernetes.io/zone': zone } } } });
    service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    nginx('a', { app: 'web' }, { nodeName: 'node01' });
    nginx('b', { app: 'web' }, { nodeName: 'node02' });
    h.advance(60_000);
    expect(slicesOf('web')[0]!.endpoints.map((e: Obj) => [e.targetRef.name, e.nodeName, e.zone])).toEqual([
      ['a', 'node01', 'zone-a'],
      ['b', 'node02', 'zone-b'],
    ]);
  });

  it('follow a selector change and label changes of the Service', () => {
    setup();
    service('web', { selector: { app: 'blue' }, ports: [{ port: 80 }] });
    nginx('blue', { app: 'blue' });
    nginx('green', { app: 'green' });
    h.advance(60_000);
    const name = slicesOf('web')[0]!.metadata.name;
    expect(slicesOf('web')[0]!.endpoints.map((e: Obj) => e.targetRef.name)).toEqual(['blue']);
    h.call({ method: 'PATCH', path: `${NS}/services/web`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { color: 'green' } }, spec: { selector: { app: 'green' } } } });
    h.advance(0);
    const [slice, ...more] = slicesOf('web');
    expect(more).toEqual([]);
    expect(slice!.metadata.name).toBe(name);
    expect(slice!.endpoints.map((e: Obj) => e.targetRef.name)).toEqual(['green']);
    expect(slice!.metadata.labels).toMatchObject({ app: 'web', color: 'green' });
    expect(endpoints('web')!.subsets[0].addresses.map((a: Obj) => a.targetRef.name)).toEqual(['green']);
    expect(endpoints('web')!.metadata.labels).toEqual({ app: 'web', color: 'green' });
    // A pod relabelled into the Service joins it.
    h.call({ method: 'PATCH', path: `${NS}/pods/blue`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { app: 'green' } } } });
    h.advance(0);
    expect(slicesOf('web')[0]!.endpoints.map((e: Obj) => e.targetRef.name).sort()).toEqual(['blue', 'green']);
    expect(endpoints('web')!.subsets[0].addresses).toHaveLength(2);
  });

  it('put back a managed slice someone deletes, and leave Services without a selector alone', () => {
    setup();
    service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    service('external', { ports: [{ port: 443 }] });
    nginx('web-a', { app: 'web' });
    h.advance(60_000);
    const [slice] = slicesOf('web');
    h.call({ method: 'DELETE', path: `${SLICES}/${slice!.metadata.name}` });
    h.advance(500);
    expect(slicesOf('web')).toEqual([]);
    h.advance(1000);
    expect(slicesOf('web').map((s) => s.endpoints.map((e: Obj) => e.targetRef.name))).toEqual([['web-a']]);
    expect(slicesOf('external')).toEqual([]);
    expect(endpoints('external')).toBeUndefined();
    // The default/kubernetes Service has no selector: its Endpoints are the API server's business.
    expect(slicesOf('kubernetes').filter((s) => s.metadata.labels['endpointslice.kubernetes.io/managed-by'])).toEqual([]);
  });

  it('delete the Endpoints with the Service; the garbage collector takes the owned slices', () => {
    setup();
    service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    nginx('web-a', { app: 'web' });
    h.advance(60_000);
    expect(slicesOf('web')).toHaveLength(1);
    expect(endpoints('web')).toBeDefined();
    h.call({ method: 'DELETE', path: `${NS}/services/web` });
    h.advance(0);
    expect(endpoints('web')).toBeUndefined();
    h.advance(5000);
    expect(slicesOf('web')).toEqual([]);
  });

  it('keep kube-dns endpoints for the CoreDNS pods', () => {
    setup();
    h.advance(60_000);
    const coredns = h.pods('kube-system', { 'k8s-app': 'kube-dns' });
    const slices = h.list('/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices');
    expect(slices.map((s) => s.metadata.labels['kubernetes.io/service-name'])).toEqual(['kube-dns']);
    expect(slices[0]!.endpoints.map((e: Obj) => e.targetRef.name).sort()).toEqual(coredns.map((p) => p.metadata.name));
    const ep = h.get('/api/v1/namespaces/kube-system/endpoints/kube-dns')!;
    const ips = coredns.map((p) => p.status.podIP).sort();
    const ready = coredns.every((p) => p.status.conditions.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
    expect(ep.subsets[0][ready ? 'addresses' : 'notReadyAddresses'].map((a: Obj) => a.ip)).toEqual(ips);
  });

  it('truncate the Endpoints to 1000 addresses, ready ones first, and mark it over capacity', () => {
    setup();
    h.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'ghost' } });
    service('big', { selector: { app: 'big' }, ports: [{ port: 80 }] });
    for (let i = 0; i < 1001; i++) storedPod(`big-${i}`, { app: 'big' }, 'ghost', `10.250.${i >> 8}.${i & 255}`, i < 600);
    h.advance(0);
    const ep = endpoints('big')!;
    expect(ep.subsets).toHaveLength(1);
    expect([ep.subsets[0].addresses.length, ep.subsets[0].notReadyAddresses.length]).toEqual([600, 400]);
    expect(ep.metadata.annotations['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    // Addresses sort by IP as text.
    expect(ep.subsets[0].addresses.slice(0, 3).map((a: Obj) => a.ip)).toEqual(['10.250.0.0', '10.250.0.1', '10.250.0.10']);
    const sizes = slicesOf('big').map((s) => s.endpoints.length).sort((x, y) => y - x);
    expect(sizes).toEqual([...Array(10).fill(100), 1]);
  });

  it('leave out a pod whose node is gone, with a warning, and retry', () => {
    setup();
    const svc = service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    storedPod('lost', { app: 'web' }, 'gone', '10.250.0.1', true);
    h.advance(0);
    expect(slicesOf('web').map((s) => s.endpoints)).toEqual([null]);
    expect(events('web')).toEqual([
      'Warning FailedToUpdateEndpointSlices endpoint-slice-controller: Error updating Endpoint Slices for Service default/web: skipping Pod lost for Service default/web: Node gone Not Found',
    ]);
    expect(h.list(`${NS}/events`).find((e) => e.involvedObject.name === 'web')!.involvedObject).toMatchObject({ kind: 'Service', uid: svc.metadata.uid });
    // The Endpoints controller does not look at nodes.
    expect(endpoints('web')!.subsets[0].addresses.map((a: Obj) => a.ip)).toEqual(['10.250.0.1']);
    h.advance(3500);
    expect(h.list(`${NS}/events`).find((e) => e.involvedObject.name === 'web')!.count).toBe(3);
    h.call({ method: 'DELETE', path: `${NS}/pods/lost`, query: { gracePeriodSeconds: '0' } });
    h.advance(10_000);
  });

  it('spread more than 100 endpoints over slices and keep Endpoints to 1000 addresses at most', () => {
    setup();
    h.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'many' },
      spec: { replicas: 120, selector: { matchLabels: { app: 'many' } }, template: { metadata: { labels: { app: 'many' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } } },
    });
    service('many', { selector: { app: 'many' }, ports: [{ port: 80 }] });
    h.advance(30_000);
    const sizes = slicesOf('many').map((s) => (s.endpoints ?? []).length).sort((x, y) => y - x);
    expect(sizes).toEqual([100, 20]);
    expect(endpoints('many')!.subsets[0].addresses).toHaveLength(120);
    expect(endpoints('many')!.metadata.annotations['endpoints.kubernetes.io/over-capacity']).toBeUndefined();
  });
});
