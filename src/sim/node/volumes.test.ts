import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup(seed = 1) {
  const cluster = createCluster({ seed });
  const call = cluster.api.handle.bind(cluster.api);
  const create = (path: string, body: Obj) => {
    const res = call({ method: 'POST', path, body });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body as Obj;
  };
  const createPod = (name: string, spec: Obj) => create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec });
  const configMap = (name: string, data: Record<string, string>) => create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  const pod = (name: string) => call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` }).body as Obj;
  const events = (name: string) =>
    ((call({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { fieldSelector: `involvedObject.name=${name}` } }).body as Obj).items as Obj[])
      .sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1))
      .map((e) => `${e.type} ${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`);
  const exec = async (name: string, command: string[], container?: string) => {
    let out = '';
    let err = '';
    const code = await cluster.api.exec('default', name, { command, tty: false, ...(container ? { container } : {}) }, { stdout: (d) => (out += d), stderr: (d) => (err += d) });
    return { code, out, err };
  };
  const sh = (name: string, script: string, container?: string) => exec(name, ['sh', '-c', script], container);
  return { cluster, call, create, createPod, configMap, pod, events, exec, sh };
}

describe('volumes', () => {
  it('shares an emptyDir between containers: what one writes, the other serves', async () => {
    const { cluster, createPod, pod, sh } = setup();
    createPod('web', {
      volumes: [{ name: 'html', emptyDir: {} }],
      containers: [
        { name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html' }] },
        { name: 'writer', image: 'busybox', command: ['sh', '-c', 'while true; do date > /html/index.html; sleep 10; done'], volumeMounts: [{ name: 'html', mountPath: '/html' }] },
      ],
    });
    cluster.clock.advance(15_000);
    expect(pod('web').status.phase).toBe('Running');
    const served = await sh('web', 'cat /usr/share/nginx/html/index.html', 'nginx');
    expect(served).toEqual({ code: 0, out: `${(await sh('web', 'date', 'writer')).out.slice(0, 17)}${served.out.slice(17)}`, err: '' });
    expect(served.out).toMatch(/^Mon Jun {2}2 09:\d\d:\d\d UTC 2025\n$/);
    // The image's own index.html is hidden under the mount; the writable layer is per container.
    expect((await sh('web', 'ls /usr/share/nginx/html', 'nginx')).out).toBe('index.html\n');
    expect(await sh('web', 'rm -rf /html', 'writer')).toEqual({ code: 1, out: '', err: "rm: can't remove '/html': Resource busy\n" });
    await sh('web', 'echo mine > /tmp/note', 'nginx');
    expect(await sh('web', 'cat /tmp/note', 'writer')).toEqual({ code: 1, out: '', err: "cat: can't open '/tmp/note': No such file or directory\n" });
  });

  it('serves nginx pages from the container file system', async () => {
    const { cluster, createPod, sh, pod } = setup();
    createPod('web', {
      containers: [{ name: 'nginx', image: 'nginx', readinessProbe: { httpGet: { path: '/custom.html', port: 80 }, periodSeconds: 5 } }],
    });
    cluster.clock.advance(20_000);
    expect(pod('web').status.containerStatuses[0].ready).toBe(false);
    await sh('web', 'echo custom > /usr/share/nginx/html/custom.html');
    cluster.clock.advance(6_000);
    expect(pod('web').status.containerStatuses[0].ready).toBe(true);
  });

  it('mounts configMap keys read-only with the ..data layout and updates them after the sync period; env and subPath keep the old value', async () => {
    const { cluster, call, createPod, configMap, sh } = setup();
    configMap('app-config', { 'app.properties': 'mode=blue\n', color: 'blue' });
    createPod('app', {
      volumes: [{ name: 'config', configMap: { name: 'app-config' } }],
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: ['sleep', '3600'],
          env: [{ name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'color' } } }],
          volumeMounts: [
            { name: 'config', mountPath: '/etc/config' },
            { name: 'config', mountPath: '/etc/color', subPath: 'color' },
          ],
        },
      ],
    });
    cluster.clock.advance(15_000);
    expect((await sh('app', 'ls /etc/config')).out).toBe('app.properties\ncolor\n');
    const long = (await sh('app', 'ls -la /etc/config')).out.split('\n');
    expect(long[0]).toBe('total 12');
    expect(long[3]).toMatch(/^drwxr-xr-x {4}2 root {5}root {10}4096 Jun {2}2 09:\d\d \.\.2025_06_02_09_\d\d_\d\d\.\d+$/);
    expect(long[4]).toMatch(/^lrwxrwxrwx {4}1 root {5}root {12}3\d Jun {2}2 09:\d\d \.\.data -> \.\.2025_06_02_09_\d\d_\d\d\.\d+$/);
    expect(long[5]).toMatch(/^lrwxrwxrwx {4}1 root {5}root {11} 21 Jun {2}2 09:\d\d app\.properties -> \.\.data\/app\.properties$/);
    expect((await sh('app', 'cat /etc/config/color; echo; cat /etc/color; echo; echo $COLOR')).out).toBe('blue\nblue\nblue\n');
    expect(await sh('app', 'touch /etc/config/new')).toEqual({ code: 1, out: '', err: 'touch: /etc/config/new: Read-only file system\n' });

    const cm = call({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/app-config' }).body as Obj;
    call({ method: 'PUT', path: '/api/v1/namespaces/default/configmaps/app-config', body: { ...cm, data: { color: 'green' } } });
    cluster.clock.advance(61_000);
    expect((await sh('app', 'ls /etc/config; cat /etc/config/color; echo; cat /etc/color; echo; echo $COLOR')).out).toBe('color\ngreen\nblue\nblue\n');
  });

  it('waits for a missing configMap with FailedMount events and starts once it exists', async () => {
    const { cluster, createPod, configMap, pod, events } = setup();
    createPod('app', {
      volumes: [{ name: 'config', configMap: { name: 'later' } }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] }],
    });
    cluster.clock.advance(20_000);
    const p = pod('app');
    expect(p.status.phase).toBe('Pending');
    expect(p.status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(p.status.conditions.find((c: Obj) => c.type === 'PodReadyToStartContainers').status).toBe('False');
    expect(events('app').filter((e) => !e.startsWith('Normal Scheduled'))).toEqual(['Warning FailedMount: MountVolume.SetUp failed for volume "config" : configmap "later" not found (x6)']);
    configMap('later', { a: '1' });
    cluster.clock.advance(30_000);
    expect(pod('app').status.phase).toBe('Running');
  });

  it('reports a missing key in items and secret keys decoded', async () => {
    const { cluster, create, createPod, configMap, events, sh } = setup();
    configMap('cfg', { present: 'yes' });
    create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'czNjcjN0' } });
    createPod('bad', {
      volumes: [{ name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'absent', path: 'x' }] } }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
    });
    createPod('good', {
      volumes: [{ name: 'db', secret: { secretName: 'db', items: [{ key: 'password', path: 'auth/pw' }] } }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'db', mountPath: '/secret' }] }],
    });
    cluster.clock.advance(15_000);
    expect(events('bad').filter((e) => e.includes('FailedMount')).at(-1)).toMatch(/^Warning FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: absent \(x\d\)$/);
    expect((await sh('good', 'cat /secret/auth/pw')).out).toBe('s3cr3t');
  });

  it('projects the service account token, CA bundle and namespace', async () => {
    const { cluster, createPod, sh, pod } = setup();
    createPod('app', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] });
    cluster.clock.advance(15_000);
    expect(pod('app').status.containerStatuses[0].volumeMounts).toEqual([
      { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: pod('app').spec.volumes[0].name, readOnly: true, recursiveReadOnly: 'Disabled' },
    ]);
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect((await sh('app', `ls ${dir}`)).out).toBe('ca.crt\nnamespace\ntoken\n');
    expect((await sh('app', `cat ${dir}/namespace`)).out).toBe('default');
    expect((await sh('app', `cat ${dir}/ca.crt`)).out).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const token = (await sh('app', `cat ${dir}/token`)).out.trim();
    const [, claims] = token.split('.');
    const decoded = JSON.parse(Buffer.from(claims!, 'base64url').toString());
    expect(decoded).toMatchObject({ iss: 'https://kubernetes.default.svc.cluster.local', sub: 'system:serviceaccount:default:default', 'kubernetes.io': { namespace: 'default', pod: { name: 'app' } } });
    // The kubelet asks for 3607 s; the API server extends that to a year and warns after 3607 s.
    expect(decoded.exp - decoded.iat).toBe(31_536_000);
    expect(decoded['kubernetes.io'].warnafter - decoded.iat).toBe(3607);
    expect(decoded['kubernetes.io'].node.name).toBe(pod('app').spec.nodeName);
  });

  it('writes downwardAPI labels and refreshes them when they change', async () => {
    const { cluster, call, createPod, sh } = setup();
    createPod('app', {
      volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } }] } }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { limits: { cpu: '250m' } }, volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }] }],
    });
    cluster.clock.advance(15_000);
    expect((await sh('app', 'cat /etc/podinfo/labels; echo; cat /etc/podinfo/cpu')).out).toBe('app="app"\n250');
    call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/app', contentType: 'application/merge-patch+json', body: { metadata: { labels: { tier: 'web' } } } });
    cluster.clock.advance(61_000);
    expect((await sh('app', 'cat /etc/podinfo/labels')).out).toBe('app="app"\ntier="web"');
  });

  it('keeps hostPath files on the node across pods and checks hostPath types', async () => {
    const { cluster, call, createPod, events, sh, pod } = setup();
    const spec = (type?: string) => ({
      nodeName: 'node01',
      volumes: [{ name: 'data', hostPath: { path: '/data/app', ...(type ? { type } : {}) } }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    });
    createPod('strict', spec('Directory'));
    createPod('first', spec('DirectoryOrCreate'));
    cluster.clock.advance(15_000);
    // Directory fails until DirectoryOrCreate (another pod on the node) has made it.
    expect(events('strict').slice(0, 1)).toEqual(['Warning FailedMount: MountVolume.SetUp failed for volume "data" : hostPath type check failed: /data/app is not a directory']);
    expect(pod('strict').status.phase).toBe('Running');
    await sh('first', 'echo kept > /data/file');
    call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/first' });
    cluster.clock.advance(40_000);
    createPod('second', spec());
    cluster.clock.advance(15_000);
    expect((await sh('second', 'cat /data/file')).out).toBe('kept\n');
    expect(cluster.kubelets.get('node01')!.hostFs.read('/data/app/file')).toBe('kept\n');
    expect(cluster.kubelets.get('node02')!.hostFs.stat('/data/app')).toBeUndefined();
  });

  it('waits for an unbound claim on the kubelet', () => {
    const { cluster, create, createPod, events } = setup();
    create('/api/v1/namespaces/default/persistentvolumeclaims', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
    });
    createPod('db', {
      nodeName: 'node01',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    });
    cluster.clock.advance(5_000);
    expect(events('db')[0]).toBe(
      'Warning FailedMount: Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC default/data has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("") (x4)',
    );
  });

  it('runs busybox file commands with their messages', async () => {
    const { cluster, createPod, sh } = setup();
    createPod('box', { containers: [{ name: 'box', image: 'busybox', command: ['sleep', '3600'], workingDir: '/tmp' }] });
    cluster.clock.advance(15_000);
    expect((await sh('box', 'pwd; mkdir a; mkdir a; mkdir -p a/b/c && echo ok; echo one > a/f; echo two >> a/f; cat a/f')).out).toBe('/tmp\nok\none\ntwo\n');
    expect((await sh('box', 'mkdir x/y; rm a; cat a; ls nope; echo hi > /no/such/file')).err).toBe(
      [
        "mkdir: can't create directory 'x/y': No such file or directory",
        "rm: 'a' is a directory",
        'cat: read error: Is a directory',
        'ls: nope: No such file or directory',
        "sh: can't create /no/such/file: nonexistent directory",
        '',
      ].join('\n'),
    );
    expect((await sh('box', 'mkdir a 2>&1; ls /; rm -rf a; ls')).out).toBe("mkdir: can't create directory 'a': File exists\nbin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n");
    expect((await exec('box', ['ps'])).out).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 ps\n');
    // Arguments reach the program unchanged; cd is a shell built-in, not a program exec can start.
    expect((await exec('box', ['echo', 'a;b', "it's"])).out).toBe("a;b it's\n");
    const cd = await exec('box', ['cd', '/']);
    expect(cd.code).toBe(128);
    expect(cd.err).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "cd": executable file not found in \$PATH: unknown\n$/);
    async function exec(name: string, command: string[]) {
      let out = '';
      let err = '';
      const code = await cluster.api.exec('default', name, { command, tty: false }, { stdout: (d) => (out += d), stderr: (d) => (err += d) });
      return { out, err, code };
    }
  });
});
