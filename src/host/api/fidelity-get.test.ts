/**
 * Fidelity of `kubectl get` and its printers: the real kubectl 1.32 and ours against one served
 * cluster must print the same stdout, stderr and exit code, for every output format, several
 * types at once, sorting, label columns, selectors and errors.
 */
import { describe, it } from 'vitest';
import { useFidelity } from './fidelity-kit';

const SCENARIOS: string[][] = [
  // Several types, categories, kinds.
  ['get', 'deploy,rs'],
  ['get', 'deploy,rs', '-o', 'wide'],
  ['get', 'all'],
  ['get', 'all', '-A'],
  ['get', 'pods,svc', '--show-kind'],
  ['get', 'deploy', '--show-kind'],
  ['get', 'deploy/web', 'svc/web'],
  ['get', 'deploy', 'web', 'api'],
  ['get', 'cm,secrets', '-n', 'kube-system', '--no-headers'],
  ['get', 'deploy,svc', '-o', 'name'],
  ['get', 'deploy,svc', 'web', '-o', 'name'],
  // Output formats.
  ['get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}'],
  ['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'],
  ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'],
  ['get', 'deploy', 'web', '-o', 'jsonpath-as-json={.metadata.labels}'],
  ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image'],
  ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,MISSING:.spec.nope', '--no-headers'],
  ['get', 'deploy', '-o', 'go-template={{range .items}}{{.metadata.name}} {{.spec.replicas}}{{"\\n"}}{{end}}'],
  ['get', 'deploy', 'web', '--template={{.metadata.name}}'],
  ['get', 'deploy', 'web', 'api', '-o', 'yaml'],
  ['get', 'svc', '-o', 'json'],
  ['get', 'deploy', '-l', 'app=nothing', '-o', 'json'],
  ['get', 'deploy', '-l', 'app=nothing', '-o', 'name'],
  ['get', 'pods', '-o', 'xml'],
  ['get', 'pods', '-o', 'jsonpath'],
  ['get', 'pods', '-o', 'jsonpath={.items'],
  ['get', 'pods', '-o', 'custom-columns=NAME'],
  ['get', 'pods', '--show-labels', '-o', 'name'],
  // Sorting, label columns, selectors.
  ['get', 'pods', '--sort-by=.metadata.name'],
  ['get', 'pods', '-A', '--sort-by={.metadata.namespace}'],
  ['get', 'deploy', '--sort-by=.spec.replicas', '-o', 'name'],
  ['get', 'pods', '--sort-by=.spec.nope'],
  ['get', 'pods,svc', '--sort-by=.metadata.name'],
  ['get', 'pods,deploy', '--sort-by=.kind'],
  ['get', 'deploy', '--sort-by=.spec.replicas'],
  ['get', 'deploy', '--sort-by=.metadata.name', '-o', 'jsonpath={.items[*].metadata.name}'],
  ['get', 'pods', '-L', 'app', '-L', 'pod-template-hash'],
  ['get', 'deploy', '-L', 'app,tier', '--show-labels'],
  ['get', 'pods', '--field-selector', 'status.phase=Running'],
  ['get', 'pods', '--field-selector', 'spec.nodeName=nowhere'],
  ['get', 'pods', '-l', 'app=nothing'],
  ['get', 'nodes', '-l', 'nothing=here'],
  ['get', 'pods', '--chunk-size=1'],
  // Names, not found, errors.
  ['get', 'deploy', 'web', 'nope'],
  ['get', 'deploy', 'nope', 'nada', '--ignore-not-found'],
  ['get', 'deploy', 'nope', '-o', 'yaml'],
  ['get', 'deploy', 'web', 'nope', '-o', 'name'],
  ['get', 'deploy', 'web', 'deploy/api'],
  ['get', 'deploy', 'web', '-l', 'app=web'],
  ['get', 'nothings,pods'],
  ['get'],
  ['get', '--raw', '/api/v1/namespaces/default/services/web'],
  ['get', '--raw', '/version'],
  ['get', 'pods', '--raw', '/api'],
  ['get', 'pods', '--output-watch-events'],
  // kubectl events.
  ['events', '--for', 'deploy/web'],
  ['events', '--for', 'deployment.apps/api', '--no-headers'],
  ['events', '--types', 'Warning'],
  ['events', '--types', 'Bogus'],
  ['events', '-n', 'nothing'],
  ['events', '--for', 'web'],
  ['events', '--for', 'nothings/web'],
  ['events', '-o', 'name'],
  ['events', '-o', 'jsonpath={.kind}'],
];

describe('fidelity: kubectl get', () => {
  const kit = useFidelity((cluster) => {
    const post = (path: string, body: unknown) => cluster.api.handle({ method: 'POST', path, userAgent: 'kubectl', body });
    const deploy = (name: string, replicas: number, image: string, labels: Record<string, string>) =>
      post('/apis/apps/v1/namespaces/default/deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 80 }] }] } } },
      });
    deploy('web', 2, 'nginx:1.27', { app: 'web', tier: 'front' });
    deploy('api', 1, 'nginx:1.25', { app: 'api' });
    post('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } });
    cluster.clock.advance(60_000);
  });

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });
});
