/**
 * What the workload verbs act on, as kubectl's resource builder with `.Latest().Flatten()` gives
 * it: TYPE NAME / TYPE/NAME arguments, -f manifests, or every object of a type (optionally under a
 * label selector), each read fresh from the server. Plus the small pieces these verbs share:
 * Go's text/tabwriter with any settings, watching one object, the name printer.
 */
import type { KubeObject, WatchEventObject } from '../../../sim';
import { isWatchHandle } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath, type ApiResource } from '../../discovery';
import { expectOk, responseError } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import { manifestTargets, NO_RESOURCES, readManifests, resourceArgs } from '../../resource';

export interface Info {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
  object: KubeObject;
}

export interface TargetOptions {
  selector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  /** Names without a type are allowed to mean "every object of the type" (ResourceTypeOrNameArgs(true, …)). */
  allowEmptySelector?: boolean;
  /** Objects that do not exist are reported and skipped (ContinueOnError); the exit code is 1. */
  continueOnError?: boolean;
}

export interface Infos {
  infos: Info[];
  /** Errors met while resolving (already formatted as kubectl prints them). */
  errors: string[];
}

/** The -f/-R/-k flags' values. */
export function filenames(args: ParsedArgs): { files: string[]; recursive: boolean } {
  return { files: (args.flags.get('filename') as string[] | undefined) ?? [], recursive: (args.flags.get('recursive') as boolean | undefined) ?? false };
}

export async function collectInfos(args: ParsedArgs, ctx: KubectlContext, positional: readonly string[], o: TargetOptions = {}): Promise<Infos> {
  const { files, recursive } = filenames(args);
  const enforce = args.changed.has('namespace');
  const errors: string[] = [];
  const infos: Info[] = [];
  const selector = o.selector ?? '';
  if (positional.length === 0 && files.length === 0) throw new CommandError(NO_RESOURCES);
  if (files.length > 0) {
    const targets = await manifestTargets(ctx, readManifests(ctx, files, recursive), ctx.namespace, enforce);
    for (const t of targets) await fetchOne(ctx, t.resource, t.namespace, t.name, infos, errors);
  }
  if (positional.length > 0) {
    const { types, targets } = await resourceArgs(ctx, positional, ctx.namespace);
    if (targets.length > 0 && (selector || o.all)) throw new CommandError('error: when specifying a selector, you may not also specify resource names');
    for (const t of targets) await fetchOne(ctx, t.resource, t.namespace, t.name, infos, errors);
    if (types.length > 0 && !selector && !o.all && !o.allowEmptySelector)
      throw new CommandError(`error: resource(s) were provided, but no name was specified`);
    for (const type of types) {
      const path = resourcePath(type, o.allNamespaces ? undefined : ctx.namespace);
      const res = await ctx.client.request({ method: 'GET', path, ...(selector ? { query: { labelSelector: selector } } : {}) });
      if (res.status >= 400) {
        errors.push(responseError(res));
        continue;
      }
      for (const object of (res.body as { items: KubeObject[] }).items)
        infos.push({ resource: type, namespace: object.metadata.namespace, name: object.metadata.name!, object: withKind(object, type) });
    }
  }
  if (!o.continueOnError && errors.length > 0) throw new CommandError(errors.join('\n'));
  return { infos, errors };
}

async function fetchOne(ctx: KubectlContext, resource: ApiResource, namespace: string | undefined, name: string, infos: Info[], errors: string[]): Promise<void> {
  const res = await ctx.client.request({ method: 'GET', path: resourcePath(resource, namespace, name) });
  if (res.status >= 400) errors.push(responseError(res));
  else infos.push({ resource, namespace, name, object: withKind(res.body as KubeObject, resource) });
}

function withKind(object: KubeObject, r: ApiResource): KubeObject {
  return { ...object, apiVersion: object.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version), kind: object.kind ?? r.kind };
}

