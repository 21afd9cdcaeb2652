/**
 * Validation per kind: object metadata with the kind's name rules, then the kind's own checks.
 */
import { invalid, tooLong, type FieldError } from '../field-errors';
import { dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, validateObjectMeta, type NameValidator } from './names';
import {
  validateHPA,
  validateIngress,
  validateLimitRange,
  validateNetworkPolicy,
  validatePDB,
  validatePriorityClass,
  validatePV,
  validatePVC,
  validateResourceQuota,
  validateRole,
  validateRoleBinding,
  validateSecretType,
  validateStorageClass,
} from './other';
import { validatePodSpec, validatePodTemplate, validatePodUpdate } from './pod';
import { validateService } from './service';
import {
  cronScheduleError,
  toSelector,
  validateCronJob,
  validateDaemonSet,
  validateDeployment,
  validateJob,
  validateReplicaSet,
  validateReplicationController,
  validateStatefulSet,
} from './workloads';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Names of RBAC objects only need to be valid path segments. */
const pathSegmentName: NameValidator = (name) => {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  for (const c of ['/', '%']) if (name.includes(c)) return [`may not contain '${c}'`];
  return [];
};

const cronJobName: NameValidator = (name) => {
  const errs = dns1123SubdomainErrors(name);
  if (name.length > 52) errs.push('must be no more than 52 characters');
  return errs;
};

const NAME_VALIDATORS: Record<string, NameValidator> = {
  Namespace: dns1123LabelErrors,
  Service: dns1035LabelErrors,
  CronJob: cronJobName,
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
};

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_DATA_BYTES = 1024 * 1024;

function validateDataKeys(o: Obj, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const f of fields) {
    for (const [k, v] of Object.entries<string>(o[f] ?? {})) {
      if (!CONFIG_KEY.test(k) || k.length > 253)
        errs.push(
          invalid(
            `${f}[${k}]`,
            k,
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
          ),
        );
      total += String(v).length;
    }
  }
  if (total > MAX_DATA_BYTES) errs.push(tooLong(fields[0]!, MAX_DATA_BYTES));
  return errs;
}

const KIND_VALIDATORS: Record<string, (o: Obj) => FieldError[]> = {
  Pod: (o) => validatePodSpec(o.spec, 'spec'),
  PodTemplate: (o) => validatePodTemplate(o.template, 'template'),
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  ReplicationController: validateReplicationController,
  DaemonSet: validateDaemonSet,
  StatefulSet: validateStatefulSet,
  Job: validateJob,
  CronJob: validateCronJob,
  Service: validateService,
  ConfigMap: (o) => validateDataKeys(o, ['data', 'binaryData']),
  Secret: (o) => [...validateDataKeys(o, ['data', 'stringData']), ...validateSecretType(o)],
  Ingress: validateIngress,
  NetworkPolicy: validateNetworkPolicy,
  PersistentVolumeClaim: validatePVC,
  PersistentVolume: validatePV,
  HorizontalPodAutoscaler: validateHPA,
  PodDisruptionBudget: validatePDB,
  Role: validateRole,
  ClusterRole: validateRole,
  RoleBinding: validateRoleBinding,
  ClusterRoleBinding: validateRoleBinding,
  StorageClass: validateStorageClass,
  PriorityClass: validatePriorityClass,
  ResourceQuota: validateResourceQuota,
  LimitRange: validateLimitRange,
};

/** Validates an object on create. */
export function validateCreate(kind: string, namespaced: boolean, obj: Obj): FieldError[] {
  const nameValidator = NAME_VALIDATORS[kind] ?? dns1123SubdomainErrors;
  return [...validateObjectMeta(obj.metadata ?? {}, namespaced, nameValidator), ...(KIND_VALIDATORS[kind]?.(obj) ?? [])];
}

