/**
 * Client-side apply's patch, as kubectl computes it: the last-applied-configuration annotation,
 * and a three-way patch from the last-applied configuration (original), the new manifest
 * (modified) and the live object (current). Built-in kinds get a strategic merge patch driven
 * by the server's OpenAPI patch strategies and merge keys; kinds without a schema (custom
 * resources) get a JSON merge patch, whose lists are atomic.
 */
import { ResourceRegistry, schemaDefinition, type FieldSchema, type KubeObject } from '../../../sim';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Go's encoding/json text of a value: keys sorted, HTML characters escaped. */
export function goJson(value: unknown): string {
  const esc = (s: string) =>
    JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const enc = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return esc(v);
    if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(enc).join(',')}]`;
    const o = v as Json;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${esc(k)}:${enc(o[k])}`)
      .join(',')}}`;
  };
  return enc(value);
}

/** A deep copy with keys sorted, as an object decoded from Go's JSON would be sent. */
export function sortedCopy<T>(value: T): T {
  return JSON.parse(goJson(value)) as T;
}

/**
 * The manifest as apply sends it: its own configuration (without the annotation) recorded in
 * the last-applied annotation, as GetModifiedConfiguration does.
 */
export function withLastApplied(object: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(object)) as KubeObject & { metadata: Json };
  copy.metadata ??= {} as never;
  const annotations: Record<string, string> = { ...((copy.metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  const config = `${goJson(copy)}\n`;
  const out = JSON.parse(JSON.stringify(copy)) as KubeObject & { metadata: Json };
  out.metadata.annotations = { ...annotations, [LAST_APPLIED]: config };
  return out;
}

/** The last-applied configuration recorded on a live object, if any. */
export function lastAppliedOf(object: KubeObject): Json | undefined {
  const text = (object.metadata?.annotations as Record<string, string> | undefined)?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneNulls);
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = pruneNulls(x);
  return out;
}

let registry: ResourceRegistry | undefined;

/** The OpenAPI definition of a built-in kind, undefined for kinds the server has no schema for. */
export function definitionOf(apiVersion: string, kind: string): string | undefined {
  registry ??= new ResourceRegistry();
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return registry.all().find((t) => t.group === group && t.version === version && t.kind === kind)?.definition || undefined;
}

/** A schema position: a definition's fields, or nothing known (merge patch semantics). */
interface Schema {
  field(key: string): FieldSchema | undefined;
}

const NO_SCHEMA: Schema = { field: () => undefined };

function schemaOf(defName: string | undefined, strategic: boolean): Schema {
  if (!strategic || !defName) return strategic ? STRATEGIC_UNKNOWN : NO_SCHEMA;
  return { field: (key) => schemaDefinition(defName)?.properties?.[key] };
}

/** Inside a strategic patch, where the schema says nothing (maps of strings, free-form objects). */
const STRATEGIC_UNKNOWN: Schema = NO_SCHEMA;

function childSchema(field: FieldSchema | undefined, strategic: boolean): Schema {
  if (!field) return NO_SCHEMA;
  const ref = field.ref ?? field.items?.ref;
  return ref ? schemaOf(ref, strategic) : NO_SCHEMA;
}

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
  strategic: boolean;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return goJson(a) === goJson(b);
}

function sameKind(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b);
  if (isObject(a) || isObject(b)) return isObject(a) && isObject(b);
  return true;
}

function mergeStrategy(field: FieldSchema | undefined): { merge: boolean; key?: string; replace: boolean } {
  const s = (field?.patchStrategy ?? '').split(',');
  return { merge: s.includes('merge'), ...(field?.patchMergeKey ? { key: field.patchMergeKey } : {}), replace: s.includes('replace') };
}

function diffMaps(original: Json, modified: Json, schema: Schema, o: DiffOptions): Json {
  const patch: Json = {};
  for (const [key, orig] of Object.entries(original)) {
    if (!(key in modified)) {
      if (!o.ignoreDeletions) patch[key] = null;
      continue;
    }
    const mod = modified[key];
    if (!sameKind(orig, mod) || orig === null || mod === null) {
      if (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
      continue;
    }
    const field = schema.field(key);
    if (isObject(orig) && isObject(mod)) {
      const strategy = mergeStrategy(field);
      if (o.strategic && strategy.replace) {
        if (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
        continue;
      }
      const p = diffMaps(orig, mod, o.strategic ? childSchema(field, true) : NO_SCHEMA, o);
      if (Object.keys(p).length) patch[key] = p;
    } else if (Array.isArray(orig) && Array.isArray(mod)) {
      diffLists(patch, key, orig, mod, field, o);
    } else if (!o.ignoreChangesAndAdditions && orig !== mod) patch[key] = mod;
  }
  if (!o.ignoreChangesAndAdditions) for (const [key, mod] of Object.entries(modified)) if (!(key in original)) patch[key] = mod;
  return patch;
}

function diffLists(patch: Json, key: string, orig: unknown[], mod: unknown[], field: FieldSchema | undefined, o: DiffOptions): void {
  const strategy = mergeStrategy(field);
  if (!o.strategic || !strategy.merge) {
    if (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod)) patch[key] = mod;
    return;
  }
  if (!strategy.key) {
    // A merged list of scalars: additions, and deletions through a parallel directive list.
    const has = (list: unknown[], v: unknown) => list.some((x) => deepEqual(x, v));
    const added = o.ignoreChangesAndAdditions ? [] : mod.filter((v) => !has(orig, v));
    const deleted = o.ignoreDeletions ? [] : orig.filter((v) => !has(mod, v));
    if (added.length) patch[key] = added;
    if (deleted.length) patch[`$deleteFromPrimitiveList/${key}`] = deleted;
    if (added.length || deleted.length) patch[`$setElementOrder/${key}`] = mod;
    return;
  }
  const mk = strategy.key;
  const items = childSchema(field, true);
  const out: unknown[] = [];
  for (const m of mod) {
    if (!isObject(m)) continue;
    const found = orig.find((x) => isObject(x) && deepEqual(x[mk], m[mk]));
    if (found && isObject(found)) {
      const p = diffMaps(found, m, items, o);
      if (Object.keys(p).length) out.push({ ...p, [mk]: m[mk] });
    } else if (!o.ignoreChangesAndAdditions) out.push(m);
  }
  if (!o.ignoreDeletions)
    for (const x of orig) if (isObject(x) && !mod.some((m) => isObject(m) && deepEqual(m[mk], x[mk]))) out.push({ [mk]: x[mk], $patch: 'delete' });
  if (out.length) {
    patch[key] = out;
    patch[`$setElementOrder/${key}`] = mod.filter(isObject).map((m) => ({ [mk]: m[mk] }));
  }
}

/** Merges the deletions patch and the changes patch into one, as strategicpatch's mergeMap does. */
function mergePatches(a: Json, b: Json, schema: Schema, strategic: boolean): Json {
  const out: Json = { ...a };
  for (const [key, bv] of Object.entries(b)) {
    const av = out[key];
    const field = key.startsWith('$') ? undefined : schema.field(key);
    if (isObject(av) && isObject(bv)) out[key] = mergePatches(av, bv, strategic ? childSchema(field, true) : NO_SCHEMA, strategic);
    else if (Array.isArray(av) && Array.isArray(bv) && strategic && mergeStrategy(field).merge && mergeStrategy(field).key) {
      const mk = mergeStrategy(field).key!;
      const list = [...av];
      for (const item of bv) {
        const i = list.findIndex((x) => isObject(x) && isObject(item) && deepEqual(x[mk], item[mk]));
        if (i >= 0 && isObject(item)) list[i] = mergePatches(list[i] as Json, item, childSchema(field, true), true);
        else list.push(item);
      }
      out[key] = list;
    } else out[key] = bv;
  }
  return out;
}

export interface ThreeWayPatch {
  patch: Json;
  type: 'application/strategic-merge-patch+json' | 'application/merge-patch+json';
}

/** The patch client-side apply sends (`{}` when nothing changed). */
export function threeWayPatch(original: Json | undefined, modified: Json, current: Json, apiVersion: string, kind: string): ThreeWayPatch {
  const def = definitionOf(apiVersion, kind);
  const strategic = def !== undefined;
  const schema = schemaOf(def, strategic);
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true, ignoreChangesAndAdditions: false, strategic });
  const deletions = diffMaps(original ?? {}, modified, schema, { ignoreDeletions: false, ignoreChangesAndAdditions: true, strategic });
  return {
    patch: mergePatches(deletions, delta, schema, strategic),
    type: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
  };
}

/** A two-way patch from one object to another (edit, label, annotate, set-last-applied). */
export function twoWayPatch(from: Json, to: Json, apiVersion: string, kind: string): ThreeWayPatch {
  const def = definitionOf(apiVersion, kind);
  const strategic = def !== undefined;
  return {
    patch: diffMaps(from, to, schemaOf(def, strategic), { ignoreDeletions: false, ignoreChangesAndAdditions: false, strategic }),
    type: strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
  };
}

/** RFC 7386 JSON merge patch from one object to another (jsonpatch.CreateMergePatch). */
export function jsonMergePatch(from: Json, to: Json): Json {
  return diffMaps(from, to, NO_SCHEMA, { ignoreDeletions: false, ignoreChangesAndAdditions: false, strategic: false });
}
