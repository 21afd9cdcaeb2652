/**
 * The kubeconfig as clientcmd holds it in memory: clusters, users and contexts as maps by name
 * (so output lists them sorted by name), and its v1 serialisation as kubectl writes and prints it:
 * YAML with sorted keys, JSON in the Go structs' field order.
 */
import { parse as parseYaml } from 'yaml';
import { CommandError, FileAccessError, type KubectlContext } from '../../context';
import { toYaml } from '../../printers';

type Obj = Record<string, unknown>;

export interface ConfigModel {
  clusters: Map<string, Obj>;
  users: Map<string, Obj>;
  contexts: Map<string, Obj>;
  currentContext: string;
  preferences: Obj;
  extensions?: unknown[];
}

export function emptyModel(): ConfigModel {
  return { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: '', preferences: {} };
}

/** The files this invocation reads (--kubeconfig, $KUBECONFIG's list, ~/.kube/config) and the one it writes. */
export interface ConfigAccess {
  paths: string[];
  explicit: boolean;
  /** Where writes go, as kubectl names it in messages. */
  destination: string;
}

export function configAccess(ctx: KubectlContext, explicitPath: string): ConfigAccess {
  if (explicitPath) return { paths: [explicitPath], explicit: true, destination: explicitPath };
  const fromEnv = (ctx.env?.get('KUBECONFIG') ?? '').split(':').filter(Boolean);
  const home = `${ctx.env?.get('HOME') ?? '/root'}/.kube/config`;
  const paths = fromEnv.length ? fromEnv : [home];
  return { paths, explicit: false, destination: paths[0]! };
}

function readText(ctx: KubectlContext, path: string, explicit: boolean): string | undefined {
  if (!ctx.files) return undefined;
  try {
    return ctx.files.read(path);
  } catch (err) {
    if (!(err instanceof FileAccessError)) throw err;
    if (explicit) throw new CommandError(`error: stat ${path}: no such file or directory`);
    return undefined;
  }
}

function named(list: unknown, field: string): [string, Obj][] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Obj => !!e && typeof e === 'object')
    .map((e) => [String(e.name ?? ''), { ...((e[field] as Obj | undefined) ?? {}) }] as [string, Obj]);
}

export function parseConfig(text: string, path: string): ConfigModel {
  let doc: Obj;
  try {
    doc = (parseYaml(text) ?? {}) as Obj;
  } catch (err) {
    throw new CommandError(`error: error loading config file "${path}": ${(err as Error).message.split('\n')[0]}`);
  }
  const model = emptyModel();
  for (const [n, c] of named(doc.clusters, 'cluster')) model.clusters.set(n, c);
  for (const [n, u] of named(doc.users, 'user')) model.users.set(n, u);
  for (const [n, c] of named(doc.contexts, 'context')) model.contexts.set(n, c);
  model.currentContext = String(doc['current-context'] ?? '');
  if (doc.preferences && typeof doc.preferences === 'object') model.preferences = doc.preferences as Obj;
  if (Array.isArray(doc.extensions)) model.extensions = doc.extensions;
  return model;
}

/** The merged configuration: the first file to set a value wins. */
export function loadModel(ctx: KubectlContext, access: ConfigAccess): ConfigModel {
  const merged = emptyModel();
  for (const path of access.paths) {
    const text = readText(ctx, path, access.explicit);
    if (text === undefined) continue;
    const m = parseConfig(text, path);
    for (const key of ['clusters', 'users', 'contexts'] as const) for (const [n, v] of m[key]) if (!merged[key].has(n)) merged[key].set(n, v);
    if (!merged.currentContext) merged.currentContext = m.currentContext;
    merged.preferences = { ...m.preferences, ...merged.preferences };
  }
  return merged;
}

/** The configuration of the file kubectl writes to (clientcmd's ModifyConfig, for one file). */
export function loadDestination(ctx: KubectlContext, access: ConfigAccess): ConfigModel {
  if (access.paths.length === 1) return loadModel(ctx, access);
  const text = readText(ctx, access.destination, false);
  return text === undefined ? emptyModel() : parseConfig(text, access.destination);
}

export function saveModel(ctx: KubectlContext, access: ConfigAccess, model: ConfigModel): void {
  if (!ctx.files) throw new CommandError('error: no kubeconfig file can be written here');
  ctx.files.write(access.destination, toYaml(toV1(model)));
}

const CLUSTER_FIELDS = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'];
const USER_FIELDS = ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions'];
const CONTEXT_FIELDS = ['cluster', 'user', 'namespace', 'extensions'];

/** Fields the v1 types always write (no omitempty). */
const REQUIRED = new Set(['server', 'cluster', 'user']);

function ordered(o: Obj, fields: string[]): Obj {
  const out: Obj = {};
  for (const f of fields) {
    if (o[f] !== undefined && o[f] !== '' && o[f] !== false) out[f] = o[f];
    else if (REQUIRED.has(f)) out[f] = typeof o[f] === 'string' ? o[f] : '';
  }
  for (const k of Object.keys(o)) if (!(k in out) && !fields.includes(k) && o[k] !== undefined) out[k] = o[k];
  return out;
}

function sortedEntries(m: Map<string, Obj>): [string, Obj][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The v1 Config object, in the Go struct's field order (JSON keeps it; YAML sorts). */
export function toV1(model: ConfigModel): Obj {
  const list = (m: Map<string, Obj>, field: string, fields: string[]) =>
    m.size ? sortedEntries(m).map(([name, v]) => ({ name, [field]: ordered(v, fields) })) : null;
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: model.preferences,
    clusters: list(model.clusters, 'cluster', CLUSTER_FIELDS),
    users: list(model.users, 'user', USER_FIELDS),
    contexts: list(model.contexts, 'context', CONTEXT_FIELDS),
    'current-context': model.currentContext,
    ...(model.extensions ? { extensions: model.extensions } : {}),
  };
}

/** `-o json` as kubectl prints a kubeconfig: Go field order, four-space indentation, HTML-safe escapes. */
export function configJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export { base64 } from '../../kubeconfig';
