import { describe, expect, it } from 'vitest';
import { kubectlTestSession, type KubectlTestSession } from '../../testing';

function post(s: KubectlTestSession, path: string, body: unknown): void {
  const res = s.cluster.api.handle({ method: 'POST', path, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

function deploy(s: KubectlTestSession, name: string, replicas: number): void {
  post(s, '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  });
}

describe('kubectl cordon, uncordon, taint', () => {
  it('cordons and uncordons with kubectl\'s messages', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('cordon node01')).toEqual({ code: 0, stdout: 'node/node01 cordoned\n', stderr: '' });
    expect((await s.kubectl('cordon node01')).stdout).toBe('node/node01 already cordoned\n');
    expect((await s.kubectl('uncordon node01 --dry-run=client')).stdout).toBe('node/node01 uncordoned (dry run)\n');
    expect((await s.kubectl('uncordon node01')).stdout).toBe('node/node01 uncordoned\n');
    expect((await s.kubectl('uncordon node01')).stdout).toBe('node/node01 already uncordoned\n');
    expect((await s.kubectl('cordon nope')).stderr).toBe('Error from server (NotFound): nodes "nope" not found\n');
  });

  it('taints, refuses a duplicate, overwrites and untaints', async () => {
    const s = kubectlTestSession();
    expect((await s.kubectl('taint node node01 app=blue:NoSchedule')).stdout).toBe('node/node01 tainted\n');
    expect(await s.kubectl('taint node node01 app=red:NoSchedule')).toEqual({ code: 1, stdout: '', stderr: 'error: node node01 already has app taint(s) with same effect(s) and --overwrite is false\n' });
    expect((await s.kubectl('taint node node01 app=red:NoSchedule --overwrite')).stdout).toBe('node/node01 modified\n');
    expect((await s.kubectl('taint node node01 app:NoSchedule-')).stdout).toBe('node/node01 untainted\n');
    expect((await s.kubectl('taint node node01 app-')).stderr).toBe('error: taint "app" not found\n');
    expect((await s.kubectl('taint node node01 app=x:Sometimes')).stderr).toBe("error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n");
  });
});

describe('kubectl drain', () => {
  it('refuses DaemonSet-managed pods without --ignore-daemonsets, then evicts and waits', async () => {
    const s = kubectlTestSession();
    deploy(s, 'web', 4);
    s.cluster.clock.advance(60_000);
    const refused = await s.kubectl('drain node01');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('node/node01 cordoned\n');
    expect(refused.stderr).toMatch(/^error: unable to drain node "node01" due to error: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-system\/kube-proxy-\w+, continuing command...\nThere are pending nodes to be drained:\n node01\ncannot delete DaemonSet-managed Pods/);
    const r = await s.kubectl('drain node01 --ignore-daemonsets');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: kube-system\/kube-proxy-\w+\n$/);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('node/node01 already cordoned');
    expect(lines.at(-1)).toBe('node/node01 drained');
    expect(lines.filter((l) => l.startsWith('evicting pod default/web-')).length).toBe(lines.filter((l) => /^pod\/web-\S+ evicted$/.test(l)).length);
    const pods = s.cluster.api.handle({ method: 'GET', path: '/api/v1/namespaces/default/pods' }).body as { items: { spec: { nodeName?: string } }[] };
    expect(pods.items.some((p) => p.spec.nodeName === 'node01')).toBe(false);
  });

  it('retries evictions a PodDisruptionBudget refuses', async () => {
    const s = kubectlTestSession();
    deploy(s, 'web', 2);
    s.cluster.clock.advance(60_000);
    post(s, '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    s.cluster.clock.advance(5_000);
    const pods = s.cluster.api.handle({ method: 'GET', path: '/api/v1/namespaces/default/pods' }).body as { items: { spec: { nodeName: string } }[] };
    const node = pods.items[0]!.spec.nodeName;
    const r = await s.kubectl(`drain ${node} --ignore-daemonsets --timeout=12s`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.\n`);
    expect(r.stderr).toContain('global timeout reached: 12s');
  });

  it('refuses unmanaged pods without --force', async () => {
    const s = kubectlTestSession();
    post(s, '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo' }, spec: { nodeName: 'node02', containers: [{ name: 'c', image: 'nginx' }] } });
    const r = await s.kubectl('drain node02 --ignore-daemonsets');
    expect(r.stderr).toContain('error: unable to drain node "node02" due to error: cannot delete Pods that declare no controller (use --force to override): default/solo, continuing command...\n');
    const f = await s.kubectl('drain node02 --ignore-daemonsets --force');
    expect(f.stderr).toMatch(/Warning: .*deleting Pods that declare no controller: default\/solo/);
    expect(f.stdout).toContain('evicting pod default/solo\npod/solo evicted\nnode/node02 drained\n');
  });
});

describe('kubectl wait and top', () => {
  it('waits for a condition, a jsonpath value and a deletion, and times out', async () => {
    const s = kubectlTestSession();
    post(s, '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    expect(await s.kubectl('wait --for=condition=Ready pod/x')).toEqual({ code: 0, stdout: 'pod/x condition met\n', stderr: '' });
    expect((await s.kubectl(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/x'])).stdout).toBe('pod/x condition met\n');
    expect(await s.kubectl('wait --for=condition=Ready=false pod/x --timeout=5s')).toEqual({ code: 1, stdout: '', stderr: 'error: timed out waiting for the condition on pods/x\n' });
    s.cluster.api.handle({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/x' });
    expect((await s.kubectl('wait --for=delete pod/x --timeout=60s')).stdout).toBe('pod/x condition met\n');
    expect((await s.kubectl('wait --for=condition=Ready pod/x')).stderr).toBe('Error from server (NotFound): pods "x" not found\n');
    expect((await s.kubectl('wait --for=nonsense pod/x')).stderr).toBe('error: unrecognized condition: "nonsense"\n');
  });

  it('says when the Metrics API is absent, and prints usage once metrics-server has scraped', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('top node')).toEqual({ code: 1, stdout: '', stderr: 'error: Metrics API not available\n' });
    s.cluster.installMetricsServer();
    s.cluster.clock.advance(90_000);
    const r = await s.kubectl('top node');
    expect(r.stdout).toMatch(/^NAME +CPU\(cores\) +CPU\(%\) +MEMORY\(bytes\) +MEMORY\(%\) +\ncontrolplane +\d+m +\d+% +\d+Mi +\d+% +\n/);
    const p = await s.kubectl('top pod -A --sort-by=memory --no-headers');
    expect(p.stdout).toMatch(/^kube-system +kube-apiserver-controlplane +\d+m +\d+Mi +\n/);
  });
});
