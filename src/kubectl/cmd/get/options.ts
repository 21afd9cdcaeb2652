/** kubectl get's options and what its arguments name (shared by get and its watch). */
import { CommandError, type KubectlContext } from '../../context';
import type { ApiResource } from '../../discovery';
import type { OutputOptions } from '../../printers';
import { manifestTargets, readManifests, resourceArgs, type Target } from '../../resource';

export interface GetOptions {
  args: string[];
  filenames: string[];
  recursive: boolean;
  namespace: string;
  explicitNamespace: boolean;
  allNamespaces: boolean;
  output: OutputOptions;
  /** Table output (default or wide). */
  human: boolean;
  wide: boolean;
  selector: string;
  fieldSelector: string;
  showLabels: boolean;
  labelColumns: string[];
  noHeaders: boolean;
  ignoreNotFound: boolean;
  showKind: boolean;
  sortBy: string;
  watch: boolean;
  watchOnly: boolean;
  outputWatchEvents: boolean;
  raw: string;
  chunkSize: number;
  subresource: string;
}

/** What the arguments name, as kubectl's builder visits it: types to list and objects to get. */
export async function requests(ctx: KubectlContext, o: GetOptions): Promise<{ lists: ApiResource[]; targets: Target[]; single: boolean }> {
  if (o.filenames.length > 0) {
    if (o.args.length > 0) throw new CommandError(`error: Unexpected args: [${o.args.join(' ')}]\nSee 'kubectl get -h' for help and examples`);
    const manifests = readManifests(ctx, o.filenames, o.recursive);
    const targets = await manifestTargets(ctx, manifests, o.namespace, o.explicitNamespace);
    return { lists: [], targets, single: targets.length === 1 && o.filenames.length === 1 && ctx.files?.stat(o.filenames[0]!) === 'file' };
  }
  const parsed = await resourceArgs(ctx, o.args, o.namespace);
  if (parsed.targets.length > 0 && (o.selector || o.fieldSelector)) throw new CommandError('error: name cannot be provided when a selector is specified');
  const slashed = o.args.some((a) => a.includes('/'));
  const single = parsed.targets.length === 1 && (slashed || !o.args[0]!.includes(','));
  return { lists: parsed.types, targets: parsed.targets, single };
}

