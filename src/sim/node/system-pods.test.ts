/**
 * The kube-system pods of a fresh kubeadm cluster answer their own probes as the real images do,
 * so they are all Running and Ready without restarts, and CoreDNS backs the kube-dns Service.
 */
import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { behaviorFor } from './behavior';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('kube-system pods of a fresh cluster', () => {
  it('are all Running and Ready with no restarts after 30 minutes, and CoreDNS is in kube-dns', () => {
    const cluster = createCluster();
    cluster.clock.advance(30 * 60_000);
    const get = (path: string) => cluster.api.handle({ method: 'GET', path, userAgent: 'kubectl' }).body as Obj;
    const pods = (get('/api/v1/namespaces/kube-system/pods').items as Obj[]).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const summary = (p: Obj) => {
      const ready = (p.status.conditions ?? []).find((c: Obj) => c.type === 'Ready')?.status;
      const restarts = (p.status.containerStatuses ?? []).reduce((n: number, c: Obj) => n + c.restartCount, 0);
      return `${p.metadata.name.replace(/-[a-z0-9]{5}$/, '-*').replace(/-[a-z0-9]{8,10}-\*$/, '-*-*')} ${p.status.phase} Ready=${ready} restarts=${restarts}`;
    };
    expect(pods.map(summary)).toEqual([
      'coredns-*-* Running Ready=True restarts=0',
      'coredns-*-* Running Ready=True restarts=0',
      'etcd-controlplane Running Ready=True restarts=0',
      'kube-apiserver-controlplane Running Ready=True restarts=0',
      'kube-controller-manager-controlplane Running Ready=True restarts=0',
      'kube-proxy-* Running Ready=True restarts=0',
      'kube-proxy-* Running Ready=True restarts=0',
      'kube-proxy-* Running Ready=True restarts=0',
      'kube-scheduler-controlplane Running Ready=True restarts=0',
    ]);
    const warnings = (get('/api/v1/namespaces/kube-system/events').items as Obj[]).filter((e) => e.type === 'Warning').map((e) => `${e.involvedObject.name} ${e.reason}: ${e.message}`);
    expect(warnings).toEqual([]);

    const coreDnsIPs = pods.filter((p) => p.metadata.name.startsWith('coredns-')).map((p) => p.status.podIP).sort();
    const endpoints = get('/api/v1/namespaces/kube-system/endpoints/kube-dns');
    expect(endpoints.subsets).toHaveLength(1);
    expect((endpoints.subsets[0].addresses as Obj[]).map((a) => a.ip).sort()).toEqual(coreDnsIPs);
    expect(endpoints.subsets[0].notReadyAddresses).toBeUndefined();
    const slices = get('/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices').items as Obj[];
    const dnsSlice = slices.find((s) => s.metadata.labels['kubernetes.io/service-name'] === 'kube-dns')!;
    expect(dnsSlice.endpoints.map((e: Obj) => `${e.addresses[0]} ready=${e.conditions.ready}`).sort()).toEqual(coreDnsIPs.map((ip) => `${ip} ready=true`));
  });
});

