import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string, replicas: number, spec: Obj = {}, image = 'nginx:1.27'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
      ...spec,
    },
  };
}

const get = (name: string) => h.get(`${DEPLOY}/${name}`)!;
const replicaSets = () =>
  h
    .list('/apis/apps/v1/namespaces/default/replicasets')
    .sort((a, b) => Number(a.metadata.annotations['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations['deployment.kubernetes.io/revision']));
const setImage = (name: string, image: string) =>
  h.call({ method: 'PATCH', path: `${DEPLOY}/${name}`, contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } } });
const patch = (name: string, body: Obj) => h.call({ method: 'PATCH', path: `${DEPLOY}/${name}`, contentType: 'application/merge-patch+json', body });
const events = (name: string) =>
  h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.involvedObject.kind === 'Deployment' && e.involvedObject.name === name)
    .sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((e) => `${e.reason} ${e.message}`);
const conditions = (d: Obj) => (d.status.conditions as Obj[]).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);

/** Watches the pods of a Deployment and records the extremes a rollout reaches. */
function watchRollout(name: string) {
  const seen = { maxPods: 0, minAvailable: Infinity };
  h.cluster.store.watch('/registry/pods/default/', () => {
    const pods = h.cluster.store.range<Obj>('/registry/pods/default/').map((kv) => kv.value).filter((p) => p.metadata.labels?.app === name && !p.metadata.deletionTimestamp);
    seen.maxPods = Math.max(seen.maxPods, pods.length);
    const available = pods.filter((p) => p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True')).length;
    seen.minAvailable = Math.min(seen.minAvailable, available);
  });
  return seen;
}

describe('Deployment controller', () => {
  it('creates a ReplicaSet named by the template hash, reports progress and becomes available', () => {
    h = harness();
    h.create(deployment('web', 3));
    h.advance(0);
    const [rs] = replicaSets();
    expect(rs!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{8,10}$/);
    const hash = rs!.metadata.name.slice('web-'.length);
    expect(rs!.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs!.metadata.annotations).toEqual({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    expect(rs!.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(get('web').metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(conditions(get('web'))).toEqual([
      'Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.',
      `Progressing=True ReplicaSetUpdated: ReplicaSet "${rs!.metadata.name}" is progressing.`,
    ]);
    h.advance(60_000);
    const d = get('web');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(conditions(d)).toEqual([
      'Available=True MinimumReplicasAvailable: Deployment has minimum availability.',
      `Progressing=True NewReplicaSetAvailable: ReplicaSet "${rs!.metadata.name}" has successfully progressed.`,
    ]);
    expect(events('web')).toEqual([`ScalingReplicaSet Scaled up replica set ${rs!.metadata.name} to 3`]);
    expect(h.pods('default', { app: 'web' }).every((p) => p.metadata.name.startsWith(`${rs!.metadata.name}-`))).toBe(true);
  });

  it.each([
    // replicas, maxSurge, maxUnavailable, first step of the rollout, pod ceiling, availability floor
    { replicas: 10, surge: '25%', unavailable: '25%', first: 'Scaled up replica set NEW to 3', maxPods: 13, minAvailable: 8 },
    { replicas: 4, surge: 0, unavailable: 1, first: 'Scaled down replica set OLD to 3 from 4', maxPods: 4, minAvailable: 3 },
    { replicas: 5, surge: '50%', unavailable: 0, first: 'Scaled up replica set NEW to 3', maxPods: 8, minAvailable: 5 },
    { replicas: 3, surge: 1, unavailable: 0, first: 'Scaled up replica set NEW to 1', maxPods: 4, minAvailable: 3 },
  ])('rolls out $replicas replicas with maxSurge $surge and maxUnavailable $unavailable within both bounds', ({ replicas, surge, unavailable, first, maxPods, minAvailable }) => {
    h = harness();
    h.create(deployment('web', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } }));
    h.advance(60_000);
    const seen = watchRollout('web');
    setImage('web', 'nginx:1.28');
    h.advance(0);
    const [old, fresh] = replicaSets();
    expect(events('web')[1]).toBe('ScalingReplicaSet ' + first.replace('NEW', fresh!.metadata.name).replace('OLD', old!.metadata.name));
    h.advance(120_000);
    expect(seen.maxPods).toBeLessThanOrEqual(maxPods);
    expect(seen.minAvailable).toBeGreaterThanOrEqual(minAvailable);
    expect(get('web').status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas });
    expect(replicaSets().map((rs) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs.spec.replicas])).toEqual([
      ['1', 0],
      ['2', replicas],
    ]);
    expect(h.pods('default', { app: 'web' }).filter((p) => !p.metadata.deletionTimestamp).every((p) => p.spec.containers[0].image === 'nginx:1.28')).toBe(true);
  });

  it('Recreate deletes every old pod before the new ReplicaSet starts any', () => {
    h = harness();
    h.create(deployment('web', 3, { strategy: { type: 'Recreate' } }));
    h.advance(60_000);
    let overlap = false;
    h.cluster.store.watch('/registry/pods/default/', () => {
      const images = new Set(h.cluster.store.range<Obj>('/registry/pods/default/').map((kv) => kv.value.spec.containers[0].image));
      if (images.size > 1) overlap = true;
    });
    setImage('web', 'nginx:1.28');
    h.advance(120_000);
    expect(overlap).toBe(false);
    const [old, fresh] = replicaSets();
    expect(events('web').slice(1)).toEqual([`ScalingReplicaSet Scaled down replica set ${old!.metadata.name} to 0 from 3`, `ScalingReplicaSet Scaled up replica set ${fresh!.metadata.name} to 3`]);
    expect(get('web').status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  });

  it('rolls back by reusing the old ReplicaSet, which takes the next revision and remembers its old one', () => {
    h = harness();
    h.create(deployment('web', 2));
    h.advance(60_000);
    setImage('web', 'nginx:1.28');
    h.advance(60_000);
    const [first] = replicaSets();
    setImage('web', 'nginx:1.27');
    h.advance(60_000);
    const rss = replicaSets();
    expect(rss).toHaveLength(2);
    const back = rss.find((rs) => rs.metadata.name === first!.metadata.name)!;
    expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(back.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(back.spec.replicas).toBe(2);
    expect(get('web').metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('does not roll out while paused, and does once resumed', () => {
    h = harness();
    h.create(deployment('web', 2));
    h.advance(60_000);
    patch('web', { spec: { paused: true } });
    setImage('web', 'nginx:1.28');
    h.advance(30_000);
    expect(replicaSets()).toHaveLength(1);
    expect(conditions(get('web'))[1]).toBe('Progressing=Unknown DeploymentPaused: Deployment is paused');
    patch('web', { spec: { paused: false } });
    h.advance(0);
    expect(replicaSets()).toHaveLength(2);
    h.advance(60_000);
    expect(conditions(get('web'))[1]).toMatch(/^Progressing=True NewReplicaSetAvailable: ReplicaSet "web-\w+" has successfully progressed\.$/);
  });

  it('reports ProgressDeadlineExceeded when a rollout makes no progress for progressDeadlineSeconds', () => {
    h = harness();
    h.create(deployment('web', 2, { progressDeadlineSeconds: 60 }));
    h.advance(60_000);
    setImage('web', 'nginx:no-such-tag');
    h.advance(59_000);
    expect(conditions(get('web'))[1]).toMatch(/^Progressing=True ReplicaSetUpdated:/);
    h.advance(5_000);
    const [, fresh] = replicaSets();
    expect(conditions(get('web'))).toContain(`Progressing=False ProgressDeadlineExceeded: ReplicaSet "${fresh!.metadata.name}" has timed out progressing.`);
    // The old pods keep serving: maxUnavailable 25% of 2 rounds down to 0.
    expect(get('web').status).toMatchObject({ replicas: 3, updatedReplicas: 1, availableReplicas: 2, unavailableReplicas: 1 });
  });

  it('scales a stuck rollout proportionally', () => {
    h = harness();
    h.create(deployment('web', 10));
    h.advance(60_000);
    setImage('web', 'nginx:no-such-tag');
    h.advance(30_000);
    // Stuck at old 8 + new 5 (maxSurge 3, maxUnavailable 2).
    expect(replicaSets().map((rs) => rs.spec.replicas)).toEqual([8, 5]);
    h.call({ method: 'PATCH', path: `${DEPLOY}/web/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 20 } } });
    h.advance(0);
    // 25 allowed (20 + 5 surge) minus 13 = 12 more, shared 8:5 of the old max-replicas 13.
    expect(replicaSets().map((rs) => rs.spec.replicas)).toEqual([15, 10]);
    expect(replicaSets().map((rs) => rs.metadata.annotations['deployment.kubernetes.io/desired-replicas'])).toEqual(['20', '20']);
  });

  it('keeps revisionHistoryLimit old ReplicaSets and copies change-cause to the new one', () => {
    h = harness();
    h.create(deployment('web', 1, { revisionHistoryLimit: 2 }));
    h.advance(60_000);
    for (const tag of ['1.25', '1.26', '1.28']) {
      h.call({ method: 'PATCH', path: `${DEPLOY}/web`, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'kubernetes.io/change-cause': `image ${tag}` } } } });
      setImage('web', `nginx:${tag}`);
      h.advance(60_000);
    }
    const rss = replicaSets();
    expect(rss.map((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'])).toEqual(['2', '3', '4']);
    expect(rss.at(-1)!.metadata.annotations['kubernetes.io/change-cause']).toBe('image 1.28');
  });

  it('counts a pod available only minReadySeconds after it is ready', () => {
    h = harness();
    h.create(deployment('web', 1, { minReadySeconds: 30 }));
    h.advance(10_000);
    expect(get('web').status).toMatchObject({ readyReplicas: 1, unavailableReplicas: 1 });
    expect(get('web').status.availableReplicas).toBeUndefined();
    h.advance(40_000);
    expect(get('web').status).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
  });
});
