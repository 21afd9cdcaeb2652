import { describe, expect, it } from 'vitest';
import { createCluster } from '../../sim';
import { aggregatedDiscovery, aggregatedDiscoveryResponse, aggregatedDiscoveryVersion, compareKubeAwareVersions } from './discovery';

/** What kubectl 1.32's discovery client sends to /api and /apis. */
const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CRONTAB_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } },
      },
    ],
  },
};

function resource(list: Obj, group: string, version: string, name: string): Obj | undefined {
  const g = (list.items as Obj[]).find((i) => (i.metadata.name ?? '') === group);
  const v = (g?.versions as Obj[] | undefined)?.find((x) => x.version === version);
  return (v?.resources as Obj[] | undefined)?.find((r) => r.resource === name);
}

describe('aggregated discovery: content negotiation', () => {
  it('answers what kubectl asks first, v2, and v2beta1 when only that is asked', () => {
    expect(aggregatedDiscoveryVersion(KUBECTL_ACCEPT)).toBe('v2');
    expect(aggregatedDiscoveryVersion('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json')).toBe('v2beta1');
    expect(aggregatedDiscoveryVersion('application/json;q=0.9,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe('v2');
  });

  it('leaves plain requests and other conversions to the plain discovery', () => {
    expect(aggregatedDiscoveryVersion(undefined)).toBeUndefined();
    expect(aggregatedDiscoveryVersion('application/json, */*')).toBeUndefined();
    expect(aggregatedDiscoveryVersion('application/json;g=apidiscovery.k8s.io;v=v1;as=APIGroupDiscoveryList,application/json')).toBeUndefined();
    // Protobuf discovery is not produced: the JSON fallback after it is the plain document.
    expect(aggregatedDiscoveryVersion('application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json')).toBeUndefined();
    const cluster = createCluster();
    expect(aggregatedDiscoveryResponse(cluster.api, '/apis', 'application/json')).toBeUndefined();
    expect(aggregatedDiscoveryResponse(cluster.api, '/api/v1', KUBECTL_ACCEPT)).toBeUndefined();
    expect(aggregatedDiscoveryResponse(cluster.api, '/apis/apps', KUBECTL_ACCEPT)).toBeUndefined();
  });

  it('orders versions as Kubernetes does', () => {
    expect(['v1', 'v1beta1', 'v2', 'v1alpha1', 'foo', 'v2beta2'].sort(compareKubeAwareVersions)).toEqual(['v2', 'v1', 'v2beta2', 'v1beta1', 'v1alpha1', 'foo']);
  });
});

describe('aggregated discovery: documents', () => {
  const cluster = createCluster();

  it('serves /api as an APIGroupDiscoveryList of the core group', () => {
    const res = aggregatedDiscoveryResponse(cluster.api, '/api', KUBECTL_ACCEPT)!;
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(res.headers.Etag).toMatch(/^"[0-9A-F]{128}"$/);
    const list = JSON.parse(res.body) as Obj;
    expect(res.body.startsWith('{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io/v2","metadata":{},"items":[{"metadata":{"creationTimestamp":null},"versions":[{"version":"v1","resources":[')).toBe(true);
    expect(list.items).toHaveLength(1);
    expect(list.items[0].versions[0].freshness).toBe('Current');
    const names = (list.items[0].versions[0].resources as Obj[]).map((r) => r.resource);
    expect(names).toEqual([...names].sort());
    expect(resource(list, '', 'v1', 'pods')).toMatchObject({
      resource: 'pods',
      responseKind: { group: '', version: '', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
    });
    const subs = resource(list, '', 'v1', 'pods')!.subresources as Obj[];
    expect(subs.find((s) => s.subresource === 'eviction')).toEqual({ subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });
    expect(subs.find((s) => s.subresource === 'status')).toEqual({ subresource: 'status', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] });
    expect(resource(list, '', 'v1', 'nodes')).toMatchObject({ scope: 'Cluster', singularResource: 'node', shortNames: ['no'] });
    expect(resource(list, '', 'v1', 'bindings')).toEqual({ resource: 'bindings', responseKind: { group: '', version: '', kind: 'Binding' }, scope: 'Namespaced', singularResource: 'binding', verbs: ['create'] });
  });

  it('serves /apis with the groups by priority and versions by priority', () => {
    const list = aggregatedDiscovery(cluster.api, false);
    const groups = (list.items as Obj[]).map((g) => g.metadata.name);
    expect(groups.slice(0, 7)).toEqual(['apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'apiregistration.k8s.io', 'autoscaling', 'batch']);
    expect(groups.at(-1)).toBe('flowcontrol.apiserver.k8s.io');
    expect(groups).not.toContain('');
    const autoscaling = (list.items as Obj[]).find((g) => g.metadata.name === 'autoscaling')!;
    expect((autoscaling.versions as Obj[]).map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(resource(list, 'apps', 'v1', 'deployments')).toEqual({
      resource: 'deployments',
      responseKind: { group: '', version: '', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    expect(resource(list, 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions')).toMatchObject({ scope: 'Cluster', shortNames: ['crd', 'crds'], categories: ['api-extensions'] });
  });

  it('answers v2beta1 with its apiVersion and 304 for a matching ETag', () => {
    const res = aggregatedDiscoveryResponse(cluster.api, '/apis', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList')!;
    expect(res.headers['Content-Type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    expect(JSON.parse(res.body).apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    const again = aggregatedDiscoveryResponse(cluster.api, '/apis', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList', res.headers.Etag)!;
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  it('lists the groups CustomResourceDefinitions serve, with their group and version in the response kinds', () => {
    const c = createCluster();
    expect(c.api.handle({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: CRONTAB_CRD }).status).toBe(201);
    const list = aggregatedDiscovery(c.api, false);
    const groups = (list.items as Obj[]).map((g) => g.metadata.name);
    // CRD groups have priority 1000, after every built-in group.
    expect(groups.at(-1)).toBe('stable.example.com');
    expect(resource(list, 'stable.example.com', 'v1', 'crontabs')).toEqual({
      resource: 'crontabs',
      responseKind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' },
      scope: 'Namespaced',
      singularResource: 'crontab',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      shortNames: ['ct'],
      categories: ['all'],
      subresources: [
        { subresource: 'status', responseKind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  it('lists metrics.k8s.io as Stale until its APIService is Available, then with its resources', () => {
    const c = createCluster({ metricsServer: true });
    const metrics = () => (aggregatedDiscovery(c.api, false).items as Obj[]).find((g) => g.metadata.name === 'metrics.k8s.io');
    expect(metrics()).toEqual({ metadata: { name: 'metrics.k8s.io', creationTimestamp: null }, versions: [{ version: 'v1beta1', freshness: 'Stale' }] });
    c.clock.advance(60_000);
    expect(metrics()).toEqual({
      metadata: { name: 'metrics.k8s.io', creationTimestamp: null },
      versions: [
        {
          version: 'v1beta1',
          resources: [
            { resource: 'nodes', responseKind: { group: '', version: '', kind: 'NodeMetrics' }, scope: 'Cluster', singularResource: '', verbs: ['get', 'list'] },
            { resource: 'pods', responseKind: { group: '', version: '', kind: 'PodMetrics' }, scope: 'Namespaced', singularResource: '', verbs: ['get', 'list'] },
          ],
          freshness: 'Current',
        },
      ],
    });
    // Its priority (100) puts it last.
    expect((aggregatedDiscovery(c.api, false).items as Obj[]).at(-1)!.metadata.name).toBe('metrics.k8s.io');
  });
});
