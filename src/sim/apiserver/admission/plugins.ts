/**
 * The admission plugins a kubeadm 1.32 API server enables, for the behaviour a course shows:
 * NamespaceLifecycle, LimitRanger, ServiceAccount, DefaultTolerationSeconds, Priority and
 * DefaultStorageClass.
 */
import { forbidden, notFound } from '../errors';
import { parseQuantity } from '../quantity';
import { formatQuantity, missingPodResources, namespaceUsage, usageOf } from '../quota';
import { podSecurity } from './podsecurity';
import type { AdmissionAttributes, AdmissionPlugin, Obj } from './types';

const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  // Runs first, in the mutating phase, so a missing namespace is reported before anything else.
  validate(a) {
    if (a.type.kind === 'Namespace' && a.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(a.name))
      throw forbidden(a.type, a.name, 'this namespace may not be deleted');
  },
  admit(a) {
    if (!a.type.namespaced || a.operation !== 'CREATE' || !a.namespace) return;
    const ns = a.get('namespaces', '', undefined, a.namespace);
    if (!ns) throw notFound({ name: 'namespaces', group: '' }, a.namespace);
    if (ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp)
      throw forbidden(a.type, a.name, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
  },
};

function isPod(a: AdmissionAttributes): boolean {
  return a.type.kind === 'Pod' && a.type.group === '' && !a.subresource;
}

