/**
 * The kubelet's volume manager: sets up a pod's volumes before its sandbox starts (emptyDir,
 * hostPath with its type checks, configMap, secret, downwardAPI, projected, and bound
 * persistentVolumeClaims), reports failures in the kubelet's words, and rewrites
 * configMap/secret/downwardAPI/projected contents with the atomic `..data` swap when their
 * sources change.
 */
import type { ApiServer } from '../apiserver';
import { parseQuantity } from '../apiserver/quantity';
import { base64Decode } from '../bytes';
import type { SeededRandom } from '../random';
import { basename, dirname, FileTree, FsFailure, type Mount } from './fs';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Storage behind network volumes (NFS, CSI, cloud disks): one tree per PersistentVolume, cluster-wide. */
export class NetworkStorage {
  private readonly volumes = new Map<string, FileTree>();
  constructor(private readonly now: () => number) {}

  volume(pvName: string): FileTree {
    let tree = this.volumes.get(pvName);
    if (!tree) this.volumes.set(pvName, (tree = new FileTree(this.now)));
    return tree;
  }
}

export interface VolumeContext {
  api: ApiServer;
  nodeName: string;
  nodeIP: string;
  hostFs: FileTree;
  storage: NetworkStorage;
  now(): number;
  random: SeededRandom;
}

/** A file to write; content may be computed only when the volume is first read (tokens). */
type PayloadFile = { content: string | (() => string); mode: number };
type Payload = Map<string, PayloadFile>;

export interface MountedVolume {
  name: string;
  readonly tree: FileTree;
  root: string;
  /** configMap, secret, downwardAPI and projected volumes are always mounted read-only. */
  readOnly?: boolean;
  /** Rebuilds generated contents (configMap, secret, downwardAPI, projected); an error text if the source is gone. */
  refresh?(pod: Obj): string | undefined;
}

/** A failure to set up one volume: the FailedMount event text. */
export interface MountFailure {
  volume: string;
  message: string;
}

const DEFAULT_MODE = 0o644;

function modeOf(item: Obj | undefined, defaultMode: number | undefined): number {
  return item?.mode ?? defaultMode ?? DEFAULT_MODE;
}

