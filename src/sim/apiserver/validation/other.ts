/**
 * Validation of the networking, storage, RBAC, autoscaling, policy and scheduling kinds a course
 * and the exams use, with the messages of each API group's validation package.
 */
import { forbidden, invalid, notSupported, required, type FieldError } from '../field-errors';
import { parseQuantity } from '../quantity';
import { dns1123SubdomainErrors, validateLabels } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function validateAccessModes(modes: unknown, field: string): FieldError[] {
  const list = (modes ?? []) as string[];
  if (list.length === 0) return [required(field, 'at least 1 access mode is required')];
  return list.filter((m) => !ACCESS_MODES.includes(m)).map((m) => notSupported(field, m, ACCESS_MODES));
}

function backendErrors(b: Obj | undefined, field: string): FieldError[] {
  if (!b) return [];
  const errs: FieldError[] = [];
  if (b.service && b.resource) errs.push(invalid(field, '', 'cannot set both resource and service backends'));
  if (!b.service && !b.resource) errs.push(invalid(field, '', 'resource or service backend is required'));
  if (b.service) {
    if (!b.service.name) errs.push(required(`${field}.service.name`));
    const port = b.service.port ?? {};
    if (port.name && port.number) errs.push(invalid(`${field}.service.port`, '', 'cannot set both port name & port number'));
    else if (!port.name && !port.number) errs.push(invalid(`${field}.service.port`, '', 'port name or number is required'));
    else if (port.number !== undefined && (port.number < 1 || port.number > 65535))
      errs.push(invalid(`${field}.service.port.number`, port.number, 'must be between 1 and 65535, inclusive'));
  }
  return errs;
}

export function validateIngress(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.defaultBackend && !(spec.rules ?? []).length) errs.push(invalid('spec.rules', { goString: '[]networking.IngressRule(nil)' }, 'either `defaultBackend` or `rules` must be specified'));
  errs.push(...backendErrors(spec.defaultBackend, 'spec.defaultBackend'));
  ((spec.rules ?? []) as Obj[]).forEach((rule, i) => {
    const f = `spec.rules[${i}]`;
    if (rule.host) {
      if (IPV4.test(rule.host)) errs.push(invalid(`${f}.host`, rule.host, 'must be a DNS name, not an IP address'));
      else {
        const host = rule.host.startsWith('*.') ? rule.host.slice(2) : rule.host;
        for (const m of dns1123SubdomainErrors(host)) errs.push(invalid(`${f}.host`, rule.host, m));
      }
    }
    ((rule.http?.paths ?? []) as Obj[]).forEach((p, j) => {
      const pf = `${f}.http.paths[${j}]`;
      if (!p.pathType) errs.push(required(`${pf}.pathType`, 'pathType must be specified'));
      else if (!['Exact', 'ImplementationSpecific', 'Prefix'].includes(p.pathType))
        errs.push(notSupported(`${pf}.pathType`, p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix']));
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !String(p.path ?? '').startsWith('/'))
        errs.push(invalid(`${pf}.path`, p.path ?? '', 'must be an absolute path'));
      errs.push(...backendErrors(p.backend, `${pf}.backend`));
    });
    if (rule.http && !(rule.http.paths ?? []).length) errs.push(required(`${f}.http.paths`));
  });
  return errs;
}

