/**
 * `bin/kubelab bench`: how the simulated control plane performs at scale. Each figure is one
 * `name value unit` line. Timings use the wall clock on purpose: they measure this machine.
 */
import { createCluster, type ApiRequest, type Cluster } from '../sim';

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

function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
