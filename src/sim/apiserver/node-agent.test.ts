import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import { ApiError } from './errors';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup(containers = [{ name: 'nginx', image: 'nginx:1.27' }], nodeName?: string) {
  const cluster = createCluster();
  const call = cluster.api.handle.bind(cluster.api);
  call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers, ...(nodeName ? { nodeName } : {}) } } });
  return { cluster, call };
}

const LOG = '/api/v1/namespaces/default/pods/web/log';

describe('pods/log and pods/exec contracts', () => {
  it('needs a container name when the pod has several', () => {
    const { call } = setup([
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
    ]);
    expect((call({ method: 'GET', path: LOG }).body as Obj).message).toBe('a container name must be specified for pod web, choose one of: [a b]');
    expect((call({ method: 'GET', path: LOG, query: { container: 'c' } }).body as Obj).message).toBe('container c is not valid for pod web');
  });

  it('refuses a pod without a node', () => {
    const { call } = setup();
    expect(call({ method: 'GET', path: LOG })).toMatchObject({ status: 400, body: { message: 'pod web does not have a host assigned', reason: 'BadRequest' } });
  });

  it('fails like an unreachable kubelet when the node has no agent', () => {
    const { call, cluster } = setup(undefined, 'node01');
    cluster.kubelets.get('node01')!.stop();
    expect((call({ method: 'GET', path: LOG }).body as Obj).message).toBe(
      'Get "https://172.30.2.2:10250/containerLogs/default/web/nginx": dial tcp 172.30.2.2:10250: connect: connection refused',
    );
  });

  it("hands logs and exec to the node's agent", async () => {
    const { call, cluster } = setup(undefined, 'node01');
    const seen: string[] = [];
    cluster.api.registerNodeAgent('node01', {
      containerLogs: (pod, o) => {
        seen.push(`logs ${pod.metadata.name}/${o.container} tail=${o.tailLines}`);
        return 'hello\n';
      },
      exec: async (pod, o, streams) => {
        streams.stdout(`ran ${o.command.join(' ')} in ${pod.metadata.name}/${o.container}\n`);
        return 3;
      },
    });
    expect(call({ method: 'GET', path: LOG, query: { tailLines: '5' } })).toEqual({ status: 200, body: 'hello\n' });
    let out = '';
    const code = await cluster.api.exec('default', 'web', { command: ['ls', '/'], tty: false }, { stdout: (d) => (out += d), stderr: () => {} });
    expect({ code, out, seen }).toEqual({ code: 3, out: 'ran ls / in web/nginx\n', seen: ['logs web/nginx tail=5'] });
    await expect(cluster.api.exec('default', 'web', { command: [], tty: false }, { stdout: () => {}, stderr: () => {} })).rejects.toBeInstanceOf(ApiError);
  });
});
