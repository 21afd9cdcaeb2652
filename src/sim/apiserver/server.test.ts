import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { rfc3339 } from './duration';
import type { Table } from './types';

describe('ApiServer', () => {
  it('serves nodes as a Table with the 1.32 node columns', () => {
    const { api } = createCluster({ seed: 1 });
    const res = api.handle({ method: 'GET', path: '/api/v1/nodes', as: 'Table' });
    expect(res.status).toBe(200);
    const table = res.body as Table;
    expect(table.columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Status:0',
      'Roles:0',
      'Age:0',
      'Version:0',
      'Internal-IP:1',
      'External-IP:1',
      'OS-Image:1',
      'Kernel-Version:1',
      'Container-Runtime:1',
    ]);
    expect(table.rows.map((r) => r.cells.slice(0, 3))).toEqual([
      ['controlplane', 'Ready', 'control-plane'],
      ['node01', 'Ready', '<none>'],
      ['node02', 'Ready', '<none>'],
    ]);
  });

  it('stores nodes under /registry/minions as a kubeadm cluster does', () => {
    const { store } = createCluster();
    expect(store.range('/registry/minions/').map((kv) => kv.key)).toEqual([
      '/registry/minions/controlplane',
      '/registry/minions/node01',
      '/registry/minions/node02',
    ]);
    expect(store.range('/registry/namespaces/').map((kv) => kv.key)).toEqual([
      '/registry/namespaces/default',
      '/registry/namespaces/kube-node-lease',
      '/registry/namespaces/kube-public',
      '/registry/namespaces/kube-system',
    ]);
  });

  it('answers a missing object with a NotFound Status', () => {
    const { api } = createCluster();
    expect(api.handle({ method: 'GET', path: '/api/v1/nodes/node09' })).toEqual({
      status: 404,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'nodes "node09" not found',
        reason: 'NotFound',
        details: { name: 'node09', kind: 'nodes' },
        code: 404,
      },
    });
  });

  it('answers an unknown path with the generic NotFound', () => {
    const { api } = createCluster();
    const res = api.handle({ method: 'GET', path: '/api/v1/widgets' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: 'the server could not find the requested resource', reason: 'NotFound' });
  });

  it('filters lists by label selector', () => {
    const { api } = createCluster();
    const res = api.handle({
      method: 'GET',
      path: '/api/v1/nodes',
      query: { labelSelector: '!node-role.kubernetes.io/control-plane' },
    });
    expect((res.body as { items: { metadata: { name: string } }[] }).items.map((n) => n.metadata.name)).toEqual([
      'node01',
      'node02',
    ]);
  });

  it('gives objects resourceVersion, uid and creationTimestamp, and fills generateName', () => {
    const { api, clock } = createCluster({ seed: 5 });
    const res = api.handle({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'lab-' } },
    });
    expect(res.status).toBe(201);
    const meta = (res.body as { metadata: Record<string, string> }).metadata;
    expect(meta.name).toMatch(/^lab-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.resourceVersion).toMatch(/^\d+$/);
    expect(meta.creationTimestamp).toBe(rfc3339(clock.now()));
    const again = api.handle({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: meta.name } } });
    expect(again.status).toBe(409);
    expect((again.body as { message: string }).message).toBe(`namespaces "${meta.name}" already exists`);
  });

  it('is deterministic for a seed', () => {
    const a = createCluster({ seed: 9 }).api.handle({ method: 'GET', path: '/api/v1/nodes' });
    const b = createCluster({ seed: 9 }).api.handle({ method: 'GET', path: '/api/v1/nodes' });
    const c = createCluster({ seed: 10 }).api.handle({ method: 'GET', path: '/api/v1/nodes' });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('serves /version as a 1.32 server', () => {
    const { api } = createCluster();
    expect(api.handle({ method: 'GET', path: '/version' }).body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
  });
});
