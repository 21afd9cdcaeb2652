/**
 * kube-controller-manager's namespace-scoped housekeeping: every namespace gets a `default`
 * ServiceAccount (serviceaccount controller) and the `kube-root-ca.crt` ConfigMap
 * (root-ca-cert-publisher); a namespace being deleted has its content removed and is then
 * finalized (namespace controller).
 */
import { rfc3339, type ResourceType } from '../apiserver';
import { errorMessage } from './replicaset';
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

/** namespaceDeletionGracePeriod: a namespace event is processed this much later. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5000;
/** finalizerEstimateSeconds: the wait assumed for objects held by finalizers. */
const FINALIZER_ESTIMATE_SECONDS = 15;
/** nsControllerRateLimiter: failures back off from 5 ms, doubling, to at most a minute. */
const RETRY_BASE_MS = 5;
const RETRY_MAX_MS = 60_000;

/** The condition types the namespace deleter maintains, in the order it adds them. */
const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
const OK_REASONS: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};
const OK_MESSAGES: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

interface NamespaceCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** What deleting one resource left behind (gvrDeletionMetadata), and the error if any. */
interface ResourceRemains {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: string;
}

/**
 * The namespace controller (pkg/controller/namespace, kube-controller-manager 1.32): five seconds
 * after a namespace starts terminating, deletes everything in it, resource by resource, and
 * reports progress in the namespace's status conditions; while content remains (pods still
 * terminating, objects held by finalizers) it looks again after half the estimated time plus a
 * second; on failures (discovery of an unavailable API among them) it retries with back-off;
 * once empty it removes its "kubernetes" finalizer so the namespace goes.
 */