export function validateNetworkPolicy(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateLabels(spec.podSelector?.matchLabels, 'spec.podSelector.matchLabels'));
  ((spec.policyTypes ?? []) as string[]).forEach((t, i) => {
    if (!['Ingress', 'Egress'].includes(t)) errs.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  const rules = (key: 'ingress' | 'egress', peers: 'from' | 'to') =>
    ((spec[key] ?? []) as Obj[]).forEach((rule, i) => {
      ((rule.ports ?? []) as Obj[]).forEach((p, j) => {
        const pf = `spec.${key}[${i}].ports[${j}]`;
        if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(notSupported(`${pf}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) errs.push(invalid(`${pf}.port`, p.port, 'must be between 1 and 65535, inclusive'));
      });
      ((rule[peers] ?? []) as Obj[]).forEach((peer, j) => {
        const pf = `spec.${key}[${i}].${peers}[${j}]`;
        const n = ['podSelector', 'namespaceSelector', 'ipBlock'].filter((k) => peer[k]).length;
        if (n === 0) errs.push(required(pf, 'must specify a peer'));
        else if (peer.ipBlock && n > 1) errs.push({ type: 'FieldValueForbidden', field: pf, detail: 'may not specify both ipBlock and another peer' });
        if (peer.ipBlock && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(peer.ipBlock.cidr ?? ''))
          errs.push(invalid(`${pf}.ipBlock.cidr`, peer.ipBlock.cidr ?? '', 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      });
    });
  rules('ingress', 'from');
  rules('egress', 'to');
  return errs;
}

export function validatePVC(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else if ((parseQuantity(String(storage)) ?? 0) <= 0) errs.push(invalid('spec.resources[storage]', String(storage), 'must be greater than zero'));
  if (spec.volumeMode && !['Block', 'Filesystem'].includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, ['Block', 'Filesystem']));
  return errs;
}

const PV_SOURCES = ['hostPath', 'nfs', 'local', 'csi', 'iscsi', 'fc', 'gcePersistentDisk', 'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'rbd', 'cinder', 'glusterfs', 'flexVolume', 'vsphereVolume', 'quobyte', 'portworxVolume', 'scaleIO', 'storageos', 'photonPersistentDisk', 'flocker'];

export function validatePV(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
  if (!spec.capacity || Object.keys(spec.capacity).length === 0) errs.push(required('spec.capacity'));
  else if (spec.capacity.storage === undefined) errs.push(notSupported('spec.capacity', Object.keys(spec.capacity)[0]!, ['storage']));
  const sources = PV_SOURCES.filter((s) => spec[s]);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required('spec.hostPath.path'));
  if (spec.local && !spec.nodeAffinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  const policies = ['Delete', 'Recycle', 'Retain'];
  if (spec.persistentVolumeReclaimPolicy && !policies.includes(spec.persistentVolumeReclaimPolicy))
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, policies));
  return errs;
}

export function validateHPA(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  const ref = spec.scaleTargetRef ?? {};
  if (!ref.kind) errs.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) errs.push(required('spec.scaleTargetRef.name'));
  if (typeof spec.maxReplicas !== 'number' || spec.maxReplicas < 1) errs.push(invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than or equal to 1'));
  if (typeof spec.minReplicas === 'number') {
    if (spec.minReplicas < 1) errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
    else if (typeof spec.maxReplicas === 'number' && spec.minReplicas > spec.maxReplicas)
      errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  ((spec.metrics ?? []) as Obj[]).forEach((m, i) => {
    const types = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
    if (!types.includes(m.type)) errs.push(notSupported(`spec.metrics[${i}].type`, m.type ?? '', types));
    const t = m.resource?.target;
    if (m.type === 'Resource' && t?.type === 'Utilization' && (t.averageUtilization ?? 0) < 1)
      errs.push(invalid(`spec.metrics[${i}].resource.target.averageUtilization`, t.averageUtilization ?? 0, 'must be greater than 0'));
  });
  return errs;
}

export function validatePDB(o: Obj): FieldError[] {
  const spec = o.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined)
    errs.push(invalid('spec', { goString: 'policy.PodDisruptionBudgetSpec' }, 'minAvailable and maxUnavailable cannot be both set'));
  for (const key of ['minAvailable', 'maxUnavailable']) {
    const v = spec[key];
    if (typeof v === 'number' && v < 0) errs.push(invalid(`spec.${key}`, v, 'must be greater than or equal to 0'));
    if (typeof v === 'string' && (!/^\d+%$/.test(v) || Number(v.slice(0, -1)) > 100))
      errs.push(invalid(`spec.${key}`, v, /^\d+%$/.test(v) ? 'must not be greater than 100%' : "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
  }
  return errs;
}

export function validateRole(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  ((o.rules ?? []) as Obj[]).forEach((r, i) => {
    const f = `rules[${i}]`;
    if (!(r.verbs ?? []).length) errs.push(required(`${f}.verbs`, 'verbs must contain at least one value'));
    if ((r.nonResourceURLs ?? []).length) {
      if (o.kind === 'Role') errs.push(invalid(`${f}.nonResourceURLs`, { goString: `[]string{${(r.nonResourceURLs as string[]).map((u) => JSON.stringify(u)).join(', ')}}` }, 'namespaced rules cannot apply to non-resource URLs'));
    } else {
      if (!(r.apiGroups ?? []).length) errs.push(required(`${f}.apiGroups`, 'resource rules must supply at least one api group'));
      if (!(r.resources ?? []).length) errs.push(required(`${f}.resources`, 'resource rules must supply at least one resource'));
    }
  });
  return errs;
}

export function validateRoleBinding(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ref = o.roleRef ?? {};
  const kinds = o.kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', ['rbac.authorization.k8s.io']));
  if (!kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required('roleRef.name'));
  ((o.subjects ?? []) as Obj[]).forEach((s, i) => {
    const f = `subjects[${i}]`;
    if (!s.name) errs.push(required(`${f}.name`));
    if (!['ServiceAccount', 'User', 'Group'].includes(s.kind)) errs.push(notSupported(`${f}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    if (s.kind === 'ServiceAccount' && s.apiGroup) errs.push(notSupported(`${f}.apiGroup`, s.apiGroup, ['']));
    if (s.kind === 'ServiceAccount' && !s.namespace && o.kind === 'ClusterRoleBinding') errs.push(required(`${f}.namespace`));
  });
  return errs;
}

export function validateStorageClass(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!o.provisioner) errs.push(required('provisioner'));
  if (o.reclaimPolicy && !['Delete', 'Retain'].includes(o.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', o.reclaimPolicy, ['Delete', 'Retain']));
  if (o.volumeBindingMode && !['Immediate', 'WaitForFirstConsumer'].includes(o.volumeBindingMode))
    errs.push(notSupported('volumeBindingMode', o.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  return errs;
}

export function validatePriorityClass(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const name = o.metadata?.name ?? '';
  const system = ['system-node-critical', 'system-cluster-critical'].includes(name);
  if (name.startsWith('system-') && !system) errs.push(invalid('metadata.name', name, "priority class names with 'system-' prefix are reserved"));
  if (!system && typeof o.value === 'number' && o.value > 1_000_000_000)
    errs.push({ type: 'FieldValueForbidden', field: 'value', detail: 'maximum allowed value of a user defined priority is 1000000000' });
  return errs;
}

export function validateResourceQuota(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries<string>(o.spec?.hard ?? {})) {
    const q = parseQuantity(String(v));
    if (q !== undefined && q < 0) errs.push(invalid(`spec.hard[${k}]`, String(v), 'must be greater than or equal to 0'));
  }
  ((o.spec?.scopes ?? []) as string[]).forEach((s, i) => {
    const scopes = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];
    if (!scopes.includes(s)) errs.push(notSupported(`spec.scopes[${i}]`, s, scopes));
  });
  return errs;
}

export function validateLimitRange(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  ((o.spec?.limits ?? []) as Obj[]).forEach((item, i) => {
    const types = ['Container', 'PersistentVolumeClaim', 'Pod'];
    if (!types.includes(item.type)) errs.push(notSupported(`spec.limits[${i}].type`, item.type ?? '', types));
    for (const [r, max] of Object.entries<string>(item.max ?? {})) {
      const min = item.min?.[r];
      if (min !== undefined && parseQuantity(min)! > parseQuantity(max)!) errs.push(invalid(`spec.limits[${i}].min[${r}]`, min, `min value ${min} is greater than max value ${max}`));
      const def = item.default?.[r];
      if (def !== undefined && parseQuantity(def)! > parseQuantity(max)!) errs.push(invalid(`spec.limits[${i}].default[${r}]`, def, `default value ${def} is greater than max value ${max}`));
    }
  });
  return errs;
}

export function validateSecretType(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data = o.data ?? {};
  if (o.type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key']) if (data[k] === undefined) errs.push(required(`data[${k}]`));
  }
  if (o.type === 'kubernetes.io/dockerconfigjson' && data['.dockerconfigjson'] === undefined) errs.push(required('data[.dockerconfigjson]'));
  if (o.type === 'kubernetes.io/basic-auth' && data.username === undefined && data.password === undefined)
    errs.push(required('data[username]', 'either username or password is required'));
  if (o.type === 'kubernetes.io/ssh-auth' && data['ssh-privatekey'] === undefined) errs.push(required('data[ssh-privatekey]'));
  return errs;
}
