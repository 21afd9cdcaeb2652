import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './testkit';
import { goJSON, revisionHash, revisionPatch } from './statefulset';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const STS = '/apis/apps/v1/namespaces/default/statefulsets';

function setup(): Harness {
  h = harness();
  h.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'nginx' }, spec: { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ name: 'web', port: 80 }] } });
  return h;
}

function statefulSet(replicas: number, spec: Obj = {}, podSpec: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'nginx',
      replicas,
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'web' }] }], ...podSpec } },
      ...spec,
    },
  };
}

const patchSet = (body: Obj) => h.call({ method: 'PATCH', path: `${STS}/web`, contentType: 'application/merge-patch+json', body });
const getSet = () => h.get(`${STS}/web`)!;
const ready = (p: Obj) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

/** "web-0 Running ready" per pod, in name order. */
function podStates(): string {
  return h
    .pods('default', { app: 'nginx' })
    .map((p) => `${p.metadata.name}${p.metadata.deletionTimestamp ? ' terminating' : ready(p) ? ' ready' : ''}`)
    .join(', ');
}

/** Distinct pod states seen while advancing `ms` in steps of 250 ms. */
function timeline(ms: number): string[] {
  const seen: string[] = [];
  for (let t = 0; t <= ms; t += 250) {
    const s = podStates();
    if (seen[seen.length - 1] !== s) seen.push(s);
    h.advance(250);
  }
  return seen;
}

/** The StatefulSet's events, "reason message", oldest first. */
function events(): string[] {
  return h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.involvedObject.kind === 'StatefulSet' && e.involvedObject.name === 'web')
    .map((e) => `${e.reason} ${e.message}${e.count > 1 ? ` x${e.count}` : ''}`);
}

