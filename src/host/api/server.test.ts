import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from '../../sim';
import { startApiServer, type RunningApiServer } from './server';

const run = promisify(execFile);

/** A request to the server as a client trusting its certificate; resolves to status, headers and body. */
function call(server: RunningApiServer, method: string, path: string, options: { token?: string | null; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const token = options.token === undefined ? server.token : options.token;
    const req = request(
      `${server.url}${path}`,
      { method, ca: server.certificate, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(options.headers ?? {}) } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
          // A watch never ends by itself: the test reads what came first.
          if (path.includes('watch=true') && body.includes('\n')) req.destroy();
        });
        res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', (err) => (path.includes('watch=true') ? undefined : reject(err)));
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe('Kubernetes API over HTTPS', () => {
  let server: RunningApiServer;
  const cluster = createCluster();
  beforeAll(async () => {
    server = await startApiServer({ cluster });
  });
  afterAll(() => server.close());

  it('refuses requests without the kubeconfig token, as an unauthenticated kube-apiserver does', async () => {
    for (const token of [null, 'wrong']) {
      const res = await call(server, 'GET', '/api/v1/nodes', { token });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('answers objects, Tables when asked, and warnings as Warning headers', async () => {
    const nodes = JSON.parse((await call(server, 'GET', '/api/v1/nodes')).body);
    expect(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['controlplane', 'node01', 'node02']);
    const table = JSON.parse((await call(server, 'GET', '/api/v1/nodes', { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } })).body);
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions[0].name).toBe('Name');
    const created = await call(server, 'POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' }, extra: 1 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.warning).toBe('299 - "unknown field \\"extra\\""');
  });

  it('applies each patch type named by Content-Type, and refuses others', async () => {
    const patch = (contentType: string, body: unknown) =>
      call(server, 'PATCH', '/api/v1/namespaces/default/configmaps/cm', { body: JSON.stringify(body), headers: { 'Content-Type': contentType } });
    expect((await patch('application/merge-patch+json', { data: { c: 'd' } })).status).toBe(200);
    expect((await patch('application/json-patch+json', [{ op: 'add', path: '/data/e', value: 'f' }])).status).toBe(200);
    const res = await patch('text/plain', {});
    expect(res.status).toBe(415);
    expect(JSON.parse((await call(server, 'GET', '/api/v1/namespaces/default/configmaps/cm')).body).data).toEqual({ a: 'b', c: 'd', e: 'f' });
  });

  it('limits request bodies to 3 MiB', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'y'.repeat(3 * 1024 * 1024) } });
    const res = await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body: big, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).reason).toBe('RequestEntityTooLarge');
  });

  it('streams a watch as JSON lines', async () => {
    const res = await call(server, 'GET', '/api/v1/nodes?watch=true');
    expect(res.status).toBe(200);
    const first = JSON.parse(res.body.split('\n')[0]!);
    expect(first).toMatchObject({ type: 'ADDED', object: { kind: 'Node', metadata: { name: 'controlplane' } } });
  });

  it('serves the real kubectl', async (ctx) => {
    const found = await run('kubectl', ['version', '--client']).catch(() => undefined);
    if (!found) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'kubelab-api-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(kubeconfig, server.kubeconfig(), { mode: 0o600 });
    const kubectl = async (...args: string[]) => (await run('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig } })).stdout;
    expect(await kubectl('get', 'nodes', '-o', 'name')).toBe('node/controlplane\nnode/node01\nnode/node02\n');
    expect(await kubectl('get', 'configmap', 'cm', '-o', 'jsonpath={.data.a}')).toBe('b');
    expect(await kubectl('version', '-o', 'json')).toContain('"gitVersion": "v1.32.4"');
    expect(await kubectl('delete', 'configmap', 'cm')).toBe('configmap "cm" deleted\n');
  });
});
