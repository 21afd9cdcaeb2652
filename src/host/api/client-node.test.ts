/**
 * The official JavaScript client against the served cluster: list, watch, create, patch and
 * delete, as a program written for a real cluster would do them.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../sim';
import { startApiServer, type RunningApiServer } from './server';

describe('@kubernetes/client-node', () => {
  let server: RunningApiServer;
  const cluster = createCluster();
  const config = new KubeConfig();

  beforeAll(async () => {
    server = await startApiServer({ cluster });
    config.loadFromString(server.kubeconfig());
  });
  afterAll(() => server.close());

  it('lists nodes and pods', async () => {
    const core = config.makeApiClient(CoreV1Api);
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['controlplane', 'node01', 'node02']);
    const pods = await core.listNamespacedPod({ namespace: 'kube-system' });
    expect(pods.items.some((p) => p.metadata?.name === 'etcd-controlplane')).toBe(true);
  });

  it('creates, patches and deletes a Deployment, and watches the ReplicaSet controller act on it', async () => {
    const apps = config.makeApiClient(AppsV1Api);
    const seen: string[] = [];
    const watch = new Watch(config);
    const request = await watch.watch(
      '/apis/apps/v1/namespaces/default/replicasets',
      {},
      (type, obj: { metadata?: { name?: string } }) => seen.push(`${type} ${obj.metadata?.name ?? ''}`),
      () => undefined,
    );
    const created = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
      },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    cluster.clock.advance(0);
    const patched = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec?.replicas).toBe(3);
    cluster.clock.advance(0);
    // The watch saw the controller create the ReplicaSet and scale it.
    await expect.poll(() => seen.some((s) => /^ADDED web-\w+$/.test(s)) && seen.some((s) => /^MODIFIED web-\w+$/.test(s))).toBe(true);
    request.abort();
    await apps.deleteNamespacedDeployment({ name: 'web', namespace: 'default' });
    await expect(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });
});
