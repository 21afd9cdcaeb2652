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
  ['create', 'quota', 'q', '--hard=cpu=1000m,memory=1024Mi,pods=10,a=0.5,b=2000,c=1500,d=0.5Gi,e=1.5k,f=100Mi,g=1e3', ...Y],
  ['create', 'quota', 'q', '--hard=cpu=abc'],
  ['create', 'job', 'j1', '--from=deploy/web'],
  ['create', 'job', 'j1', '--from=cronjob/nope'],
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
  ['create', 'deploy', 'x', '--image=nginx', '--dry-run=client', '-o', 'jsonpath={.spec.template.spec.containers[0].name}'],
  ['create', 'deploy', 'x', '--image=nginx', '--dry-run=client', '-o', 'go-template={{.metadata.name}}'],
  ['create', 'deploy', 'x', '--image=nginx', '--dry-run=client', '--template={{.kind}}'],
  ['create', 'ns', 'x', '--dry-run=client', '-o', 'custom-columns=A:.x'],
  ['create', '-f', 'objects.yaml', '--dry-run=client', '-o', 'jsonpath={.metadata.name} '],
  ['run', 'x', '--image=nginx', '--dry-run=client', '-o', 'jsonpath={.spec}'],
  ['scale', 'deploy', 'web', '--replicas=1', '--dry-run=client', '-o', 'jsonpath={.spec.replicas}'],
  ['run', 'p', '--image=nginx', ...D],
  ['run', 'p', '--image=nginx', '--port=80', '--env=A=1', '--env=B=2', '-l', 'app=x,t=y', '--restart=Never', '--image-pull-policy=IfNotPresent', ...D, '--', 'sleep', '10'],
  ['run', 'p', '--image=busybox', '--command', ...D, '--', 'sh', '-c', 'echo hi'],
  ['run', 'p', '--image=nginx', '--expose', '--port=80', ...Y],
  ['run', 'p', '--image=nginx', '--expose', '--port=80', '-l', 'a=b', ...D],
  ['run', 'p', '--image=nginx', '--expose', '--port=80', '--dry-run=client'],
  ['run', 'p', '--image=nginx', '--overrides={"spec":{"nodeName":"n1","containers":[{"name":"p","stdin":true}]}}', ...D],
  ['run', 'p', '--image=nginx', '--annotations=x=y', '--privileged', '-n', 'kube-system', ...D],
  ['run', 'p'],
  ['run', '--image=nginx'],
  ['run', 'p', '--image=nginx', '--expose'],
  ['run', 'p', '--image=nginx', '--restart=Foo'],
  ['run', 'p', '--image=nginx', '--rm'],
  ['run', 'p', '--image=busybox', '--rm', '-i', '--restart=Never', '--dry-run=client'],
  ['run', 'p', '--image=nginx', '--port=abc'],
  ['run', 'p', '--image=nginx', '--env=A'],
  ['run', 'p', '--image=nginx', '-l', 'a'],
  ['run', 'p', '--image=Bad::'],
  ['run', 'p', '--image=nginx', '-t'],
  ['run', 'p', '--image=nginx', '--overrides={bad'],
  ['expose', 'deployment', 'web', '--port=80', '--target-port=8080', ...D],
  ['expose', 'deploy', 'web', ...Y],
  ['expose', 'deploy/web', '--type=NodePort', '--port=80', '--name=w2', '--protocol=UDP', '--external-ip=1.2.3.4', '--selector=a=b', '-l', 'x=y', ...D],
  ['expose', 'deploy', 'web', '--type=LoadBalancer', '--port=80', '--load-balancer-ip=5.6.7.8', '--cluster-ip=None', '--session-affinity=ClientIP', ...D],
  ['expose', 'svc', 'web', '--name=w3', '--dry-run=client'],
  ['expose', 'svc', 'kubernetes', '--name=k2', ...Y],
  ['expose', 'pod', 'nope'],
  ['expose', 'node', 'controlplane', '--port=80'],
  ['expose'],
  ['expose', 'deploy'],
  ['scale', 'deploy', 'web', '--replicas=2', '--current-replicas=3'],
  ['scale', 'deploy/web'],
  ['scale', 'deploy', 'nope', '--replicas=2'],
  ['scale', 'deploy', '--all', '--replicas=1', '--dry-run=client'],
  ['scale', 'deploy', '-l', 'app=web', '--replicas=2', '-o', 'name'],
  ['scale', 'deploy', '--replicas=1'],
  ['scale', 'deploy', 'web', '--replicas=2'],
  ['scale', 'deploy', 'web', 'nope', '--replicas=2'],
  ['scale', 'deploy', 'web', '--replicas=1', '--dry-run=server'],
  ['scale', 'deploy', '-l', 'app=zzz', '--replicas=1'],
  ['scale', 'deploy', 'web', '--replicas=-1'],
  ['scale', 'pod', 'nope', '--replicas=1'],
  ['autoscale', 'deploy', 'web', '--min=2', '--max=5', '--cpu-percent=80', ...D],
  ['autoscale', 'deploy', 'web', '--max=5', ...Y],
  ['autoscale', 'deploy', 'web', '--min=2'],
  ['autoscale', 'deploy', 'web', '--max=1', '--min=3'],
  ['autoscale', 'deploy', 'nope', '--max=3'],
  ['set', 'image', 'deploy/web', 'nope=x'],
  ['set', 'image', 'deploy/web', '*=nginx:1.29', '--dry-run=client', '-o', 'name'],
  ['set', 'image', 'deploy/web', 'nginx=nginx:1.28', ...Y],
  ['set', 'image', 'deploy/web'],
  ['set', 'image', 'nginx=x'],
  ['set', 'image', 'deploy/web', 'nginx=nginx:1.27'],
  ['set', 'env', 'deploy/web', '--list'],
  ['set', 'env', 'deploy/web', '--from=configmap/nope'],
  ['set', 'env', 'deploy/web'],
  ['set', 'env', 'deploy/web', 'X=1', 'Y=2', ...Y],
  ['set', 'env', 'deploy/web', '-c', 'nope', 'Z=1', '--dry-run=client'],
  ['set', 'resources', 'deploy/web'],
  ['set', 'resources', 'deploy/web', '--limits=cpu=300m', '--requests=memory=64Mi', ...Y],
  ['set', 'serviceaccount', 'deploy', 'web', 'x2', '--dry-run=client', '-o', 'name'],
  ['set', 'selector', 'svc/web', 'app=x', ...Y],
  ['set', 'subject', 'rolebinding', 'nope', '--user=u'],
  ['set', 'subject', 'deploy/web'],
  ['set', 'image', '-f', 'deploy.yaml', 'nginx=nginx:2', '--local', ...Y],
  ['set', 'env', '-f', 'deploy.yaml', 'A=1', '--local', '-o', 'yaml'],
  ['create', '-f', 'nope.yaml'],
  ['create', '-f', 'objects.yaml', ...Y],
  ['create', '-f', 'objects.yaml', '-o', 'name', '--dry-run=client'],
];

