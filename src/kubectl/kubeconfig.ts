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
