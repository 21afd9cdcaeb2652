/**
 * The kubeconfig kubectl reads, as clientcmd's loading rules find it: --kubeconfig, else the
 * files in $KUBECONFIG (merged, the first setting of each value wins; writes go to the first),
 * else ~/.kube/config. Without files (a bare client) there is no kubeconfig and the context's
 * namespace is the caller's default.
 */
import { parse as parseYaml } from 'yaml';
import { CommandError, FileAccessError, type KubectlContext } from './context';
import { toYaml } from './printers';

export interface KubeconfigContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
}

export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  preferences: Record<string, unknown>;
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: KubeconfigContextEntry }[];
  'current-context': string;
  [key: string]: unknown;
}

export interface LoadedKubeconfig {
  config: Kubeconfig;
  /** Where `kubectl config` writes: --kubeconfig, the first $KUBECONFIG file, or ~/.kube/config. */
  path: string | undefined;
  /** Whether any file was found. */
  found: boolean;
}

export function emptyKubeconfig(): Kubeconfig {
  return { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [], 'current-context': '' };
}

function homeConfigPath(ctx: KubectlContext): string {
  return `${ctx.env?.get('HOME') ?? '/root'}/.kube/config`;
}

/** Reads and merges the kubeconfig files that apply to this invocation. */
export function loadKubeconfig(ctx: KubectlContext, explicitPath: string): LoadedKubeconfig {
  const files = ctx.files;
  if (!files) return { config: emptyKubeconfig(), path: undefined, found: false };
  const fromEnv = (ctx.env?.get('KUBECONFIG') ?? '').split(':').filter(Boolean);
  const paths = explicitPath ? [explicitPath] : fromEnv.length ? fromEnv : [homeConfigPath(ctx)];
  const merged = emptyKubeconfig();
  let found = false;
  for (const path of paths) {
    let text: string;
    try {
      text = files.read(path);
    } catch (err) {
      if (!(err instanceof FileAccessError)) throw err;
      // An explicit --kubeconfig that is missing is an error; missing $KUBECONFIG entries are skipped.
      if (explicitPath) throw new CommandError(`error: stat ${path}: no such file or directory`);
      continue;
    }
    found = true;
    let doc: Partial<Kubeconfig>;
    try {
      doc = (parseYaml(text) ?? {}) as Partial<Kubeconfig>;
    } catch (err) {
      throw new CommandError(`error: error loading config file "${path}": ${(err as Error).message.split('\n')[0]}`);
    }
    const mergeNamed = <T extends { name: string }>(into: T[], from: T[] | undefined) => {
      for (const e of from ?? []) if (!into.some((x) => x.name === e.name)) into.push(e);
    };
    mergeNamed(merged.clusters, doc.clusters);
    mergeNamed(merged.users, doc.users);
    mergeNamed(merged.contexts, doc.contexts);
    if (!merged['current-context'] && doc['current-context']) merged['current-context'] = doc['current-context'];
    if (doc.preferences) merged.preferences = { ...doc.preferences, ...merged.preferences };
  }
  return { config: merged, path: paths[0], found };
}

/** Writes a kubeconfig back as kubectl does (YAML, keys in kubectl's order). */
export function saveKubeconfig(ctx: KubectlContext, path: string, config: Kubeconfig): void {
  if (!ctx.files) throw new CommandError('error: no kubeconfig file can be written here');
  const ordered = {
    apiVersion: config.apiVersion || 'v1',
    clusters: config.clusters,
    contexts: config.contexts,
    'current-context': config['current-context'],
    kind: config.kind || 'Config',
    preferences: config.preferences ?? {},
    users: config.users,
  };
  ctx.files.write(path, toYaml(ordered));
}

/**
 * The namespace a command works in: -n, else the chosen context's namespace, else the caller's
 * default. `--context` names a context that must exist.
 */
export function resolveNamespace(ctx: KubectlContext, loaded: LoadedKubeconfig, flags: { namespace: string; context: string }): string {
  if (flags.namespace) return flags.namespace;
  const name = flags.context || loaded.config['current-context'];
  if (flags.context && loaded.found && !loaded.config.contexts.some((c) => c.name === flags.context))
    throw new CommandError(`error: context was not found for specified context: ${flags.context}`);
  const context = loaded.config.contexts.find((c) => c.name === name)?.context;
  return context?.namespace || ctx.namespace || 'default';
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of the text's UTF-8 bytes (how []byte fields are written). */
export function base64(text: string): string {
  const bytes: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}

/** A PEM block whose body is filler drawn from `seed` (the simulation has no real keys). */
export function pemBlock(type: string, seed: string, bodyLength: number, prefix = ''): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let body = prefix;
  while (body.length < bodyLength) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 3266489909) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    body += B64[h & 63];
  }
  return `-----BEGIN ${type}-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${type}-----\n`;
}

/**
 * The admin kubeconfig kubeadm init writes to /etc/kubernetes/admin.conf (and the guide copies to
 * ~/.kube/config): cluster `kubernetes`, user `kubernetes-admin`, context
 * `kubernetes-admin@kubernetes`, certificates embedded.
 */
export function kubeadmAdminKubeconfig(o: { server: string; caPem: string; seed?: string }): string {
  const seed = o.seed ?? o.server;
  const cert = pemBlock('CERTIFICATE', `${seed}/admin.crt`, 1040, 'MIIDKTCCAhGgAwIBAgII');
  const key = pemBlock('RSA PRIVATE KEY', `${seed}/admin.key`, 1588, 'MIIEowIBAAKCAQEA');
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${base64(o.caPem)}
    server: ${o.server}
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: ${base64(cert)}
    client-key-data: ${base64(key)}
`;
}

/**
 * --as, --as-group and --as-uid: a client whose requests carry the identity to impersonate (the
 * HTTP client sends it as Impersonate-* headers). Groups or a uid without --as are refused as
 * client-go refuses them, naming the kubeconfig user.
 */
export function impersonation(
  ctx: KubectlContext,
  loaded: LoadedKubeconfig,
  flags: { as: string; groups: string[]; uid: string; context: string; user: string },
): KubectlContext['client'] {
  if (!flags.as) {
    if (flags.groups.length || flags.uid) {
      const context = loaded.config.contexts.find((c) => c.name === (flags.context || loaded.config['current-context']))?.context;
      const user = flags.user || context?.user || '';
      throw new CommandError(`error: requesting uid, groups or user-extra for ${user} without impersonating a user`);
    }
    return ctx.client;
  }
  const impersonate = { username: flags.as, ...(flags.groups.length ? { groups: flags.groups } : {}), ...(flags.uid ? { uid: flags.uid } : {}) };
  const client = ctx.client;
  const wrapped = Object.create(client) as KubectlContext['client'];
  wrapped.request = (req) => client.request({ ...req, impersonate });
  wrapped.watch = (req, onEvent, onClose) => client.watch({ ...req, impersonate }, onEvent, onClose);
  wrapped.stream = (req, onData, onClose) => client.stream({ ...req, impersonate }, onData, onClose);
  return wrapped;
}
