/**
 * kube-controller-manager's namespace-scoped housekeeping: every namespace gets a `default`
 * ServiceAccount (serviceaccount controller) and the `kube-root-ca.crt` ConfigMap
 * (root-ca-cert-publisher); a namespace being deleted has its content removed and is then
 * finalized (namespace controller).
 */
import type { KubeObject } from '../apiserver';
import type { Controller, ControllerContext } from './runtime';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function namespaceOf(etcdKey: string, prefix: string): string | undefined {
  if (!etcdKey.startsWith(prefix)) return undefined;
  return etcdKey.slice(prefix.length).split('/')[0];
}

export function serviceAccountController(): Controller {
  return {
    name: 'serviceaccount-controller',
    watches: ['/registry/namespaces/', '/registry/serviceaccounts/'],
    keyFor: (k) => namespaceOf(k, '/registry/namespaces/') ?? namespaceOf(k, '/registry/serviceaccounts/'),
    reconcile(ns, ctx) {
      const namespace = ctx.api.getByResource('namespaces', '', undefined, ns);
      if (!namespace || namespace.metadata.deletionTimestamp) return;
      if (ctx.api.getByResource('serviceaccounts', '', ns, 'default')) return;
      ctx.request({
        method: 'POST',
        path: `/api/v1/namespaces/${ns}/serviceaccounts`,
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } },
      });
    },
  };
}

export function rootCACertPublisher(caCert: string): Controller {
  return {
    name: 'root-ca-cert-publisher',
    watches: ['/registry/namespaces/', '/registry/configmaps/'],
    keyFor: (k) => namespaceOf(k, '/registry/namespaces/') ?? namespaceOf(k, '/registry/configmaps/'),
    reconcile(ns, ctx) {
      const namespace = ctx.api.getByResource('namespaces', '', undefined, ns);
      if (!namespace || namespace.metadata.deletionTimestamp) return;
      const existing = ctx.api.getByResource('configmaps', '', ns, 'kube-root-ca.crt');
      if (existing && existing.data?.['ca.crt'] === caCert) return;
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
        data: { 'ca.crt': caCert },
      };
      if (existing) ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`, body });
      else ctx.request({ method: 'POST', path: `/api/v1/namespaces/${ns}/configmaps`, body });
    },
  };
}

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** Deletes everything in a terminating namespace, then removes its "kubernetes" finalizer. */
export function namespaceController(): Controller {
  return {
    name: 'namespace-controller',
    watches: ['/registry/'],
    keyFor(k) {
      const ns = namespaceOf(k, '/registry/namespaces/');
      if (ns !== undefined) return ns;
      return undefined;
    },
    reconcile(ns, ctx) {
      const namespace = ctx.api.getByResource('namespaces', '', undefined, ns) as KubeObject | undefined;
      if (!namespace?.metadata.deletionTimestamp) return;
      let remaining = 0;
      for (const type of ctx.api.registry.all()) {
        if (!type.namespaced || !type.verbs.includes('delete') || !type.verbs.includes('list')) continue;
        const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
        for (const item of ctx.api.listByResource(type.name, type.group, ns) as Obj[]) {
          remaining++;
          if (item.metadata.deletionTimestamp) continue;
          ctx.request({ method: 'DELETE', path: `${base}/namespaces/${ns}/${type.name}/${item.metadata.name}`, body: { propagationPolicy: 'Background' } });
        }
      }
      if (remaining > 0) {
        // Objects waiting for their own finalizers (or kubelets) are checked again shortly.
        ctx.clock.schedule(5000, () => this.reconcile(ns, ctx));
        return;
      }
      const spec = (namespace.spec ?? {}) as Obj;
      ctx.request({
        method: 'PUT',
        path: `/api/v1/namespaces/${ns}/finalize`,
        body: { ...namespace, spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f: string) => f !== 'kubernetes') } },
      });
    },
  };
}

