/**
 * Field selectors as the API accepts them (`metadata.name=web,status.phase!=Running`), with the
 * fields each kind supports (its registry's GetAttrs / field label conversion).
 */
import { badRequest } from './errors';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

const COMMON = ['metadata.name', 'metadata.namespace'];

/** Fields beyond metadata.name/namespace that each kind supports, and how to read them. */
const FIELDS: Record<string, Record<string, (o: Obj) => string>> = {
  Pod: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
    'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
    'status.phase': (o) => o.status?.phase ?? '',
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  Event: {
    'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
    'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
    'involvedObject.name': (o) => o.involvedObject?.name ?? '',
    'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
    reason: (o) => o.reason ?? '',
    reportingComponent: (o) => o.reportingComponent ?? '',
    source: (o) => o.source?.component ?? '',
    type: (o) => o.type ?? '',
  },
  Node: { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
  Secret: { type: (o) => o.type ?? '' },
  Namespace: { 'status.phase': (o) => o.status?.phase ?? '' },
  ReplicaSet: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  ReplicationController: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  Job: { 'status.successful': (o) => String(o.status?.succeeded ?? 0) },
  PersistentVolume: {},
  CertificateSigningRequest: { 'spec.signerName': (o) => o.spec?.signerName ?? '' },
};

export function parseFieldSelector(text: string, kind: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=!]+?)\s*(==|!=|=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!COMMON.includes(field) && !(FIELDS[kind] && field in FIELDS[kind]!))
      throw badRequest(`field label not supported: ${field}`);
    reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return reqs;
}

export function matchesFields(reqs: readonly FieldRequirement[], kind: string, obj: Obj): boolean {
  return reqs.every((r) => {
    const actual =
      r.field === 'metadata.name' ? (obj.metadata?.name ?? '') : r.field === 'metadata.namespace' ? (obj.metadata?.namespace ?? '') : FIELDS[kind]![r.field]!(obj);
    return r.op === '=' ? actual === r.value : actual !== r.value;
  });
}
