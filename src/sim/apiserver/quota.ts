/**
 * ResourceQuota accounting (pkg/quota/v1/evaluator/core): what each object uses of a namespace's
 * quota, summed over the live objects, and the quantity formats the messages print.
 */
import { parseQuantity } from './quantity';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Usage = Map<string, number>;

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

function add(u: Usage, k: string, v: number): void {
  u.set(k, (u.get(k) ?? 0) + v);
}

/** A pod's effective requests/limits: sum over containers, at least any one init container. */
function podResources(pod: Obj, section: 'requests' | 'limits'): Map<string, number> {
  const sum = new Map<string, number>();
  for (const c of (pod.spec?.containers ?? []) as Obj[])
    for (const [k, v] of Object.entries<string>(c.resources?.[section] ?? {})) sum.set(k, (sum.get(k) ?? 0) + (parseQuantity(v) ?? 0));
  for (const c of (pod.spec?.initContainers ?? []) as Obj[])
    for (const [k, v] of Object.entries<string>(c.resources?.[section] ?? {})) sum.set(k, Math.max(sum.get(k) ?? 0, parseQuantity(v) ?? 0));
  return sum;
}

export function isTerminalPod(pod: Obj): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** What one object counts against quota, by quota resource name. */
export function usageOf(resource: string, group: string, obj: Obj): Usage {
  const u: Usage = new Map();
  const countName = group ? `count/${resource}.${group}` : `count/${resource}`;
  add(u, countName, 1);
  if (group === '') {
    if (['pods', 'services', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas', 'persistentvolumeclaims'].includes(resource)) add(u, resource, 1);
    if (resource === 'pods') {
      if (isTerminalPod(obj)) return new Map([[countName, 1]]);
      for (const [k, v] of podResources(obj, 'requests')) {
        add(u, `requests.${k}`, v);
        if (COMPUTE.includes(k)) add(u, k, v);
      }
      for (const [k, v] of podResources(obj, 'limits')) add(u, `limits.${k}`, v);
    }
    if (resource === 'services') {
      if (obj.spec?.type === 'NodePort' || obj.spec?.type === 'LoadBalancer') add(u, 'services.nodeports', (obj.spec?.ports ?? []).length);
      if (obj.spec?.type === 'LoadBalancer') add(u, 'services.loadbalancers', 1);
    }
    if (resource === 'persistentvolumeclaims') {
      const storage = parseQuantity(obj.spec?.resources?.requests?.storage ?? '0') ?? 0;
      add(u, 'requests.storage', storage);
      if (obj.spec?.storageClassName) {
        add(u, `${obj.spec.storageClassName}.storageclass.storage.k8s.io/requests.storage`, storage);
        add(u, `${obj.spec.storageClassName}.storageclass.storage.k8s.io/persistentvolumeclaims`, 1);
      }
    }
  }
  return u;
}

/** Quota resources a pod must state explicitly when a quota limits them. */
export function missingPodResources(pod: Obj, hard: Record<string, string>): string[] {
  const missing: string[] = [];
  for (const r of ['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory', 'cpu', 'memory']) {
    if (!(r in hard)) continue;
    const [section, name] = r.includes('.') ? (r.split('.') as ['limits' | 'requests', string]) : ['requests' as const, r];
    const lacking = ((pod.spec?.containers ?? []) as Obj[]).filter((c) => c.resources?.[section]?.[name] === undefined).map((c) => c.name as string);
    if (lacking.length) missing.push(`${r} for: ${lacking.join(',')}`);
  }
  return missing;
}

/** Quantity text in the style of the resource (cores as "2"/"500m", bytes with binary suffixes). */
export function formatQuantity(resource: string, value: number): string {
  const isBytes = /memory|storage/.test(resource);
  if (!isBytes) {
    if (resource.includes('cpu') && !Number.isInteger(value)) return `${Math.round(value * 1000)}m`;
    return String(Math.round(value * 1000) / 1000);
  }
  if (value === 0) return '0';
  for (const [suffix, size] of [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (value % size === 0) return `${value / size}${suffix}`;
  }
  return String(value);
}

/** Which resource kinds (plural, group) a quota resource name is counted from. */
export function sourcesOf(quotaResource: string): { resource: string; group: string }[] {
  const count = /^count\/([^.]+)(?:\.(.+))?$/.exec(quotaResource);
  if (count) return [{ resource: count[1]!, group: count[2] ?? '' }];
  if (/^(pods|cpu|memory|ephemeral-storage|requests\.|limits\.)/.test(quotaResource) && !quotaResource.includes('storageclass') && quotaResource !== 'requests.storage')
    return [{ resource: 'pods', group: '' }];
  if (quotaResource.startsWith('services')) return [{ resource: 'services', group: '' }];
  if (quotaResource === 'requests.storage' || quotaResource.includes('persistentvolumeclaims') || quotaResource.includes('storageclass'))
    return [{ resource: 'persistentvolumeclaims', group: '' }];
  if (['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas'].includes(quotaResource)) return [{ resource: quotaResource, group: '' }];
  return [];
}

/** Current usage of the resources in `hard`, summed over the namespace's live objects. */
export function namespaceUsage(hard: Record<string, string>, list: (resource: string, group: string) => Obj[]): Usage {
  const used: Usage = new Map(Object.keys(hard).map((k) => [k, 0]));
  const seen = new Set<string>();
  for (const key of Object.keys(hard)) {
    for (const src of sourcesOf(key)) {
      const id = `${src.group}/${src.resource}`;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const obj of list(src.resource, src.group)) {
        if (obj.metadata?.deletionTimestamp && src.resource === 'pods') continue;
        for (const [k, v] of usageOf(src.resource, src.group, obj)) if (used.has(k)) used.set(k, used.get(k)! + v);
      }
    }
  }
  return used;
}
