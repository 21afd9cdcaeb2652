/**
 * Per-kind behaviour of the generic registry (each kind's RESTCreateStrategy and
 * RESTUpdateStrategy): what status an object starts with, when generation moves, what a
 * status update may change, and how deletion behaves.
 */
import { parseQuantity } from './quantity';
import { definition } from './schema';
import type { ResourceType } from './registry';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Kinds whose metadata.generation starts at 1 and increases with each spec change. */
const GENERATION_KINDS = new Set([
  'Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob',
  'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'IngressClass', 'NetworkPolicy', 'EndpointSlice',
  'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'FlowSchema', 'PriorityLevelConfiguration',
]);

/** Kinds whose delete response is the object itself rather than a success Status. */
const RETURN_DELETED_OBJECT = new Set(['Pod', 'Service', 'Namespace']);

export function usesGeneration(type: ResourceType): boolean {
  return GENERATION_KINDS.has(type.kind) || (!type.definition && type.subresources.some((s) => s.name === 'status'));
}

export function hasStatusSubresource(type: ResourceType): boolean {
  return type.subresources.some((s) => s.name === 'status');
}

export function returnsDeletedObject(type: ResourceType): boolean {
  return RETURN_DELETED_OBJECT.has(type.kind);
}

/** GetPodQOS: Guaranteed, Burstable or BestEffort from the containers' requests and limits. */
export function podQOSClass(pod: Obj): string {
  const containers: Obj[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined && parseQuantity(requests[r]) !== 0) any = true;
      if (limits[r] !== undefined && parseQuantity(limits[r]) !== 0) any = true;
      if (limits[r] === undefined || requests[r] === undefined || parseQuantity(limits[r]) !== parseQuantity(requests[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The status an object of `type` starts with (PrepareForCreate). */
export function prepareForCreate(type: ResourceType, obj: Obj): void {
  switch (type.kind) {
    case 'Pod':
      obj.status = { phase: 'Pending', qosClass: podQOSClass(obj) };
      return;
    case 'Namespace':
    case 'Node':
      return;
    case 'PersistentVolume':
    case 'PersistentVolumeClaim':
      obj.status = { phase: 'Pending' };
      return;
    case 'Service':
      obj.status = { loadBalancer: {} };
      return;
  }
  if (hasStatusSubresource(type)) obj.status = emptyStatus(type);
}

/**
 * The status a create resets to, as Go writes an empty status struct: its fields without
 * omitempty (the OpenAPI schema's required ones) appear as zero. HorizontalPodAutoscalers are
 * stored as autoscaling/v2, whose currentMetrics list is written even when nil.
 */
function emptyStatus(type: ResourceType): Obj {
  if (type.kind === 'HorizontalPodAutoscaler') return { currentMetrics: null, desiredReplicas: 0 };
  const ref = definition(type.definition)?.properties?.status?.ref;
  const def = ref ? definition(ref) : undefined;
  const status: Obj = {};
  for (const name of def?.required ?? []) if (def?.properties?.[name]?.type === 'integer') status[name] = 0;
  return status;
}

/** Whether an update from `old` to `obj` moves metadata.generation. */
export function specChanged(type: ResourceType, obj: Obj, old: Obj): boolean {
  const spec = (o: Obj) => JSON.stringify(stripNulls(type.kind === 'CustomResourceDefinition' || !('spec' in o) ? { ...o, metadata: undefined, status: undefined } : o.spec));
  if (spec(obj) !== spec(old)) return true;
  // Deployments also count annotation changes (the legacy rollback annotation lives there).
  if (type.kind === 'Deployment') return JSON.stringify(obj.metadata?.annotations ?? {}) !== JSON.stringify(old.metadata?.annotations ?? {});
  return false;
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = stripNulls(x);
    return out;
  }
  return v;
}

/** Job's generated selector and labels (batch/job strategy generateSelector). */
export function generateJobSelector(job: Obj): void {
  if (job.spec?.manualSelector) return;
  const uid = job.metadata.uid as string;
  const name = job.metadata.name as string;
  const template = (job.spec.template = job.spec.template ?? {});
  template.metadata = template.metadata ?? {};
  template.metadata.labels = {
    ...(template.metadata.labels ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  if (!job.spec.selector) job.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}
