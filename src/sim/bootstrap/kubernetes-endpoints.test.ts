/**
 * The default/kubernetes Endpoints and EndpointSlice that kube-apiserver's endpoint reconciler
 * writes (pkg/controlplane/reconcilers): the control plane's address on 6443, untouched by the
 * Endpoints and EndpointSlice controllers since the kubernetes Service has no selector.
 */
import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the kubernetes Service endpoints', () => {
  it('lists the API server on the control plane address, in an Endpoints and an EndpointSlice named kubernetes', () => {
    const cluster = createCluster();
    const get = (path: string) => cluster.api.handle({ method: 'GET', path, userAgent: 'kubectl' }).body as Obj;
    const ip = (get('/api/v1/nodes/controlplane').status.addresses as Obj[]).find((a) => a.type === 'InternalIP')!.address;
    expect(ip).toBe('172.30.1.2');

    const ep = get('/api/v1/namespaces/default/endpoints/kubernetes');
    expect(ep.metadata).toMatchObject({ name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } });
    expect(ep.subsets).toEqual([{ addresses: [{ ip }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]);

    const slice = get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes');
    expect(slice.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toEqual([{ addresses: [ip], conditions: { ready: true } }]);
    expect(slice.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);

    // `kubectl get endpoints kubernetes` and `kubectl get endpointslices`.
    const row = (path: string) => (cluster.api.handle({ method: 'GET', path, userAgent: 'kubectl', as: 'Table' }).body as Obj).rows[0].cells.slice(0, 4);
    expect(row('/api/v1/namespaces/default/endpoints/kubernetes').slice(0, 2)).toEqual(['kubernetes', `${ip}:6443`]);
    expect(row('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).toEqual(['kubernetes', 'IPv4', '6443', ip]);
  });

  it('is left alone by the Endpoints and EndpointSlice controllers: no other slice, no rewrite', () => {
    const cluster = createCluster();
    const get = (path: string) => cluster.api.handle({ method: 'GET', path, userAgent: 'kubectl' }).body as Obj;
    const before = [get('/api/v1/namespaces/default/endpoints/kubernetes'), get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')];
    cluster.clock.advance(30 * 60_000);
    const after = [get('/api/v1/namespaces/default/endpoints/kubernetes'), get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')];
    expect(after.map((o) => o.metadata.resourceVersion)).toEqual(before.map((o) => o.metadata.resourceVersion));
    const slices = get('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices').items as Obj[];
    expect(slices.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kubernetes').map((s) => s.metadata.name)).toEqual(['kubernetes']);
  });
});
