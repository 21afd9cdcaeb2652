import { describe, expect, it } from 'vitest';
import { Session } from './session';

describe('the controlplane shell has kubeadm\'s admin kubeconfig', () => {
  it('lets kubectl config read and change it, and get follow the context namespace', async () => {
    const session = new Session({ timing: 'manual', seed: 1 });
    let out = '';
    const sink = { stdout: (t: string) => (out += t), stderr: (t: string) => (out += t) };
    const run = async (line: string) => {
      out = '';
      await session.shell.run(line, sink);
      return out;
    };
    expect(await run('kubectl config get-contexts')).toBe(
      'CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   \n',
    );
    const view = await run('kubectl config view');
    expect(view).toContain('    server: https://172.30.1.2:6443\n');
    expect(view).toContain('    client-certificate-data: DATA+OMITTED\n');
    await run('kubectl create namespace dev');
    expect(await run('kubectl config set-context --current --namespace=dev')).toBe('Context "kubernetes-admin@kubernetes" modified.\n');
    expect(await run('kubectl get pods')).toBe('No resources found in dev namespace.\n');
    const explained = await run('kubectl explain pod.spec.restartPolicy');
    expect(explained).toContain('KIND:       Pod\nVERSION:    v1\n\nFIELD: restartPolicy <string>\n');
    expect(await run('kubectl auth can-i create pods --as=system:serviceaccount:default:default')).toBe('no\n');
    expect(await run('kubectl cluster-info')).toContain('Kubernetes control plane is running at https://172.30.1.2:6443\n');
    expect(session.readFile('/etc/kubernetes/admin.conf')).toContain('current-context: kubernetes-admin@kubernetes');
  });
});
