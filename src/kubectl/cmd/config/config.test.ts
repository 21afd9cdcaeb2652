import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

const KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Q0EK
    server: https://172.30.1.2:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: Q0VSVAo=
    client-key-data: S0VZCg==
`;

function session() {
  const s = kubectlTestSession();
  s.files.set('/root/.kube/config', KUBECONFIG);
  return s;
}

describe('kubectl config', () => {
  it('views the kubeconfig with certificate data omitted, or raw', async () => {
    const s = session();
    const view = await s.kubectl('config view');
    expect(view.stdout).toContain('    certificate-authority-data: DATA+OMITTED\n');
    expect(view.stdout).toContain('    client-key-data: DATA+OMITTED\n');
    expect((await s.kubectl('config view --raw')).stdout).toBe(KUBECONFIG);
  });

  it('lists contexts with the current one starred', async () => {
    const s = session();
    expect((await s.kubectl('config get-contexts')).stdout).toBe(
      'CURRENT   NAME                          CLUSTER      AUTHINFO           NAMESPACE\n*         kubernetes-admin@kubernetes   kubernetes   kubernetes-admin   \n',
    );
    expect((await s.kubectl('config current-context')).stdout).toBe('kubernetes-admin@kubernetes\n');
  });

  it('sets the namespace of the current context, which later commands use', async () => {
    const s = session();
    await s.kubectl('create namespace dev');
    expect((await s.kubectl('config set-context --current --namespace=dev')).stdout).toBe('Context "kubernetes-admin@kubernetes" modified.\n');
    expect(s.files.get('/root/.kube/config')).toContain('    namespace: dev\n');
    expect((await s.kubectl('get pods')).stderr).toBe('No resources found in dev namespace.\n');
  });

  it('creates, switches, renames and deletes contexts with kubectl\'s messages', async () => {
    const s = session();
    expect((await s.kubectl('config set-context dev --cluster=kubernetes --user=kubernetes-admin')).stdout).toBe('Context "dev" created.\n');
    expect((await s.kubectl('config use-context dev')).stdout).toBe('Switched to context "dev".\n');
    expect((await s.kubectl('config rename-context dev dev2')).stdout).toBe('Context "dev" renamed to "dev2".\n');
    expect((await s.kubectl('config current-context')).stdout).toBe('dev2\n');
    const del = await s.kubectl('config delete-context dev2');
    expect(del.stdout).toBe('deleted context dev2 from /root/.kube/config\n');
    expect(del.stderr).toBe('warning: this removed your active context, use "kubectl config use-context" to select a different one\n');
    expect(await s.kubectl('config use-context nope')).toEqual({ code: 1, stdout: '', stderr: 'error: no context exists with the name: "nope"\n' });
  });

  it('sets and unsets properties, clusters and users', async () => {
    const s = session();
    expect((await s.kubectl('config set-cluster e2e --server=https://1.2.3.4')).stdout).toBe('Cluster "e2e" set.\n');
    expect((await s.kubectl('config set-credentials bob --token=t')).stdout).toBe('User "bob" set.\n');
    expect((await s.kubectl('config set contexts.x.namespace y')).stdout).toBe('Property "contexts.x.namespace" set.\n');
    expect((await s.kubectl('config get-clusters')).stdout).toBe('NAME\ne2e\nkubernetes\n');
    expect((await s.kubectl('config get-users')).stdout).toBe('NAME\nbob\nkubernetes-admin\n');
    expect((await s.kubectl('config unset current-context')).stdout).toBe('Property "current-context" unset.\n');
    expect(await s.kubectl('config current-context')).toEqual({ code: 1, stdout: '', stderr: 'error: current-context is not set\n' });
  });
});
