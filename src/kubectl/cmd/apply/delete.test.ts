import { describe, expect, it } from 'vitest';
import { kubectlTestSession, type KubectlTestSession } from '../../testing';

async function pod(s: KubectlTestSession, name: string): Promise<void> {
  await s.cluster.client.request({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
}

describe('kubectl delete', () => {
  it('deletes a running pod and waits until it is gone', async () => {
    const s = kubectlTestSession();
    await pod(s, 'p1');
    s.cluster.clock.advance(30_000);
    const started = s.cluster.clock.now();
    expect(await s.kubectl('delete pod p1')).toEqual({ code: 0, stdout: 'pod "p1" deleted\n', stderr: '' });
    expect(s.cluster.clock.now()).toBeGreaterThan(started);
    expect((await s.kubectl('get pod p1')).stderr).toBe('Error from server (NotFound): pods "p1" not found\n');
  });

  it('force deletes with the warning', async () => {
    const s = kubectlTestSession();
    await pod(s, 'p1');
    expect(await s.kubectl('delete pod p1 --force')).toEqual({
      code: 0,
      stdout: 'pod "p1" force deleted\n',
      stderr: 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    });
  });

  it('reports missing objects and missing names', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('delete pod nope')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await s.kubectl('delete pod nope --ignore-not-found')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await s.kubectl('delete pod')).toEqual({ code: 1, stdout: '', stderr: 'error: resource(s) were provided, but no name was specified\n' });
    expect(await s.kubectl('delete configmap -l app=none')).toEqual({ code: 0, stdout: 'No resources found\n', stderr: '' });
  });

  it('deletes by label and with -o name', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create configmap a --from-literal=x=1');
    await s.kubectl('label configmap a app=x');
    await s.kubectl('create configmap b --from-literal=x=1');
    expect(await s.kubectl('delete cm --all -o name')).toEqual({ code: 0, stdout: 'configmap/a\nconfigmap/b\nconfigmap/kube-root-ca.crt\n', stderr: '' });
  });
});
