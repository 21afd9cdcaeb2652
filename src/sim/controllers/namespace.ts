/**
 * kube-controller-manager's namespace-scoped housekeeping: every namespace gets a `default`
 * ServiceAccount (serviceaccount controller) and the `kube-root-ca.crt` ConfigMap
 * (root-ca-cert-publisher); a namespace being deleted has its content removed and is then
 * finalized (namespace controller).
 */
import type { Controller, ControllerContext } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Queues the namespace of every namespace change and of every `watched` object that changes. */
function watchNamespaces(ctx: ControllerContext, watched: { resource: string; on: ('add' | 'update' | 'delete')[] }): void {
  const byName = (o: Obj) => ctx.queue.add(o.metadata.name);
  ctx.informers.for('namespaces').on({ add: byName, update: (_, o) => byName(o) });
  const byNamespace = (o: Obj) => ctx.queue.add(o.metadata.namespace);
  ctx.informers.for(watched.resource).on(
    {
      ...(watched.on.includes('add') ? { add: byNamespace } : {}),
      ...(watched.on.includes('update') ? { update: (_: Obj, o: Obj) => byNamespace(o) } : {}),
      ...(watched.on.includes('delete') ? { delete: byNamespace } : {}),
    },
    false,
  );
}

export function serviceAccountController(): Controller {
  let ctx: ControllerContext;
  return {
    name: 'serviceaccount-controller',
    start(c) {
      ctx = c;
      watchNamespaces(ctx, { resource: 'serviceaccounts', on: ['delete'] });
    },
    reconcile(ns) {
      const namespace = ctx.informers.for('namespaces').get(ns);
      if (!namespace || namespace.metadata.deletionTimestamp) return;
      if (ctx.informers.for('serviceaccounts').get(`${ns}/default`)) return;
      ctx.request({
        method: 'POST',
        path: `/api/v1/namespaces/${ns}/serviceaccounts`,
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } },
      });
    },
  };
}

export function rootCACertPublisher(caCert: string): Controller {
  let ctx: ControllerContext;
  return {
    name: 'root-ca-cert-publisher',
    start(c) {
      ctx = c;
      watchNamespaces(ctx, { resource: 'configmaps', on: ['update', 'delete'] });
    },
    reconcile(ns) {
      const namespace = ctx.informers.for('namespaces').get(ns);
      if (!namespace || namespace.metadata.deletionTimestamp) return;
      const configMaps = ctx.informers.for('configmaps');
      const existing = configMaps.get(`${ns}/kube-root-ca.crt`);
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
  let ctx: ControllerContext;
  return {
    name: 'namespace-controller',
    start(c) {
      ctx = c;
      const queue = (o: Obj) => ctx.queue.add(o.metadata.name);
      ctx.informers.for('namespaces').on({ add: queue, update: (_, o) => queue(o) });
    },
    reconcile(ns) {
      const namespace = ctx.informers.for('namespaces').get(ns);
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
      // Objects waiting for their own finalizers (or kubelets) are checked again shortly.
      if (remaining > 0) return { requeueAfter: 5000 };
      const spec = (namespace.spec ?? {}) as Obj;
      ctx.request({
        method: 'PUT',
        path: `/api/v1/namespaces/${ns}/finalize`,
        body: { ...namespace, spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f: string) => f !== 'kubernetes') } },
      });
    },
  };
}
