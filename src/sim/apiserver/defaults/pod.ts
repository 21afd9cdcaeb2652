/**
 * Defaulting for pods and pod templates (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container
 * and friends in pkg/apis/core/v1/defaults.go). Mutates the object it is given.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setIfUnset(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** Always for `:latest` or no tag (and no digest), IfNotPresent otherwise. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  setIfUnset(p, 'timeoutSeconds', 1);
  setIfUnset(p, 'periodSeconds', 10);
  setIfUnset(p, 'successThreshold', 1);
  setIfUnset(p, 'failureThreshold', 3);
  if (p.httpGet) setIfUnset(p.httpGet, 'scheme', 'HTTP');
  if (p.grpc) setIfUnset(p.grpc, 'service', '');
}

function defaultLifecycleHandler(h: Obj | undefined): void {
  if (h?.httpGet) setIfUnset(h.httpGet, 'scheme', 'HTTP');
}

function defaultContainer(c: Obj): void {
  setIfUnset(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setIfUnset(c, 'terminationMessagePath', '/dev/termination-log');
  setIfUnset(c, 'terminationMessagePolicy', 'File');
  setIfUnset(c, 'resources', {});
  for (const port of c.ports ?? []) setIfUnset(port, 'protocol', 'TCP');
  for (const env of c.env ?? []) {
    if (env.valueFrom?.fieldRef) setIfUnset(env.valueFrom.fieldRef, 'apiVersion', 'v1');
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycleHandler(c.lifecycle?.postStart);
  defaultLifecycleHandler(c.lifecycle?.preStop);
}

function defaultVolume(v: Obj): void {
  if (v.secret) setIfUnset(v.secret, 'defaultMode', 420);
  if (v.configMap) setIfUnset(v.configMap, 'defaultMode', 420);
  if (v.downwardAPI) {
    setIfUnset(v.downwardAPI, 'defaultMode', 420);
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) setIfUnset(item.fieldRef, 'apiVersion', 'v1');
  }
  if (v.projected) setIfUnset(v.projected, 'defaultMode', 420);
  if (v.hostPath) setIfUnset(v.hostPath, 'type', '');
  if (v.iscsi) setIfUnset(v.iscsi, 'iscsiInterface', 'default');
  if (v.rbd) {
    setIfUnset(v.rbd, 'pool', 'rbd');
    setIfUnset(v.rbd, 'user', 'admin');
    setIfUnset(v.rbd, 'keyring', '/etc/ceph/keyring');
  }
  if (v.azureDisk) {
    setIfUnset(v.azureDisk, 'cachingMode', 'ReadWrite');
    setIfUnset(v.azureDisk, 'fsType', 'ext4');
    setIfUnset(v.azureDisk, 'readOnly', false);
    setIfUnset(v.azureDisk, 'kind', 'Shared');
  }
  // A volume with no source at all is an emptyDir (SetDefaults_Volume).
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
}

export function defaultPodSpec(spec: Obj): void {
  setIfUnset(spec, 'restartPolicy', 'Always');
  setIfUnset(spec, 'terminationGracePeriodSeconds', 30);
  setIfUnset(spec, 'dnsPolicy', 'ClusterFirst');
  setIfUnset(spec, 'securityContext', {});
  setIfUnset(spec, 'schedulerName', 'default-scheduler');
  setIfUnset(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) setIfUnset(p, 'hostPort', p.containerPort);
    }
  }
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** A PodTemplateSpec as workload controllers carry it; metadata.creationTimestamp serialises as null. */
export function defaultPodTemplate(template: Obj | undefined): void {
  if (!template) return;
  template.metadata = template.metadata ?? {};
  if (template.metadata.creationTimestamp === undefined) template.metadata.creationTimestamp = null;
  template.spec = template.spec ?? {};
  defaultPodSpec(template.spec);
}

export function defaultPod(pod: Obj): void {
  pod.spec = pod.spec ?? {};
  // SetDefaults_Pod: limits without requests make the requests equal to the limits (pods only, not templates).
  for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
    const res = c.resources;
    if (res?.limits) {
      res.requests = res.requests ?? {};
      for (const [k, v] of Object.entries(res.limits)) if (res.requests[k] === undefined) res.requests[k] = v;
    }
  }
  defaultPodSpec(pod.spec);
}
