import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

describe('the RBAC objects a kubeadm 1.32 cluster boots with', () => {
  const cluster = createCluster({ seed: 1 });
  const list = (path: string) => (cluster.api.handle({ method: 'GET', path }).body as { items: Record<string, any>[] }).items; // eslint-disable-line @typescript-eslint/no-explicit-any
  const roles = list('/apis/rbac.authorization.k8s.io/v1/clusterroles');
  const byName = (name: string) => roles.find((r) => r.metadata.name === name)!;

  it('has the bootstrap policy, kubeadm and addon roles and bindings', () => {
    const names = roles.map((r) => r.metadata.name);
    for (const n of ['admin', 'cluster-admin', 'edit', 'view', 'system:basic-user', 'system:node', 'system:controller:clusterrole-aggregation-controller', 'kubeadm:get-nodes', 'system:coredns']) expect(names).toContain(n);
    expect(roles).toHaveLength(66);
    expect(list('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings')).toHaveLength(52);
    expect(list('/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/roles').map((r) => r.metadata.name)).toEqual([
      'extension-apiserver-authentication-reader',
      'kube-proxy',
      'kubeadm:kubeadm-certs',
      'kubeadm:kubelet-config',
      'kubeadm:nodes-kubeadm-config',
      'system::leader-locking-kube-controller-manager',
      'system::leader-locking-kube-scheduler',
      'system:controller:bootstrap-signer',
      'system:controller:cloud-provider',
      'system:controller:token-cleaner',
    ]);
    expect(list('/apis/rbac.authorization.k8s.io/v1/namespaces/kube-public/rolebindings').map((r) => r.metadata.name)).toEqual(['kubeadm:bootstrap-signer-clusterinfo', 'system:controller:bootstrap-signer']);
    const view = byName('view');
    expect(view.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    expect(view.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' });
    expect(byName('kubeadm:get-nodes').metadata.managedFields[0].manager).toBe('kubeadm');
  });

  it('aggregates admin, edit and view as the aggregation controller does, with its field manager', () => {
    const view = byName('view');
    expect(view.rules).toEqual(byName('system:aggregate-to-view').rules);
    expect(view.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toEqual(['kube-apiserver/Update', 'clusterrole-aggregation-controller/Apply']);
    expect(byName('edit').rules).toHaveLength(byName('system:aggregate-to-edit').rules.length + byName('system:aggregate-to-view').rules.length);
    expect(byName('admin').rules.length).toBeGreaterThan(byName('edit').rules.length);
  });

  it('re-aggregates when a labelled role appears', () => {
    cluster.api.handle({
      method: 'POST',
      path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'crontabs-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [{ apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['get'] }] },
    });
    cluster.controllers.drain();
    const view = list('/apis/rbac.authorization.k8s.io/v1/clusterroles').find((r) => r.metadata.name === 'view')!;
    expect(view.rules).toContainEqual({ apiGroups: ['stable.example.com'], resources: ['crontabs'], verbs: ['get'] });
  });
});
