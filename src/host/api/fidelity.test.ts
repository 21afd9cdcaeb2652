/**
 * The fidelity suite: the same kubectl command line through the real kubectl 1.32 and through
 * our kubectl (over HTTP, as `bin/kubelab kubectl` runs it), against one simulated cluster served
 * by `startApiServer`; stdout, stderr and the exit code must be identical. Tables (and so AGE
 * columns) come from the server, so even ages agree. Skipped, saying so, where kubectl is absent.
 * Other `fidelity-*.test.ts` files cover more verbs, each on its own cluster.
 */
import { describe, it } from 'vitest';
import { useFidelity } from './fidelity-kit';

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
  ['get', 'deploy,rs', '-o', 'wide'],
  ['get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}'],
  ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image'],
  ['api-resources'],
  ['explain', 'pod.spec.restartPolicy'],
  ['describe', 'deployment', 'web'],
  ['logs', 'deploy/web'],
  ['rollout', 'history', 'deployment/web'],
  ['rollout', 'status', 'deployment/web'],
  ['top', 'pods'],
  ['delete', 'pod', 'nope'],
  ['gett', 'pods'],
  ['foo'],
  ['xyzzyq'],
  ['ge'],
  ['get', 'pods', '--bogus'],
];

describe('fidelity: our kubectl prints what kubectl 1.32 prints', () => {
  const kit = useFidelity((cluster) => {
    const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } };
    cluster.api.handle({ method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', userAgent: 'kubectl', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tpl } } });
    cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/services', userAgent: 'kubectl', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    cluster.clock.advance(60_000);
  });

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

});
