/**
 * The fidelity suite: the same kubectl command line through the real kubectl 1.32 and through
 * our kubectl (over HTTP, as `bin/kubelab kubectl` runs it), against one simulated cluster served
 * by `startApiServer`; stdout, stderr and the exit code must be identical. Tables (and so AGE
 * columns) come from the server, so even ages agree. Skipped, saying so, where kubectl is absent.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKubectl } from '../../kubectl';
import { createCluster } from '../../sim';
import { HttpApiClient, readKubeconfig } from './client';
import { startApiServer, type RunningApiServer } from './server';

interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

function realKubectl(args: string[], kubeconfig: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig } }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? Number((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

async function ourKubectl(args: string[], client: HttpApiClient, namespace: string): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runKubectl(args, { client, namespace, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { stdout, stderr, code };
}

/** Command lines both must print the same for. */
const SCENARIOS: string[][] = [
  ['get', 'nodes'],
  ['get', 'nodes', '-o', 'wide'],
  ['get', 'pods', '-A'],
  ['get', 'pods', '-A', '-o', 'wide'],
  ['get', 'pods', '-n', 'kube-system', '--show-labels'],
  ['get', 'svc', '-A'],
  ['get', 'ns'],
  ['get', 'pods', '-l', 'app=web', '-o', 'name'],
  ['get', 'deployment', 'web', '-o', 'yaml'],
  ['get', 'deployment', 'web', '-o', 'json'],
  ['get', 'pods', 'nope'],
  ['get', 'nothings'],
];

/** Command lines our kubectl does not print right yet (the kubectl emulator issue): listed, not hidden. */
const PENDING: string[][] = [
  ['get', 'deploy,rs', '-o', 'wide'],
  ['get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}'],
  ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image'],
  ['api-resources'],
  ['explain', 'pod.spec.restartPolicy'],
  ['describe', 'deployment', 'web'],
  ['logs', 'deploy/web'],
  ['rollout', 'history', 'deployment/web'],
];

describe('fidelity: our kubectl prints what kubectl 1.32 prints', () => {
  let server: RunningApiServer;
  let kubeconfig = '';
  let available = false;
  const cluster = createCluster();

  beforeAll(async () => {
    available = (await realKubectl(['version', '--client'], '/dev/null')).code === 0;
    server = await startApiServer({ cluster });
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-fidelity-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, server.kubeconfig(), { mode: 0o600 });
    const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } };
    cluster.api.handle({ method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', userAgent: 'kubectl', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tpl } } });
    cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/services', userAgent: 'kubectl', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    cluster.clock.advance(60_000);
  });
  afterAll(() => server.close());

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    if (!available) {
      console.warn('fidelity suite skipped: the real kubectl is not installed here');
      return;
    }
    const context = readKubeconfig(server.kubeconfig());
    const real = await realKubectl(args, kubeconfig);
    const ours = await ourKubectl(args, new HttpApiClient(context), context.namespace);
    expect(ours).toEqual(real);
  });

  for (const args of PENDING) it.todo(`kubectl ${args.join(' ')}`);
});
