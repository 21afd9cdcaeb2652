/**
 * The Pod describer and the pieces workloads reuse: containers (state, probes, environment,
 * mounts), volumes, and the pod template block.
 */
import { canonical, parseQuantity } from './quantity';
import {
  annotationsBlock,
  controllerOf,
  eventsBlock,
  getObject,
  labelsBlock,
  listAll,
  PrefixWriter,
  printBool,
  rfc1123z,
  searchEvents,
  selectorString,
  since,
  sortedKeys,
  tolerationsBlock,
  type Describer,
  type DescribeEnv,
  type Obj,
} from './writer';

export const describePod: Describer = async (env, namespace, name) => {
  let pod: Obj;
  try {
    pod = await getObject(env, `/api/v1/namespaces/${namespace}/pods/${name}`);
  } catch (err) {
    if (env.settings.showEvents) {
      const events = await searchEvents(env, { namespace, name });
      if (events?.length) {
        const w = new PrefixWriter();
        w.write(0, `Pod '${name}': error '${(err as Error).message.replace(/^Error from server \(\w+\): /, '')}', but found events.\n`);
        eventsBlock(w, events, env.now);
        return w.toString();
      }
    }
    throw err;
  }
  const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'];
  const events = await searchEvents(env, { namespace, name, uid: mirror ?? pod.metadata?.uid });
  return podText(pod, events, env.now);
};

