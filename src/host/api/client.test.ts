import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster, isWatchHandle, type WatchEventObject } from '../../sim';
import { HttpApiClient, readKubeconfig } from './client';
import { startApiServer, type RunningApiServer } from './server';

describe('HttpApiClient', () => {
  const cluster = createCluster({ seed: 2 });
  let server: RunningApiServer;
  let client: HttpApiClient;
  beforeAll(async () => {
    server = await startApiServer({ cluster });
    client = new HttpApiClient(readKubeconfig(server.kubeconfig()));
  });
  afterAll(() => server.close());

  it('watches: current objects as ADDED, then changes as they happen, until stop()', async () => {
    const events: WatchEventObject[] = [];
    const handle = await client.watch({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' }, (e) => events.push(e));
    expect(isWatchHandle(handle)).toBe(true);
    cluster.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { a: 'b' } } });
    cluster.api.handle({ method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/one' });
    // The events cross a real socket: wait (wall clock, bounded) until the deletion arrives.
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'DELETED'); i++) await new Promise((r) => setTimeout(r, 10));
    const seen = events.map((e) => `${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`);
    expect(seen).toEqual(['ADDED kube-root-ca.crt', 'ADDED one', 'DELETED one']);
    if (isWatchHandle(handle)) handle.stop();
  });

  it('answers a refused watch with the server Status', async () => {
    const res = await client.watch({ method: 'GET', path: '/api/v1/namespaces/default/nothings' }, () => {});
    expect(isWatchHandle(res)).toBe(false);
    expect(res).toMatchObject({ status: 404, body: { kind: 'Status', reason: 'NotFound' } });
  });
});