/** The probe endpoints each system image serves (the rest of its ports answer 404, others refuse). */
describe('system images answer their own health endpoints', () => {
  const start = (repository: string, argv: string[] = []) =>
    behaviorFor(repository).start({
      env: {},
      argv,
      hostname: 'h',
      now: () => 0,
      log: () => {},
      exit: () => {},
      after: () => {},
      fs: undefined as never,
      processes: () => [],
      setMemory: () => {},
    });
  const answer = (repository: string, port: number, path: string) => {
    const p = start(repository);
    if (!p.ports.includes(port)) return 'connection refused';
    const res = p.http?.(port, path);
    return res ? `${res.status} ${res.body}` : 'connection refused';
  };

  it.each([
    ['registry.k8s.io/coredns/coredns', 8080, '/health', '200 OK'],
    ['registry.k8s.io/coredns/coredns', 8181, '/ready', '200 OK'],
    ['registry.k8s.io/coredns/coredns', 9153, '/metrics', '200 '],
    ['registry.k8s.io/coredns/coredns', 8080, '/ready', '404 404 page not found\n'],
    ['registry.k8s.io/coredns/coredns', 80, '/', 'connection refused'],
    ['registry.k8s.io/kube-apiserver', 6443, '/livez', '200 ok'],
    ['registry.k8s.io/kube-apiserver', 6443, '/readyz', '200 ok'],
    ['registry.k8s.io/kube-apiserver', 6443, '/healthz', '200 ok'],
    ['registry.k8s.io/kube-controller-manager', 10257, '/healthz', '200 ok'],
    ['registry.k8s.io/kube-scheduler', 10259, '/healthz', '200 ok'],
    ['registry.k8s.io/kube-scheduler', 10259, '/livez', '200 ok'],
    ['registry.k8s.io/kube-scheduler', 10259, '/readyz', '200 ok'],
    ['registry.k8s.io/etcd', 2381, '/health?exclude=NOSPACE&serializable=true', '200 {"health":"true","reason":""}'],
    ['registry.k8s.io/etcd', 2381, '/health?serializable=false', '200 {"health":"true","reason":""}'],
    ['registry.k8s.io/etcd', 2381, '/livez', '200 ok'],
    ['registry.k8s.io/etcd', 2381, '/readyz', '200 ok'],
    ['registry.k8s.io/kube-proxy', 10256, '/healthz', '200 {"lastUpdated": "1970-01-01 00:00:00 +0000 UTC m=+0.000000000","currentTime": "1970-01-01 00:00:00 +0000 UTC m=+0.000000000", "nodeEligible": true}'],
    ['registry.k8s.io/kube-proxy', 10256, '/livez', '200 {"lastUpdated": "1970-01-01 00:00:00 +0000 UTC m=+0.000000000","currentTime": "1970-01-01 00:00:00 +0000 UTC m=+0.000000000"}'],
    ['registry.k8s.io/kube-proxy', 10256, '/metrics', '404 404 page not found\n'],
    ['registry.k8s.io/kube-proxy', 10249, '/metrics', '200 '],
    ['registry.k8s.io/kube-apiserver', 6443, '/', expect.stringContaining('403 {\n  "kind": "Status",')],
    ['registry.k8s.io/kube-controller-manager', 10257, '/livez', '404 404 page not found\n'],
    ['registry.k8s.io/kube-controller-manager', 10257, '/metrics', expect.stringContaining('"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/metrics\\""')],
    ['registry.k8s.io/etcd', 2379, '/health', 'connection refused'],
  ])('%s :%i%s', (repository, port, path, expected) => {
    expect(answer(repository, port, path)).toEqual(expected);
  });

  it('serves CoreDNS health, ready and metrics only as its Corefile enables them', () => {
    const withCorefile = (conf: string) =>
      behaviorFor('registry.k8s.io/coredns/coredns').start({
        env: {},
        argv: ['/coredns', '-conf', '/etc/coredns/Corefile'],
        hostname: 'h',
        now: () => 0,
        log: () => {},
        exit: () => {},
        after: () => {},
        fs: { read: (path: string) => (path === '/etc/coredns/Corefile' ? conf : '') } as never,
        processes: () => [],
        setMemory: () => {},
      });
    const noReady = withCorefile('.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n}\n');
    expect(noReady.ports).toEqual([53, 8080, 9153]);
    expect(noReady.stopMillis).toBe(5000);
    const moved = withCorefile('.:53 {\n    health :9090\n    ready :9091\n}\n');
    expect(moved.ports).toEqual([53, 9090, 9091]);
    expect(moved.http?.(9091, '/ready')).toEqual({ status: 200, body: 'OK' });
    expect(moved.http?.(9090, '/health')).toEqual({ status: 200, body: 'OK' });
  });
});

describe('http probes with the wrong scheme', () => {
  it('fail as the kubelet reports them: HTTPS to a plain server, HTTP to a TLS server', () => {
    const cluster = createCluster();
    const call = cluster.api.handle.bind(cluster.api);
    const probe = (scheme: string, port: number) => ({ httpGet: { path: '/', port, scheme }, periodSeconds: 5 });
    for (const [name, spec] of [
      ['plain', { containers: [{ name: 'web', image: 'nginx', readinessProbe: probe('HTTPS', 80) }] }],
      ['tls', { containers: [{ name: 'api', image: `registry.k8s.io/kube-apiserver:v1.32.4`, command: ['kube-apiserver'], readinessProbe: probe('HTTP', 6443) }] }],
    ] as const)
      call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } });
    cluster.clock.advance(60_000);
    const unhealthy = (name: string) => {
      const ip = (call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` }).body as Obj).status.podIP;
      const events = (call({ method: 'GET', path: '/api/v1/namespaces/default/events' }).body as Obj).items as Obj[];
      return events.filter((e) => e.involvedObject.name === name && e.reason === 'Unhealthy').map((e) => e.message.replace(ip, 'IP'));
    };
    expect(unhealthy('plain')).toEqual(['Readiness probe failed: Get "https://IP:80/": http: server gave HTTP response to HTTPS client']);
    expect(unhealthy('tls')).toEqual(['Readiness probe failed: HTTP probe failed with statuscode: 400']);
  });
});
