/**
 * Pieces many verbs share, as kubectl's cmdutil: the -f flags, --dry-run, "created"/"configured"
 * lines, and turning a server error into kubectl's message.
 */
import type { ApiResponse, Status } from '../sim';
import { CommandError, type KubectlContext } from './context';
import { qualifiedKind } from './discovery';
import { isStatus, serverErrorMessage } from './errors';
import type { FlagSpec, ParsedArgs } from './flags';

/** -f / -R / -k, worded for the verb (`"to apply"`, `"containing the resource to delete"`…). */
export function filenameFlags(purpose: string): FlagSpec[] {
  return [
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: `${purpose}` },
    { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process the kustomization directory. This flag can't be used together with -f or -R." },
  ];
}

export const DRY_RUN_FLAG: FlagSpec = {
  name: 'dry-run',
  type: 'string',
  default: 'none',
  noOptDefault: 'unchanged',
  usage: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.',
};

export type DryRun = 'none' | 'client' | 'server';

/** --dry-run's strategy; a bare `--dry-run` still means client, with kubectl's deprecation warning. */
export function dryRunStrategy(args: ParsedArgs, ctx: KubectlContext): DryRun {
  const value = args.flags.get('dry-run') as string | undefined;
  switch (value ?? 'none') {
    case 'unchanged':
      ctx.stderr(`W${klogStamp(ctx)} helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.\n`);
      return 'client';
    case 'none':
    case 'false':
      return 'none';
    case 'client':
    case 'true':
      return 'client';
    case 'server':
      return 'server';
    default:
      throw new CommandError(`error: Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
}

/** klog's `MMDD hh:mm:ss.uuuuuu pid` header, from the context's clock. */
export function klogStamp(ctx: KubectlContext): string {
  const d = new Date(ctx.clock?.now() ?? 0);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}   12345`;
}

export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}

/** `deployment.apps/web created`, `pod/x deleted (dry run)`. */
export function operationLine(resource: { kind: string; group: string }, name: string, operation: string, dryRun: DryRun = 'none'): string {
  return `${qualifiedKind(resource)}/${name} ${operation}${dryRunSuffix(dryRun)}\n`;
}

/** The response body when the request succeeded; kubectl's error message otherwise. */
export function expectOk<T = unknown>(res: ApiResponse): T {
  if (res.status < 400) return res.body as T;
  throw new CommandError(responseError(res));
}

/** `Error from server (NotFound): …`, as kubectl prints a failed request. */
export function responseError(res: ApiResponse): string {
  if (isStatus(res.body)) return serverErrorMessage(res.body as Status);
  return `Error from server: ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`;
}

/** Warnings the server sent with a response, as kubectl prints them. */
export function printWarnings(ctx: KubectlContext, res: ApiResponse): void {
  for (const w of res.warnings ?? []) ctx.stderr(`Warning: ${w}\n`);
}
