/**
 * Pod and pod template validation (pkg/apis/core/validation) for what a course and the
 * exams touch: containers, images, names, ports, resources, probes, volumes and mounts,
 * restart and pull policies, env, tolerations and node selectors.
 */
import { parseQuantity } from '../quantity';
import { duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError } from '../field-errors';
import { dns1123LabelErrors, dns1123SubdomainErrors, qualifiedNameErrors, validateLabels } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function portErrors(port: unknown, field: string): FieldError[] {
  if (typeof port !== 'number' || port < 1 || port > 65535) return [invalid(field, port as number, 'must be between 1 and 65535, inclusive')];
  return [];
}

function validatePorts(ports: Obj[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const f = `${field}[${i}]`;
    if (p.name) {
      if (p.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name) || !/[a-z]/.test(p.name) || p.name.includes('--'))
        errs.push(invalid(`${f}.name`, p.name, portNameDetail(p.name)));
      else if (names.has(p.name)) errs.push(duplicate(`${f}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(required(`${f}.containerPort`));
    else errs.push(...portErrors(p.containerPort, `${f}.containerPort`));
    if (p.hostPort !== undefined && p.hostPort !== 0) errs.push(...portErrors(p.hostPort, `${f}.hostPort`));
    if (!p.protocol) errs.push(required(`${f}.protocol`));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${f}.protocol`, p.protocol, PROTOCOLS));
  });
  return errs;
}

/** IsValidPortName's first failing rule. */
export function portNameDetail(name: string): string {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.includes('--')) return "must not contain consecutive hyphens";
  return "must not begin or end with a hyphen";
}

function validateResources(res: Obj | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!res) return errs;
  for (const section of ['limits', 'requests'] as const) {
    for (const [name, value] of Object.entries<unknown>(res[section] ?? {})) {
      const q = parseQuantity(String(value));
      if (q === undefined) continue; // decoding already rejected malformed quantities
      if (q < 0) errs.push(invalid(`${field}.${section}[${name}]`, String(value), 'must be greater than or equal to 0'));
    }
  }
  for (const [name, value] of Object.entries<unknown>(res.requests ?? {})) {
    const limit = res.limits?.[name];
    if (limit === undefined) continue;
    const r = parseQuantity(String(value));
    const l = parseQuantity(String(limit));
    if (r !== undefined && l !== undefined && r > l)
      errs.push(invalid(`${field}.requests`, String(value), `must be less than or equal to ${name} limit of ${String(limit)}`));
  }
  return errs;
}

function validateProbe(p: Obj | undefined, field: string, readiness: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!p) return errs;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => p[h]);
  if (handlers.length === 0) errs.push(required(field, 'must specify a handler type'));
  else if (handlers.length > 1) errs.push(forbidden(`${field}.${handlers[1]}`, `may not specify more than 1 handler type`));
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (typeof p[key] === 'number' && p[key] < 0) errs.push(invalid(`${field}.${key}`, p[key], 'must be greater than or equal to 0'));
  }
  if (!readiness && p.successThreshold !== undefined && p.successThreshold !== 1)
    errs.push(invalid(`${field}.successThreshold`, p.successThreshold, 'must be 1'));
  if (p.httpGet) {
    const port = p.httpGet.port;
    if (typeof port === 'number') errs.push(...portErrors(port, `${field}.httpGet.port`));
    if (p.httpGet.scheme && !['HTTP', 'HTTPS'].includes(p.httpGet.scheme))
      errs.push(notSupported(`${field}.httpGet.scheme`, p.httpGet.scheme, ['HTTP', 'HTTPS']));
  }
  if (p.tcpSocket && typeof p.tcpSocket.port === 'number') errs.push(...portErrors(p.tcpSocket.port, `${field}.tcpSocket.port`));
  if (p.exec && !(p.exec.command ?? []).length) errs.push(required(`${field}.exec.command`));
  return errs;
}