const serviceAccount: AdmissionPlugin = {
  name: 'ServiceAccount',
  admit(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const spec = (a.object.spec = a.object.spec ?? {});
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
    // Mirror pods of static pods are left alone.
    if (a.object.metadata?.annotations?.['kubernetes.io/config.mirror']) return;
    const sa = a.get('serviceaccounts', '', a.namespace, spec.serviceAccountName);
    if (!sa)
      throw forbidden(
        a.type,
        a.name,
        `error looking up service account ${a.namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
      );
    const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
    if (!automount) return;
    const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
    const containers: Obj[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    if (containers.some((c) => (c.volumeMounts ?? []).some((m: Obj) => m.mountPath === mountPath))) return;
    const volumeName = `kube-api-access-${a.random.nameSuffix()}`;
    spec.volumes = [
      ...(spec.volumes ?? []),
      {
        name: volumeName,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
          defaultMode: 420,
        },
      },
    ];
    for (const c of containers) c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath }];
  },
};

const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  admit(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const spec = a.object.spec;
    const tolerations: Obj[] = spec.tolerations ?? [];
    const has = (key: string) => tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    const add: Obj[] = [];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
      if (!has(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    if (add.length) spec.tolerations = [...tolerations, ...add];
  },
};

const priority: AdmissionPlugin = {
  name: 'Priority',
  admit(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const spec = a.object.spec;
    if (spec.priorityClassName) {
      const pc = a.get('priorityclasses', 'scheduling.k8s.io', undefined, spec.priorityClassName);
      if (!pc) throw forbidden(a.type, a.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      spec.priority = pc.value;
      spec.preemptionPolicy = spec.preemptionPolicy ?? pc.preemptionPolicy ?? 'PreemptLowerPriority';
      return;
    }
    const global = a.list('priorityclasses', 'scheduling.k8s.io', undefined).find((pc) => pc.globalDefault);
    if (global) {
      spec.priorityClassName = global.metadata.name;
      spec.priority = global.value;
      spec.preemptionPolicy = spec.preemptionPolicy ?? global.preemptionPolicy ?? 'PreemptLowerPriority';
    } else {
      spec.priority = 0;
      spec.preemptionPolicy = spec.preemptionPolicy ?? 'PreemptLowerPriority';
    }
  },
};

const defaultStorageClass: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  admit(a) {
    if (a.type.kind !== 'PersistentVolumeClaim' || a.operation !== 'CREATE') return;
    const spec = (a.object.spec = a.object.spec ?? {});
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
    if (a.object.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
    const defaults = a
      .list('storageclasses', 'storage.k8s.io', undefined)
      .filter((sc) => sc.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    if (defaults.length === 0) return;
    // The newest default class wins, as the plugin picks it.
    defaults.sort((x, y) => Date.parse(y.metadata.creationTimestamp) - Date.parse(x.metadata.creationTimestamp) || (x.metadata.name < y.metadata.name ? -1 : 1));
    spec.storageClassName = defaults[0]!.metadata.name;
  },
};

/** LimitRanger: fills container defaults from LimitRanges and enforces their min, max and ratio. */
const limitRanger: AdmissionPlugin = {
  name: 'LimitRanger',
  admit(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const ranges = a.list('limitranges', '', a.namespace);
    if (ranges.length === 0) return;
    const spec = a.object.spec;
    const notes: string[] = [];
    for (const range of ranges) {
      for (const item of (range.spec?.limits ?? []) as Obj[]) {
        if (item.type !== 'Container') continue;
        for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[]) {
          c.resources = c.resources ?? {};
          const setRequests: string[] = [];
          const setLimits: string[] = [];
          for (const [r, v] of Object.entries<string>(item.defaultRequest ?? {})) {
            c.resources.requests = c.resources.requests ?? {};
            if (c.resources.requests[r] === undefined) {
              c.resources.requests[r] = v;
              setRequests.push(r);
            }
          }
          for (const [r, v] of Object.entries<string>(item.default ?? {})) {
            c.resources.limits = c.resources.limits ?? {};
            if (c.resources.limits[r] === undefined) {
              c.resources.limits[r] = v;
              setLimits.push(r);
            }
          }
          if (setRequests.length) notes.push(`${setRequests.join(', ')} request for ${isInit(spec, c) ? 'init container' : 'container'} ${c.name}`);
          if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for ${isInit(spec, c) ? 'init container' : 'container'} ${c.name}`);
        }
      }
    }
    if (notes.length) {
      a.object.metadata.annotations = {
        ...(a.object.metadata.annotations ?? {}),
        'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join('; ')}`,
      };
    }
  },
  validate(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const ranges = a.list('limitranges', '', a.namespace);
    const problems: string[] = [];
    for (const range of ranges) {
      for (const item of (range.spec?.limits ?? []) as Obj[]) {
        if (item.type !== 'Container') continue;
        for (const c of (a.object.spec.containers ?? []) as Obj[]) {
          const requests = c.resources?.requests ?? {};
          const limits = c.resources?.limits ?? {};
          for (const [r, min] of Object.entries<string>(item.min ?? {})) {
            const req = requests[r];
            if (req === undefined) problems.push(`minimum ${r} usage per Container is ${min}.  No request is specified`);
            else if (parseQuantity(req)! < parseQuantity(min)!) problems.push(`minimum ${r} usage per Container is ${min}, but request is ${req}`);
          }
          for (const [r, max] of Object.entries<string>(item.max ?? {})) {
            const lim = limits[r];
            if (lim === undefined) problems.push(`maximum ${r} usage per Container is ${max}.  No limit is specified`);
            else if (parseQuantity(lim)! > parseQuantity(max)!) problems.push(`maximum ${r} usage per Container is ${max}, but limit is ${lim}`);
          }
          for (const [r, ratio] of Object.entries<string>(item.maxLimitRequestRatio ?? {})) {
            const req = parseQuantity(requests[r] ?? '0')!;
            const lim = parseQuantity(limits[r] ?? '0')!;
            if (req > 0 && lim / req > parseQuantity(ratio)!)
              problems.push(`${r} max limit to request ratio per Container is ${ratio}, but provided ratio is ${(lim / req).toFixed(6)}`);
          }
        }
      }
    }
    if (problems.length) throw forbidden(a.type, a.name, problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`);
  },
};

function isInit(spec: Obj, c: Obj): boolean {
  return (spec.initContainers ?? []).includes(c);
}

/** ResourceQuota: refuses what would exceed a namespace's quota, and pods that leave a limited resource unset. */
const resourceQuota: AdmissionPlugin = {
  name: 'ResourceQuota',
  validate(a) {
    if (a.operation !== 'CREATE' || !a.type.namespaced || !a.namespace || a.subresource) return;
    const quotas = a.list('resourcequotas', '', a.namespace).sort((x, y) => (x.metadata.name < y.metadata.name ? -1 : 1));
    if (quotas.length === 0) return;
    const requested = usageOf(a.type.name, a.type.group, a.object);
    for (const q of quotas) {
      const hard: Record<string, string> = q.spec?.hard ?? {};
      if (!matchesScopes(q, a)) continue;
      if (a.type.name === 'pods' && a.type.group === '') {
        const missing = missingPodResources(a.object, hard);
        if (missing.length) throw forbidden(a.type, a.name, `failed quota: ${q.metadata.name}: must specify ${missing.join('; ')}`);
      }
      const relevant = Object.keys(hard).filter((k) => (requested.get(k) ?? 0) > 0);
      if (relevant.length === 0) continue;
      const used = namespaceUsage(hard, (r, g) => a.list(r, g, a.namespace));
      const exceeded = relevant.filter((k) => (used.get(k) ?? 0) + requested.get(k)! > parseQuantity(hard[k]!)!).sort();
      if (exceeded.length) {
        const fmt = (m: (k: string) => string) => exceeded.map((k) => `${k}=${m(k)}`).join(',');
        throw forbidden(
          a.type,
          a.name,
          `exceeded quota: ${q.metadata.name}, requested: ${fmt((k) => formatQuantity(k, requested.get(k)!))}, used: ${fmt((k) => formatQuantity(k, used.get(k) ?? 0))}, limited: ${fmt((k) => hard[k]!)}`,
        );
      }
    }
  },
};

/** Quota scopes for pods: BestEffort / NotBestEffort / Terminating / NotTerminating. */
function matchesScopes(q: Obj, a: AdmissionAttributes): boolean {
  const scopes: string[] = q.spec?.scopes ?? [];
  if (scopes.length === 0) return true;
  if (a.type.name !== 'pods') return false;
  const pod = a.object;
  const bestEffort = ((pod.spec?.containers ?? []) as Obj[]).every((c) => !Object.keys(c.resources?.requests ?? {}).length && !Object.keys(c.resources?.limits ?? {}).length);
  const terminating = pod.spec?.activeDeadlineSeconds !== undefined;
  return scopes.every((s) =>
    s === 'BestEffort' ? bestEffort : s === 'NotBestEffort' ? !bestEffort : s === 'Terminating' ? terminating : s === 'NotTerminating' ? !terminating : true,
  );
}

/** In the order kube-apiserver runs them. */
export const ADMISSION_PLUGINS: readonly AdmissionPlugin[] = [
  namespaceLifecycle,
  limitRanger,
  serviceAccount,
  defaultTolerationSeconds,
  priority,
  defaultStorageClass,
  podSecurity,
  resourceQuota,
];
