/**
 * `bin/kubelab bench`: how the simulated control plane performs at scale. Each figure is one
 * `name value unit` line. Timings use the wall clock on purpose: they measure this machine.
 */
import { createCluster, type ApiRequest, type Cluster, type KubeObject } from '../sim';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

function podBody(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${String(i).padStart(5, '0')}`, labels: { app: `web-${i % 10}`, tier: i % 2 ? 'frontend' : 'backend' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

const PODS = '/api/v1/namespaces/default/pods';

function createPods(cluster: Cluster, from: number, count: number): void {
  for (let i = from; i < from + count; i++) {
    const res = cluster.api.handle({ method: 'POST', path: PODS, body: podBody(i) });
    if (res.status !== 201) throw new Error(`bench: create failed: ${JSON.stringify(res.body)}`);
  }
}

function timeIt(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Median of `runs` timings of `fn`, in ms, after a few warm-up runs. */
function median(runs: number, fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  const times = Array.from({ length: runs }, () => timeIt(fn)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface BenchOptions {
  pods?: number;
  /** Forces a garbage collection, when the runtime allows it, for the memory figure. */
  gc?: () => void;
  heapUsed?: () => number;
}

export function runBenchmarks(options: BenchOptions = {}): Figure[] {
  const n = options.pods ?? 10_000;
  const figures: Figure[] = [];

  // Create throughput on a fresh cluster.
  const cluster = createCluster({ seed: 1 });
  const createMs = timeIt(() => createPods(cluster, 0, n));
  figures.push({ name: 'create_throughput', value: round(n / (createMs / 1000)), unit: 'creates/s' });

  // Label-selector lists over all pods (10% match), as kubectl get pods -l does.
  const list: ApiRequest = { method: 'GET', path: PODS, query: { labelSelector: 'app=web-3' } };
  const listMs = median(21, () => cluster.api.handle(list));
  figures.push({ name: `list_label_selector_${n}_pods`, value: round(listMs, 2), unit: 'ms' });
  const tableMs = median(11, () => cluster.api.handle({ ...list, as: 'Table' }));
  figures.push({ name: `list_table_label_selector_${n}_pods`, value: round(tableMs, 2), unit: 'ms' });
  const allMs = median(11, () => cluster.api.handle({ method: 'GET', path: PODS }));
  figures.push({ name: `list_all_${n}_pods`, value: round(allMs, 2), unit: 'ms' });

  // Watch fan-out: 50 watchers on pods each receive every create.
  const watchers = 50;
  let delivered = 0;
  const stops = Array.from({ length: watchers }, () => {
    const w = cluster.api.watch({ method: 'GET', path: PODS, query: { resourceVersion: String(cluster.store.revision()) } }, () => delivered++);
    if (!('stop' in w)) throw new Error('bench: watch failed');
    return w.stop;
  });
  const fanout = 1000;
  const watchMs = timeIt(() => createPods(cluster, n, fanout));
  for (const stop of stops) stop();
  if (delivered !== watchers * fanout) throw new Error(`bench: expected ${watchers * fanout} watch events, got ${delivered}`);
  figures.push({ name: `watch_fanout_${watchers}_watchers`, value: round(delivered / (watchMs / 1000)), unit: 'events/s' });
  figures.push({ name: `watch_fanout_${watchers}_watchers_create_latency`, value: round(watchMs / fanout, 3), unit: 'ms/create' });

  // Memory per 1,000 pods: heap growth while storing pods in a fresh cluster.
  if (options.heapUsed) {
    options.gc?.();
    const fresh = createCluster({ seed: 2 });
    options.gc?.();
    const before = options.heapUsed();
    createPods(fresh, 0, n);
    options.gc?.();
    const after = options.heapUsed();
    figures.push({ name: 'memory_per_1000_pods', value: round(((after - before) / (n / 1000)) / (1024 * 1024), 2), unit: 'MiB' });
    void fresh.store.revision();
  }
  return figures;
}

export interface ScaleOptions {
  nodes: number;
  pods: number;
  heapUsed?: () => number;
  gc?: () => void;
}

/**
 * The scale benchmark: a cluster of `nodes` workers (plus the control plane) and `pods` pods,
 * created at once and run until every pod is Running, in virtual time as fast as this machine
 * allows. Reports wall time for each phase and the heap the whole cluster holds.
 */
export function runScaleBenchmark(options: ScaleOptions): Figure[] {
  const figures: Figure[] = [];
  const tag = `${options.nodes}_nodes_${options.pods}_pods`;
  options.gc?.();
  const heapBefore = options.heapUsed?.() ?? 0;
  const start = performance.now();
  const nodes = [{ name: 'controlplane', role: 'control-plane' as const }, ...Array.from({ length: options.nodes }, (_, i) => ({ name: `node${String(i + 1).padStart(4, '0')}`, role: 'worker' as const }))];
  const cluster = createCluster({ seed: 3, nodes, joinIntervalMs: 1000, uptimeMs: 60_000, podSubnet: '10.0.0.0/8' });
  const bootMs = performance.now() - start;
  figures.push({ name: `scale_${tag}_cluster_boot`, value: round(bootMs / 1000, 2), unit: 's' });
  const createMs = timeIt(() => createPods(cluster, 0, options.pods));
  figures.push({ name: `scale_${tag}_create`, value: round(createMs / 1000, 2), unit: 's' });
  let running = 0;
  const runMs = timeIt(() => {
    const virtualStart = cluster.clock.now();
    while (cluster.clock.now() - virtualStart < 30 * 60_000) {
      cluster.clock.advance(5_000);
      running = 0;
      for (const kv of cluster.store.range<KubeObject>('/registry/pods/default/')) if ((kv.value as { status?: { phase?: string } }).status?.phase === 'Running') running++;
      if (running === options.pods) break;
    }
  });
  if (running !== options.pods) throw new Error(`bench: only ${running} of ${options.pods} pods are Running after 30 virtual minutes`);
  figures.push({ name: `scale_${tag}_schedule_and_run`, value: round(runMs / 1000, 2), unit: 's' });
  figures.push({ name: `scale_${tag}_wall`, value: round((performance.now() - start) / 1000, 2), unit: 's' });
  if (options.heapUsed) {
    options.gc?.();
    figures.push({ name: `scale_${tag}_heap`, value: round((options.heapUsed() - heapBefore) / (1024 * 1024)), unit: 'MiB' });
  }
  void cluster.store.revision();
  return figures;
}

export interface DeploymentBenchOptions {
  replicas: number;
  nodes: number;
}

/**
 * The workload benchmark: one Deployment of `replicas` nginx pods on `nodes` workers, from
 * `kubectl create` to every pod Running and the Deployment reporting them all available, with
 * the virtual clock running as fast as this machine allows (the controllers, scheduler and
 * kubelets doing all their work). Reports the wall time and how long it took in virtual time.
 */
export function runDeploymentBenchmark(options: DeploymentBenchOptions): Figure[] {
  const tag = `deployment_${options.replicas}_replicas_${options.nodes}_nodes`;
  const nodes = [{ name: 'controlplane', role: 'control-plane' as const }, ...Array.from({ length: options.nodes }, (_, i) => ({ name: `node${String(i + 1).padStart(2, '0')}`, role: 'worker' as const }))];
  const cluster = createCluster({ seed: 5, nodes, joinIntervalMs: 1000, uptimeMs: 60_000 });
  const path = '/apis/apps/v1/namespaces/default/deployments';
  const start = performance.now();
  const virtualStart = cluster.clock.now();
  const res = cluster.api.handle({
    method: 'POST',
    path,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: options.replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    },
    userAgent: 'kubectl',
  });
  if (res.status !== 201) throw new Error(`bench: creating the deployment failed: ${JSON.stringify(res.body)}`);
  const done = () => {
    const d = cluster.api.getByResource('deployments', 'apps', 'default', 'web');
    if (d?.status?.availableReplicas !== options.replicas) return false;
    let running = 0;
    for (const kv of cluster.store.range<KubeObject>('/registry/pods/default/')) if ((kv.value as { status?: { phase?: string } }).status?.phase === 'Running') running++;
    return running === options.replicas;
  };
  while (!done()) {
    if (cluster.clock.now() - virtualStart > 30 * 60_000) throw new Error(`bench: ${tag} did not finish within 30 virtual minutes`);
    cluster.clock.advance(1000);
  }
  return [
    { name: `${tag}_rollout_wall`, value: round((performance.now() - start) / 1000, 2), unit: 's' },
    { name: `${tag}_rollout_virtual`, value: round((cluster.clock.now() - virtualStart) / 1000), unit: 's' },
  ];
}

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
