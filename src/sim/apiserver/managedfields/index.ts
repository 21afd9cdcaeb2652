/**
 * managedFields bookkeeping and server-side apply: who owns which fields, ownership moving
 * with updates, apply merging the applied configuration and removing what its manager dropped,
 * and conflicts reported as kube-apiserver reports them.
 */
import { trackUpdateFast } from './track';
import { childOf, fromFieldsV1, leafPaths, listInfo, objectPaths, pathKey, pathString, toFieldsV1, valueAt, type Path, type Shape } from './fieldset';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type { Shape } from './fieldset';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Obj;
  subresource?: string;
}

export interface Conflict {
  manager: ManagedFieldsEntry;
  path: Path;
}

export class ApplyConflictError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflictMessage(conflicts));
  }
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** getConflictMessage in k8s.io/apiserver's fieldmanager. */
export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.manager)}: ${pathString(conflicts[0]!.path)}`;
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) {
    const m = printManager(c.manager);
    byManager.set(m, [...(byManager.get(m) ?? []), c.path]);
  }
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of byManager.get(m)!) lines.push(`- ${pathString(p)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

function entries(obj: Obj): ManagedFieldsEntry[] {
  return (obj.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sectionOf(subresource: string | undefined): 'main' | 'status' {
  return subresource === 'status' ? 'status' : 'main';
}

/**
 * Records an Update by `manager`: it takes ownership of every field whose value it changed;
 * other managers lose those fields. Returns true when some field of the section certainly
 * changed (the objects differ), false when that is not known.
 */
export function trackUpdate(
  obj: Obj,
  old: Obj | undefined,
  manager: string,
  apiVersion: string,
  time: string,
  shape: Shape,
  subresource?: string,
): boolean {
  const result = trackUpdateFast(obj, old, entries(old ?? obj), manager, apiVersion, time, shape, subresource);
  if (!result) {
    trackUpdatePaths(obj, old, manager, apiVersion, time, shape, subresource);
    return false;
  }
  obj.metadata = obj.metadata ?? {};
  if (result.entries.length) obj.metadata.managedFields = result.entries;
  else delete obj.metadata.managedFields;
  return result.changed;
}

/** trackUpdate by listing every path of both objects: the reference the fast path agrees with. */
export function trackUpdatePaths(
  obj: Obj,
  old: Obj | undefined,
  manager: string,
  apiVersion: string,
  time: string,
  shape: Shape,
  subresource?: string,
): void {
  const section = sectionOf(subresource);
  const now = objectPaths(obj, shape, section);
  const nowKeys = new Set(now.map(pathKey));
  const changed = now.filter((p) => !old || !sameValue(valueAt(obj, p), valueAt(old, p)));
  const removedKeys = new Set(
    old ? objectPaths(old, shape, section).map(pathKey).filter((k) => !nowKeys.has(k)) : [],
  );
  const changedKeys = new Set(changed.map(pathKey));
  const result: ManagedFieldsEntry[] = [];
  let mine: ManagedFieldsEntry | undefined;
  for (const e of entries(old ?? obj)) {
    const isMine = e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '');
    const kept = fromFieldsV1(e.fieldsV1).filter((p) => !removedKeys.has(pathKey(p)) && (isMine || !changedKeys.has(pathKey(p))));
    if (isMine) {
      mine = e;
      const merged = new Map(kept.map((p) => [pathKey(p), p]));
      for (const p of changed) merged.set(pathKey(p), p);
      const paths = [...merged.values()];
      const same = sameValue(toFieldsV1(paths), e.fieldsV1);
      if (paths.length) result.push({ ...e, fieldsV1: toFieldsV1(paths), ...(same ? {} : { time, apiVersion }) });
      continue;
    }
    if (kept.length) result.push(sameValue(toFieldsV1(kept), e.fieldsV1) ? e : { ...e, fieldsV1: toFieldsV1(kept) });
  }
  if (!mine && changed.length) {
    result.push({ manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(changed), ...(subresource ? { subresource } : {}) });
  }
  obj.metadata = obj.metadata ?? {};
  if (result.length) obj.metadata.managedFields = result;
  else delete obj.metadata.managedFields;
}

function isObject(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Merges an applied configuration into the live object, following the schema's list types. */
function mergeApplied(live: unknown, applied: unknown, shape: Shape): unknown {
  if (Array.isArray(applied)) {
    const list = listInfo(shape);
    if (!list || list.type === 'atomic' || !Array.isArray(live)) return applied;
    if (list.type === 'set') {
      const out = [...live];
      for (const v of applied) if (!out.some((x) => sameValue(x, v))) out.push(v);
      return out;
    }
    const out = [...live];
    for (const item of applied) {
      const idx = out.findIndex((x) => list.keys.every((k) => (x as Obj)?.[k] === (item as Obj)?.[k]));
      if (idx >= 0) out[idx] = mergeApplied(out[idx], item, list.items);
      else out.push(item);
    }
    return out;
  }
  if (isObject(applied)) {
    const out: Obj = isObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) out[k] = mergeApplied(out[k], v, childOf(shape, k));
    return out;
  }
  return applied;
}

function removePath(obj: Obj, path: Path): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if ('f' in last && isObject(parent)) delete parent[last.f];
  else if (Array.isArray(parent)) {
    const idx =
      'k' in last
        ? parent.findIndex((x) => Object.entries(last.k).every(([k, v]) => (x as Obj)?.[k] === v))
        : 'v' in last
          ? parent.findIndex((x) => sameValue(x, last.v))
          : -1;
    if (idx >= 0) parent.splice(idx, 1);
  }
}

/**
 * Server-side apply of `applied` (the manager's whole intent) onto `live` (undefined to create).
 * Throws ApplyConflictError unless `force`. Returns the merged object with managedFields.
 */
export function apply(live: Obj | undefined, applied: Obj, manager: string, force: boolean, apiVersion: string, time: string, shape: Shape, subresource?: string): Obj {
  const section = sectionOf(subresource);
  const appliedPaths = objectPaths(applied, shape, section);
  const appliedKeys = new Set(appliedPaths.map(pathKey));
  const existing = live ? entries(live) : [];
  const isMine = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === (subresource ?? '');

  // Conflicts: fields this apply would change that another manager owns.
  const conflicts: Conflict[] = [];
  const forcedAway = new Set<string>();
  if (live) {
    for (const e of existing) {
      if (isMine(e) || (e.subresource ?? '') !== (subresource ?? '')) continue;
      for (const p of fromFieldsV1(e.fieldsV1)) {
        const key = pathKey(p);
        if (!appliedKeys.has(key)) continue;
        const last = p[p.length - 1];
        if (last && 'k' in last && valueAt(applied, p) !== undefined && valueAt(live, p) !== undefined) continue;
        if (!sameValue(valueAt(live, p), valueAt(applied, p))) {
          conflicts.push({ manager: e, path: p });
          forcedAway.add(`${e.manager}\u0000${key}`);
        }
      }
    }
    if (conflicts.length && !force) throw new ApplyConflictError(conflicts);
  }

  const { metadata: appliedMeta, ...appliedRest } = applied;
  const base: Obj = live ? JSON.parse(JSON.stringify(live)) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  const merged = mergeApplied(base, appliedRest, shape) as Obj;
  const metaPatch = Object.fromEntries(Object.entries((appliedMeta ?? {}) as Obj).filter(([k]) => !['managedFields', 'resourceVersion'].includes(k)));
  merged.metadata = mergeApplied(base.metadata ?? {}, metaPatch, childOf(shape, 'metadata')) as Obj;
  if (appliedMeta?.resourceVersion) merged.metadata.resourceVersion = appliedMeta.resourceVersion;

  // Fields this manager applied before but no longer does are removed unless someone else owns them.
  const previous = existing.find(isMine);
  const othersOwn = new Set<string>();
  for (const e of existing) if (!isMine(e)) for (const p of fromFieldsV1(e.fieldsV1)) if (!forcedAway.has(`${e.manager}\u0000${pathKey(p)}`)) othersOwn.add(pathKey(p));
  if (previous) {
    const dropped = fromFieldsV1(previous.fieldsV1).filter((p) => !appliedKeys.has(pathKey(p)) && !othersOwn.has(pathKey(p)));
    // Deepest first, so list elements go after their fields.
    for (const p of dropped.sort((a, b) => b.length - a.length)) removePath(merged, p);
  }

  const result: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const e of existing) {
    if (isMine(e)) {
      result.push({ ...e, apiVersion, time, fieldsV1: toFieldsV1(appliedPaths) });
      placed = true;
      continue;
    }
    const kept = fromFieldsV1(e.fieldsV1).filter((p) => !forcedAway.has(`${e.manager}\u0000${pathKey(p)}`));
    if (kept.length) result.push(kept.length === fromFieldsV1(e.fieldsV1).length ? e : { ...e, fieldsV1: toFieldsV1(kept) });
  }
  if (!placed && appliedPaths.length)
    result.push({ manager, operation: 'Apply', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(appliedPaths), ...(subresource ? { subresource } : {}) });
  merged.metadata.managedFields = result;
  return merged;
}

export { leafPaths, pathString };
