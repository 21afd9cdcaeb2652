import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('the default ClusterRoles grant what they grant on a kubeadm cluster', () => {
  it('view bound in a namespace lets a user read but not write', async () => {
    const s = kubectlTestSession();
    expect((await s.kubectl('create rolebinding x --clusterrole=view --user=jane')).stdout).toBe('rolebinding.rbac.authorization.k8s.io/x created\n');
    expect(await s.kubectl('auth can-i list pods --as=jane')).toEqual({ code: 0, stdout: 'yes\n', stderr: '' });
    expect(await s.kubectl('auth can-i create pods --as=jane')).toEqual({ code: 1, stdout: 'no\n', stderr: '' });
    expect((await s.kubectl('auth can-i get secrets --as=jane')).stdout).toBe('no\n');
    expect((await s.kubectl('auth can-i list deployments.apps --as=jane')).stdout).toBe('yes\n');
    expect((await s.kubectl('auth can-i list pods --as=jane -n kube-system')).stdout).toBe('no\n');
    expect((await s.kubectl('get pods --as=jane')).code).toBe(0);
    expect((await s.kubectl('run web --image=nginx --as=jane')).stderr).toContain('forbidden');
  });

  it('edit and admin grant writes; cluster-admin everything', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create rolebinding e --clusterrole=edit --user=ed');
    await s.kubectl('create rolebinding a --clusterrole=admin --user=ann');
    await s.kubectl('create clusterrolebinding root --clusterrole=cluster-admin --user=root');
    expect((await s.kubectl('auth can-i create deployments.apps --as=ed')).stdout).toBe('yes\n');
    expect((await s.kubectl('auth can-i get secrets --as=ed')).stdout).toBe('yes\n');
    expect((await s.kubectl('auth can-i create rolebindings --as=ed')).stdout).toBe('no\n');
    expect((await s.kubectl('auth can-i create rolebindings --as=ann')).stdout).toBe('yes\n');
    expect((await s.kubectl('auth can-i delete nodes --as=root')).stdout).toBe('yes\n');
    expect((await s.kubectl('auth can-i delete nodes --as=ann')).stdout).toBe('no\n');
  });

  it('lists the bootstrap roles', async () => {
    const s = kubectlTestSession();
    const out = (await s.kubectl('get clusterroles')).stdout;
    for (const n of ['admin', 'cluster-admin', 'edit', 'view', 'system:basic-user', 'system:discovery']) expect(out).toMatch(new RegExp(`^${n} +`, 'm'));
    expect((await s.kubectl('get roles -n kube-public')).stdout).toContain('system:controller:bootstrap-signer');
    expect((await s.kubectl('auth can-i get /healthz --as=nobody')).stdout).toBe('yes\n');
  });
});
