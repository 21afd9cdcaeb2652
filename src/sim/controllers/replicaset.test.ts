import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const RS = '/apis/apps/v1/namespaces/default/replicasets';

function replicaSet(name: string, replicas: number, extra: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...extra,
    },
  };
}

function events(h: Harness, name: string): string[] {
  return h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.message}${e.count > 1 ? ` x${e.count}` : ''}`);
}

describe('ReplicaSet controller', () => {
  it('creates the pods it is missing, with generated names and a controller reference, and reports status', () => {
    h = harness();
    const rs = h.create(replicaSet('web', 3));
    h.advance(0);
    const pods = h.pods('default', { app: 'web' });
    expect(pods.map((p) => p.metadata.name)).toEqual([expect.stringMatching(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/), expect.anything(), expect.anything()]);
    expect(pods[0]!.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(pods[0]!.metadata.managedFields[0].manager).toBe('kube-controller-manager');
    expect(events(h, 'web').sort()).toEqual(pods.map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
    h.advance(60_000);
    expect(h.get(`${RS}/web`)!.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('replaces a deleted pod and deletes surplus pods, pending and unready ones first', () => {
    h = harness();
    h.create(replicaSet('web', 2));
    h.advance(60_000);
    const [first] = h.pods('default', { app: 'web' });
    h.call({ method: 'DELETE', path: `/api/v1/namespaces/default/pods/${first!.metadata.name}` });
    h.advance(0);
    const active = h.pods('default', { app: 'web' }).filter((p) => !p.metadata.deletionTimestamp);
    expect(active).toHaveLength(2);
    h.advance(60_000);
    // Scale up by two, then at once down by two: the two new (pending) pods go.
    const before = h.pods('default', { app: 'web' }).map((p) => p.metadata.name);
    h.call({ method: 'PATCH', path: `${RS}/web`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 4 } } });
    h.advance(0);
    h.call({ method: 'PATCH', path: `${RS}/web`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 2 } } });
    h.advance(0);
    const remaining = h.pods('default', { app: 'web' }).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    expect(remaining).toEqual(before);
    expect(events(h, 'web').filter((e) => e.includes('SuccessfulDelete'))).toHaveLength(2);
    h.advance(60_000);
  });

  it('adopts matching orphans and releases pods whose labels stop matching', () => {
    h = harness();
    h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    const rs = h.create(replicaSet('web', 2));
    h.advance(0);
    expect(h.get('/api/v1/namespaces/default/pods/stray')!.metadata.ownerReferences[0].uid).toBe(rs.metadata.uid);
    expect(h.pods('default', { app: 'web' })).toHaveLength(2);
    h.advance(60_000);
    h.call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/stray', contentType: 'application/merge-patch+json', body: { metadata: { labels: { app: 'debug' } } } });
    h.advance(0);
    expect(h.get('/api/v1/namespaces/default/pods/stray')!.metadata.ownerReferences).toBeUndefined();
    expect(h.pods('default', { app: 'web' })).toHaveLength(2);
    h.advance(60_000);
  });

  it('reports FailedCreate when a quota refuses pods, and recovers when it is raised', () => {
    h = harness();
    h.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { pods: '2' } } });
    h.advance(1000);
    h.create(replicaSet('web', 3));
    h.advance(1000);
    const status = h.get(`${RS}/web`)!.status;
    expect(status.replicas).toBe(2);
    expect(status.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: expect.any(String),
        reason: 'FailedCreate',
        message: expect.stringMatching(/^pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2$/),
      },
    ]);
    expect(events(h, 'web').some((e) => /^Warning FailedCreate Error creating: pods "web-\w+" is forbidden: exceeded quota: q/.test(e))).toBe(true);
    h.call({ method: 'PATCH', path: '/api/v1/namespaces/default/resourcequotas/q', contentType: 'application/merge-patch+json', body: { spec: { hard: { pods: '5' } } } });
    h.advance(120_000);
    const after = h.get(`${RS}/web`)!.status;
    expect(after.replicas).toBe(3);
    expect(after.conditions).toBeUndefined();
  });

  it('keeps a ReplicationController at its replica count', () => {
    h = harness();
    h.create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: { replicas: 2, selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    h.advance(60_000);
    const rc = h.get('/api/v1/namespaces/default/replicationcontrollers/rc')!;
    expect(rc.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(h.pods('default', { app: 'rc' })[0]!.metadata.ownerReferences[0].kind).toBe('ReplicationController');
  });
});
