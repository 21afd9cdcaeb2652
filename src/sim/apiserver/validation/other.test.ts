import { describe, expect, it } from 'vitest';
import { createCluster } from '../../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function post(path: string, body: object) {
  const { api } = createCluster();
  return { api, res: api.handle({ method: 'POST', path, body }) };
}
const message = (r: { body: unknown }) => (r.body as Obj).message as string;

describe('validation of networking, storage, RBAC and scheduling kinds', () => {
  it('requires an Ingress path type in networking.k8s.io/v1', () => {
    const { res } = post('/apis/networking.k8s.io/v1/namespaces/default/ingresses', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    expect(message(res)).toBe('Ingress.networking.k8s.io "web" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
  });

  it('requires PVC access modes and a storage request', () => {
    const { res } = post('/api/v1/namespaces/default/persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} });
    expect(message(res)).toBe(
      'PersistentVolumeClaim "data" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
    );
  });

  it('keeps a PVC spec immutable apart from its requests', () => {
    const { api } = post('/api/v1/namespaces/default/persistentvolumeclaims', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    const patched = api.handle({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/persistentvolumeclaims/data',
      contentType: 'application/merge-patch+json',
      body: { spec: { accessModes: ['ReadWriteMany'] } },
    });
    expect(message(patched)).toBe('PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
  });

  it('checks RoleBinding roleRef kinds', () => {
    const { res } = post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'role', name: 'reader' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect(message(res)).toBe('RoleBinding.rbac.authorization.k8s.io "rb" is invalid: roleRef.kind: Unsupported value: "role": supported values: "Role", "ClusterRole"');
  });

  it('caps user PriorityClass values', () => {
    const { res } = post('/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'huge' }, value: 2000000000 });
    expect(message(res)).toBe('PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
  });
});
