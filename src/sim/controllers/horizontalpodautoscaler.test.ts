import { afterEach, describe, expect, it } from 'vitest';
import { rfc3339 } from '../apiserver';
import { harness, type Harness } from './testkit';
import { HPA_SYNC_PERIOD_MS, milliValue } from './horizontalpodautoscaler';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const HPAS = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const CPU_UTILIZATION = 'cpu resource utilization (percentage of request)';

function start(options: { metricsServer?: boolean } = { metricsServer: true }): Harness {
  h = harness(options);
  return h;
}

function deployment(name: string, replicas: number, container: Obj): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', ...container }] } } },
  };
}

/** One CPU-bound process per pod (stress --cpu 1) against a 200m request: about 500% of request. */
const cpuHog = { image: 'polinux/stress', command: ['stress'], args: ['--cpu', '1'], resources: { requests: { cpu: '200m' } } };
const idle = { image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } };

function hpa(name: string, spec: Obj, ref: Obj = {}): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name, ...ref }, ...spec },
  };
}

const cpu50 = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }];

const getHpa = (name: string): Obj => h.get(`${HPAS}/${name}`)!;
const replicas = (name: string): number => h.get(`${DEPLOYMENTS}/${name}`)!.spec.replicas;

/** `kubectl get hpa NAME`: NAME, REFERENCE, TARGETS, MINPODS, MAXPODS, REPLICAS, AGE. */
function row(name: string): unknown[] {
  const table = h.call({ method: 'GET', path: `${HPAS}/${name}`, as: 'Table' });
  return table.rows[0].cells;
}

/** Conditions as `kubectl describe hpa` lists them: type, status, reason, message. */
function conditions(name: string): string[] {
  return ((getHpa(name).status?.conditions ?? []) as Obj[]).map((c) => `${c.type} ${c.status} ${c.reason}: ${c.message}`);
}

function condition(name: string, type: string): string | undefined {
  return conditions(name).find((c) => c.startsWith(`${type} `));
}

function events(name: string): string[] {
  return h
    .list('/api/v1/namespaces/default/events')
    .filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler' && e.involvedObject.name === name)
    .sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp))
    .map((e) => `${e.type} ${e.reason} ${e.message}`);
}