/** `deployment.apps/web paused`: kubectl's name printer with an operation. */
export function nameLine(info: Pick<Info, 'resource' | 'name'>, operation: string): string {
  return `${qualifiedKind(info.resource)}/${info.name}${operation ? ` ${operation}` : ''}\n`;
}

/** `deployments.apps`: the resource's plural with its group, as kubectl's error messages name it. */
export function groupResource(r: ApiResource): string {
  return r.group ? `${r.name}.${r.group}` : r.name;
}

/**
 * Go's text/tabwriter: cells end at tabs; a column is as wide as its widest cell (at least
 * `minWidth`) plus `padding`. Only cells terminated by a tab count; the rest of a line is free text.
 */
export function tabbed(text: string, minWidth: number, padding: number): string {
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  const cells = lines.map((l) => l.split('\t'));
  // A column block is a run of consecutive lines that have that column; widths are per block.
  const out = cells.map((c) => c.slice());
  const format = (col: number, from: number, to: number) => {
    let i = from;
    while (i < to) {
      if (cells[i]!.length - 1 <= col) {
        i++;
        continue;
      }
      let j = i;
      let width = minWidth;
      while (j < to && cells[j]!.length - 1 > col) {
        width = Math.max(width, [...cells[j]![col]!].length + padding);
        j++;
      }
      for (let k = i; k < j; k++) out[k]![col] = cells[k]![col]! + ' '.repeat(width - [...cells[k]![col]!].length);
      format(col + 1, i, j);
      i = j;
    }
  };
  format(0, 0, cells.length);
  return out.map((c) => c.join('')).join('\n') + (trailing !== undefined ? '\n' : '');
}

/**
 * Watches one object by name from after `resourceVersion` (list then watch, as UntilWithSync):
 * `onEvent` sees the listed object as ADDED first. Returns a stop function.
 */
export async function watchObject(
  ctx: KubectlContext,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  onEvent: (event: WatchEventObject) => void,
): Promise<() => void> {
  const fieldSelector = `metadata.name=${name}`;
  const path = resourcePath(resource, namespace);
  const list = expectOk<{ metadata: { resourceVersion: string }; items: KubeObject[] }>(await ctx.client.request({ method: 'GET', path, query: { fieldSelector } }));
  for (const item of list.items) onEvent({ type: 'ADDED', object: withKind(item, resource) });
  const handle = await ctx.client.watch({ method: 'GET', path, query: { fieldSelector, resourceVersion: list.metadata.resourceVersion, watch: 'true', allowWatchBookmarks: 'true' } }, (e) => {
    if (e.type === 'BOOKMARK') return;
    onEvent(e.type === 'ERROR' ? e : { type: e.type, object: withKind(e.object as KubeObject, resource) });
  });
  if (!isWatchHandle(handle)) throw new CommandError(responseError(handle));
  return () => handle.stop();
}

/** Waits on the context's clock (a clock-less context cannot wait: it times out at once). */
export async function waitFor(ctx: KubectlContext, done: () => boolean, timeoutMs: number | undefined): Promise<'done' | 'timeout' | 'interrupted'> {
  if (done()) return 'done';
  if (!ctx.clock) return 'timeout';
  return ctx.clock.waitUntil(done, timeoutMs, ctx.signal);
}

/** RFC 3339 seconds, as Go's time.Format(time.RFC3339) in UTC. */
export function rfc3339Seconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `Deployment.apps`, `Pod`: schema.GroupKind's String(). */
export function groupKind(info: Pick<Info, 'resource'>): string {
  return info.resource.group ? `${info.resource.kind}.${info.resource.group}` : info.resource.kind;
}

/** A deep copy of JSON data. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * An error list as kubectl's CheckErr prints a utilerrors.Aggregate: one error gets the "error: "
 * prefix, several are printed one per line without it.
 */
export function aggregateError(errors: readonly string[]): CommandError {
  if (errors.length === 1) return new CommandError(errors[0]!.startsWith('error: ') || errors[0]!.startsWith('Error from server') ? errors[0]! : `error: ${errors[0]}`);
  return new CommandError(errors.join('\n'));
}