/** Validates an update: the new object as on create, plus what may not change. */
export function validateUpdate(kind: string, namespaced: boolean, obj: Obj, old: Obj): FieldError[] {
  const errs = validateCreate(kind, namespaced, obj);
  const immutable = (path: string, get: (o: Obj) => unknown, value: (v: unknown) => unknown = (v) => v as string) => {
    if (JSON.stringify(get(obj)) !== JSON.stringify(get(old))) errs.push(invalid(path, value(get(obj)) as string, 'field is immutable'));
  };
  switch (kind) {
    case 'Pod':
      errs.push(...validatePodUpdate(obj, old));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
      immutable('spec.selector', (o) => o.spec?.selector, (v) => ({ goString: labelSelectorGoString(v as Obj) }));
      break;
    case 'Job':
      immutable('spec.selector', (o) => o.spec?.selector, (v) => ({ goString: labelSelectorGoString(v as Obj) }));
      immutable('spec.completions', (o) => o.spec?.completions, (v) => v as number);
      immutable('spec.template', (o) => o.spec?.template, () => ({ goString: 'core.PodTemplateSpec{...}' }));
      break;
    case 'Service':
      if (old.spec?.clusterIP && old.spec.clusterIP !== obj.spec?.clusterIP && obj.spec?.type !== 'ExternalName')
        errs.push(invalid('spec.clusterIPs[0]', { goString: `[]string{${JSON.stringify(obj.spec?.clusterIP ?? '')}}` }, 'may not change once set'));
      break;
    case 'PersistentVolumeClaim': {
      // spec.volumeName may be set once, on a claim that has none (the PV controller binds it).
      const settable = !old.spec?.volumeName;
      const strip = (o: Obj) => {
        const spec: Obj = { ...(o.spec ?? {}), resources: undefined, volumeAttributesClassName: undefined };
        if (settable) delete spec.volumeName;
        return JSON.stringify(spec);
      };
      if (strip(obj) !== strip(old))
        errs.push({ type: 'FieldValueForbidden', field: 'spec', detail: 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' });
      break;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      if (JSON.stringify(obj.roleRef) !== JSON.stringify(old.roleRef))
        errs.push(invalid('roleRef', { goString: `rbac.RoleRef{APIGroup:${JSON.stringify(obj.roleRef?.apiGroup ?? '')}, Kind:${JSON.stringify(obj.roleRef?.kind ?? '')}, Name:${JSON.stringify(obj.roleRef?.name ?? '')}}` }, 'cannot change roleRef'));
      break;
    case 'StorageClass':
      if (JSON.stringify(obj.parameters ?? {}) !== JSON.stringify(old.parameters ?? {}))
        errs.push({ type: 'FieldValueForbidden', field: 'parameters', detail: 'updates to parameters are forbidden.' });
      if (obj.provisioner !== old.provisioner) errs.push({ type: 'FieldValueForbidden', field: 'provisioner', detail: 'updates to provisioner are forbidden.' });
      break;
    case 'PriorityClass':
      if (obj.value !== old.value) errs.push({ type: 'FieldValueForbidden', field: 'value', detail: 'may not be changed in an update.' });
      break;
    case 'ConfigMap':
    case 'Secret':
      if (kind === 'Secret' && obj.type !== old.type) errs.push(invalid('type', obj.type ?? '', 'field is immutable'));
      if (old.immutable) {
        for (const f of kind === 'Secret' ? ['data'] : ['data', 'binaryData'])
          if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {}))
            errs.push({ type: 'FieldValueForbidden', field: f, detail: 'field is immutable when `immutable` is set' });
      }
      break;
  }
  return errs;
}

function labelSelectorGoString(sel: Obj | undefined): string {
  if (!sel) return '(*v1.LabelSelector)(nil)';
  const labels = Object.keys(sel.matchLabels ?? {}).sort();
  const ml = sel.matchLabels ? `map[string]string{${labels.map((k) => `${JSON.stringify(k)}:${JSON.stringify(sel.matchLabels[k])}`).join(', ')}}` : 'map[string]string(nil)';
  const me = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${(sel.matchExpressions as Obj[])
        .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:[]string{${(e.values ?? []).map((v: string) => JSON.stringify(v)).join(', ')}}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

export { cronScheduleError, toSelector };
