/**
 * The eviction subresource as kube-apiserver 1.32 serves it (pkg/registry/core/pod/storage/
 * eviction.go): the DisruptionTarget condition before the delete, the budget checks and their
 * answers. Budgets' status is written by hand here, as the disruption controller would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../controllers/testkit';
import { rfc3339 } from './duration';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';

function pod(name: string, labels: Record<string, string>, extra: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'web', image: 'nginx', ...extra }] } };
}

/** A pod whose readiness probe never passes: Running, never Ready. */
const unready = { readinessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 5 } };

function evict(name: string, extra: Obj = {}, query?: Record<string, string>) {
  return h.cluster.api.handle({
    method: 'POST',
    path: `${PODS}/${name}/eviction`,
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...extra },
    userAgent: 'kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd',
    ...(query ? { query } : {}),
  });
}

/** A budget with the status its controller would have written. */
function budget(name: string, spec: Obj, status: Obj): Obj {
  const pdb = h.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec });
  return h.call({ method: 'PUT', path: `${PDBS}/${name}/status`, body: { ...pdb, status: { observedGeneration: 1, ...status } } });
}

const SUCCESS = { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };

function tooManyRequests(cause: string, retryAfterSeconds?: number): Obj {
  return {
    status: 429,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) },
      code: 429,
    },
  };
}

