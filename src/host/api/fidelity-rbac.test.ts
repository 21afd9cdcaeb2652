/**
 * Fidelity of the RBAC objects a kubeadm 1.32 cluster boots with: the real kubectl 1.32 and ours
 * list and describe the default ClusterRoles, Roles and bindings alike, and answer
 * `auth can-i` (with --list) alike for users bound to view, edit and admin.
 */
import { describe, it } from 'vitest';
import { useFidelity } from './fidelity-kit';

const RBAC = 'rbac.authorization.k8s.io';

const SCENARIOS: string[][] = [
  ['get', 'clusterroles'],
  ['get', 'clusterrolebindings'],
  ['get', 'clusterrolebindings', '-o', 'wide'],
  ['get', 'roles', '-A'],
  ['get', 'rolebindings', '-A', '-o', 'wide'],
  ['get', 'clusterrole', 'view', '-o', 'yaml'],
  ['describe', 'clusterrole', 'view'],
  ['describe', 'clusterrole', 'admin'],
  ['describe', 'clusterrole', 'edit'],
  ['describe', 'clusterrolebinding', 'cluster-admin'],
  ['describe', 'role', '-n', 'kube-system', 'kube-proxy'],
  ['describe', 'clusterrole', 'system:node'],
  ['describe', 'clusterrolebinding', 'kubeadm:cluster-admins'],
  ['get', 'clusterrole', 'system:node', '-o', 'yaml'],
  ['auth', 'can-i', 'list', 'pods', '--as=jane'],
  ['auth', 'can-i', 'create', 'pods', '--as=jane'],
  ['auth', 'can-i', 'get', 'secrets', '--as=jane'],
  ['auth', 'can-i', '--list', '--as=jane'],
  ['auth', 'can-i', '--list', '--as=ed', '-n', 'dev'],
  ['auth', 'can-i', '--list', '--as=system:serviceaccount:kube-system:kube-proxy'],
  ['auth', 'can-i', 'create', 'rolebindings', '--as=ann', '-n', 'dev'],
  ['auth', 'can-i', '--list', '--as=nobody'],
];

describe('fidelity: the bootstrap RBAC policy', () => {
  const kit = useFidelity((cluster) => {
    const post = (path: string, body: unknown) => {
      const res = cluster.api.handle({ method: 'POST', path, body });
      if (res.status >= 300) throw new Error(JSON.stringify(res.body));
    };
    post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    const bind = (ns: string, name: string, role: string, user: string) =>
      post(`/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`, { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name, namespace: ns }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role }, subjects: [{ apiGroup: RBAC, kind: 'User', name: user }] });
    bind('default', 'x', 'view', 'jane');
    bind('dev', 'e', 'edit', 'ed');
    bind('dev', 'a', 'admin', 'ann');
  });

  for (const args of SCENARIOS) it(`kubectl ${args.join(' ')}`, () => kit.compare(args), 30_000);
});
