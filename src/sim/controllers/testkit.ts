/**
 * Test support for controllers: a cluster with helpers to send requests and read objects, and
 * the invariants every controller test checks at its end — owner chains intact, no pod owned by
 * a missing controller, ReplicaSet counts converged, and no controller ever creating a pod beyond
 * what its spec asked for at that moment.
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
  // Nothing is created twice: every pod a controller creates must fit what its spec asks for at
  // that moment (ReplicaSets: replicas; Jobs: parallelism; DaemonSets: one per node, or two with
  // maxSurge; StatefulSets: one per ordinal).
  const PREFIXES: Record<string, string> = {
    ReplicaSet: '/registry/replicasets/',
    ReplicationController: '/registry/controllers/',
    Job: '/registry/jobs/',
    DaemonSet: '/registry/daemonsets/',
    StatefulSet: '/registry/statefulsets/',
  };
  cluster.store.watch('/registry/pods/', (e) => {
    if (e.type !== 'put' || e.prev) return;
    const pod = e.kv.value as Obj;
    const ref = controllerOf(pod);
    const prefix = ref && PREFIXES[ref.kind];
    if (!prefix) return;
    const owner = cluster.store.get<Obj>(`${prefix}${pod.metadata.namespace}/${ref.name}`)?.value;
    if (!owner) return;
    const siblings = cluster.store.range<Obj>(`/registry/pods/${pod.metadata.namespace}/`).map((kv) => kv.value).filter((p) => controllerOf(p)?.uid === ref.uid && isPodActive(p));
    const what = `${ref.kind} ${ref.name} created ${pod.metadata.name}`;
    if (ref.kind === 'ReplicaSet' || ref.kind === 'ReplicationController') {
      if (siblings.length > (owner.spec?.replicas ?? 1)) violations.push(`${what} making ${siblings.length} active pods for ${owner.spec?.replicas} replicas`);
    } else if (ref.kind === 'Job') {
      if (siblings.length > (owner.spec?.parallelism ?? 1)) violations.push(`${what} making ${siblings.length} active pods for parallelism ${owner.spec?.parallelism ?? 1}`);
    } else if (ref.kind === 'DaemonSet') {
      const node = JSON.stringify(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? pod.spec?.nodeName);
      const onNode = siblings.filter((p) => JSON.stringify(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? p.spec?.nodeName) === node).length;
      const limit = owner.spec?.updateStrategy?.rollingUpdate?.maxSurge ? 2 : 1;
      if (onNode > limit) violations.push(`${what} making ${onNode} active pods on one node`);
    } else if (siblings.filter((p) => p.metadata.name === pod.metadata.name).length > 1) violations.push(`${what} twice`);
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