describe('StatefulSet controller', () => {
  it('creates pods one by one, each after the one before is Running and Ready, with stable identities', () => {
    setup();
    const sts = h.create(statefulSet(3));
    const seen = timeline(30_000);
    // Never a pod before its predecessor is ready: the next one is created as soon as it is.
    expect(seen).toEqual(['', 'web-0', 'web-0 ready, web-1', 'web-0 ready, web-1 ready, web-2', 'web-0 ready, web-1 ready, web-2 ready']);

    const revisions = h.list('/apis/apps/v1/namespaces/default/controllerrevisions');
    expect(revisions).toHaveLength(1);
    const rev = revisions[0]!;
    const set = getSet();
    const hash = revisionHash(revisionPatch(set), 0);
    expect(rev.metadata.name).toBe(`web-${hash}`);
    expect(rev.metadata.labels).toEqual({ app: 'nginx', 'controller-revision-hash': hash });
    expect(rev.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rev.revision).toBe(1);
    expect(goJSON(rev.data)).toBe(revisionPatch(set));
    expect(rev.data.spec.template.$patch).toBe('replace');

    const pod = h.get('/api/v1/namespaces/default/pods/web-1')!;
    expect(pod.metadata.generateName).toBe('web-');
    expect(pod.metadata.labels).toEqual({ app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': rev.metadata.name });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(pod.spec.hostname).toBe('web-1');
    expect(pod.spec.subdomain).toBe('nginx');

    expect(set.status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: rev.metadata.name,
      updateRevision: rev.metadata.name,
      collisionCount: 0,
      availableReplicas: 3,
    });
    expect(events()).toEqual([0, 1, 2].map((i) => `SuccessfulCreate create Pod web-${i} in StatefulSet web successful`));
  });

  it('makes a deleted or failed pod again under the same name', () => {
    setup();
    h.create(statefulSet(2));
    h.advance(30_000);
    const before = h.get('/api/v1/namespaces/default/pods/web-0')!;
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/web-0' });
    h.advance(60_000);
    const after = h.get('/api/v1/namespaces/default/pods/web-0')!;
    expect(after.metadata.uid).not.toBe(before.metadata.uid);
    expect(ready(after)).toBe(true);

    // A pod that ends Failed (say its node shut down) is deleted and made again.
    const failed = h.get('/api/v1/namespaces/default/pods/web-1')!;
    h.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web-1/status', body: { ...failed, status: { ...failed.status, phase: 'Failed', reason: 'Terminated' } } });
    h.advance(60_000);
    const remade = h.get('/api/v1/namespaces/default/pods/web-1')!;
    expect(remade.metadata.uid).not.toBe(failed.metadata.uid);
    expect(ready(remade)).toBe(true);
    expect(events().filter((e) => e.includes('web-1'))).toEqual([
      'SuccessfulCreate create Pod web-1 in StatefulSet web successful x2',
      'SuccessfulDelete delete Pod web-1 in StatefulSet web successful',
    ]);
    expect(getSet().status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });

  it('scales down from the highest ordinal, one pod at a time', () => {
    setup();
    h.create(statefulSet(4, {}, { terminationGracePeriodSeconds: 5 }));
    h.advance(40_000);
    expect(podStates()).toBe('web-0 ready, web-1 ready, web-2 ready, web-3 ready');
    patchSet({ spec: { replicas: 1 } });
    const seen = timeline(60_000);
    for (const s of seen) expect(s.split('terminating').length - 1).toBeLessThanOrEqual(1);
    expect(seen.at(-1)).toBe('web-0 ready');
    const deletions = events().filter((e) => e.startsWith('SuccessfulDelete'));
    expect(deletions).toEqual([3, 2, 1].map((i) => `SuccessfulDelete delete Pod web-${i} in StatefulSet web successful`));
    expect(getSet().status).toMatchObject({ observedGeneration: 2, replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, availableReplicas: 1 });
  });

  it('rolls an update out from the highest ordinal down to the partition, then the rest', () => {
    setup();
    h.create(statefulSet(3, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    h.advance(30_000);
    const oldRev = getSet().status.currentRevision;
    patchSet({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, name: 'web' }] }] } } } });
    // One pod at a time is down: the next goes only when the one before is back and Ready.
    for (const s of timeline(60_000)) expect(s.split(', ').filter((p) => !p.endsWith(' ready')).length).toBeLessThanOrEqual(1);
    const set = getSet();
    const newRev = set.status.updateRevision;
    expect(newRev).not.toBe(oldRev);
    const revisionOf = (name: string) => h.get(`/api/v1/namespaces/default/pods/${name}`)!.metadata.labels['controller-revision-hash'];
    expect(['web-0', 'web-1', 'web-2'].map(revisionOf)).toEqual([oldRev, newRev, newRev]);
    expect(h.get('/api/v1/namespaces/default/pods/web-2')!.spec.containers[0].image).toBe('nginx:1.28');
    expect(set.status).toEqual({
      observedGeneration: 2,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 1,
      updatedReplicas: 2,
      currentRevision: oldRev,
      updateRevision: newRev,
      collisionCount: 0,
      availableReplicas: 3,
    });
    expect(events().filter((e) => e.startsWith('SuccessfulDelete'))).toEqual([2, 1].map((i) => `SuccessfulDelete delete Pod web-${i} in StatefulSet web successful`));
    const revisions = h.list('/apis/apps/v1/namespaces/default/controllerrevisions').map((r) => [r.metadata.name, r.revision]);
    expect(revisions.sort((a, b) => a[1] - b[1])).toEqual([
      [oldRev, 1],
      [newRev, 2],
    ]);

    // Partition 0: web-0 follows, and the update completes.
    patchSet({ spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    h.advance(60_000);
    expect(['web-0', 'web-1', 'web-2'].map(revisionOf)).toEqual([newRev, newRev, newRev]);
    expect(getSet().status).toMatchObject({ currentReplicas: 3, updatedReplicas: 3, currentRevision: newRev, updateRevision: newRev });

    // Going back to the first template reuses its revision, now numbered 3.
    patchSet({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'web' }] }] } } } });
    h.advance(90_000);
    const back = h.list('/apis/apps/v1/namespaces/default/controllerrevisions').map((r) => [r.metadata.name, r.revision]);
    expect(back.sort((a, b) => a[1] - b[1])).toEqual([
      [newRev, 2],
      [oldRev, 3],
    ]);
    expect(getSet().status).toMatchObject({ currentRevision: oldRev, updateRevision: oldRev, updatedReplicas: 3 });
  });

  it('with OnDelete, changes a pod only when it is deleted', () => {
    setup();
    h.create(statefulSet(2, { updateStrategy: { type: 'OnDelete' } }));
    h.advance(30_000);
    patchSet({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    h.advance(30_000);
    const image = (name: string) => h.get(`/api/v1/namespaces/default/pods/${name}`)!.spec.containers[0].image;
    expect([image('web-0'), image('web-1')]).toEqual(['nginx:1.27', 'nginx:1.27']);
    expect(getSet().status).toMatchObject({ currentReplicas: 2 });
    expect(getSet().status.updatedReplicas).toBeUndefined();
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/web-1' });
    h.advance(60_000);
    expect([image('web-0'), image('web-1')]).toEqual(['nginx:1.27', 'nginx:1.28']);
    expect(getSet().status).toMatchObject({ replicas: 2, currentReplicas: 1, updatedReplicas: 1 });
  });

  it('with Parallel management, creates and deletes all pods at once', () => {
    setup();
    h.create(statefulSet(3, { podManagementPolicy: 'Parallel' }));
    h.advance(0);
    expect(podStates()).toBe('web-0, web-1, web-2');
    h.advance(30_000);
    expect(podStates()).toBe('web-0 ready, web-1 ready, web-2 ready');
    patchSet({ spec: { replicas: 0 } });
    h.advance(0);
    expect(podStates()).toBe('web-0 terminating, web-1 terminating, web-2 terminating');
    h.advance(60_000);
    expect(podStates()).toBe('');
    expect(getSet().status).toMatchObject({ replicas: 0, availableReplicas: 0 });
  });
});


