/**
 * A pod template as kubectl describes it (`Pod Template:` in `rollout history --revision`, `rollout
 * undo --dry-run`): tab-separated lines, left unaligned as kubectl leaves them there.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function labelsMultiline(title: string, labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort(byKey);
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return `${title}:\t${keys.map((k) => `${k}=${labels![k]}\n`).join('\t')}`;
}

function annotationsMultiline(title: string, annotations: Record<string, string>): string {
  const keys = Object.keys(annotations).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort(byKey);
  if (keys.length === 0) return `${title}:\t<none>\n`;
  let out = `${title}:\t`;
  keys.forEach((key, i) => {
    if (i !== 0) out += '\t';
    const value = annotations[key]!.replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      out += `${key}:\n`;
      for (const s of value.split('\n')) out += `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}\n`;
    } else out += `${key}: ${value}\n`;
  });
  return out;
}

function tolerationsMultiline(title: string, tolerations: Obj[] | undefined): string {
  if (!tolerations?.length) return `${title}:\t<none>\n`;
  const sorted = [...tolerations].sort((a, b) => byKey(a.key ?? '', b.key ?? ''));
  return `${title}:\t${sorted
    .map((t) => {
      let s = t.key ?? '';
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
      return `${s}\n`;
    })
    .join('\t')}`;
}

function probe(p: Obj): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const port = p.httpGet.port === undefined ? '' : String(p.httpGet.port);
    const host = p.httpGet.host ?? '';
    const hostPort = port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
    const path = p.httpGet.path ?? '';
    return `http-get ${String(p.httpGet.scheme ?? '').toLowerCase()}${p.httpGet.scheme ? '://' : '//'}${hostPort}${path && !path.startsWith('/') ? `/${path}` : path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function ports(list: Obj[] | undefined, field: 'containerPort' | 'hostPort'): string {
  return (list ?? []).map((p) => `${p[field] ?? 0}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

const RESOURCE_ORDER = ['cpu', 'memory', 'ephemeral-storage'];
function sortedResourceNames(m: Record<string, unknown>): string[] {
  return Object.keys(m).sort((a, b) => {
    const ia = RESOURCE_ORDER.indexOf(a);
    const ib = RESOURCE_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return byKey(a, b);
  });
}

function containers(label: string, list: Obj[] | undefined): string {
  let out = `  ${label}:${list?.length ? '' : ' <none>'}\n`;
  for (const c of list ?? []) {
    out += `   ${c.name}:\n`;
    out += `    Image:\t${c.image ?? ''}\n`;
    const p = ports(c.ports, 'containerPort');
    out += p.includes(',') ? `    Ports:\t${p}\n` : `    Port:\t${p || '<none>'}\n`;
    const h = ports(c.ports, 'hostPort');
    out += h.includes(',') ? `    Host Ports:\t${h}\n` : `    Host Port:\t${h || '<none>'}\n`;
    if (c.securityContext?.seccompProfile) {
      out += `    SeccompProfile:\t${c.securityContext.seccompProfile.type}\n`;
      if (c.securityContext.seccompProfile.type === 'Localhost') out += `      LocalhostProfile:\t${c.securityContext.seccompProfile.localhostProfile}\n`;
    }
    for (const [title, items] of [['Command', c.command], ['Args', c.args]] as const) {
      if (!items?.length) continue;
      out += `    ${title}:\n`;
      for (const item of items as string[]) for (const s of item.split('\n')) out += `      ${s}\n`;
    }
    for (const kind of ['limits', 'requests'] as const) {
      const m = c.resources?.[kind] as Record<string, string> | undefined;
      if (!m || Object.keys(m).length === 0) continue;
      out += `    ${kind === 'limits' ? 'Limits' : 'Requests'}:\n`;
      for (const name of sortedResourceNames(m)) out += `      ${name}:\t${m[name]}\n`;
    }
    if (c.livenessProbe) out += `    Liveness:\t${probe(c.livenessProbe)}\n`;
    if (c.readinessProbe) out += `    Readiness:\t${probe(c.readinessProbe)}\n`;
    if (c.startupProbe) out += `    Startup:\t${probe(c.startupProbe)}\n`;
    if (c.envFrom?.length) {
      out += '    Environment Variables from:\n';
      for (const e of c.envFrom as Obj[]) {
        const [kind, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : ['Secret', e.secretRef];
        out += `      ${ref?.name ?? ''}\t${kind}${e.prefix ? ` with prefix '${e.prefix}'` : ''}\tOptional: ${ref?.optional === true}\n`;
      }
    }
    out += `    Environment:${c.env?.length ? '' : '\t<none>'}\n`;
    for (const e of (c.env ?? []) as Obj[]) {
      if (!e.valueFrom) {
        (e.value ?? '').split('\n').forEach((s: string, i: number) => (out += i === 0 ? `      ${e.name}:\t${s}\n` : `      \t${s}\n`));
        continue;
      }
      const v = e.valueFrom;
      if (v.fieldRef) out += `      ${e.name}:\t (${v.fieldRef.apiVersion ?? 'v1'}:${v.fieldRef.fieldPath})\n`;
      else if (v.resourceFieldRef) out += `      ${e.name}:\t${v.resourceFieldRef.resource}\n`;
      else if (v.secretKeyRef) out += `      ${e.name}:\t<set to the key '${v.secretKeyRef.key}' in secret '${v.secretKeyRef.name}'>\tOptional: ${v.secretKeyRef.optional === true}\n`;
      else if (v.configMapKeyRef) out += `      ${e.name}:\t<set to the key '${v.configMapKeyRef.key}' of config map '${v.configMapKeyRef.name}'>\tOptional: ${v.configMapKeyRef.optional === true}\n`;
    }
    const mounts = [...((c.volumeMounts ?? []) as Obj[])].sort((a, b) => byKey(a.mountPath, b.mountPath));
    out += `    Mounts:${mounts.length ? '' : '\t<none>'}\n`;
    for (const m of mounts) out += `      ${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])].join(',')})\n`;
  }
  return out;
}

function volumes(list: Obj[] | undefined): string {
  if (!list?.length) return '  Volumes:\t<none>\n';
  let out = '  Volumes:\n';
  for (const v of list) {
    out += `   ${v.name}:\n`;
    if (v.hostPath) out += `    Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`;
    else if (v.emptyDir) out += `    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`;
    else if (v.secret) out += `    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`;
    else if (v.configMap) out += `    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`;
    else if (v.persistentVolumeClaim)
      out += `    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`;
    else out += `    <unknown>\n`;
  }
  return out;
}

/** describe.DescribePodTemplate. */
export function describePodTemplate(template: Obj | undefined): string {
  if (!template) return 'Pod Template:\n  <unset>';
  const spec = (template.spec ?? {}) as Obj;
  let out = 'Pod Template:\n';
  out += labelsMultiline('  Labels', template.metadata?.labels);
  const annotations = template.metadata?.annotations as Record<string, string> | undefined;
  if (annotations && Object.keys(annotations).length > 0) out += annotationsMultiline('  Annotations', annotations);
  if (spec.serviceAccountName) out += `  Service Account:\t${spec.serviceAccountName}\n`;
  if (spec.initContainers?.length) out += containers('Init Containers', spec.initContainers);
  out += containers('Containers', spec.containers);
  out += volumes(spec.volumes);
  if (spec.priorityClassName) out += `  Priority Class Name:\t${spec.priorityClassName}\n`;
  out += labelsMultiline('  Node-Selectors', spec.nodeSelector);
  out += tolerationsMultiline('  Tolerations', spec.tolerations);
  return out;
}
