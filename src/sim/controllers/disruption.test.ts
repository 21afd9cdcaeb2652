import { afterEach, describe, expect, it } from 'vitest';
import { rfc3339 } from '../apiserver';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';

function setup(): Harness {
  h = harness();
  return h;
}

const template = (app: string, extra: Obj = {}) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'web', image: 'nginx', ...extra }] } });

function deployment(name: string, replicas: number): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name) } };
}

function pdb(name: string, spec: Obj): Obj {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec };
}

function evict(name: string) {
  return h.cluster.api.handle({
    method: 'POST',
    path: `${PODS}/${name}/eviction`,
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } },
    userAgent: 'kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd',
  });
}

/** Events the disruption controller recorded (source "controllermanager"), about `name`. */
function events(name?: string): string[] {
  return h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.source.component === 'controllermanager' && (name === undefined || e.involvedObject.name === name))
    .map((e) => `${e.involvedObject.kind} ${e.type} ${e.reason} ${e.message}`);
}

const status = (name: string) => h.get(`${PDBS}/${name}`)!.status;
const active = (app: string) => h.pods('default', { app }).filter((p) => !p.metadata.deletionTimestamp);

describe('disruption controller', () => {
  it('keeps a budget over a Deployment, and evictions go one at a time until the replacement is ready', () => {
    setup();
    h.create(deployment('web', 3));
    h.create(pdb('web', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }));
    h.advance(0);
    // The budget came before its pods: its first sync found none.
    expect(events('web')).toEqual(['PodDisruptionBudget Normal NoPods No matching pods found']);
    const created = rfc3339(h.cluster.clock.now());
    expect(status('web')).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: created, reason: 'InsufficientPods', message: '' }],
    });
    h.advance(30_000);
    const ready = h.pods('default', { app: 'web' }).map((p) => p.status.conditions.find((c: Obj) => c.type === 'Ready').lastTransitionTime).sort().at(-1);
    expect(status('web')).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: ready, reason: 'SufficientPods', message: '' }],
    });
    const table = h.call({ method: 'GET', path: `${PDBS}/web`, as: 'Table' } as never);
    expect(table.rows[0].cells.slice(0, 4)).toEqual(['web', '2', 'N/A', 1]);

    const [first, second] = active('web').map((p) => p.metadata.name);
    expect(evict(first!)).toMatchObject({ status: 201, body: { status: 'Success' } });
    const spent = rfc3339(h.cluster.clock.now());
    // Before the controller runs, the budget still counts the evicted pod as healthy.
    const refusal = (has: number) => ({
      status: 429,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget web needs 2 healthy pods and has ${has} currently` }] },
        code: 429,
      },
    });
    expect(evict(second!)).toEqual(refusal(3));
    h.advance(0);
    // The evicted pod is being deleted: it leaves disruptedPods and the healthy count. With an
    // integer minAvailable every matching pod is expected, the terminating one and its replacement too.
    expect(status('web')).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 0,
      currentHealthy: 2,
      desiredHealthy: 2,
      expectedPods: 4,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: spent, reason: 'InsufficientPods', message: '' }],
    });
    expect(evict(second!)).toEqual(refusal(2));
    // Until its replacement is ready.
    for (let t = 0; t < 30 && status('web').disruptionsAllowed === 0; t++) {
      h.advance(1000);
      if (status('web').disruptionsAllowed === 0) expect(evict(second!).status).toBe(429);
    }
    expect(status('web')).toMatchObject({ disruptionsAllowed: 1, currentHealthy: 3, expectedPods: 3 });
    expect(active('web').every((p) => p.status.conditions.some((c: Obj) => c.type === 'Ready' && c.status === 'True'))).toBe(true);
    expect(evict(second!).status).toBe(201);
    h.advance(30_000);
    expect(events('web')).toEqual(['PodDisruptionBudget Normal NoPods No matching pods found']);
  });

  it('expects pods from the scale of their controllers, or counts them for an integer minAvailable', () => {
    setup();
    h.create(deployment('d4', 4));
    h.create(deployment('d3', 3));
    h.create(deployment('pct', 3));
    h.create({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 2, selector: { matchLabels: { app: 'rs' } }, template: template('rs') } });
    h.create({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replicas: 2, selector: { app: 'rc' }, template: template('rc') } });
    h.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ss' }, spec: { replicas: 2, serviceName: 'ss', selector: { matchLabels: { app: 'ss' } }, template: template('ss') } });
    for (const name of ['u1', 'u2']) h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'bare' } }, spec: template('bare').spec });
    for (const name of ['v1', 'v2']) h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'loose' } }, spec: template('loose').spec });
    const cases: [string, Obj, Obj][] = [
      // name, spec, expected status
      ['d4', { maxUnavailable: 1 }, { expectedPods: 4, desiredHealthy: 3, currentHealthy: 4, disruptionsAllowed: 1 }],
      ['d3', { minAvailable: '50%' }, { expectedPods: 3, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 }],
      // 34% of 3 rounds up to 2 unavailable.
      ['pct', { maxUnavailable: '34%' }, { expectedPods: 3, desiredHealthy: 1, currentHealthy: 3, disruptionsAllowed: 2 }],
      ['rs', { minAvailable: '100%' }, { expectedPods: 2, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 }],
      ['rc', { maxUnavailable: '50%' }, { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 }],
      ['ss', { maxUnavailable: 1 }, { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 }],
      // Unmanaged pods count for an integer minAvailable...
      ['bare', { minAvailable: 1 }, { expectedPods: 2, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 }],
      // ...but have no scale: nothing is expected, so nothing may be disrupted.
      ['loose', { maxUnavailable: 1 }, { expectedPods: 0, desiredHealthy: 0, currentHealthy: 2, disruptionsAllowed: 0 }],
      ['nothing', { minAvailable: 1 }, { expectedPods: 0, desiredHealthy: 1, currentHealthy: 0, disruptionsAllowed: 0 }],
    ];
    for (const [name, spec] of cases) h.create(pdb(name, { ...spec, selector: { matchLabels: { app: name } } }));
    h.advance(60_000);
    for (const [name, , want] of cases) {
      expect([name, status(name)]).toEqual([
        name,
        {
          observedGeneration: 1,
          ...want,
          conditions: [
            {
              type: 'DisruptionAllowed',
              status: want.disruptionsAllowed > 0 ? 'True' : 'False',
              observedGeneration: 1,
              lastTransitionTime: expect.any(String),
              reason: want.disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
              message: '',
            },
          ],
        },
      ]);
    }
    expect(events('loose')).toContain(
      'PodDisruptionBudget Warning UnmanagedPods Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: loose,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
    expect(events('bare')).toEqual([]);
    expect(events('nothing')).toEqual(['PodDisruptionBudget Normal NoPods No matching pods found']);

    // Scaling the Deployment changes what is expected once its pods change.
    h.call({ method: 'PATCH', path: '/apis/apps/v1/namespaces/default/deployments/d4/scale', contentType: 'application/merge-patch+json', body: { spec: { replicas: 6 } } });
    h.advance(0);
    expect(status('d4')).toMatchObject({ expectedPods: 6, desiredHealthy: 5, currentHealthy: 4, disruptionsAllowed: 0 });
    h.advance(30_000);
    expect(status('d4')).toMatchObject({ expectedPods: 6, desiredHealthy: 5, currentHealthy: 6, disruptionsAllowed: 1 });
  });

  it('fails safe when the expected pods cannot be counted: SyncFailed and nothing allowed', () => {
    setup();
    h.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'batch' },
      spec: { parallelism: 2, completions: 2, template: { metadata: { labels: { app: 'batch' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } } },
    });
    h.advance(10_000);
    h.create(pdb('batch', { maxUnavailable: 1, selector: { matchLabels: { app: 'batch' } } }));
    h.advance(0);
    const now = rfc3339(h.cluster.clock.now());
    expect(status('batch')).toEqual({
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: now, reason: 'SyncFailed', message: 'jobs.batch does not implement the scale subresource' }],
    });
    expect(events('batch')).toEqual(['PodDisruptionBudget Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource']);
    // Not observed yet, so evictions are refused as still being processed.
    const [pod] = h.pods('default', { app: 'batch' });
    expect((evict(pod!.metadata.name).body as Obj).details.causes[0].message).toBe('The disruption budget batch is still being processed by the server.');
    // An integer minAvailable needs no scale.
    h.call({ method: 'PATCH', path: `${PDBS}/batch`, contentType: 'application/merge-patch+json', body: { spec: { maxUnavailable: null, minAvailable: 1 } } });
    h.advance(0);
    expect(status('batch')).toEqual({
      observedGeneration: 2,
      disruptionsAllowed: 1,
      currentHealthy: 2,
      desiredHealthy: 1,
      expectedPods: 2,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 2, lastTransitionTime: now, reason: 'SufficientPods', message: '' }],
    });
  });

  it('forgets an evicted pod that was not deleted within two minutes', () => {
    setup();
    h.create(deployment('web', 2));
    h.create(pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }));
    h.advance(30_000);
    const [kept] = active('web');
    const current = h.get(`${PDBS}/web`)!;
    // As if an eviction had been approved but its delete never happened.
    const at = rfc3339(h.cluster.clock.now());
    h.call({ method: 'PUT', path: `${PDBS}/web/status`, body: { ...current, status: { ...current.status, disruptedPods: { [kept!.metadata.name]: at }, disruptionsAllowed: 0 } } });
    h.advance(0);
    expect(status('web')).toMatchObject({ disruptedPods: { [kept!.metadata.name]: at }, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1 });
    h.advance(Date.parse(at) + 120_000 - h.cluster.clock.now());
    expect(status('web').disruptedPods).toEqual({ [kept!.metadata.name]: at });
    h.advance(10);
    expect(status('web')).toMatchObject({ disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 });
    expect(status('web').disruptedPods).toBeUndefined();
    // Upstream names the budget by its namespace twice.
    expect(events(kept!.metadata.name)).toEqual(["Pod Warning NotDeleted Pod was expected by PDB default/default to be deleted but it wasn't"]);
  });

  it('warns on a pod that two budgets select, and resets a DisruptionTarget condition left two minutes on a pod not deleted', () => {
    setup();
    h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web', tier: 'front' } }, spec: template('web').spec });
    h.create(pdb('a', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }));
    h.create(pdb('b', { maxUnavailable: 1, selector: { matchLabels: { tier: 'front' } } }));
    h.advance(10_000);
    expect(events('web')[0]).toBe('Pod Warning MultiplePodDisruptionBudgets Pod "default"/"web" matches multiple PodDisruptionBudgets.  Chose "a" arbitrarily.');

    // A pod that no node can take stays Pending; a DisruptionTarget condition on it goes stale.
    h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stuck' }, spec: { ...template('stuck').spec, nodeSelector: { disk: 'none' } } });
    h.advance(1000);
    const pod = h.get(`${PODS}/stuck`)!;
    const at = rfc3339(h.cluster.clock.now());
    const condition = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
    h.call({ method: 'PUT', path: `${PODS}/stuck/status`, body: { ...pod, status: { ...pod.status, conditions: [...pod.status.conditions, condition] } } });
    const find = () => h.get(`${PODS}/stuck`)!.status.conditions.find((c: Obj) => c.type === 'DisruptionTarget');
    h.advance(Date.parse(at) + 120_000 - h.cluster.clock.now() - 1);
    expect(find()).toEqual(condition);
    h.advance(1);
    expect(find()).toEqual({ type: 'DisruptionTarget', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(h.cluster.clock.now()) });
  });
});
