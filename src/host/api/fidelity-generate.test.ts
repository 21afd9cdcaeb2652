/**
 * Fidelity for the verbs that make objects from flags (create and its generators, run, expose,
 * scale, autoscale, set): the real kubectl 1.32 and ours against one served cluster. Generators'
 * `--dry-run=client -o yaml|json` shows the exact object each builds; real creations use a
 * different name for each side (the first run would make the second fail with AlreadyExists).
 */
import { describe, expect, it } from 'vitest';
import { normalizeKlog, useFidelity } from './fidelity-kit';

const D = ['--dry-run=client', '-o', 'json'];
const Y = ['--dry-run=client', '-o', 'yaml'];

/** Command lines both must print the same for, on the same cluster state. */
const SCENARIOS: string[][] = [
  ['create', 'deployment', 'web', '--image=nginx', ...Y],
  ['create', 'deployment', 'web', '--image=nginx', '--image=busybox:1.3', '--port=80', '--replicas=3', ...D],
  ['create', 'deployment', 'web', '--image=nginx', '-n', 'foo', ...Y],
  ['create', 'deployment', 'w', '--image=nginx', '--image=busybox', '--', 'sleep', '10'],
  ['create', 'deployment', 'w', '--image=nginx', '-o', 'name', '--dry-run=client'],
  ['create', 'deployment', 'w', '--image=nginx', '--port=80', '--dry-run=server'],
  ['create', 'deployment', 'web', '--image=nginx'],
  ['create', 'deployment'],
  ['create', 'deploy', 'x'],
  ['create', 'namespace', 'foo', ...D],
  ['create', 'ns', 'foo', ...Y],
  ['create', 'ns', 'foo', '-o', 'wide'],
  ['create', 'ns', 'foo', '--validate=x'],
  ['create', 'ns'],
  ['create', 'ns', 'a', 'b'],
  ['create', 'ns', 'default'],
  ['create', 'ns', 'x1', '--save-config', ...D],
  ['create', 'svc', 'clusterip', 'a', '--tcp=80:8080', '--tcp=443', ...D],
  ['create', 'svc', 'clusterip', 'a', '--clusterip=None', ...D],
  ['create', 'service', 'nodeport', 'a', '--tcp=80:8080', '--node-port=30080', ...Y],
  ['create', 'service', 'loadbalancer', 'a', '--tcp=80', ...D],
  ['create', 'svc', 'externalname', 'a', '--external-name=x.com', ...D],
  ['create', 'svc', 'clusterip', 'a'],
  ['create', 'svc', 'externalname', 'a'],
  ['create', 'svc', 'clusterip', 'web', '--tcp=80'],
  ['create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=c=d', ...D],
  ['create', 'cm', 'c', '--from-literal=a=b', '--append-hash', ...Y],
  ['create', 'cm', 'c', '--from-file=app.properties', '--from-file=k=app.properties', ...Y],
  ['create', 'cm', 'c', '--from-file=conf', ...D],
  ['create', 'cm', 'c', '--from-env-file=app.env', ...D],
  ['create', 'cm', 'c', '--from-env-file=app.env', '--from-literal=a=b'],
  ['create', 'cm', 'c', '--from-file=nope'],
  ['create', 'cm', 'c', '--from-literal=a=b', '--from-literal=a=c'],
  ['create', 'cm', 'c', '--from-literal=nokey'],
  ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--type=Opaque', ...D],
  ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--append-hash', ...Y],
  ['create', 'secret', 'generic', 's', '--from-file=app.properties', ...D],
  ['create', 'secret', 'docker-registry', 'r', '--docker-server=srv', '--docker-username=u', '--docker-password=p', '--docker-email=e@x', ...D],
  ['create', 'secret', 'docker-registry', 'r', '--docker-username=u', '--docker-password=p', ...Y],
  ['create', 'secret', 'docker-registry', 'r'],
  ['create', 'secret', 'tls', 't', '--cert=/nope', '--key=/nope'],
  ['create', 'secret', 'tls', 't'],
  ['create', 'serviceaccount', 'sa1', ...D],
  ['create', 'sa', 'default'],
  ['create', 'job', 'j', '--image=busybox', ...D, '--', 'echo', 'hi'],
  ['create', 'job', 'j', ...D],
  ['create', 'job', 'j2', '--from=cronjob/nope'],
  ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', ...D, '--', 'echo', 'hi'],
  ['create', 'cj', 'cj', '--image=busybox', '--schedule=0 0 * * *', '--restart=Never', ...D],
  ['create', 'cronjob', 'cj', '--image=busybox'],
  ['create', 'ingress', 'ig', '--rule=foo.com/bar*=svc1:8080,tls=my-cert', '--rule=/p=svc2:http', '--class=nginx', '--default-backend=def:80', '--annotation=a=b', ...D],
  ['create', 'ingress', 'ig', '--rule=foo.com/a=s:80,tls', '--rule=foo.com/b=s:80', ...Y],
  ['create', 'ingress', 'x'],
  ['create', 'ingress', 'x', '--rule=bad'],
  ['create', 'quota', 'q', '--hard=cpu=1,pods=2', '--scopes=BestEffort', ...D],
  ['create', 'quota', 'q', '--hard=cpu'],
  ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps,pods/log', '--resource-name=a', ...D],
  ['create', 'role', 'r', '--verb=get,foo', '--resource=rs', ...Y],
  ['create', 'role', 'r', '--verb=get', '--resource=foo', '--dry-run=client'],
  ['create', 'role', 'r', '--resource=pods'],
  ['create', 'role', 'r', '--verb=*', '--resource=*', ...D],
  ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/logs/*', ...D],
  ['create', 'clusterrole', 'cr', '--verb=list', '--non-resource-url=/a*b'],
  ['create', 'clusterrole', 'cr2', '--aggregation-rule=a=b', ...D],
  ['create', 'clusterrole', 'cr2', '--aggregation-rule=a=b', '--verb=get'],
  ['create', 'rolebinding', 'rb', '--role=r', '--user=u', '--group=g', '--serviceaccount=ns:sa', ...D],
  ['create', 'rolebinding', 'rb', '--clusterrole=view', '--serviceaccount=bad', ...D],
  ['create', 'rolebinding', 'rb', '--user=u'],
  ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=u', ...D],
  ['create', 'clusterrolebinding', 'crb', '--user=u'],
  ['create', 'priorityclass', 'pc', '--value=1000', '--global-default', '--description=d', '--preemption-policy=Never', ...D],
  ['create', 'pc', 'pc', '--value=10', ...Y],
  ['create', 'poddisruptionbudget', 'p', '--selector=app=a', '--min-available=1', ...D],
  ['create', 'pdb', 'p', '--selector=app=a', '--max-unavailable=50%', ...Y],
  ['create', 'pdb', 'p', '--selector=app=a'],
  ['create', 'pdb', 'p', '--selector=app=a', '--min-available=1Gb'],
  ['create', 'token', 'default', '-o', 'name'],
  ['create', 'token', 'nope'],
  ['create', 'token', 'default', '--duration=1500ms'],
  ['create', 'token', 'default', '--bound-object-kind=Foo'],
  ['create'],
  ['create', 'foo'],
  ['create', '-f', 'nope.yaml'],
  ['create', '-f', 'objects.yaml', ...Y],
  ['create', '-f', 'objects.yaml', '-o', 'name', '--dry-run=client'],
];

/** Creations that really happen: `NAME` is replaced by a different name on each side. */
const CREATIONS: string[][] = [
  ['create', 'deployment', 'NAME', '--image=nginx'],
  ['create', 'deployment', 'NAME', '--image=nginx', '--replicas=2', '-o', 'yaml'],
  ['create', 'ns', 'NAME'],
  ['create', 'cm', 'NAME', '--from-literal=a=b', '-o', 'name'],
  ['create', 'secret', 'generic', 'NAME', '--from-literal=a=b'],
  ['create', 'svc', 'clusterip', 'NAME', '--tcp=80'],
  ['create', 'sa', 'NAME'],
  ['create', 'job', 'NAME', '--image=busybox', '--', 'echo', 'hi'],
  ['create', 'role', 'NAME', '--verb=get', '--resource=pods'],
  ['create', 'rolebinding', 'NAME', '--clusterrole=view', '--user=u'],
  ['create', 'quota', 'NAME', '--hard=pods=2'],
  ['create', 'priorityclass', 'NAME', '--value=5'],
  ['create', 'pdb', 'NAME', '--selector=app=x', '--min-available=1'],
  ['create', 'ingress', 'NAME', '--rule=a.com/=svc:80'],
];

describe('fidelity: create generators print what kubectl 1.32 prints', () => {
  const kit = useFidelity((cluster) => {
    const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } };
    cluster.api.handle({ method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', userAgent: 'kubectl', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tpl } } });
    cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/services', userAgent: 'kubectl', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    cluster.clock.advance(60_000);
  });

  const files = () => {
    kit.file('app.properties', 'color=blue\nsize=2\n');
    kit.file('app.env', '# comment\nA=1\n  B=two words\n\nC=\n');
    kit.file('objects.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cmf\ndata:\n  a: b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: nsf\n');
  };

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    files();
    if (args.includes('--from-file=conf')) {
      const { mkdirSync, rmSync, writeFileSync } = await import('node:fs');
      const dir = `${kit.dir()}/conf`;
      rmSync(dir, { force: true, recursive: true });
      mkdirSync(dir);
      writeFileSync(`${dir}/one`, '1');
      writeFileSync(`${dir}/two.txt`, 'two\n');
    }
    await kit.compare(args);
  });

  let n = 0;
  it.each(CREATIONS.map((args) => [args.join(' '), args] as const))('kubectl %s (real creation)', async (_, args) => {
    if (!kit.available()) return;
    n++;
    const realName = `r${n}-made`;
    const ourName = `o${n}-made`;
    const real = await kit.real(args.map((a) => (a === 'NAME' ? realName : a)));
    const ours = await kit.ours(args.map((a) => (a === 'NAME' ? ourName : a)));
    const norm = (o: { stdout: string; stderr: string; code: number }, name: string) => ({
      code: o.code,
      stderr: normalizeKlog(o.stderr).replaceAll(name, 'NAME'),
      stdout: o.stdout
        .replaceAll(name, 'NAME')
        .replace(/(creationTimestamp|time): .*/g, '$1: T')
        .replace(/(uid|resourceVersion|clusterIP): .*/g, '$1: X')
        .replace(/- 10\.\d+\.\d+\.\d+/g, '- IP'),
    });
    expect(norm(ours, ourName)).toEqual(norm(real, realName));
    // Creating the same object again fails as kubectl's does.
    const realAgain = await kit.real(args.map((a) => (a === 'NAME' ? realName : a)));
    const oursAgain = await kit.ours(args.map((a) => (a === 'NAME' ? ourName : a)));
    expect(norm(oursAgain, ourName)).toEqual(norm(realAgain, realName));
  });
});