describe('StatefulSet with volumeClaimTemplates', () => {
  it('creates a claim per pod before the pod, bound through local-path on the pod’s node, kept across pod restarts and scale-down', () => {
    setup();
    h.create(
      statefulSet(
        2,
        { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
        { containers: [{ name: 'nginx', image: 'busybox', command: ['sh', '-c', 'echo started >> /data/log; sleep 3600'], volumeMounts: [{ name: 'www', mountPath: '/data' }] }] },
      ),
    );
    h.advance(60_000);
    expect(podStates()).toBe('web-0 ready, web-1 ready');
    expect(events()).toEqual([
      'SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate create Pod web-0 in StatefulSet web successful',
      'SuccessfulCreate create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'SuccessfulCreate create Pod web-1 in StatefulSet web successful',
    ]);
    const claims = h.list('/api/v1/namespaces/default/persistentvolumeclaims').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    expect(claims.map((c) => [c.metadata.name, c.status.phase, c.spec.storageClassName])).toEqual([
      ['www-web-0', 'Bound', 'local-path'],
      ['www-web-1', 'Bound', 'local-path'],
    ]);
    expect(claims[0]!.metadata.labels).toEqual({ app: 'nginx' });
    expect(claims[0]!.metadata.ownerReferences).toBeUndefined();
    const pod0 = h.get('/api/v1/namespaces/default/pods/web-0')!;
    expect(pod0.spec.volumes[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    const pv0 = h.get(`/api/v1/persistentvolumes/${claims[0]!.spec.volumeName}`)!;
    expect(pv0.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([pod0.spec.nodeName]);

    // web-0 made again lands on the same node and finds its data.
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/web-0' });
    h.advance(60_000);
    const again = h.get('/api/v1/namespaces/default/pods/web-0')!;
    expect(again.metadata.uid).not.toBe(pod0.metadata.uid);
    expect(again.spec.nodeName).toBe(pod0.spec.nodeName);
    const fs = h.cluster.kubelets.get(pod0.spec.nodeName)!.hostFs;
    expect(fs.read(`${pv0.spec.hostPath.path}/log`)).toBe('started\nstarted\n');

    // Scaling down keeps the claims (whenScaled: Retain, the default).
    patchSet({ spec: { replicas: 1 } });
    h.advance(60_000);
    expect(podStates()).toBe('web-0 ready');
    expect(h.get('/api/v1/namespaces/default/persistentvolumeclaims/www-web-1')!.status.phase).toBe('Bound');
    expect(getSet().spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  it('with whenScaled and whenDeleted Delete, the garbage collector removes the claims of scaled-down pods and of the deleted set', () => {
    setup();
    for (const name of ['pv-a', 'pv-b'])
      h.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/mnt/${name}` } } });
    const sts = h.create(
      statefulSet(2, {
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' } }],
      }),
    );
    h.advance(60_000);
    expect(podStates()).toBe('web-0 ready, web-1 ready');
    const claimPath = (n: number) => `/api/v1/namespaces/default/persistentvolumeclaims/www-web-${n}`;
    const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true };
    expect(h.get(claimPath(1))!.metadata.ownerReferences).toEqual([setRef]);
    patchSet({ spec: { replicas: 1 } });
    h.advance(0);
    // The condemned pod's claim now belongs to the pod, and goes with it.
    const web1 = h.get('/api/v1/namespaces/default/pods/web-1')!;
    expect(h.get(claimPath(1))!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: web1.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    h.advance(60_000);
    expect(h.get(claimPath(1))).toBeUndefined();
    expect(h.get(claimPath(0))!.metadata.ownerReferences).toEqual([setRef]);
    h.call({ method: 'DELETE', path: `${STS}/web` });
    h.advance(60_000);
    expect(podStates()).toBe('');
    expect(h.get(claimPath(0))).toBeUndefined();
    expect(h.list('/api/v1/persistentvolumes').map((pv) => pv.status.phase)).toEqual(['Released', 'Released']);
  });

  it('owns the claims as persistentVolumeClaimRetentionPolicy asks', () => {
    setup();
    const sts = h.create(
      statefulSet(1, {
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' } }],
      }),
    );
    h.advance(0);
    expect(h.get('/api/v1/namespaces/default/persistentvolumeclaims/www-web-0')!.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    // Changing the policy back to Retain removes the reference.
    patchSet({ spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain' } } });
    h.advance(0);
    expect(h.get('/api/v1/namespaces/default/persistentvolumeclaims/www-web-0')!.metadata.ownerReferences).toBeUndefined();
  });
});