function podText(pod: Obj, events: Obj[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelsBlock(w, 'Labels', pod.metadata.labels);
  annotationsBlock(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(pod.metadata.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(0, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const ips: Obj[] = status.podIPs ?? [];
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = controllerOf(pod);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(0, 'Resources:\n');
    resourcesBlock(w, spec.resources, 1);
  }
  const resolve = (e: Obj) => fieldRefValue(pod, e.valueFrom.fieldRef.fieldPath);
  if (spec.initContainers?.length) containersBlock(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, resolve, '');
  containersBlock(w, 'Containers', spec.containers ?? [], status.containerStatuses, resolve, '');
  if (spec.ephemeralContainers?.length) containersBlock(w, 'Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, resolve, '');
  if (spec.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates as Obj[]) {
      const c = ((status.conditions ?? []) as Obj[]).find((x) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions as Obj[]) w.write(1, `${c.type} \t${c.status} \n`);
  }
  volumesBlock(w, spec.volumes, '');
  w.write(0, `QoS Class:\t${status.qosClass || computeQos(pod)}\n`);
  labelsBlock(w, 'Node-Selectors', spec.nodeSelector);
  tolerationsBlock(w, 'Tolerations', spec.tolerations);
  topologySpreadBlock(w, spec.topologySpreadConstraints, '');
  eventsBlock(w, events, now);
  return w.toString();
}

function computeQos(pod: Obj): string {
  const containers: Obj[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) anySet = true;
      if (lim[r] === undefined || (req[r] !== undefined && parseQuantity(req[r]).nanos !== parseQuantity(lim[r]).nanos)) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** fieldpath.ExtractFieldPathAsString: kubectl resolves only metadata fields; others print empty. */
function fieldRefValue(pod: Obj, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata?.[m[1]!]?.[m[2]!] ?? '';
  const map = (o: Record<string, string> | undefined) =>
    Object.keys(o ?? {})
      .sort()
      .map((k) => `${k}=${JSON.stringify(o![k])}`)
      .join('\n');
  switch (path) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'metadata.labels':
      return map(pod.metadata?.labels);
    case 'metadata.annotations':
      return map(pod.metadata?.annotations);
    default:
      return '';
  }
}

export function resourcesBlock(w: PrefixWriter, resources: Obj | undefined, level: number): void {
  if (!resources) return;
  const limits = resources.limits ?? {};
  const requests = resources.requests ?? {};
  if (Object.keys(limits).length) w.write(level, 'Limits:\n');
  for (const k of sortedKeys(limits)) w.write(level + 1, `${k}:\t${canonical(limits[k])}\n`);
  if (Object.keys(requests).length) w.write(level, 'Requests:\n');
  for (const k of sortedKeys(requests)) w.write(level + 1, `${k}:\t${canonical(requests[k])}\n`);
}

type Resolver = ((e: Obj) => string) | undefined;

export function containersBlock(w: PrefixWriter, label: string, containers: Obj[], statuses: Obj[] | undefined, resolve: Resolver, space: string): void {
  const byName = new Map<string, Obj>(((statuses ?? []) as Obj[]).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
    if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
    const ports = ((c.ports ?? []) as Obj[]).map((p) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = ((c.ports ?? []) as Obj[]).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
    w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
    const seccomp = c.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(2, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    if (c.command?.length) {
      w.write(2, 'Command:\n');
      for (const part of c.command as string[]) for (const s of part.split('\n')) w.write(3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n');
      for (const part of c.args as string[]) for (const s of part.split('\n')) w.write(3, `${s}\n`);
    }
    if (status) {
      stateBlock(w, 'State', status.state ?? {});
      if (status.lastState?.terminated) stateBlock(w, 'Last State', status.lastState);
      w.write(2, `Ready:\t${printBool(status.ready)}\n`);
      w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    resourcesBlock(w, c.resources, 2);
    if (c.livenessProbe) w.write(2, `Liveness:\t${probeString(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probeString(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probeString(c.startupProbe)}\n`);
    if (c.envFrom?.length) {
      w.write(2, 'Environment Variables from:\n');
      for (const e of c.envFrom as Obj[]) {
        const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : e.secretRef ? ['Secret', e.secretRef] : ['', {}];
        const optional = !!ref.optional;
        w.write(3, e.prefix ? `${ref.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n` : `${ref.name ?? ''}\t${from}\tOptional: ${optional}\n`);
      }
    }
    envBlock(w, c, resolve);
    mountsBlock(w, c);
  }
}

function envBlock(w: PrefixWriter, c: Obj, resolve: Resolver): void {
  const env: Obj[] = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    if (!e.valueFrom) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    const from = e.valueFrom;
    if (from.fieldRef) {
      w.write(3, `${e.name}:\t${resolve ? resolve(e) : ''} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      const ref = from.resourceFieldRef;
      let value = resourceFieldValue(c, ref);
      if (value === '0' && (ref.resource === 'limits.cpu' || ref.resource === 'limits.memory')) value = 'node allocatable';
      w.write(3, `${e.name}:\t${value} (${ref.resource})\n`);
    } else if (from.secretKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name ?? ''}'>\tOptional: ${!!from.secretKeyRef.optional}\n`);
    } else if (from.configMapKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name ?? ''}'>\tOptional: ${!!from.configMapKeyRef.optional}\n`);
    }
  }
}

function resourceFieldValue(c: Obj, ref: Obj): string {
  const [kind, resource] = String(ref.resource).split('.') as [string, string];
  const raw = c.resources?.[kind]?.[resource];
  if (raw === undefined) return '0';
  const q = parseQuantity(raw);
  const divisor = parseQuantity(ref.divisor ?? '1');
  if (divisor.nanos === 0n) return '0';
  const ratio = (q.nanos + divisor.nanos - 1n) / divisor.nanos; // rounded up, as kubelet does
  return String(ratio);
}

function mountsBlock(w: PrefixWriter, c: Obj): void {
  const mounts: Obj[] = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(2, `Mounts:${none}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices: Obj[] = [...(c.volumeDevices ?? [])].sort((a, b) => (a.devicePath < b.devicePath ? -1 : a.devicePath > b.devicePath ? 1 : 0));
  if (devices.length) {
    w.write(2, `Devices:${none}\n`);
    for (const d of devices) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}

function stateBlock(w: PrefixWriter, title: string, state: Obj): void {
  if (state.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${title}:\tWaiting\n`);
}

function intOrString(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

export function probeString(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec ${goStrings(p.exec.command)} ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const scheme = String(g.scheme ?? '').toLowerCase();
    const port = intOrString(g.port);
    const host = g.host ?? '';
    const hostPort = port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
    let url = '';
    if (scheme) url += `${scheme}:`;
    if (scheme || hostPort) url += `//${hostPort}`;
    const path = g.path ?? '';
    url += path && !path.startsWith('/') && hostPort ? `/${path}` : path;
    return `http-get ${url} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${intOrString(p.tcpSocket.port)} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function goStrings(list: string[] | undefined): string {
  return `[${(list ?? []).join(' ')}]`;
}

export function volumesBlock(w: PrefixWriter, volumes: Obj[] | undefined, space: string): void {
  if (!volumes?.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    volumeSource(w, v);
  }
}

function ptr(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : String(v);
}

function volumeSource(w: PrefixWriter, v: Obj): void {
  if (v.hostPath) {
    w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`);
  } else if (v.emptyDir) {
    const limit = v.emptyDir.sizeLimit !== undefined && parseQuantity(v.emptyDir.sizeLimit).nanos > 0n ? canonical(v.emptyDir.sizeLimit) : '<unset>';
    w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${limit}\n`);
  } else if (v.secret) {
    w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${!!v.secret.optional}\n`);
  } else if (v.configMap) {
    w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${!!v.configMap.optional}\n`);
  } else if (v.nfs) {
    w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v.nfs.server}\n    Path:\t${v.nfs.path}\n    ReadOnly:\t${!!v.nfs.readOnly}\n`);
  } else if (v.persistentVolumeClaim) {
    w.write(2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`);
  } else if (v.downwardAPI) {
    w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of (v.downwardAPI.items ?? []) as Obj[]) {
      if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
      if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
    }
  } else if (v.projected) {
    w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    for (const s of (v.projected.sources ?? []) as Obj[]) {
      if (s.secret) w.write(2, `SecretName:\t${s.secret.name ?? ''}\n    SecretOptionalName:\t${ptr(s.secret.optional)}\n`);
      else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      else if (s.configMap) w.write(2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    ConfigMapOptional:\t${ptr(s.configMap.optional)}\n`);
      else if (s.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
    }
  } else if (v.csi) {
    w.write(2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${v.csi.driver}\n    FSType:\t${v.csi.fsType ?? ''}\n    ReadOnly:\t${!!v.csi.readOnly}\n`);
    csiAttributes(w, v.csi.volumeAttributes);
  } else if (v.ephemeral) {
    w.write(2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n');
    const t = v.ephemeral.volumeClaimTemplate;
    if (t) {
      const nested = new NestedWriter(w, 2);
      nested.write(0, `StorageClass:\t${t.spec?.storageClassName ?? ''}\n`);
      nested.write(0, `Volume:\t${t.spec?.volumeName ?? ''}\n`);
      labelsBlock(nested as unknown as PrefixWriter, 'Labels', t.metadata?.labels);
      annotationsBlock(nested as unknown as PrefixWriter, 'Annotations', t.metadata?.annotations);
      nested.write(0, 'Capacity:\t\n');
      nested.write(0, 'Access Modes:\t\n');
      if (t.spec?.volumeMode) nested.write(0, `VolumeMode:\t${t.spec.volumeMode}\n`);
    }
  } else if (v.image) {
    w.write(2, `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${v.image.reference ?? ''}\n    PullPolicy:\t${v.image.pullPolicy ?? ''}\n`);
  } else w.write(1, '<unknown>\n');
}

/** NewNestedPrefixWriter: every write indented some levels deeper; lines too. */
class NestedWriter {
  constructor(
    private readonly w: PrefixWriter,
    private readonly indent: number,
  ) {}
  write(level: number, text: string): void {
    this.w.write(level + this.indent, text);
  }
  line(text: string): void {
    this.w.write(this.indent, `${text}\n`);
  }
  flush(): void {
    this.w.flush();
  }
}

export function csiAttributes(w: PrefixWriter, attrs: Record<string, string> | undefined): void {
  w.write(0, '    VolumeAttributes:\t');
  const keys = sortedKeys(attrs);
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '    \t');
    w.write(0, `${k}=${attrs![k]}\n`);
  });
}

export function topologySpreadBlock(w: PrefixWriter, tscs: Obj[] | undefined, space: string): void {
  if (!tscs?.length) return;
  const sorted = [...tscs].sort((a, b) => (a.topologyKey < b.topologyKey ? -1 : a.topologyKey > b.topologyKey ? 1 : 0));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    let text = `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded`;
    if (t.labelSelector) text += ` for selector ${selectorString(t.labelSelector) || '<none>'}`;
    w.write(0, `${text}\n`);
  });
}

/** DescribePodTemplate, under workloads' "Pod Template:". */
export function podTemplateBlock(w: PrefixWriter, template: Obj | undefined): void {
  w.write(0, 'Pod Template:\n');
  if (!template) {
    w.write(1, '<unset>');
    return;
  }
  const spec = template.spec ?? {};
  labelsBlock(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length) annotationsBlock(w, '  Annotations', template.metadata.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) containersBlock(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  containersBlock(w, 'Containers', spec.containers ?? [], undefined, undefined, '  ');
  volumesBlock(w, spec.volumes, '  ');
  topologySpreadBlock(w, spec.topologySpreadConstraints, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  labelsBlock(w, '  Node-Selectors', spec.nodeSelector);
  tolerationsBlock(w, '  Tolerations', spec.tolerations);
}

/** Pods a controller owns, counted by phase (getPodStatusForController). */
export async function podPhases(env: DescribeEnv, namespace: string, selector: string, uid: string): Promise<string> {
  const pods = await listAll(env, `/api/v1/namespaces/${namespace}/pods`, selector ? { labelSelector: selector } : {});
  const count = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const p of pods) {
    const ref = ((p.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller);
    if (!ref || ref.uid !== uid) continue;
    if (p.status?.phase in count) count[p.status.phase]!++;
  }
  return `${count.Running} Running / ${count.Pending} Waiting / ${count.Succeeded} Succeeded / ${count.Failed} Failed`;
}