export function namespaceController(): Controller {
  let ctx: ControllerContext;
  const failures = new Map<string, number>();

  /** discovery.ServerPreferredNamespacedResources, keeping the resources that can be deleted. */
  const deletableResources = (): ResourceType[] => {
    const out: ResourceType[] = [];
    const registry = ctx.api.registry;
    for (const group of registry.groups()) {
      const seen = new Set<string>();
      for (const version of group.versions) {
        for (const t of registry.all()) {
          if (t.group !== group.name || t.version !== version || seen.has(t.name)) continue;
          seen.add(t.name);
          if (t.namespaced && t.verbs.includes('delete')) out.push(t);
        }
      }
    }
    return out;
  };

  /** Aggregated APIs whose APIService is not Available fail discovery (ErrGroupDiscoveryFailed). */
  const discoveryError = (): string | undefined => {
    const failed: string[] = [];
    for (const svc of ctx.api.listByResource('apiservices', 'apiregistration.k8s.io', undefined)) {
      if (!svc.spec?.service) continue; // served by kube-apiserver itself
      if (((svc.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Available' && c.status === 'True')) continue;
      const gv = `${svc.spec.group}/${svc.spec.version}`;
      failed.push(`${gv}: stale GroupVersion discovery: ${gv}`);
    }
    if (failed.length === 0) return undefined;
    failed.sort();
    return `Discovery failed for some groups, ${failed.length} failing: unable to retrieve the complete list of server APIs: ${failed.join(', ')}`;
  };

  /** estimateGracefulTermination: for pods, the longest grace period of those still running. */
  const estimateSeconds = (type: ResourceType, ns: string, deletedAt: number): number => {
    if (type.group !== '' || type.name !== 'pods') return 0;
    let estimate = 0;
    for (const pod of ctx.api.listByResource('pods', '', ns)) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const grace = pod.spec?.terminationGracePeriodSeconds;
      if (typeof grace === 'number' && grace > estimate) estimate = grace;
    }
    return ctx.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  };

  /** deleteAllContentForGroupVersionResource: deletes each object, then counts what is left. */
  const deleteResource = (type: ResourceType, ns: string, deletedAt: number): ResourceRemains => {
    const estimate = estimateSeconds(type, ns, deletedAt);
    const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
    const none = new Map<string, number>();
    for (const item of ctx.api.listByResource(type.name, type.group, ns) as Obj[]) {
      // Deleting an object again changes nothing until it goes.
      if (item.metadata.deletionTimestamp) continue;
      const res = ctx.request({ method: 'DELETE', path: `${base}/namespaces/${ns}/${type.name}/${item.metadata.name}`, body: { propagationPolicy: 'Background' } });
      if (res.status >= 400 && res.status !== 404 && res.status !== 405) return { estimate, remaining: 0, finalizers: none, error: errorMessage(res) };
    }
    const items = ctx.api.listByResource(type.name, type.group, ns) as Obj[];
    if (items.length === 0) return { estimate: 0, remaining: 0, finalizers: none };
    const finalizers = new Map<string, number>();
    for (const item of items) for (const f of (item.metadata.finalizers ?? []) as string[]) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate !== 0) return { estimate, remaining: items.length, finalizers };
    // Finalizers are normal: give them time to finish.
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: items.length, finalizers };
    return { estimate, remaining: items.length, finalizers: none, error: `unexpected items still remain in namespace: ${ns} for gvr: ${type.group}/${type.version}, Resource=${type.name}` };
  };

  /** deleteAllContent: deletes every resource, updates the conditions; the estimate and errors. */
  const deleteAllContent = (namespace: Obj): { estimate: number; failed: boolean } => {
    const ns: string = namespace.metadata.name;
    const deletedAt = Date.parse(namespace.metadata.deletionTimestamp);
    const updates: NamespaceCondition[] = [];
    const discovery = discoveryError();
    if (discovery) updates.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', reason: 'DiscoveryFailed', message: discovery });
    let estimate = 0;
    const errors: string[] = [];
    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    for (const type of deletableResources()) {
      const r = deleteResource(type, ns, deletedAt);
      if (r.error !== undefined) errors.push(r.error);
      if (r.estimate > estimate) estimate = r.estimate;
      if (r.remaining > 0) {
        remaining.set(`${type.name}.${type.group}`, r.remaining);
        for (const [f, n] of r.finalizers) finalizers.set(f, (finalizers.get(f) ?? 0) + n);
      }
    }
    // ProcessContentTotals: sorted for stable messages.
    if (remaining.size > 0) {
      const parts = [...remaining].map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
      updates.push({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` });
    }
    if (finalizers.size > 0) {
      const parts = [...finalizers].map(([f, n]) => `${f} in ${n} resource instances`).sort();
      updates.push({ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}` });
    }
    if (errors.length > 0) {
      updates.push({ type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${errors.length} remaining: ${[...errors].sort().join(', ')}` });
    }
    // The conditions are written whenever one changes, "it worked" after "it failed" included.
    const conditions = updateNamespaceConditions((namespace.status?.conditions ?? []) as Obj[], updates, rfc3339(ctx.clock.now()));
    if (conditions) {
      const latest = ctx.informers.for('namespaces').get(ns) ?? namespace;
      ctx.request({
        method: 'PUT',
        path: `/api/v1/namespaces/${ns}/status`,
        body: { ...ctx.informers.for('namespaces').versioned(latest), status: { ...(latest.status ?? {}), conditions } },
      });
    }
    return { estimate, failed: discovery !== undefined || errors.length > 0 };
  };

  return {
    name: 'namespace-controller',
    start(c) {
      ctx = c;
      // Namespace events are handled after namespaceDeletionGracePeriod, so every API server has
      // seen the deletion and last-moment creations are in the store.
      const enqueue = (o: Obj) => {
        if (o.metadata.deletionTimestamp) ctx.queue.addAfter(o.metadata.name, NAMESPACE_DELETION_GRACE_PERIOD_MS);
      };
      ctx.informers.for('namespaces').on({ add: enqueue, update: (_, o) => enqueue(o) });
    },
    reconcile(name) {
      const namespaces = ctx.informers.for('namespaces');
      let namespace = namespaces.get(name);
      if (!namespace?.metadata.deletionTimestamp) {
        failures.delete(name);
        return;
      }
      if (namespace.status?.phase !== 'Terminating') {
        ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${name}/status`, body: { ...namespaces.versioned(namespace), status: { ...(namespace.status ?? {}), phase: 'Terminating' } } });
        namespace = namespaces.get(name) ?? namespace;
      }
      const spec = (namespace.spec ?? {}) as Obj;
      if ((spec.finalizers ?? []).length === 0) {
        failures.delete(name);
        return;
      }
      const { estimate, failed } = deleteAllContent(namespace);
      if (failed) {
        // AddRateLimited with the namespace controller's limiter.
        const n = failures.get(name) ?? 0;
        failures.set(name, n + 1);
        return { requeueAfter: Math.min(RETRY_BASE_MS * 2 ** n, RETRY_MAX_MS) };
      }
      // ResourcesRemainingError: look again after half the estimate and a second.
      if (estimate > 0) return { requeueAfter: (Math.floor(estimate / 2) + 1) * 1000 };
      failures.delete(name);
      const latest = namespaces.get(name) ?? namespace;
      const remainingFinalizers = [...new Set<string>(((latest.spec ?? {}) as Obj).finalizers ?? [])].filter((f) => f !== 'kubernetes').sort();
      ctx.request({
        method: 'PUT',
        path: `/api/v1/namespaces/${name}/finalize`,
        body: { ...namespaces.versioned(latest), spec: { ...(latest.spec ?? {}), finalizers: remainingFinalizers } },
      });
    },
  };
}

/**
 * updateConditions: each maintained type takes its new condition or its "ok" variant; a condition
 * keeps its transition time unless its status changes. Returns the conditions when any changed.
 */
function updateNamespaceConditions(current: Obj[], updates: NamespaceCondition[], now: string): Obj[] | undefined {
  const conditions = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const next = updates.find((u) => u.type === type) ?? { type, status: 'False', reason: OK_REASONS[type]!, message: OK_MESSAGES[type]! };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: next.status, lastTransitionTime: now, reason: next.reason, message: next.message });
      changed = true;
    } else if (old.status !== next.status || old.message !== next.message || old.reason !== next.reason) {
      if (old.status !== next.status) old.lastTransitionTime = now;
      old.status = next.status;
      old.reason = next.reason;
      old.message = next.message;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}
