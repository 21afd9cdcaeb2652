/**
 * Fidelity for the streaming verbs (logs, exec, cp, port-forward, debug --dry-run): the real
 * kubectl 1.32 and ours against one served cluster print the same stdout, stderr and exit code.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../sim';
import { useFidelity } from './fidelity-kit';

function post(cluster: Cluster, path: string, body: object): void {
  const res = cluster.api.handle({ method: 'POST', path, userAgent: 'kubectl', body });
  if (res.status >= 300) throw new Error(JSON.stringify(res.body));
}

function setup(cluster: Cluster): void {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } };
  post(cluster, '/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tpl } });
  post(cluster, '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  // A pod that writes a line a second for a while, then stops.
  post(cluster, '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'counter', labels: { app: 'counter' } },
    spec: { restartPolicy: 'Never', containers: [{ name: 'count', image: 'busybox', command: ['sh', '-c', 'i=0; while [ $i -lt 30 ]; do echo "tick $i"; i=$((i+1)); sleep 1; done'] }] },
  });
  // Two containers, one of them restarting.
  post(cluster, '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'duo', labels: { app: 'duo' } },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'echo init done'] }],
      containers: [
        { name: 'main', image: 'busybox', command: ['sh', '-c', 'echo main up; sleep 3600'] },
        { name: 'crash', image: 'busybox', command: ['sh', '-c', 'echo crashing; exit 1'] },
      ],
    },
  });
  post(cluster, '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'box' }, spec: { containers: [{ name: 'box', image: 'busybox', command: ['sleep', '3600'] }] } });
  post(cluster, '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'bad', image: 'nginx:nope' }] } });
  cluster.clock.advance(60_000);
}

/** Command lines both must print the same for. */
const SCENARIOS: string[][] = [
  ['logs', 'counter'],
  ['logs', 'counter', '--tail=3'],
  ['logs', 'counter', '--tail=0'],
  ['logs', 'counter', '--timestamps', '--tail=2'],
  ['logs', 'counter', '--prefix', '--tail=2'],
  ['logs', 'counter', '--limit-bytes=10'],
  ['logs', 'counter', '--since=5s'],
  ['logs', 'counter', '-f'],
  ['logs', 'pod/counter', '-c', 'count', '--tail=1'],
  ['logs', 'counter', 'count', '--tail=1'],
  ['logs', 'counter', 'nope'],
  ['logs', 'counter', 'count', '-c', 'count'],
  ['logs', '-l', 'app=counter'],
  ['logs', '-l', 'app=counter', '--tail=2', '--prefix'],
  ['logs', '-l', 'app=nothing'],
  ['logs', '-l', 'app=counter', 'counter'],
  ['logs'],
  ['logs', 'nope'],
  ['logs', 'deploy/nope'],
  ['logs', 'duo'],
  ['logs', 'duo', '-c', 'crash'],
  ['logs', 'duo', '-c', 'crash', '--previous'],
  ['logs', 'duo', '-c', 'main', '--previous'],
  ['logs', 'duo', '-c', 'init'],
  ['logs', 'duo', '--all-containers', '-c', 'main'],
  ['logs', 'bad'],
  ['logs', 'counter', '--since=1s', '--since-time=2024-01-01T00:00:00Z'],
  ['logs', 'counter', '--tail=-2'],
  ['logs', 'counter', '--limit-bytes=-1'],
  ['logs', 'svc/web'],
  ['logs', 'configmap/kube-root-ca.crt'],
  ['exec', 'box', '--', 'echo', 'hello'],
  ['exec', 'box', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'],
  ['exec', 'box', '--', 'ls', '/nope'],
  ['exec', 'box'],
  ['exec', 'box', 'date'],
  ['exec', '--', 'date'],
  ['exec', 'nope', '--', 'date'],
  ['exec', 'deploy/web', '--', 'cat', '/etc/hostname'],
  ['exec', 'duo', '--', 'echo', 'hi'],
  ['exec', 'duo', '-c', 'nope', '--', 'echo', 'hi'],
  ['exec', 'duo', '-c', 'crash', '--', 'echo', 'hi'],
  ['exec', 'counter', '--', 'echo', 'hi'],
  ['exec', 'box', '-t', '--', 'echo', 'hi'],
  ['exec', 'box', '-it', '--', 'echo', 'hi'],
  ['exec', 'bad', '--', 'echo', 'hi'],
  ['attach', 'counter'],
  ['attach', 'nope'],
  ['attach'],
  ['attach', 'duo', '-c', 'nope'],
  ['port-forward', 'box'],
  ['port-forward', 'nope', '8080:80'],
  ['port-forward', 'counter', '8080:80'],
  ['port-forward', 'svc/web', '8080:81'],
  ['debug', 'box'],
  ['debug', 'box', '-t', '--image=busybox'],
  ['debug', 'box', '--image=busybox', '--replace'],
  ['debug', 'box', '--image=busybox', '--target=box', '--copy-to=x'],
  ['debug', '--image=busybox'],
  ['debug', 'nope', '--image=busybox', '-c', 'dbg'],
  ['debug', 'node/nope', '--image=busybox'],
  ['debug', 'box', '--image=busybox', '--image-pull-policy=Sometimes'],
];

/** kubectl cp's failures. */
const CP_ERRORS: string[][] = [
  ['cp', 'box:/tmp/nope', 'x'],
  ['cp', 'box:/a', 'box:/b'],
  ['cp', 'a', 'b'],
  ['cp', 'missing.txt', 'box:/tmp/x'],
  ['cp', 'a'],
  ['cp', ':a', 'b'],
  ['cp', 'a/b/c:/x', 'y'],
  ['cp', 'ghost:/tmp/a', 'x'],
  ['cp', 'box:', 'x'],
];

/** With stdin piped in. */
const WITH_STDIN: [string[], string][] = [
  [['exec', '-i', 'box', '--', 'cat'], 'x\n'],
  [['exec', '-i', 'box', '--', 'sh'], 'echo from stdin; exit 4\n'],
];

describe('fidelity: streaming verbs print what kubectl 1.32 prints', () => {
  const kit = useFidelity(setup);

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

  it('kubectl logs duo --all-containers --prefix (kubectl reads the containers from a Go map: any order)', async () => {
    if (!kit.available()) return;
    const args = ['logs', 'duo', '--all-containers', '--prefix'];
    const real = await kit.real(args);
    const ours = await kit.ours(args);
    const lines = (text: string) => text.split('\n').sort();
    expect({ ...ours, stdout: lines(ours.stdout) }).toEqual({ ...real, stdout: lines(real.stdout) });
    expect(ours.stdout).toBe('[pod/duo/init] init done\n[pod/duo/main] main up\n[pod/duo/crash] crashing\n');
  });

  it('kubectl exec box -- nope (a missing program: an InternalError from the kubelet; exec IDs differ by nature)', async () => {
    if (!kit.available()) return;
    const args = ['exec', 'box', '--', 'nope'];
    const hex = (o: { stderr: string }) => ({ ...o, stderr: o.stderr.replace(/[0-9a-f]{64}/g, 'ID') });
    expect(hex(await kit.ours(args))).toEqual(hex(await kit.real(args)));
  });

  it('kubectl debug: the node debugging pod has the shape kubectl 1.32 gives them', async () => {
    if (!kit.available()) return;
    const get = (path: string) => kit.cluster.api.handle({ method: 'GET', path }).body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const real = await kit.real(['debug', 'box', '--image=busybox', '-c', 'dbg1', '--target=box', '--env=A=1', '--', 'sleep', '1d']);
    const ours = await kit.ours(['debug', 'box', '--image=busybox', '-c', 'dbg2', '--target=box', '--env=A=1', '--', 'sleep', '1d']);
    expect(ours).toEqual(real);
    kit.cluster.clock.advance(30_000);
    // Both ephemeral containers as each kubectl wrote them, and the kubelet started both.
    const box = get('/api/v1/namespaces/default/pods/box');
    const [ec1, ec2] = ['dbg1', 'dbg2'].map((n) => box.spec.ephemeralContainers.find((c: { name: string }) => c.name === n));
    expect({ ...ec2, name: 'X' }).toEqual({ ...ec1, name: 'X' });
    const states = box.status.ephemeralContainerStatuses.map((c: { name: string; state: object }) => [c.name, Object.keys(c.state)]);
    expect(states).toEqual([['dbg1', ['running']], ['dbg2', ['running']]]);
    await kit.compare(['exec', 'box', '-c', 'dbg1', '--', 'echo', 'hi']);
    await kit.compare(['get', 'events', '--field-selector', 'involvedObject.fieldPath=spec.ephemeralContainers{dbg2}', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message']);
    // A generated name, and the errors validation gives.
    const masked = (o: { stdout: string; stderr: string; code: number }) => ({ ...o, stdout: o.stdout.replace(/debugger-[a-z0-9]{5}/, 'debugger-X') });
    expect(masked(await kit.ours(['debug', 'box', '--image=busybox', '--', 'sleep', '1d']))).toEqual(masked(await kit.real(['debug', 'box', '--image=busybox', '--', 'sleep', '1d'])));
    await kit.compare(['debug', 'box', '--image=busybox', '-c', 'dbg1']);
    await kit.compare(['debug', 'box', '--image=busybox', '-c', 'box']);
    await kit.compare(['debug', 'box', '--image=busybox', '-c', 'dbg3', '--target=nope']);
    // Profiles set the new container's securityContext.
    for (const profile of ['general', 'baseline', 'restricted', 'netadmin', 'sysadmin']) {
      expect(await kit.ours(['debug', 'box', '--image=busybox', `--profile=${profile}`, '-c', `ours-${profile}`])).toEqual(await kit.real(['debug', 'box', '--image=busybox', `--profile=${profile}`, '-c', `real-${profile}`]));
      const made = get('/api/v1/namespaces/default/pods/box').spec.ephemeralContainers as { name: string }[];
      const strip = (n: string) => ({ ...made.find((c) => c.name === n), name: 'X' });
      expect(strip(`ours-${profile}`)).toEqual(strip(`real-${profile}`));
    }
    await kit.compare(['debug', 'box', '--image=busybox', '--profile=nope']);
    // -i: piped input runs in the debugging shell once the container runs.
    // The served cluster's clock stands still: it is moved on while each kubectl waits for its container.
    const ticking = async <T>(p: Promise<T>): Promise<T> => {
      const timer = setInterval(() => kit.cluster.clock.advance(1000), 50);
      try {
        return await p;
      } finally {
        clearInterval(timer);
      }
    };
    const realShell = await ticking(kit.real(['debug', 'box', '-i', '--image=busybox', '-c', 'sh1'], { stdin: 'echo hi from $(hostname)\n' }));
    const ourShell = await ticking(kit.ours(['debug', 'box', '-i', '--image=busybox', '-c', 'sh2'], { stdin: 'echo hi from $(hostname)\n' }));
    expect(ourShell).toEqual(realShell);
    expect(realShell.stdout).toBe('hi from box\n');
    await kit.compare(['describe', 'pod', 'box']);
    await kit.compare(['get', 'pod', 'box', '-o', 'wide']);
    const nodeName = get('/api/v1/namespaces/default/pods/box').spec.nodeName;
    const suffix = (o: { stdout: string; stderr: string; code: number }) => ({ ...o, stdout: o.stdout.replace(/-[a-z0-9]{5} with/, '-XXXXX with') });
    const realNode = await kit.real(['debug', `node/${nodeName}`, '--image=busybox']);
    const oursNode = await kit.ours(['debug', `node/${nodeName}`, '--image=busybox']);
    expect(suffix(oursNode)).toEqual(suffix(realNode));
    const names = [realNode, oursNode].map((r) => /pod (\S+) with/.exec(r.stdout)![1]!);
    const shape = (name: string) => {
      const p = get(`/api/v1/namespaces/default/pods/${name}`);
      // The service account token volume's name is generated by the server.
      return JSON.parse(JSON.stringify({ labels: p.metadata.labels, spec: p.spec }).replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-X'));
    };
    expect(shape(names[1]!)).toEqual(shape(names[0]!));
    for (const profile of ['general', 'baseline', 'restricted', 'netadmin', 'sysadmin']) {
      const r = await kit.real(['debug', `node/${nodeName}`, '--image=busybox', `--profile=${profile}`]);
      const u = await kit.ours(['debug', `node/${nodeName}`, '--image=busybox', `--profile=${profile}`]);
      expect(suffix(u)).toEqual(suffix(r));
      const [rn, un] = [r, u].map((x) => /pod (\S+) with/.exec(x.stdout)![1]!);
      expect(shape(un!)).toEqual(shape(rn!));
    }
  }, 30_000);

  it('kubectl cp: a file and a directory into the container and back, both kubectls alike', async () => {
    if (!kit.available()) return;
    const dir = kit.dir();
    mkdirSync(join(dir, 'site', 'css'), { recursive: true });
    kit.file('notes.txt', 'hello\nwörld\n');
    kit.file('site/index.html', '<h1>hi</h1>\n');
    kit.file('site/css/main.css', 'body {}\n');
    for (const [who, run] of [['real', kit.real], ['ours', kit.ours]] as const) {
      expect(await run(['cp', '-c', 'box', 'notes.txt', `box:/tmp/${who}.txt`])).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(await run(['cp', '-c', 'box', 'site', `box:/tmp/${who}-site`])).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(await run(['cp', '-c', 'box', 'notes.txt', 'box:/tmp'])).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    for (const who of ['real', 'ours']) {
      await kit.compare(['exec', 'box', '-c', 'box', '--', 'cat', `/tmp/${who}.txt`, `/tmp/${who}-site/index.html`, `/tmp/${who}-site/css/main.css`, '/tmp/notes.txt']);
    }
    // Back out of the container: each kubectl reads the archive the container's tar writes.
    await kit.compare(['cp', '-c', 'box', 'box:/tmp/real.txt', 'back.txt']);
    expect(readFileSync(join(dir, 'back.txt'), 'utf8')).toBe('hello\nwörld\n');
    await kit.compare(['cp', '-c', 'box', 'box:/tmp/real-site', 'site-back']);
    expect(readFileSync(join(dir, 'site-back', 'css', 'main.css'), 'utf8')).toBe('body {}\n');
    await kit.compare(['cp', 'box:/tmp/real-site/', 'site-back2/']);
    expect(readFileSync(join(dir, 'site-back2', 'index.html'), 'utf8')).toBe('<h1>hi</h1>\n');
    await kit.compare(['cp', '-c', 'box', '--no-preserve', 'notes.txt', 'default/box:/tmp/np.txt']);
    await kit.compare(['cp', '-c', 'box', '--retries=2', 'box:/tmp/real.txt', 'retried.txt']);
    expect(readFileSync(join(dir, 'retried.txt'), 'utf8')).toBe('hello\nwörld\n');
    await kit.compare(['exec', 'box', '-c', 'box', '--', 'cat', '/tmp/np.txt']);
  });

  it.each(CP_ERRORS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

  it.each(WITH_STDIN.map(([args, stdin]) => [args.join(' '), args, stdin] as const))('kubectl %s (stdin)', async (_, args, stdin) => {
    await kit.compare(args, { stdin });
  });
});