describe('HorizontalPodAutoscaler controller', () => {
  it('scales a Deployment under CPU load up in steps, and back down only after the 5-minute stabilization window', () => {
    start();
    h.create(deployment('php', 1, cpuHog));
    h.advance(60_000);
    h.create(hpa('php', { minReplicas: 1, maxReplicas: 10, metrics: cpu50 }));
    const t0 = h.cluster.clock.now();
    expect(row('php').slice(1, 6)).toEqual(['Deployment/php', 'cpu: <unknown>/50%', '1', 10, 0]);
    // The first sync comes one sync period after the HPA appears.
    h.advance(HPA_SYNC_PERIOD_MS - 1);
    expect(events('php')).toEqual([]);
    h.advance(1);
    const first = getHpa('php');
    const utilization: number = first.status.currentMetrics[0].resource.current.averageUtilization;
    expect(utilization).toBeGreaterThan(440);
    expect(utilization).toBeLessThan(560);
    expect(first.status).toEqual({
      lastScaleTime: rfc3339(t0 + 15_000),
      currentReplicas: 1,
      desiredReplicas: 4,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: expect.stringMatching(/^\d+m$/), averageUtilization: utilization } } }],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: rfc3339(t0 + 15_000), reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' },
        { type: 'ScalingActive', status: 'True', lastTransitionTime: rfc3339(t0 + 15_000), reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${CPU_UTILIZATION}` },
        { type: 'ScalingLimited', status: 'True', lastTransitionTime: rfc3339(t0 + 15_000), reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' },
      ],
    });
    // averageValue is the mean usage per pod: utilization × the 200m request.
    const milli = Number(first.status.currentMetrics[0].resource.current.averageValue.slice(0, -1));
    expect(Math.floor((milli * 100) / 200)).toBe(utilization);
    expect(row('php').slice(2, 6)).toEqual([`cpu: ${utilization}%/50%`, '1', 10, 1]);
    expect(replicas('php')).toBe(4);

    // The three new pods have no metrics yet: they count as idle, and the one busy pod still
    // asks for more than twice as many, so the scale-up limit (2 × 4) applies.
    h.advance(HPA_SYNC_PERIOD_MS);
    expect(replicas('php')).toBe(8);
    // The utilization reported is the measured pods' only: the new ones are not averaged in.
    expect(getHpa('php').status.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThan(440);
    expect(condition('php', 'ScalingLimited')).toBe('ScalingLimited True ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate');
    h.advance(HPA_SYNC_PERIOD_MS);
    expect(replicas('php')).toBe(10);
    expect(conditions('php')).toEqual([
      'AbleToScale True SucceededRescale: the HPA controller was able to update the target scale to 10',
      `ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from ${CPU_UTILIZATION}`,
      'ScalingLimited True TooManyReplicas: the desired replica count is more than the maximum replica count',
    ]);
    const up = `reason: ${CPU_UTILIZATION} above target`;
    expect(events('php')).toEqual([`Normal SuccessfulRescale New size: 4; ${up}`, `Normal SuccessfulRescale New size: 8; ${up}`, `Normal SuccessfulRescale New size: 10; ${up}`]);
    h.advance(60_000);
    expect(row('php')[5]).toBe(10);
    expect(getHpa('php').status.lastScaleTime).toBe(rfc3339(t0 + 45_000));
    expect(h.pods('default', { app: 'php' }).filter((p) => p.status.phase === 'Running')).toHaveLength(10);

    // The load stops: the pods are replaced by idle ones.
    h.call({
      method: 'PATCH',
      path: `${DEPLOYMENTS}/php`,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'app', command: ['sh', '-c', 'sleep 3600'], args: null }] } } } },
    });
    let lastBusy = h.cluster.clock.now();
    let scaledDown: number | undefined;
    while (scaledDown === undefined && h.cluster.clock.now() - t0 < 15 * 60_000) {
      h.advance(HPA_SYNC_PERIOD_MS);
      const status = getHpa('php').status;
      const util = status.currentMetrics?.[0]?.resource?.current?.averageUtilization;
      // At 45% or more of the 50% target, a recommendation is at least the current 10.
      if (util !== undefined && util >= 45) lastBusy = h.cluster.clock.now();
      if (replicas('php') !== 10) {
        scaledDown = h.cluster.clock.now();
        break;
      }
      if (util === 0) {
        expect(row('php').slice(2, 6)).toEqual(['cpu: 0%/50%', '1', 10, 10]);
        expect(condition('php', 'AbleToScale')).toBe('AbleToScale True ScaleDownStabilized: recent recommendations were higher than current one, applying the highest recent recommendation');
      }
    }
    // The busy recommendations age out of the 300 s window at the first sync strictly after it.
    expect(scaledDown! - lastBusy).toBe(300_000 + HPA_SYNC_PERIOD_MS);
    expect(replicas('php')).toBe(1);
    expect(events('php').filter((e) => e.includes('SuccessfulRescale')).at(-1)).toBe('Normal SuccessfulRescale New size: 1; reason: All metrics below target');
    expect(conditions('php')).toEqual([
      'AbleToScale True SucceededRescale: the HPA controller was able to update the target scale to 1',
      `ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from ${CPU_UTILIZATION}`,
      'ScalingLimited True TooFewReplicas: the desired replica count is less than the minimum replica count',
    ]);
    expect(getHpa('php').status).toMatchObject({ lastScaleTime: rfc3339(scaledDown!), currentReplicas: 10, desiredReplicas: 1 });
    h.advance(60_000);
    expect(row('php').slice(2, 6)).toEqual(['cpu: 0%/50%', '1', 10, 1]);
  });

  it('brings the target within minReplicas and maxReplicas, leaves a target at zero alone, and reports targets it cannot scale', () => {
    start();
    h.create(deployment('below', 1, idle));
    h.create(deployment('above', 6, idle));
    h.create(deployment('zero', 0, idle));
    h.create(deployment('shared', 1, idle));
    // The other kinds with a scale subresource.
    h.create({ ...deployment('rs', 3, idle), kind: 'ReplicaSet' });
    const sts = deployment('sts', 3, idle);
    h.create({ ...sts, kind: 'StatefulSet', spec: { ...sts.spec, serviceName: 'sts' } });
    h.create({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replicas: 3, selector: { app: 'rc' }, template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'app', ...idle }] } } } });
    h.advance(90_000);
    h.create(hpa('rs', { maxReplicas: 2, metrics: cpu50 }, { kind: 'ReplicaSet' }));
    h.create(hpa('sts', { maxReplicas: 2, metrics: cpu50 }, { kind: 'StatefulSet' }));
    h.create(hpa('rc', { maxReplicas: 2, metrics: cpu50 }, { apiVersion: 'v1', kind: 'ReplicationController' }));
    h.create(hpa('typo', { maxReplicas: 2, metrics: cpu50 }, { kind: 'Deploymnet', name: 'below' }));
    h.create(hpa('below', { minReplicas: 3, maxReplicas: 5, metrics: cpu50 }));
    h.create(hpa('above', { minReplicas: 1, maxReplicas: 4, metrics: cpu50 }));
    h.create(hpa('zero', { maxReplicas: 4, metrics: cpu50 }));
    h.create(hpa('missing', { maxReplicas: 4, metrics: cpu50 }));
    h.create(hpa('shared-a', { maxReplicas: 4, metrics: cpu50 }, { name: 'shared' }));
    h.create(hpa('shared-b', { maxReplicas: 4, metrics: cpu50 }, { name: 'shared' }));
    h.advance(HPA_SYNC_PERIOD_MS);

    expect(replicas('below')).toBe(3);
    expect(events('below')).toEqual(['Normal SuccessfulRescale New size: 3; reason: Current number of replicas below Spec.MinReplicas']);
    // No metrics were read: the status has none, and kubectl shows the target as unknown.
    expect(getHpa('below').status).toMatchObject({ currentReplicas: 1, desiredReplicas: 3 });
    expect(getHpa('below').status.currentMetrics ?? null).toBeNull();
    expect(conditions('below')).toEqual(['AbleToScale True SucceededRescale: the HPA controller was able to update the target scale to 3']);
    expect(row('below').slice(2, 6)).toEqual(['cpu: <unknown>/50%', '3', 5, 1]);

    expect(replicas('above')).toBe(4);
    expect(events('above')).toEqual(['Normal SuccessfulRescale New size: 4; reason: Current number of replicas above Spec.MaxReplicas']);

    expect(replicas('zero')).toBe(0);
    expect(events('zero')).toEqual([]);
    expect(conditions('zero')).toEqual([
      "AbleToScale True SucceededGetScale: the HPA controller was able to get the target's current scale",
      'ScalingActive False ScalingDisabled: scaling is disabled since the replica count of the target is zero',
    ]);
    expect(row('zero').slice(2, 6)).toEqual(['cpu: <unknown>/50%', '1', 4, 0]);

    for (const [name, path] of [
      ['rs', '/apis/apps/v1/namespaces/default/replicasets/rs'],
      ['sts', '/apis/apps/v1/namespaces/default/statefulsets/sts'],
      ['rc', '/api/v1/namespaces/default/replicationcontrollers/rc'],
    ] as const) {
      expect(h.get(path)!.spec.replicas).toBe(2);
      expect(events(name)).toEqual(['Normal SuccessfulRescale New size: 2; reason: Current number of replicas above Spec.MaxReplicas']);
    }
    expect(events('typo')).toEqual(['Warning FailedGetScale no matches for kind "Deploymnet" in group "apps"']);
    expect(events('missing')).toEqual(['Warning FailedGetScale deployments.apps "missing" not found']);
    expect(conditions('missing')).toEqual(['AbleToScale False FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments.apps "missing" not found']);

    // Two HPAs for the same pods: the second to look finds the first, and from then on both refuse.
    const ambiguous = 'pods by selector app=shared are controlled by multiple HPAs: [default/shared-a default/shared-b]';
    expect(events('shared-b')).toEqual([`Warning AmbiguousSelector ${ambiguous}`, `Warning FailedComputeMetricsReplicas ${ambiguous}`]);
    expect(events('shared-a')).toEqual([]);
    expect(condition('shared-b', 'ScalingActive')).toBe(`ScalingActive False AmbiguousSelector: ${ambiguous}`);
    h.advance(HPA_SYNC_PERIOD_MS);
    expect(condition('shared-a', 'ScalingActive')).toBe(`ScalingActive False AmbiguousSelector: ${ambiguous}`);

    // Idle pods would need none, but the new pods' first recommendation (their missing samples
    // count as 100% on a way down) is still within the 5-minute window.
    h.advance(90_000);
    expect(replicas('below')).toBe(3);
    expect(row('below').slice(2, 6)).toEqual(['cpu: 0%/50%', '3', 5, 3]);
    expect(conditions('below')).toEqual([
      'AbleToScale True ScaleDownStabilized: recent recommendations were higher than current one, applying the highest recent recommendation',
      `ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from ${CPU_UTILIZATION}`,
      'ScalingLimited False DesiredWithinRange: the desired count is within the acceptable range',
    ]);
    expect(events('missing')).toEqual(['Warning FailedGetScale deployments.apps "missing" not found']);
  });

  it('reports FailedComputeMetricsReplicas when the pods have no CPU request', () => {
    start();
    h.create(deployment('web', 2, { image: 'nginx:1.27' }));
    h.advance(90_000);
    h.create(hpa('web', { minReplicas: 1, maxReplicas: 5, metrics: cpu50 }));
    h.advance(HPA_SYNC_PERIOD_MS);
    // The first pod of the namespace's pod list lacking a request is named.
    const pods = h.pods('default', { app: 'web' }).map((p) => p.metadata.name);
    const pod = /of Pod (\S+)$/.exec(events('web')[0] ?? '')?.[1] ?? '';
    expect(pods).toContain(pod);
    const cause = `failed to get cpu utilization: missing request for cpu in container app of Pod ${pod}`;
    expect(events('web')).toEqual([
      `Warning FailedGetResourceMetric ${cause}`,
      `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${cause}`,
    ]);
    expect(conditions('web')).toEqual([
      "AbleToScale True SucceededGetScale: the HPA controller was able to get the target's current scale",
      `ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: ${cause}`,
    ]);
    // The status keeps one (empty) entry per metric, as upstream writes it.
    expect(getHpa('web').status).toMatchObject({ currentReplicas: 2, desiredReplicas: 0, currentMetrics: [{ type: '' }] });
    expect(getHpa('web').status.lastScaleTime).toBeUndefined();
    expect(row('web').slice(2, 6)).toEqual(['cpu: <unknown>/50%', '1', 5, 2]);
    h.advance(60_000);
    expect(replicas('web')).toBe(2);
    const counts = h.list('/api/v1/namespaces/default/events').filter((e) => e.involvedObject.name === 'web' && e.involvedObject.kind === 'HorizontalPodAutoscaler');
    expect(counts.map((e) => e.count)).toEqual([5, 5]);
  });

  it('scales on the metrics it can read, and reports the ones it cannot (no custom metrics adapter, a missing container)', () => {
    start();
    h.create(deployment('busy', 1, cpuHog));
    h.create(deployment('side', 1, idle));
    h.advance(90_000);
    const requestsPerSecond = { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } };
    h.create(hpa('busy', { maxReplicas: 3, metrics: [...cpu50, requestsPerSecond] }));
    h.create(hpa('side', { maxReplicas: 3, metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'sidecar', target: { type: 'Utilization', averageUtilization: 50 } } }] }));
    h.advance(HPA_SYNC_PERIOD_MS);

    // One metric of two is enough to scale up (not down).
    const noAdapter = 'unable to get metric http_requests_per_second: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
    expect(events('busy')).toEqual([`Warning FailedGetPodsMetric ${noAdapter}`, `Normal SuccessfulRescale New size: 3; reason: ${CPU_UTILIZATION} above target`]);
    expect(replicas('busy')).toBe(3);
    expect(condition('busy', 'ScalingActive')).toBe(`ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from ${CPU_UTILIZATION}`);
    const status = getHpa('busy').status;
    expect(status.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: expect.anything() } }, { type: '' }]);
    expect(row('busy')[2]).toBe(`cpu: ${status.currentMetrics[0].resource.current.averageUtilization}%/50%, <unknown>/10`);

    const pod = h.pods('default', { app: 'side' })[0]!.metadata.name;
    const cause = `failed to get cpu utilization: unable to get metrics for resource cpu: failed to get container metrics: container sidecar not present in metrics for pod default/${pod}`;
    expect(events('side')).toEqual([
      `Warning FailedGetContainerResourceMetric ${cause}`,
      `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get sidecar container metric value: ${cause}`,
    ]);
    expect(condition('side', 'ScalingActive')).toBe(`ScalingActive False FailedGetContainerResourceMetric: the HPA was unable to compute the replica count: ${cause}`);
    expect(row('side')[2]).toBe('cpu: <unknown>/50%');
  });

  it('reports FailedGetResourceMetric while metrics-server is missing or has no samples yet, and scales once it serves metrics', () => {
    start({ metricsServer: false });
    h.create(deployment('php', 1, cpuHog));
    h.advance(60_000);
    h.create(hpa('php', { minReplicas: 1, maxReplicas: 3, metrics: cpu50 }));
    h.advance(HPA_SYNC_PERIOD_MS);
    const missing = 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
    expect(events('php')).toEqual([
      `Warning FailedGetResourceMetric ${missing}`,
      `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${missing}`,
    ]);
    expect(condition('php', 'ScalingActive')).toBe(`ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: ${missing}`);
    expect(row('php').slice(2, 6)).toEqual(['cpu: <unknown>/50%', '1', 3, 1]);

    // Installed: its first scrape comes before the next sync, but a pod needs two scrapes
    // before it has a CPU rate, so the list is empty for one more sync.
    h.cluster.installMetricsServer();
    h.advance(HPA_SYNC_PERIOD_MS);
    const empty = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
    expect(condition('php', 'ScalingActive')).toBe(`ScalingActive False FailedGetResourceMetric: the HPA was unable to compute the replica count: ${empty}`);
    h.advance(HPA_SYNC_PERIOD_MS);
    expect(replicas('php')).toBe(3);
    expect(events('php').slice(2)).toEqual([
      `Warning FailedGetResourceMetric ${empty}`,
      `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${empty}`,
      `Normal SuccessfulRescale New size: 3; reason: ${CPU_UTILIZATION} above target`,
    ]);
    expect(condition('php', 'ScalingActive')).toBe(`ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from ${CPU_UTILIZATION}`);
  });

  it('follows spec.behavior: scale up one pod a minute, scale down one pod every 30 s, or not at all', () => {
    start();
    h.create(deployment('slow', 1, cpuHog));
    h.create(deployment('sticky', 1, cpuHog));
    h.advance(60_000);
    h.create(
      hpa('slow', {
        minReplicas: 1,
        maxReplicas: 4,
        metrics: cpu50,
        behavior: {
          scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
          scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }] },
        },
      }),
    );
    h.create(hpa('sticky', { minReplicas: 1, maxReplicas: 2, metrics: cpu50, behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } } }));
    const t0 = h.cluster.clock.now();
    /** The replica counts of "slow" after each sync until `until`, as "count@seconds" at each change. */
    const changes = (until: number): string[] => {
      const out: string[] = [];
      let last = replicas('slow');
      while (h.cluster.clock.now() - t0 < until) {
        h.advance(HPA_SYNC_PERIOD_MS);
        const now = replicas('slow');
        if (now !== last) out.push(`${now}@${(h.cluster.clock.now() - t0) / 1000}s`);
        last = now;
      }
      return out;
    };
    // One pod per 60 s: a rescale waits until the last one is a full period old.
    expect(changes(180_000)).toEqual(['2@15s', '3@75s', '4@135s']);
    expect(events('slow').filter((e) => e.includes('SuccessfulRescale'))).toEqual([2, 3, 4].map((n) => `Normal SuccessfulRescale New size: ${n}; reason: ${CPU_UTILIZATION} above target`));
    expect(condition('slow', 'ScalingLimited')).toBe('ScalingLimited True TooManyReplicas: the desired replica count is more than the maximum replica count');
    expect(replicas('sticky')).toBe(2);

    // Load stops in both.
    for (const name of ['slow', 'sticky']) {
      h.call({
        method: 'PATCH',
        path: `${DEPLOYMENTS}/${name}`,
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { template: { spec: { containers: [{ name: 'app', command: ['sh', '-c', 'sleep 3600'], args: null }] } } } },
      });
    }
    // Without a stabilization window the first step comes with the first idle reading, then one pod per 30 s.
    const steps = changes(390_000).map((c) => c.split('@').map((x) => parseInt(x, 10)) as [number, number]);
    expect(steps.map(([n]) => n)).toEqual([3, 2, 1]);
    expect(steps[1]![1] - steps[0]![1]).toBe(30);
    expect(steps[2]![1] - steps[1]![1]).toBe(30);
    expect(condition('slow', 'ScalingLimited')).toBe('ScalingLimited True TooFewReplicas: the desired replica count is less than the minimum replica count');
    expect(events('slow').slice(-3).map((e) => e.replace(/^Normal SuccessfulRescale /, ''))).toEqual(['New size: 3; reason: All metrics below target', 'New size: 2; reason: All metrics below target', 'New size: 1; reason: All metrics below target']);

    expect(replicas('sticky')).toBe(2);
    expect(row('sticky').slice(2, 6)).toEqual(['cpu: 0%/50%', '1', 2, 2]);
    expect(condition('sticky', 'ScalingLimited')).toBe('ScalingLimited True ScaleDownLimit: the desired replica count is decreasing faster than the maximum scale rate');
  });

  it('scales on average memory usage (an AverageValue target)', () => {
    start();
    h.create(deployment('mem', 1, { image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }));
    h.advance(60_000);
    h.create(hpa('mem', { maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] }));
    h.advance(HPA_SYNC_PERIOD_MS);
    expect(replicas('mem')).toBe(2);
    const current = getHpa('mem').status.currentMetrics[0];
    // The average is in bytes, as a decimal quantity ("157286400", or with "m" for fractions of a byte).
    expect(current).toEqual({ type: 'Resource', resource: { name: 'memory', current: { averageValue: expect.stringMatching(/^\d+(m|k)?$/) } } });
    expect(row('mem')[2]).toBe(`memory: ${current.resource.current.averageValue}/100Mi`);
    const mib = milliValue(current.resource.current.averageValue) / 1000 / 2 ** 20;
    expect(mib).toBeGreaterThan(130);
    expect(mib).toBeLessThan(170);
    expect(conditions('mem')).toEqual([
      'AbleToScale True SucceededRescale: the HPA controller was able to update the target scale to 2',
      'ScalingActive True ValidMetricFound: the HPA was able to successfully calculate a replica count from memory resource',
      'ScalingLimited False DesiredWithinRange: the desired count is within the acceptable range',
    ]);
    h.advance(90_000);
    expect(replicas('mem')).toBe(3);
    expect(events('mem')).toEqual(['Normal SuccessfulRescale New size: 2; reason: memory resource above target', 'Normal SuccessfulRescale New size: 3; reason: memory resource above target']);
    expect(condition('mem', 'ScalingLimited')).toBe('ScalingLimited True TooManyReplicas: the desired replica count is more than the maximum replica count');
  });
});
