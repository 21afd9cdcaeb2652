/**
 * Fidelity of the verbs that change objects (apply, replace, delete, diff, patch, label,
 * annotate): each scenario brings the cluster to the same state before the real kubectl runs and
 * again before ours runs, so that both see the same objects; stdout, stderr and the exit code
 * must then be identical.
 */
import { describe, expect, it } from 'vitest';
import { normalizeKlog, useFidelity, type Outcome, type RunOptions } from './fidelity-kit';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
`;

const WEB2 = WEB.replace('replicas: 2', 'replicas: 3').replace('nginx:1.25', 'nginx:1.26').replace(/        ports:\n        - containerPort: 80\n/, '');

const CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: dev
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

const BAD = `apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: c
    image: nginx
    foo: bar
`;

const OTHER_NS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: elsewhere
  namespace: kube-system
data:
  a: "1"
`;

describe('fidelity: apply, delete, patch, label, annotate', () => {
  const kit = useFidelity();

  const del = (path: string) => kit.cluster.api.handle({ method: 'DELETE', path, query: { gracePeriodSeconds: '0' }, userAgent: 'test' });
  const clean = async () => {
    for (const p of [
      '/apis/apps/v1/namespaces/default/deployments/web',
      '/api/v1/namespaces/default/configmaps/settings',
      '/api/v1/namespaces/default/services/web',
      '/api/v1/namespaces/default/pods/bad',
      '/api/v1/namespaces/kube-system/configmaps/elsewhere',
      '/api/v1/namespaces/default/pods/p1',
      '/api/v1/namespaces/default/pods/p2',
    ])
      del(p);
  };
  const files = () => {
    kit.file('web.yaml', WEB);
    kit.file('web2.yaml', WEB2);
    kit.file('multi.yaml', CM);
    kit.file('bad.yaml', BAD);
    kit.file('other-ns.yaml', OTHER_NS);
  };

  /** Brings the cluster to a state with `prepare`, runs the real kubectl, again for ours, and compares. */
  async function same(args: string[], prepare: () => Promise<unknown>, options?: RunOptions, normalize: (o: Outcome) => Outcome = (o) => o): Promise<void> {
    if (!kit.available()) return;
    files();
    await clean();
    await prepare();
    const real = await kit.real(args, options);
    await clean();
    await prepare();
    const ours = await kit.ours(args, options);
    const norm = (o: Outcome) => normalize({ ...o, stderr: normalizeKlog(o.stderr) });
    expect(norm(ours)).toEqual(norm(real));
  }
  const nothing = async () => undefined;
  const realApply = (...f: string[]) => async () => kit.real(['apply', ...f.flatMap((x) => ['-f', x])]);
  const realRun = (...args: string[]) => async () => kit.real(args);

  it('apply creates', () => same(['apply', '-f', 'web.yaml'], nothing));
  it('apply leaves unchanged', () => same(['apply', '-f', 'web.yaml'], realApply('web.yaml')));
  it('apply configures', () => same(['apply', '-f', 'web2.yaml'], realApply('web.yaml')));
  it('apply configures the object as kubectl does', async () => {
    if (!kit.available()) return;
    const live = () => {
      const o = kit.cluster.api.handle({ method: 'GET', path: '/apis/apps/v1/namespaces/default/deployments/web' }).body as { spec: unknown; metadata: { annotations: unknown; labels: unknown } };
      return { spec: o.spec, annotations: o.metadata.annotations, labels: o.metadata.labels };
    };
    files();
    const outcomes: unknown[] = [];
    for (const run of [kit.real, kit.ours]) {
      await clean();
      await realApply('web.yaml')();
      await run(['apply', '-f', 'web2.yaml']);
      outcomes.push(live());
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
  it('apply multi-document', () => same(['apply', '-f', 'multi.yaml'], nothing));
  it('apply from stdin', () => same(['apply', '-f', '-'], nothing, { stdin: CM }));
  it('apply a directory', () => same(['apply', '-f', '.', '--dry-run=client'], nothing));
  it('apply -o name', () => same(['apply', '-f', 'multi.yaml', '-o', 'name'], nothing));
  it('apply --dry-run=client', () => same(['apply', '-f', 'web.yaml', '--dry-run=client'], nothing));
  it('apply --dry-run=server', () => same(['apply', '-f', 'web2.yaml', '--dry-run=server'], realApply('web.yaml')));
  it('apply to an object created without apply warns', () => same(['apply', '-f', 'web.yaml'], realRun('create', 'deployment', 'web', '--image=nginx')));
  it('apply --server-side', () => same(['apply', '-f', 'web.yaml', '--server-side'], nothing));
  it('apply --server-side conflicts', () => same(['apply', '-f', 'web2.yaml', '--server-side'], realRun('create', 'deployment', 'web', '--image=nginx')));
  it('apply --server-side --force-conflicts', () => same(['apply', '-f', 'web2.yaml', '--server-side', '--force-conflicts'], realRun('create', 'deployment', 'web', '--image=nginx')));
  it('apply strict validation fails', () => same(['apply', '-f', 'bad.yaml'], nothing));
  it('apply --validate=warn', () => same(['apply', '-f', 'bad.yaml', '--validate=warn', '--dry-run=server'], nothing));
  it('apply --validate=bogus', () => same(['apply', '-f', 'bad.yaml', '--validate=bogus'], nothing));
  it('apply without -f', () => same(['apply'], nothing));
  it('apply a missing file', () => same(['apply', '-f', 'nope.yaml'], nothing));
  it('apply with a conflicting namespace', () => same(['apply', '-f', 'other-ns.yaml', '-n', 'default'], nothing));
  it('apply view-last-applied', () => same(['apply', 'view-last-applied', 'deploy/web'], realApply('web.yaml')));
  it('apply view-last-applied -o json', () => same(['apply', 'view-last-applied', 'deploy/web', '-o', 'json'], realApply('web.yaml')));

  const podBad = async () =>
    kit.cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/pods', userAgent: 'test', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
  it('delete by name', () => same(['delete', 'configmap', 'settings'], realApply('multi.yaml')));
  it('delete TYPE/NAME several', () => same(['delete', 'cm/settings', 'svc/web'], realApply('multi.yaml')));
  it('delete -f', () => same(['delete', '-f', 'multi.yaml'], realApply('multi.yaml')));
  it('delete -f with one missing', () => same(['delete', '-f', 'multi.yaml'], realRun('create', 'configmap', 'settings')));
  it('delete a missing object', () => same(['delete', 'cm', 'nope'], nothing));
  it('delete --ignore-not-found', () => same(['delete', 'cm', 'nope', '--ignore-not-found'], nothing));
  it('delete a type without a name', () => same(['delete', 'pod'], nothing));
  it('delete nothing', () => same(['delete'], nothing));
  it('delete --dry-run=client', () => same(['delete', 'cm', 'settings', '--dry-run=client'], realApply('multi.yaml')));
  it('delete a missing object --dry-run=client', () => same(['delete', 'cm', 'nope', '--dry-run=client'], nothing));
  it('delete --dry-run=server', () => same(['delete', 'cm', 'settings', '--dry-run=server'], realApply('multi.yaml')));
  it('delete -o name', () => same(['delete', 'cm', 'settings', '-o', 'name'], realApply('multi.yaml')));
  it('delete -l matching nothing', () => same(['delete', 'cm', '-l', 'app=none'], nothing));
  it('delete -l', () => same(['delete', 'pods', '-l', 'app=x', '--force'], podBad));
  it('delete --force', () => same(['delete', 'pod', 'p1', '--force'], podBad));
  it('delete --grace-period=5 --force', () => same(['delete', 'pod', 'p1', '--force', '--grace-period=5'], podBad));
  it('delete --now --grace-period', () => same(['delete', 'pod', 'p1', '--now', '--grace-period=3'], podBad));
  it('delete --cascade=bogus', () => same(['delete', 'cm', 'settings', '--cascade=bogus'], nothing));
  it('delete -o wide', () => same(['delete', 'cm', 'settings', '-o', 'wide'], nothing));
  it('delete names with a selector', () => same(['delete', 'cm', 'settings', '-l', 'a=b'], nothing));

  const seq = (...steps: string[][]) => async () => {
    for (const step of steps) await kit.real(step);
  };
  const cm = seq(['create', 'configmap', 'settings']);
  const cmA = seq(['create', 'configmap', 'settings'], ['label', 'cm', 'settings', 'a=1'], ['annotate', 'cm', 'settings', 'x=1']);
  it('label adds', () => same(['label', 'cm', 'settings', 'a=1'], cm));
  it('label without --overwrite', () => same(['label', 'cm', 'settings', 'a=2'], cmA));
  it('label --overwrite', () => same(['label', 'cm', 'settings', 'a=2', '--overwrite'], cmA));
  it('label the same value', () => same(['label', 'cm', 'settings', 'a=1'], cmA));
  it('label removes', () => same(['label', 'cm', 'settings', 'a-'], cmA));
  it('label removes a missing label', () => same(['label', 'cm', 'settings', 'b-'], cmA));
  it('label without changes', () => same(['label', 'cm', 'settings'], cmA));
  it('label --list', () => same(['label', 'cm', 'settings', '--list'], cmA));
  it('label an invalid value', () => same(['label', 'cm', 'settings', 'b=x y'], cmA));
  it('label -o name', () => same(['label', 'cm', 'settings', 'c=1', '-o', 'name'], cmA));
  it('label --dry-run=client', () => same(['label', 'cm', 'settings', 'c=1', '--dry-run=client'], cmA));
  it('label --dry-run=server', () => same(['label', 'cm', 'settings', 'c=1', '--dry-run=server'], cmA));
  it('label --resource-version stale', () => same(['label', 'cm', 'settings', 'c=1', '--resource-version=1'], cmA));
  it('label a missing object', () => same(['label', 'cm', 'nope', 'c=1'], nothing));
  it('label modify and remove', () => same(['label', 'cm', 'settings', 'a=1', 'a-'], cmA));
  it('label resources after pairs', () => same(['label', 'cm', 'a=1', 'settings'], cmA));
  it('label -l', () => same(['label', 'cm', '-l', 'a=1', 'b=2'], cmA));
  it('label -f', () => same(['label', '-f', 'multi.yaml', 'b=2'], realApply('multi.yaml')));
  it('annotate adds', () => same(['annotate', 'cm', 'settings', 'y=1'], cmA));
  it('annotate without --overwrite', () => same(['annotate', 'cm', 'settings', 'x=2'], cmA));
  it('annotate --overwrite', () => same(['annotate', 'cm', 'settings', 'x=2', '--overwrite'], cmA));
  it('annotate removes', () => same(['annotate', 'cm', 'settings', 'x-'], cmA));
  it('annotate --list', () => same(['annotate', 'cm', 'settings', '--list'], cmA));
  it('annotate without changes', () => same(['annotate', 'cm', 'settings'], cmA));
  it('annotate modify and remove', () => same(['annotate', 'cm', 'settings', 'x=1', 'x-'], cmA));

  const web = realApply('web.yaml');
  it('patch strategic', () => same(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":5}}'], web));
  it('patch without change', () => same(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}'], web));
  it('patch a container by merge key', () => same(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}'], web));
  it('patch --type merge', () => same(['patch', 'deploy/web', '--type', 'merge', '-p', '{"metadata":{"labels":{"x":"y"}}}'], web));
  it('patch --type json', () => same(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]'], web));
  it('patch --type json on a missing path', () => same(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/nope/x","value":4}]'], web));
  it('patch YAML', () => same(['patch', 'deploy', 'web', '-p', 'spec:\n  replicas: 6'], web));
  it('patch --type bogus', () => same(['patch', 'deploy', 'web', '--type=bogus', '-p', '{}'], web));
  it('patch without a patch', () => same(['patch', 'deploy', 'web'], web));
  it('patch a missing object', () => same(['patch', 'deploy', 'nope', '-p', '{"spec":{"replicas":5}}'], nothing));
  it('patch --dry-run=server', () => same(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":5}}', '--dry-run=server'], web));
  it('patch -o name', () => same(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":5}}', '-o', 'name'], web));
  it('patch --subresource=scale', () => same(['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":7}}'], web));
  it('patch an invalid value', () => same(['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":-1}}'], web));
  it('patch -f', () => same(['patch', '-f', 'web.yaml', '-p', '{"spec":{"replicas":5}}'], web));

  it('replace', () => same(['replace', '-f', 'web2.yaml'], web));
  it('replace a missing object', () => same(['replace', '-f', 'web2.yaml'], nothing));
  it('replace --force', () => same(['replace', '--force', '-f', 'multi.yaml'], realApply('multi.yaml')));
  it('replace --dry-run=server -o name', () => same(['replace', '-f', 'web2.yaml', '--dry-run=server', '-o', 'name'], web));
  it('replace without -f', () => same(['replace'], nothing));

  /** Temporary directory names, file times, and what differs between two creations (uid, times, versions). */
  const diffNorm = (o: Outcome): Outcome => ({
    ...o,
    stdout: o.stdout
      .replace(/\/tmp\/(LIVE|MERGED)-\d+/g, '/tmp/$1-N')
      .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000/g, '\tTIME')
      .replace(/(uid|resourceVersion|creationTimestamp|clusterIP): .*/g, '$1: X')
      .replace(/^\+  - 10\.\d+\.\d+\.\d+$/gm, '+  - IP'),
  });
  it('diff without differences', () => same(['diff', '-f', 'web.yaml'], web, undefined, diffNorm));
  it('diff with differences', () => same(['diff', '-f', 'web2.yaml'], web, undefined, diffNorm));
  it('diff of a new object', () => same(['diff', '-f', 'multi.yaml'], nothing, undefined, diffNorm));
  it('diff of a missing file', () => same(['diff', '-f', 'nope.yaml'], nothing));
  it('diff without -f', () => same(['diff'], nothing));
  it('diff --server-side', () => same(['diff', '-f', 'web2.yaml', '--server-side'], web, undefined, diffNorm));
});
