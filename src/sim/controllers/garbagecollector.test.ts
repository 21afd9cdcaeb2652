import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const RS = '/apis/apps/v1/namespaces/default/replicasets';

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  };
}

/** What is left a moment after deleting: the Deployment (with finalizers), ReplicaSets and pods. */
function snapshot() {
  const d = h.get(`${DEPLOY}/web`);
  return {
    deployment: d ? (d.metadata.finalizers ?? []).join(',') || 'present' : 'gone',
    replicaSets: h.list(RS).map((rs) => (rs.metadata.deletionTimestamp ? 'deleting' : rs.metadata.ownerReferences ? 'owned' : 'orphan')),
    pods: h.pods('default', { app: 'web' }).map((p) => (p.metadata.deletionTimestamp ? 'terminating' : p.metadata.ownerReferences ? 'owned' : 'orphan')),
  };
}

describe('garbage collector', () => {
  it.each([
    {
      policy: 'Background',
      now: { deployment: 'gone', replicaSets: ['owned'], pods: ['owned', 'owned'] },
      soon: { deployment: 'gone', replicaSets: [], pods: ['terminating', 'terminating'] },
      later: { deployment: 'gone', replicaSets: [], pods: [] },
    },
    {
      policy: 'Foreground',
      now: { deployment: 'foregroundDeletion', replicaSets: ['owned'], pods: ['owned', 'owned'] },
      soon: { deployment: 'foregroundDeletion', replicaSets: ['deleting'], pods: ['terminating', 'terminating'] },
      later: { deployment: 'gone', replicaSets: [], pods: [] },
    },
    {
      policy: 'Orphan',
      now: { deployment: 'orphan', replicaSets: ['owned'], pods: ['owned', 'owned'] },
      soon: { deployment: 'gone', replicaSets: ['orphan'], pods: ['owned', 'owned'] },
      later: { deployment: 'gone', replicaSets: ['orphan'], pods: ['owned', 'owned'] },
    },
  ])('deletes a Deployment with propagationPolicy=$policy', ({ policy, now, soon, later }) => {
    h = harness();
    h.create(deployment());
    h.advance(60_000);
    h.call({ method: 'DELETE', path: `${DEPLOY}/web`, body: { propagationPolicy: policy } });
    expect(snapshot()).toEqual(now);
    h.advance(1);
    expect(snapshot()).toEqual(soon);
    h.advance(40_000);
    expect(snapshot()).toEqual(later);
  });

  it('deletes an object whose owner does not exist, and keeps one that still has another owner', () => {
    h = harness();
    const cm = h.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const ghost = { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' };
    h.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'lonely', ownerReferences: [ghost] } });
    h.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared', ownerReferences: [ghost, { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: cm.metadata.uid }] } });
    h.advance(0);
    expect(h.get('/api/v1/namespaces/default/secrets/lonely')).toBeUndefined();
    expect(h.get('/api/v1/namespaces/default/secrets/shared')!.metadata.ownerReferences.map((r: Obj) => r.name)).toEqual(['owner']);
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/owner' });
    h.advance(0);
    expect(h.get('/api/v1/namespaces/default/secrets/shared')).toBeUndefined();
  });

  it('lets a foreground deletion finish once the dependents that block it are gone, without waiting for others', () => {
    h = harness();
    const owner = h.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    const ref = (block: boolean) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid, blockOwnerDeletion: block });
    h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'blocker', ownerReferences: [ref(true)] }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
    h.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bystander', ownerReferences: [ref(false)] } });
    h.advance(20_000);
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/owner', body: { propagationPolicy: 'Foreground' } });
    h.advance(1000);
    // sleep ignores SIGTERM: the pod takes its 30 s grace period, and the owner waits for it.
    expect(h.get('/api/v1/namespaces/default/configmaps/owner')!.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(h.get('/api/v1/namespaces/default/secrets/bystander')).toBeUndefined();
    h.advance(40_000);
    expect(h.get('/api/v1/namespaces/default/pods/blocker')).toBeUndefined();
    expect(h.get('/api/v1/namespaces/default/configmaps/owner')).toBeUndefined();
  });
});