/** `kubectl set` on a real deployment, one step after another (NAME differs per side). */
const SET_SEQUENCE: string[][] = [
  ['create', 'deployment', 'NAME', '--image=nginx:1.27'],
  ['set', 'image', 'deployment/NAME', 'nginx=nginx:1.28'],
  ['set', 'env', 'deployment/NAME', 'A=1', 'B=2'],
  ['set', 'env', 'deployment/NAME', '--list'],
  ['set', 'env', 'deployment/NAME', 'A-'],
  ['set', 'resources', 'deployment/NAME', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=100m'],
  ['set', 'serviceaccount', 'deployment/NAME', 'default'],
  ['set', 'env', 'deployment/NAME', '-c', 'nope', 'Z=1'],
  ['get', 'deployment', 'NAME', '-o', 'jsonpath={.spec.template.spec.containers}'],
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
  ['run', 'NAME', '--image=nginx'],
  ['run', 'NAME', '--image=nginx', '--port=80', '--expose'],
  ['expose', 'deploy', 'web', '--name=NAME'],
  ['expose', 'deploy', 'web', '--name=NAME', '--port=8080', '-o', 'name'],
  ['autoscale', 'deploy', 'web', '--max=3', '--name=NAME'],
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
    kit.file('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n');
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
    const real = await kit.real(args.map((a) => a.replace('NAME', realName)));
    const ours = await kit.ours(args.map((a) => a.replace('NAME', ourName)));
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
    const realAgain = await kit.real(args.map((a) => a.replace('NAME', realName)));
    const oursAgain = await kit.ours(args.map((a) => a.replace('NAME', ourName)));
    expect(norm(oursAgain, ourName)).toEqual(norm(realAgain, realName));
  });

  it('kubectl set on a live deployment, step by step', async () => {
    if (!kit.available()) return;
    for (const args of SET_SEQUENCE) {
      const real = await kit.real(args.map((a) => a.replace('NAME', 'set-real')));
      const ours = await kit.ours(args.map((a) => a.replace('NAME', 'set-ours')));
      const norm = (o: { stdout: string; stderr: string; code: number }, name: string) => ({ args, code: o.code, stdout: o.stdout.replaceAll(name, 'NAME'), stderr: normalizeKlog(o.stderr).replaceAll(name, 'NAME') });
      expect(norm(ours, 'set-ours')).toEqual(norm(real, 'set-real'));
    }
  });
});