/** The timestamped directory name AtomicWriter creates: ..2025_06_02_09_30_00.1234567890 */
function timestampDir(ms: number, random: SeededRandom): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${random.between(0, 4294967295)}`;
}

/**
 * Writes `payload` into `tree` as the kubelet's AtomicWriter does: files in a new timestamped
 * directory, `..data` pointing at it, and one top-level link per entry. Unchanged payloads are
 * left alone. Returns whether anything changed.
 */
function atomicWrite(tree: FileTree, payload: Payload, ctx: VolumeContext, previous: Payload | undefined): boolean {
  if (previous && samePayload(previous, payload)) return false;
  const dir = `/${timestampDir(ctx.now(), ctx.random)}`;
  tree.mkdir(dir);
  for (const [path, f] of [...payload].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const full = `${dir}/${path}`;
    tree.mkdir(dirname(full), { parents: true });
    tree.write(full, typeof f.content === 'function' ? f.content() : f.content, { mode: f.mode });
  }
  const old = tree.lstat('/..data');
  tree.symlink(dir.slice(1), '/..data_tmp');
  tree.rename('/..data_tmp', '/..data');
  if (old?.kind === 'link') tree.remove(`/${old.target}`, { recursive: true });
  const top = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const name of tree.list('/')) if (!name.startsWith('..') && !top.has(name)) tree.remove(`/${name}`);
  for (const name of top) if (!tree.lstat(`/${name}`)) tree.symlink(`..data/${name}`, `/${name}`);
  return true;
}

function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (!o || o.content !== v.content || o.mode !== v.mode) return false;
  }
  return true;
}

class MountError extends Error {
  /** `unable`: reported as "Unable to attach or mount volumes" rather than a SetUp failure. */
  constructor(
    message: string,
    readonly kind: 'setup' | 'unable' = 'setup',
  ) {
    super(message);
  }
}

function configMapPayload(ctx: VolumeContext, ns: string, src: Obj, defaultMode: number | undefined, out: Payload): void {
  const cm = ctx.api.getByResource('configmaps', '', ns, src.name);
  if (!cm) {
    if (src.optional) return;
    throw new MountError(`configmap "${src.name}" not found`);
  }
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries<string>(cm.data ?? {})) values.set(k, v);
  for (const [k, v] of Object.entries<string>(cm.binaryData ?? {})) values.set(k, base64Decode(v));
  if (!src.items?.length) {
    for (const [k, v] of values) out.set(k, { content: v, mode: modeOf(undefined, defaultMode) });
    return;
  }
  for (const item of src.items as Obj[]) {
    const v = values.get(item.key);
    if (v === undefined) {
      if (src.optional) continue;
      throw new MountError(`configmap references non-existent config key: ${item.key}`);
    }
    out.set(item.path, { content: v, mode: modeOf(item, defaultMode) });
  }
}

function secretPayload(ctx: VolumeContext, ns: string, name: string, src: Obj, defaultMode: number | undefined, out: Payload): void {
  const secret = ctx.api.getByResource('secrets', '', ns, name);
  if (!secret) {
    if (src.optional) return;
    throw new MountError(`secret "${name}" not found`);
  }
  const data = secret.data ?? {};
  if (!src.items?.length) {
    for (const [k, v] of Object.entries<string>(data)) out.set(k, { content: base64Decode(v), mode: modeOf(undefined, defaultMode) });
    return;
  }
  for (const item of src.items as Obj[]) {
    const v = data[item.key];
    if (v === undefined) {
      if (src.optional) continue;
      throw new MountError(`references non-existent secret key: ${item.key}`);
    }
    out.set(item.path, { content: base64Decode(v), mode: modeOf(item, defaultMode) });
  }
}

/** Labels and annotations as the downward API writes them: key="value" lines, sorted. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

export function fieldRefValue(pod: Obj, fieldPath: string, podIP: string | undefined, hostIP: string): string {
  const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
  if (label) return pod.metadata.labels?.[label[1]!] ?? '';
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(fieldPath);
  if (annotation) return pod.metadata.annotations?.[annotation[1]!] ?? '';
  const values: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'metadata.labels': formatMap(pod.metadata.labels),
    'metadata.annotations': formatMap(pod.metadata.annotations),
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': hostIP,
    'status.hostIPs': hostIP,
    'status.podIP': podIP,
    'status.podIPs': podIP,
  };
  return values[fieldPath] ?? '';
}

/** A container resource as the downward API exposes it: limits default to the node's allocatable. */
export function resourceFieldValue(ctx: VolumeContext, pod: Obj, ref: Obj, fallbackContainer?: string): string {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Obj[];
  const target = all.find((c) => c.name === (ref.containerName ?? fallbackContainer));
  const [section, res] = String(ref.resource).split('.') as [string, string];
  const raw = target?.resources?.[section]?.[res];
  const node = ctx.api.getByResource('nodes', '', undefined, ctx.nodeName);
  const value = raw ?? (section === 'limits' ? node?.status?.allocatable?.[res] : '0');
  return String(Math.ceil((parseQuantity(String(value)) ?? 0) / (parseQuantity(String(ref.divisor ?? '1')) || 1)));
}

function downwardPayload(ctx: VolumeContext, pod: Obj, podIP: string | undefined, src: Obj, defaultMode: number | undefined, out: Payload): void {
  for (const item of (src.items ?? []) as Obj[]) {
    const content = item.fieldRef ? fieldRefValue(pod, item.fieldRef.fieldPath, podIP, ctx.nodeIP) : item.resourceFieldRef ? resourceFieldValue(ctx, pod, item.resourceFieldRef) : '';
    out.set(item.path, { content, mode: modeOf(item, defaultMode) });
  }
}

/**
 * A bound service account token: the kubelet asks the API server's TokenRequest for one bound to
 * the pod (its default 3607 s, which the API server extends to a year with a warning time).
 */
function serviceAccountToken(ctx: VolumeContext, pod: Obj, src: Obj): string {
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const res = ctx.api.handle({
    method: 'POST',
    path: `/api/v1/namespaces/${pod.metadata.namespace}/serviceaccounts/${sa}/token`,
    userAgent: `kubelet/${ctx.nodeName}`,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        audiences: src.audience ? [src.audience] : null,
        expirationSeconds: src.expirationSeconds ?? 3607,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
      },
    },
  });
  return res.status === 201 ? ((res.body as Obj).status.token as string) : '';
}

function projectedPayload(ctx: VolumeContext, pod: Obj, podIP: string | undefined, src: Obj, previous: Payload | undefined, out: Payload): void {
  const ns = pod.metadata.namespace;
  for (const s of (src.sources ?? []) as Obj[]) {
    if (s.configMap) configMapPayload(ctx, ns, s.configMap, src.defaultMode, out);
    if (s.secret) secretPayload(ctx, ns, s.secret.name, s.secret, src.defaultMode, out);
    if (s.downwardAPI) downwardPayload(ctx, pod, podIP, s.downwardAPI, src.defaultMode, out);
    if (s.serviceAccountToken) {
      const path = s.serviceAccountToken.path;
      // The kubelet rotates the token at 80% of its lifetime; until then it keeps the one it has.
      const kept = previous?.get(path);
      const source = s.serviceAccountToken;
      let token: string | undefined;
      out.set(path, kept ?? { content: () => (token ??= serviceAccountToken(ctx, pod, source)), mode: modeOf(undefined, src.defaultMode) });
    }
  }
}

/**
 * A volume whose files the kubelet generates from API objects, rewritten when they change. The
 * payload is checked at set-up; files are written when a container first looks at them.
 */
function generatedVolume(name: string, ctx: VolumeContext, pod: Obj, build: (pod: Obj, previous: Payload | undefined) => Payload): MountedVolume {
  let current = build(pod, undefined);
  let tree: FileTree | undefined;
  return {
    name,
    root: '/',
    readOnly: true,
    get tree() {
      if (!tree) {
        tree = new FileTree(ctx.now);
        atomicWrite(tree, current, ctx, undefined);
      }
      return tree;
    },
    refresh(latest) {
      try {
        const next = build(latest, current);
        if (tree) atomicWrite(tree, next, ctx, current);
        current = next;
        return undefined;
      } catch (err) {
        if (err instanceof MountError) return err.message;
        throw err;
      }
    },
  };
}

const HOST_PATH_CHECKS: Record<string, string> = {
  Socket: 'is not a socket file',
  CharDevice: 'is not a character device',
  BlockDevice: 'is not a block device',
};

function hostPathVolume(name: string, ctx: VolumeContext, src: Obj): MountedVolume {
  const path: string = src.path;
  const type: string = src.type ?? '';
  const entry = ctx.hostFs.stat(path);
  switch (type) {
    case '':
      // No check; the container runtime creates a missing directory for the bind mount.
      if (!entry) ctx.hostFs.mkdir(path, { parents: true });
      break;
    case 'DirectoryOrCreate':
      if (!entry) ctx.hostFs.mkdir(path, { parents: true });
      else if (entry.kind !== 'dir') throw new MountError(`hostPath type check failed: ${path} is not a directory`);
      break;
    case 'Directory':
      if (entry?.kind !== 'dir') throw new MountError(`hostPath type check failed: ${path} is not a directory`);
      break;
    case 'FileOrCreate':
      if (!entry) {
        try {
          ctx.hostFs.write(path, '');
        } catch {
          throw new MountError(`open ${path}: no such file or directory`);
        }
      } else if (entry.kind !== 'file') throw new MountError(`hostPath type check failed: ${path} is not a file`);
      break;
    case 'File':
      if (entry?.kind !== 'file') throw new MountError(`hostPath type check failed: ${path} is not a file`);
      break;
    default:
      if (HOST_PATH_CHECKS[type]) throw new MountError(`hostPath type check failed: ${path} ${HOST_PATH_CHECKS[type]}`);
      throw new MountError(`${type} is an invalid volume type`);
  }
  return { name, tree: ctx.hostFs, root: path };
}

function claimVolume(name: string, ctx: VolumeContext, pod: Obj, claimName: string): MountedVolume {
  const ns = pod.metadata.namespace;
  const pvc = ctx.api.getByResource('persistentvolumeclaims', '', ns, claimName);
  const prefix = `Unable to attach or mount volumes: unmounted volumes=[${name}], unattached volumes=[], failed to process volumes=[${name}]: error processing PVC ${ns}/${claimName}`;
  if (!pvc) throw new MountError(`${prefix}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`, 'unable');
  const phase = pvc.status?.phase ?? 'Pending';
  if (phase !== 'Bound' || !pvc.spec?.volumeName)
    throw new MountError(`${prefix}: PVC ${ns}/${claimName} has non-bound phase ("${phase}") or empty pvc.Spec.VolumeName ("${pvc.spec?.volumeName ?? ''}")`, 'unable');
  const pv = ctx.api.getByResource('persistentvolumes', '', undefined, pvc.spec.volumeName);
  if (!pv) throw new MountError(`${prefix}: failed to fetch PV ${pvc.spec.volumeName} from API server: persistentvolumes "${pvc.spec.volumeName}" not found`, 'unable');
  const local = pv.spec?.hostPath ?? pv.spec?.local;
  if (local) {
    if (pv.spec.hostPath) return hostPathVolume(name, ctx, { path: local.path, type: pv.spec.hostPath.type ?? '' });
    if (!ctx.hostFs.stat(local.path)) throw new MountError(`path "${local.path}" does not exist`);
    return { name, tree: ctx.hostFs, root: local.path };
  }
  return { name, tree: ctx.storage.volume(pv.metadata.name), root: '/' };
}

/** Sets up one volume of `pod`; throws MountError with the kubelet's message when it cannot. */
function setUpVolume(ctx: VolumeContext, pod: Obj, podIP: string | undefined, v: Obj): MountedVolume {
  const ns = pod.metadata.namespace;
  if (v.emptyDir) {
    const tree = new FileTree(ctx.now);
    return { name: v.name, tree, root: '/' };
  }
  if (v.hostPath) return hostPathVolume(v.name, ctx, v.hostPath);
  if (v.configMap) return generatedVolume(v.name, ctx, pod, (_p) => withPayload((out) => configMapPayload(ctx, ns, v.configMap, v.configMap.defaultMode, out)));
  if (v.secret) return generatedVolume(v.name, ctx, pod, (_p) => withPayload((out) => secretPayload(ctx, ns, v.secret.secretName, v.secret, v.secret.defaultMode, out)));
  if (v.downwardAPI) return generatedVolume(v.name, ctx, pod, (p) => withPayload((out) => downwardPayload(ctx, p, podIP, v.downwardAPI, v.downwardAPI.defaultMode, out)));
  if (v.projected) return generatedVolume(v.name, ctx, pod, (p, prev) => withPayload((out) => projectedPayload(ctx, p, podIP, v.projected, prev, out)));
  if (v.persistentVolumeClaim) return claimVolume(v.name, ctx, pod, v.persistentVolumeClaim.claimName);
  // Other in-tree and CSI sources behave as network storage owned by the pod's volume.
  return { name: v.name, tree: ctx.storage.volume(`${pod.metadata.uid}/${v.name}`), root: '/' };
}

function withPayload(fill: (out: Payload) => void): Payload {
  const out: Payload = new Map();
  fill(out);
  return out;
}

export interface SetUpResult {
  volumes: Map<string, MountedVolume>;
  failures: MountFailure[];
}

/**
 * Sets up every volume of `pod` not yet in `existing`. Failures carry the event text the kubelet
 * reports: `MountVolume.SetUp failed for volume "x" : ...` or, for claims it cannot process,
 * `Unable to attach or mount volumes: ...`.
 */
export function setUpVolumes(ctx: VolumeContext, pod: Obj, podIP: string | undefined, existing: Map<string, MountedVolume>): SetUpResult {
  const failures: MountFailure[] = [];
  for (const v of (pod.spec?.volumes ?? []) as Obj[]) {
    if (existing.has(v.name)) continue;
    try {
      existing.set(v.name, setUpVolume(ctx, pod, podIP, v));
    } catch (err) {
      if (!(err instanceof MountError) && !(err instanceof FsFailure)) throw err;
      const message = err instanceof MountError && err.kind === 'unable' ? err.message : `MountVolume.SetUp failed for volume "${v.name}" : ${err.message}`;
      failures.push({ volume: v.name, message });
    }
  }
  return { volumes: existing, failures };
}

/** The mounts a container gets: its volumeMounts (with subPath) and the kubelet-managed /etc files. */
export function containerMounts(container: Obj, volumes: Map<string, MountedVolume>, podFiles: FileTree): Mount[] {
  const mounts: Mount[] = [
    { path: '/etc/hosts', tree: podFiles, root: '/etc-hosts', readOnly: false },
    { path: '/etc/hostname', tree: podFiles, root: '/etc-hostname', readOnly: false },
    { path: '/etc/resolv.conf', tree: podFiles, root: '/resolv.conf', readOnly: false },
  ];
  for (const m of (container.volumeMounts ?? []) as Obj[]) {
    const v = volumes.get(m.name);
    if (!v) continue;
    let tree = v.tree;
    let root = v.root;
    if (m.subPath) {
      const sub = `${root === '/' ? '' : root}/${m.subPath}`;
      if (v.refresh) {
        // A subPath of a generated volume is bound to the file as it is now: later updates do not reach it.
        const snapshot = new FileTree(() => 0);
        const entry = tree.stat(sub);
        if (entry?.kind === 'file') snapshot.write(`/${basename(sub)}`, entry.content, { mode: entry.mode });
        else snapshot.mkdir(`/${basename(sub)}`);
        tree = snapshot;
        root = `/${basename(sub)}`;
      } else {
        if (!tree.stat(sub)) tree.mkdir(sub, { parents: true });
        root = sub;
      }
    }
    mounts.push({ path: m.mountPath, tree, root, readOnly: !!m.readOnly || !!v.readOnly });
  }
  return mounts;
}
