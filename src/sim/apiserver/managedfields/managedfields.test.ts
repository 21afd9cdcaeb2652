import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster';
import type { ApiRequest } from '../types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const D = '/apis/apps/v1/namespaces/default/deployments/web';

function deployment(replicas: number, labels: Record<string, string> = { app: 'web' }, image = 'nginx:1.27') {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } },
    },
  };
}

function setup() {
  const cluster = createCluster();
  const call = (req: ApiRequest) => cluster.api.handle(req);
  const apply = (body: object, manager = 'kubectl', force = false) =>
    call({ method: 'PATCH', path: D, contentType: 'application/apply-patch+yaml', body, query: { fieldManager: manager, ...(force ? { force: 'true' } : {}) } });
  return { cluster, call, apply };
}

describe('managedFields', () => {
  it('records the creator as an Update manager of the fields it set', () => {
    const { call } = setup();
    const created = call({ method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deployment(2), query: { fieldManager: 'kubectl-create' } }).body as Obj;
    expect(created.metadata.managedFields).toHaveLength(1);
    const entry = created.metadata.managedFields[0];
    expect(entry).toMatchObject({ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(entry.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']).toMatchObject({ '.': {}, 'f:image': {}, 'f:name': {} });
    expect(entry.fieldsV1['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
  });
});

describe('server-side apply', () => {
  it('creates the object and records an Apply manager', () => {
    const { apply } = setup();
    const res = apply(deployment(2));
    expect(res.status).toBe(201);
    const managers = (res.body as Obj).metadata.managedFields.map((m: Obj) => `${m.manager}/${m.operation}`);
    expect(managers).toEqual(['kubectl/Apply']);
  });

  it('needs a field manager', () => {
    const { call } = setup();
    expect((call({ method: 'PATCH', path: D, contentType: 'application/apply-patch+yaml', body: deployment(1) }).body as Obj).message).toBe(
      'fieldManager is required for apply requests',
    );
  });

  it('reports a conflict with a field another manager set, and takes it over with force', () => {
    const { apply, call } = setup();
    apply(deployment(2));
    call({ method: 'PATCH', path: D, contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } }, query: { fieldManager: 'kubectl-scale' } });
    const res = apply(deployment(3));
    expect(res.status).toBe(409);
    expect((res.body as Obj).message).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
    expect((res.body as Obj).details.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" using apps/v1', field: '.spec.replicas' }]);
    const forced = apply(deployment(3), 'kubectl', true).body as Obj;
    expect(forced.spec.replicas).toBe(3);
    const scale = forced.metadata.managedFields.find((m: Obj) => m.manager === 'kubectl-scale');
    expect(scale).toBeUndefined();
  });

  it('co-owns a field set to the same value, without conflict', () => {
    const { apply } = setup();
    apply(deployment(2), 'alice');
    const res = apply(deployment(2), 'bob');
    expect(res.status).toBe(200);
    expect((res.body as Obj).metadata.managedFields.map((m: Obj) => m.manager)).toEqual(['alice', 'bob']);
  });

  it('removes fields its manager stops applying', () => {
    const { apply } = setup();
    apply(deployment(2, { app: 'web', tier: 'frontend' }));
    const res = apply(deployment(2, { app: 'web' })).body as Obj;
    expect(res.metadata.labels).toEqual({ app: 'web' });
  });

  it('merges list items by key and changes only what was applied', () => {
    const { apply, call } = setup();
    apply(deployment(2));
    const res = apply(deployment(2, { app: 'web' }, 'nginx:1.28')).body as Obj;
    expect(res.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(res.metadata.generation).toBe(2);
    const again = apply(deployment(2, { app: 'web' }, 'nginx:1.28'));
    expect((again.body as Obj).metadata.resourceVersion).toBe(res.metadata.resourceVersion);
    expect(call({ method: 'GET', path: D }).status).toBe(200);
  });
});
