/**
 * Test support for controllers: a cluster with helpers to send requests and read objects, and
 * the invariants every controller test checks at its end — owner chains intact, no pod owned by
 * a missing controller, counts converged, and no controller ever creating a pod beyond what its
 * spec asked for at that moment.
 */
import { createCluster, type Cluster, type ClusterOptions } from '../cluster';
import type { ApiRequest } from '../apiserver';
import { controllerOf } from './runtime/index';
import { isPodActive } from './podutil';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Harness {
  cluster: Cluster;
  /** Sends a request as kubectl; throws on an error status unless `allowError`. */
  call(req: Omit<ApiRequest, 'userAgent'>, allowError?: boolean): Obj;
  create(obj: Obj): Obj;
  get(path: string): Obj | undefined;
  list(path: string): Obj[];
  /** Pods in a namespace whose labels include `labels`, sorted by name. */
  pods(namespace: string, labels?: Record<string, string>): Obj[];
  advance(ms: number): void;
  /** Violations seen so far (pods created beyond spec), plus the end-state checks. */
  invariantViolations(): string[];
}

export function harness(options: ClusterOptions = {}): Harness {
  const cluster = createCluster({ seed: 1, ...options });
  const violations: string[] = [];
  const call = (req: Omit<ApiRequest, 'userAgent'>, allowError = false): Obj => {
    const res = cluster.api.handle({ ...req, userAgent: 'kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd' });
    if (res.status >= 400 && !allowError) throw new Error(`${req.method} ${req.path}: ${JSON.stringify(res.body)}`);
    return res.body as Obj;
  };
  // Every pod a ReplicaSet creates must fit within its spec.replicas at that moment.
  cluster.store.watch('/registry/pods/', (e) => {
    if (e.type !== 'put' || e.prev) return;
    const pod = e.kv.value as Obj;
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet' && ref?.kind !== 'ReplicationController') return;
    const prefix = ref.kind === 'ReplicaSet' ? '/registry/replicasets/' : '/registry/controllers/';
    const owner = cluster.store.get<Obj>(`${prefix}${pod.metadata.namespace}/${ref.name}`)?.value;
    if (!owner) return;
    const active = cluster.store.range<Obj>(`/registry/pods/${pod.metadata.namespace}/`).filter((kv) => controllerOf(kv.value)?.uid === ref.uid && isPodActive(kv.value)).length;
    if (active > (owner.spec?.replicas ?? 1)) violations.push(`${ref.kind} ${ref.name} created ${pod.metadata.name} making ${active} active pods for ${owner.spec?.replicas} replicas`);
  });
  const list = (path: string) => (call({ method: 'GET', path }).items ?? []) as Obj[];
  return {
    cluster,
    call,
    create: (obj) => {
      const type = cluster.api.registry.byKind(obj.apiVersion, obj.kind)!;
      const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
      const ns = type.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
      return call({ method: 'POST', path: `${base}${ns}/${type.name}`, body: obj });
    },
    get: (path) => {
      const res = cluster.api.handle({ method: 'GET', path, userAgent: 'kubectl' });
      return res.status === 200 ? (res.body as Obj) : undefined;
    },
    list,
    pods: (namespace, labels = {}) =>
      list(`/api/v1/namespaces/${namespace}/pods`)
        .filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1)),
    advance: (ms) => cluster.clock.advance(ms),
    invariantViolations: () => [...violations, ...endStateViolations(cluster)],
  };
}

/** Owner chains are intact: every controller reference names an existing object with that UID. */
function endStateViolations(cluster: Cluster): string[] {
  const out: string[] = [];
  const uids = new Map<string, Obj>();
  for (const kv of cluster.store.range<Obj>('/registry/')) if (kv.value?.metadata?.uid) uids.set(kv.value.metadata.uid, kv.value);
  for (const obj of uids.values()) {
    const refs: Obj[] = obj.metadata.ownerReferences ?? [];
    if (refs.filter((r) => r.controller).length > 1) out.push(`${obj.kind} ${obj.metadata.name} has more than one controller`);
    for (const r of refs) {
      const owner = uids.get(r.uid);
      if (!owner && !obj.metadata.deletionTimestamp) out.push(`${obj.kind} ${obj.metadata.name} is owned by missing ${r.kind} ${r.name}`);
      else if (owner && (owner.kind !== r.kind || owner.metadata.name !== r.name)) out.push(`${obj.kind} ${obj.metadata.name} names ${r.kind} ${r.name} for UID of ${owner.kind} ${owner.metadata.name}`);
    }
    if ((obj.kind === 'ReplicaSet' || obj.kind === 'ReplicationController') && !obj.metadata.deletionTimestamp) {
      const active = [...uids.values()].filter((p) => p.kind === 'Pod' && controllerOf(p)?.uid === obj.metadata.uid && isPodActive(p)).length;
      if (active !== (obj.spec?.replicas ?? 1)) out.push(`${obj.kind} ${obj.metadata.name} has ${active} active pods for ${obj.spec?.replicas} replicas`);
    }
  }
  return out;
}