function validateEnv(env: Obj[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((e, i) => {
    const f = `${field}[${i}]`;
    if (!e.name) errs.push(required(`${f}.name`));
    else if (!ENV_NAME.test(e.name))
      errs.push(
        invalid(
          `${f}.name`,
          e.name,
          "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
        ),
      );
    if (e.valueFrom) {
      if (e.value) errs.push(invalid(`${f}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((s) => e.valueFrom[s]);
      if (sources.length === 0) errs.push(invalid(`${f}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
        const r = e.valueFrom[ref];
        if (!r) continue;
        if (!r.key) errs.push(required(`${f}.valueFrom.${ref}.key`));
        if (!r.name) errs.push(required(`${f}.valueFrom.${ref}.name`));
      }
    }
  });
  return errs;
}

function validateContainer(c: Obj, field: string, volumes: Set<string>, names: Set<string>, restartable: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${field}.name`));
  else {
    for (const m of dns1123LabelErrors(c.name)) errs.push(invalid(`${field}.name`, c.name, m));
    if (names.has(c.name)) errs.push(duplicate(`${field}.name`, c.name));
    names.add(c.name);
  }
  if (!c.image || String(c.image).trim() === '') errs.push(required(`${field}.image`));
  else if (c.image !== String(c.image).trim()) errs.push(invalid(`${field}.image`, c.image, 'must not have leading or trailing whitespace'));
  if (!c.imagePullPolicy) errs.push(required(`${field}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(`${field}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy && !['File', 'FallbackToLogsOnError'].includes(c.terminationMessagePolicy))
    errs.push(notSupported(`${field}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']));
  errs.push(...validatePorts(c.ports, `${field}.ports`));
  errs.push(...validateEnv(c.env, `${field}.env`));
  errs.push(...validateResources(c.resources, `${field}.resources`));
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m: Obj, i: number) => {
    const f = `${field}.volumeMounts[${i}]`;
    if (!m.name) errs.push(required(`${f}.name`));
    else if (!volumes.has(m.name)) errs.push(notFound(`${f}.name`, m.name));
    if (!m.mountPath) errs.push(required(`${f}.mountPath`));
    else if (mountPaths.has(m.mountPath)) errs.push(invalid(`${f}.mountPath`, m.mountPath, 'must be unique'));
    if (m.mountPath) mountPaths.add(m.mountPath);
  });
  if (c.livenessProbe || c.readinessProbe || c.startupProbe) {
    errs.push(...validateProbe(c.livenessProbe, `${field}.livenessProbe`, false));
    errs.push(...validateProbe(c.readinessProbe, `${field}.readinessProbe`, true));
    errs.push(...validateProbe(c.startupProbe, `${field}.startupProbe`, false));
  }
  if (c.restartPolicy !== undefined && !restartable) errs.push(forbidden(`${field}.restartPolicy`, 'may not be set for non-init containers'));
  return errs;
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
];

function validateVolumes(volumes: Obj[] | undefined, field: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const f = `${field}[${i}]`;
    if (!v.name) errs.push(required(`${f}.name`));
    else {
      for (const m of dns1123LabelErrors(v.name)) errs.push(invalid(`${f}.name`, v.name, m));
      if (names.has(v.name)) errs.push(duplicate(`${f}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s]);
    if (sources.length === 0) errs.push(required(field.endsWith('volumes') ? f : f, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(`${f}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v.hostPath) {
      if (!v.hostPath.path) errs.push(required(`${f}.hostPath.path`));
      const types = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
      if (v.hostPath.type !== undefined && !types.includes(v.hostPath.type)) errs.push(notSupported(`${f}.hostPath.type`, v.hostPath.type, types));
    }
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(`${f}.persistentVolumeClaim.claimName`));
    if (v.configMap && !v.configMap.name) errs.push(required(`${f}.configMap.name`));
    if (v.secret && !v.secret.secretName) errs.push(required(`${f}.secret.secretName`));
  });
  return { errs, names };
}

