/**
 * The kubectl figures of `bin/kubelab bench`: our kubectl in process (the terminal's path), from
 * arguments to printed text, on clusters of 10,000 pods and of 100 objects. Wall-clock medians.
 */
import { runKubectl } from '../kubectl';
import { createCluster, type Cluster } from '../sim';
import type { Figure } from './bench';

async function kubectl(cluster: Cluster, line: string[]): Promise<number> {
  let bytes = 0;
  const code = await runKubectl(line, { client: cluster.client, namespace: 'default', stdout: (t) => (bytes += t.length), stderr: (t) => (bytes += t.length) });
  if (code !== 0) throw new Error(`bench: kubectl ${line.join(' ')} exited ${code}`);
  return bytes;
}

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function pod(i: number) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${String(i).padStart(5, '0')}`, labels: { app: `web-${i % 10}` } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  };
}

function seedPods(cluster: Cluster, count: number): void {
  for (let i = 0; i < count; i++) {
    const res = cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod(i) });
    if (res.status !== 201) throw new Error(`bench: create failed: ${JSON.stringify(res.body)}`);
  }
}

/** Verbs a learner types most, each timed on a cluster of 100 pods, by figure name. */
const VERBS: [string, string[]][] = [
  ['get_pods', ['get', 'pods']],
  ['get_pods_wide', ['get', 'pods', '-o', 'wide']],
  ['get_pod_yaml', ['get', 'pod', 'web-00042', '-o', 'yaml']],
  ['get_pods_jsonpath', ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']],
  ['describe_pod', ['describe', 'pod', 'web-00042']],
  ['get_nodes', ['get', 'nodes']],
  ['label_pod', ['label', 'pod', 'web-00042', 'tier=front', '--overwrite']],
  ['create_configmap_dry_run', ['create', 'configmap', 'settings', '--from-literal=a=b', '--dry-run=client', '-o', 'yaml']],
  ['api_resources', ['api-resources']],
];

export async function runKubectlBenchmark(options: { pods: number }): Promise<Figure[]> {
  const figures: Figure[] = [];
  const big = createCluster({ seed: 1 });
  seedPods(big, options.pods);
  const listMs = await medianMs(11, () => kubectl(big, ['get', 'pods', '-A']));
  figures.push({ name: `kubectl_get_pods_all_namespaces_${options.pods}_pods`, value: round(listMs), unit: 'ms' });

  const small = createCluster({ seed: 1 });
  seedPods(small, 100);
  let slowest = 0;
  for (const [name, line] of VERBS) {
    const ms = await medianMs(21, () => kubectl(small, line));
    slowest = Math.max(slowest, ms);
    figures.push({ name: `kubectl_${name}_100_objects`, value: round(ms), unit: 'ms' });
  }
  figures.push({ name: 'kubectl_slowest_verb_100_objects', value: round(slowest), unit: 'ms' });
  return figures;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