describe('pods/eviction', () => {
  it('marks the pod DisruptionTarget, then deletes it gracefully; a dry run does neither', () => {
    h = harness();
    // A shell as PID 1 ignores SIGTERM: the pod takes its whole grace period to go.
    h.create(pod('web', { app: 'web' }, { image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }));
    h.advance(10_000);
    const before = h.get(`${PODS}/web`)!;
    expect(evict('web', {}, { dryRun: 'All' })).toEqual(SUCCESS);
    expect(h.get(`${PODS}/web`)).toEqual(before);

    const at = rfc3339(h.cluster.clock.now());
    expect(evict('web')).toEqual(SUCCESS);
    const evicted = h.get(`${PODS}/web`)!;
    expect(evicted.metadata.deletionTimestamp).toBeDefined();
    expect(evicted.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(evicted.status.conditions).toEqual([
      ...before.status.conditions,
      { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' },
    ]);
    // The eviction's own update does not show in managedFields.
    expect(evicted.metadata.managedFields).toEqual(before.metadata.managedFields);
    // Evicting a pod already terminating succeeds and keeps the condition's transition time.
    h.advance(5_000);
    expect(evict('web')).toEqual(SUCCESS);
    expect(h.get(`${PODS}/web`)?.status.conditions.at(-1).lastTransitionTime).toBe(at);
    h.advance(30_000);
    expect(h.get(`${PODS}/web`)).toBeUndefined();
  });

  it('answers a bad request, a missing pod and a failed precondition as upstream does', () => {
    h = harness();
    const created = h.create(pod('web', { app: 'web' }));
    h.advance(10_000);
    expect(h.cluster.api.handle({ method: 'POST', path: `${PODS}/web/eviction`, body: { apiVersion: 'policy/v1', kind: 'Eviction' }, userAgent: 'kubectl' })).toEqual({
      status: 400,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'name in URL does not match name in Eviction object', reason: 'BadRequest', code: 400 },
    });
    expect(evict('nope')).toEqual({
      status: 404,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'pods' }, code: 404 },
    });
    expect(evict('web', { deleteOptions: { preconditions: { uid: 'd2bb1b1c-0000-4000-8000-000000000000' } } })).toEqual({
      status: 409,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `Operation cannot be fulfilled on Pod "web": the UID in the precondition (d2bb1b1c-0000-4000-8000-000000000000) does not match the UID in record (${created.metadata.uid}). The object might have been deleted and then recreated`,
        reason: 'Conflict',
        details: { name: 'web', kind: 'Pod' },
        code: 409,
      },
    });
    // A matching resourceVersion precondition holds across the eviction's own condition update.
    const rv = h.get(`${PODS}/web`)!.metadata.resourceVersion;
    expect(evict('web', { deleteOptions: { preconditions: { uid: created.metadata.uid, resourceVersion: rv } } })).toEqual(SUCCESS);
    expect(h.get(`${PODS}/web`)!.metadata.deletionTimestamp).toBeDefined();
    h.advance(30_000);
  });

  it('spends the budget, refuses when it is spent, and waits for the controller to see a new budget', () => {
    h = harness();
    for (const name of ['a', 'b', 'c']) h.create(pod(name, { app: 'web' }));
    h.advance(10_000);
    // Just created: its controller has not observed it yet.
    const fresh = h.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    expect(evict('a')).toEqual(tooManyRequests('The disruption budget web is still being processed by the server.', 10));
    const condition = { type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: '2025-06-02T09:31:27Z', reason: 'SufficientPods', message: '' };
    h.call({
      method: 'PUT',
      path: `${PDBS}/web/status`,
      body: { ...fresh, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, conditions: [condition] } },
    });
    const now = rfc3339(h.cluster.clock.now());
    expect(evict('a')).toEqual(SUCCESS);
    expect(h.get(`${PDBS}/web`)!.status).toEqual({
      observedGeneration: 1,
      disruptedPods: { a: now },
      disruptionsAllowed: 0,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ ...condition, status: 'False', lastTransitionTime: now, reason: 'InsufficientPods' }],
    });
    expect(evict('b')).toEqual(tooManyRequests('The disruption budget web needs 2 healthy pods and has 3 currently'));
    expect(h.get(`${PODS}/b`)!.metadata.deletionTimestamp).toBeUndefined();
    h.advance(30_000);
  });

  it('lets an unready pod go without spending the budget, as unhealthyPodEvictionPolicy says', () => {
    h = harness();
    for (const name of ['ok1', 'ok2']) h.create(pod(name, { app: 'web' }));
    for (const name of ['sick1', 'sick2', 'sick3']) h.create(pod(name, { app: 'web' }, unready));
    h.create(pod('lone', { app: 'lone' }, unready));
    h.create(pod('lone2', { app: 'lone2' }, unready));
    h.advance(10_000);
    expect(h.get(`${PODS}/sick1`)!.status.phase).toBe('Running');
    // IfHealthyBudget (the default): while the budget is met, unready pods go for free.
    budget('met', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 5 });
    expect(evict('sick1')).toEqual(SUCCESS);
    expect(h.get(`${PDBS}/met`)!.status.disruptedPods).toBeUndefined();
    // Not met: the budget decides, and it has nothing to give.
    budget('unmet', { minAvailable: 1, selector: { matchLabels: { app: 'lone' } } }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1, expectedPods: 1 });
    expect(evict('lone')).toEqual(tooManyRequests('The disruption budget unmet needs 1 healthy pods and has 0 currently'));
    // AlwaysAllow: unready pods always go.
    budget('always', { minAvailable: 1, selector: { matchLabels: { app: 'lone2' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1, expectedPods: 1 });
    expect(evict('lone2')).toEqual(SUCCESS);
    h.advance(30_000);
  });

  it('refuses a pod with two budgets (a Failure status in a 201) and a negative budget; an empty selector covers every pod', () => {
    h = harness();
    h.create(pod('web', { app: 'web', tier: 'front' }));
    h.create(pod('db', { app: 'db' }));
    h.advance(10_000);
    budget('by-app', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 });
    budget('by-tier', { maxUnavailable: 1, selector: { matchLabels: { tier: 'front' } } }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 });
    expect(evict('web')).toEqual({
      status: 201,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 },
    });
    expect(h.get(`${PODS}/web`)!.metadata.deletionTimestamp).toBeUndefined();
    budget('everything', { maxUnavailable: 0, selector: {} }, { disruptionsAllowed: -1, currentHealthy: 1, desiredHealthy: 2, expectedPods: 2 });
    expect(evict('db')).toEqual({
      status: 403,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'poddisruptionbudget.policy "everything" is forbidden: pdb disruptions allowed is negative',
        reason: 'Forbidden',
        details: { name: 'everything', group: 'policy', kind: 'poddisruptionbudget' },
        code: 403,
      },
    });
    // A budget without a selector covers no pod.
    h.call({ method: 'DELETE', path: `${PDBS}/everything` });
    budget('nothing', { maxUnavailable: 0 }, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    expect(evict('db')).toEqual(SUCCESS);
    h.advance(30_000);
  });
});