export function validatePodSpec(spec: Obj | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [required(field)];
  const { errs: volumeErrs, names: volumeNames } = validateVolumes(spec.volumes, `${field}.volumes`);
  errs.push(...volumeErrs);
  const containerNames = new Set<string>();
  (spec.initContainers ?? []).forEach((c: Obj, i: number) => {
    errs.push(...validateContainer(c, `${field}.initContainers[${i}]`, volumeNames, containerNames, true));
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always')
      errs.push(notSupported(`${field}.initContainers[${i}].restartPolicy`, c.restartPolicy, ['Always']));
  });
  const containers: Obj[] = spec.containers ?? [];
  if (containers.length === 0) errs.push(required(`${field}.containers`));
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${field}.containers[${i}]`, volumeNames, containerNames, false)));
  if (!spec.restartPolicy) errs.push(required(`${field}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(notSupported(`${field}.restartPolicy`, spec.restartPolicy, RESTART_POLICIES));
  if (!spec.dnsPolicy) errs.push(required(`${field}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) errs.push(required(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  if (spec.nodeName) for (const m of dns1123SubdomainErrors(spec.nodeName)) errs.push(invalid(`${field}.nodeName`, spec.nodeName, m));
  if (spec.serviceAccountName) for (const m of dns1123SubdomainErrors(spec.serviceAccountName)) errs.push(invalid(`${field}.serviceAccountName`, spec.serviceAccountName, m));
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0)
    errs.push(invalid(`${field}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be greater than or equal to 1'));
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0)
    errs.push(invalid(`${field}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  (spec.tolerations ?? []).forEach((t: Obj, i: number) => {
    const f = `${field}.tolerations[${i}]`;
    if (t.key) for (const m of qualifiedNameErrors(t.key)) errs.push(invalid(`${f}.key`, t.key, m));
    if (t.operator && !['Equal', 'Exists'].includes(t.operator)) errs.push(notSupported(`${f}.operator`, t.operator, ['Equal', 'Exists']));
    if (t.operator === 'Exists' && t.value) errs.push(invalid(`${f}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
    if (!t.key && t.operator !== 'Exists') errs.push(invalid(`${f}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect))
      errs.push(notSupported(`${f}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      errs.push(invalid(`${f}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
  });
  return errs;
}

/** ValidatePodTemplateSpec: labels plus the pod spec. */
export function validatePodTemplate(template: Obj | undefined, field: string): FieldError[] {
  if (!template) return [required(field)];
  return [...validateLabels(template.metadata?.labels, `${field}.metadata.labels`), ...validatePodSpec(template.spec, `${field}.spec`)];
}

/** Fields of a running pod that may change on update (ValidatePodUpdate). */
export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const strip = (spec: Obj) => {
    const copy = JSON.parse(JSON.stringify(spec)) as Obj;
    for (const list of ['containers', 'initContainers']) for (const c of copy[list] ?? []) delete c.image;
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    delete copy.terminationGracePeriodSeconds;
    return JSON.stringify(copy);
  };
  if (strip(pod.spec ?? {}) === strip(old.spec ?? {})) return [];
  return [
    forbidden(
      'spec',
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ),
  ];
}

/** Fields an ephemeral container may not set (validateFieldAllowList's complement, in field order). */
const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v as Obj).every(isZero);
  return false;
}

/**
 * ValidatePodEphemeralContainersUpdate: the ephemeral containers are valid containers with names
 * unique in the pod, targets among its containers, none of the fields ephemeral containers may
 * not have; existing ones are neither removed nor changed.
 */
export function validateEphemeralContainersUpdate(pod: Obj, old: Obj): FieldError[] {
  if (old.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return [forbidden('', 'static pods do not support ephemeral containers')];
  const errs: FieldError[] = [];
  const spec = pod.spec ?? {};
  const volumes = new Set<string>((spec.volumes ?? []).map((v: Obj) => v.name as string));
  const others = new Set<string>([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c: Obj) => c.name as string));
  const all = new Set(others);
  ((spec.ephemeralContainers ?? []) as Obj[]).forEach((ec, i) => {
    const f = `spec.ephemeralContainers[${i}]`;
    errs.push(...validateContainer({ ...ec, ports: undefined, livenessProbe: undefined, readinessProbe: undefined, startupProbe: undefined }, f, volumes, new Set(), true));
    if (all.has(ec.name)) errs.push(duplicate(`${f}.name`, ec.name));
    else all.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) errs.push(notFound(`${f}.targetContainerName`, ec.targetContainerName));
    for (const k of EPHEMERAL_FORBIDDEN) if (!isZero(ec[k])) errs.push(forbidden(`${f}.${k}`, 'cannot be set for an Ephemeral Container'));
    ((ec.volumeMounts ?? []) as Obj[]).forEach((vm, j) => {
      if (vm.subPath) errs.push(forbidden(`${f}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (vm.subPathExpr) errs.push(forbidden(`${f}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  const byName = new Map<string, Obj>();
  const repeated = new Set<string>();
  for (const c of (spec.ephemeralContainers ?? []) as Obj[]) {
    if (byName.has(c.name)) repeated.add(c.name);
    byName.set(c.name, c);
  }
  for (const o of (old.spec?.ephemeralContainers ?? []) as Obj[]) {
    const n = byName.get(o.name);
    // A name given twice is reported as a duplicate only (as kube-apiserver 1.32 answers kubectl debug -c EXISTING).
    if (repeated.has(o.name)) continue;
    if (!n) errs.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(o.name)} may not be removed\n`));
    else if (JSON.stringify(sortKeys(o)) !== JSON.stringify(sortKeys(n))) errs.push(forbidden(`spec.ephemeralContainers.${o.name as string}`, `existing ephemeral containers ${JSON.stringify(o.name)} may not be changed\n`));
  }
  return errs;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sortKeys((v as Obj)[k])]));
  return v;
}
