/**
 * Field sets as server-side apply tracks them (sigs.k8s.io/structured-merge-diff): the leaf
 * paths an object sets, walked with the schema's list and map types, and their FieldsV1 form
 * ("f:spec", "k:{\"name\":\"nginx\"}", "v:\"a\"", ".").
 */
import { definition, type FieldSchema } from '../schema';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type PathElement = { f: string } | { k: Record<string, unknown> } | { v: unknown } | { i: number };
export type Path = PathElement[];

/** A schema position: a definition, a field schema, or a CRD's JSON schema. */
export type Shape =
  | { kind: 'def'; name: string }
  | { kind: 'field'; field: FieldSchema }
  | { kind: 'json'; schema: Obj | undefined }
  | { kind: 'any' };

/** System-managed metadata that never appears in managedFields. */
export const SKIPPED_METADATA = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'selfLink', 'managedFields', 'generateName',
]);

export function pathKey(path: Path): string {
  return JSON.stringify(path);
}

function elementText(e: PathElement): string {
  if ('f' in e) return `f:${e.f}`;
  if ('k' in e) return `k:${JSON.stringify(sortKeys(e.k))}`;
  if ('v' in e) return `v:${JSON.stringify(e.v)}`;
  return `i:${e.i}`;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** How a path prints in conflict messages: .spec.replicas, .spec.containers[name="nginx"].image. */
export function pathString(path: Path): string {
  return path
    .map((e) => {
      if ('f' in e) return `.${e.f}`;
      if ('k' in e)
        return `[${Object.entries(sortKeys(e.k))
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      if ('v' in e) return `[=${JSON.stringify(e.v)}]`;
      return `[${e.i}]`;
    })
    .join('');
}

const ANY: Shape = Object.freeze({ kind: 'any' });
export const ANY_SHAPE = ANY;
const defShapes = new Map<string, Shape>();
const fieldShapes = new WeakMap<FieldSchema, Shape>();
const jsonShapes = new WeakMap<Obj, Shape>();
const JSON_UNDEFINED: Shape = Object.freeze({ kind: 'json', schema: undefined });

/** The shape of a definition, one object per name (so facts about it can be cached). */
export function defShape(name: string): Shape {
  let s = defShapes.get(name);
  if (!s) defShapes.set(name, (s = Object.freeze({ kind: 'def', name })));
  return s;
}

export function fieldShape(field: FieldSchema): Shape {
  let s = fieldShapes.get(field);
  if (!s) fieldShapes.set(field, (s = Object.freeze({ kind: 'field', field })));
  return s;
}

export function jsonShape(schema: Obj | undefined): Shape {
  if (!schema || typeof schema !== 'object') return schema === undefined ? JSON_UNDEFINED : { kind: 'json', schema };
  let s = jsonShapes.get(schema);
  if (!s) jsonShapes.set(schema, (s = Object.freeze({ kind: 'json', schema })));
  return s;
}

/** Children already looked up, per shape object. */
const childCache = new WeakMap<Shape, Map<string, Shape>>();

export function childOf(shape: Shape, key: string): Shape {
  let cache = childCache.get(shape);
  if (!cache) childCache.set(shape, (cache = new Map()));
  let child = cache.get(key);
  if (!child) {
    child = computeChild(shape, key);
    // Keys come from user data (labels, annotations, data): keep the cache bounded.
    if (cache.size < 256) cache.set(key, child);
  }
  return child;
}

function computeChild(shape: Shape, key: string): Shape {
  switch (shape.kind) {
    case 'def': {
      const field = definition(shape.name)?.properties?.[key];
      return field ? fieldShape(field) : ANY;
    }
    case 'field': {
      const f = shape.field;
      if (f.ref) return childOf(defShape(f.ref), key);
      if (f.additionalProperties) return fieldShape(f.additionalProperties);
      return ANY;
    }
    case 'json': {
      const s = shape.schema;
      if (s?.properties?.[key]) return jsonShape(s.properties[key]);
      if (s?.additionalProperties && typeof s.additionalProperties === 'object') return jsonShape(s.additionalProperties);
      return ANY;
    }
    default:
      return ANY;
  }
}

interface ListInfo {
  type: 'map' | 'set' | 'atomic';
  keys: string[];
  items: Shape;
}

const listInfos = new WeakMap<Shape, ListInfo | null>();

export function listInfo(shape: Shape): ListInfo | undefined {
  let info = listInfos.get(shape);
  if (info === undefined) listInfos.set(shape, (info = computeListInfo(shape) ?? null));
  return info ?? undefined;
}

function computeListInfo(shape: Shape): ListInfo | undefined {
  if (shape.kind === 'field' && shape.field.type === 'array') {
    const f = shape.field;
    const items: Shape = f.items ? fieldShape(f.items) : ANY;
    if (f.listType === 'map' && f.listMapKeys?.length) return { type: 'map', keys: f.listMapKeys, items };
    if (f.listType === 'set') return { type: 'set', keys: [], items };
    if (!f.listType && f.patchStrategy?.includes('merge') && f.patchMergeKey) return { type: 'map', keys: [f.patchMergeKey], items };
    return { type: 'atomic', keys: [], items };
  }
  if (shape.kind === 'json' && shape.schema?.type === 'array') {
    const s = shape.schema;
    const items: Shape = jsonShape(s.items);
    if (s['x-kubernetes-list-type'] === 'map') return { type: 'map', keys: s['x-kubernetes-list-map-keys'] ?? [], items };
    if (s['x-kubernetes-list-type'] === 'set') return { type: 'set', keys: [], items };
    return { type: 'atomic', keys: [], items };
  }
  return undefined;
}

function isAtomicMap(shape: Shape): boolean {
  if (shape.kind === 'field') {
    if (shape.field.mapType === 'atomic') return true;
    if (shape.field.ref) return definition(shape.field.ref)?.mapType === 'atomic';
  }
  if (shape.kind === 'def') return definition(shape.name)?.mapType === 'atomic';
  if (shape.kind === 'json') return shape.schema?.['x-kubernetes-map-type'] === 'atomic';
  return false;
}

function computeMapShape(shape: Shape): boolean {
  if (shape.kind === 'field') return !shape.field.ref && !!shape.field.additionalProperties;
  if (shape.kind === 'json') return !shape.schema?.properties && typeof shape.schema?.additionalProperties === 'object';
  return false;
}

const granular = new WeakMap<Shape, boolean>();
const mapShapes = new WeakMap<Shape, boolean>();

/** Whether a shape is an object whose fields are tracked one by one. */
export function isGranularObject(shape: Shape): boolean {
  let g = granular.get(shape);
  if (g === undefined) granular.set(shape, (g = computeGranular(shape)));
  return g;
}

/** Whether a shape is a map (like labels): a member itself, "." in FieldsV1. */
export function isMapShape(shape: Shape): boolean {
  let m = mapShapes.get(shape);
  if (m === undefined) mapShapes.set(shape, (m = computeMapShape(shape)));
  return m;
}

function computeGranular(shape: Shape): boolean {
  if (isAtomicMap(shape)) return false;
  if (shape.kind === 'def') return !!definition(shape.name)?.properties;
  if (shape.kind === 'field') {
    if (shape.field.ref) return !!definition(shape.field.ref)?.properties;
    return shape.field.type === 'object' && !!shape.field.additionalProperties;
  }
  if (shape.kind === 'json') {
    const s = shape.schema;
    return !!s && s.type === 'object' && (!!s.properties || typeof s.additionalProperties === 'object') && !s['x-kubernetes-preserve-unknown-fields'];
  }
  return false;
}

export function keyOf(item: Obj, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, item?.[k] ?? defaultKeyValue(k)]));
}

/** Map-list keys that a defaulter fills in (protocol) count with their default when absent. */
export function defaultKeyValue(key: string): unknown {
  return key === 'protocol' ? 'TCP' : undefined;
}

/** Every leaf (and keyed list element) path `value` sets. */
export function leafPaths(value: unknown, shape: Shape, prefix: Path = [], out: Path[] = []): Path[] {
  if (value === null || value === undefined) return out;
  const list = Array.isArray(value) ? listInfo(shape) : undefined;
  if (Array.isArray(value)) {
    if (!list || list.type === 'atomic') {
      out.push(prefix);
      return out;
    }
    for (const item of value) {
      if (list.type === 'set') {
        out.push([...prefix, { v: item }]);
      } else {
        const elem: Path = [...prefix, { k: keyOf(item as Obj, list.keys) }];
        out.push(elem);
        if (item && typeof item === 'object') {
          for (const [k, v] of Object.entries(item as Obj)) leafPaths(v, childOf(list.items, k), [...elem, { f: k }], out);
        }
      }
    }
    return out;
  }
  if (typeof value === 'object' && isGranularObject(shape)) {
    const entries = Object.entries(value as Obj);
    // Maps (like labels) are members themselves ("." in FieldsV1); struct fields are not.
    if (entries.length === 0 || isMapShape(shape)) out.push(prefix);
    for (const [k, v] of entries) leafPaths(v, childOf(shape, k), [...prefix, { f: k }], out);
    return out;
  }
  out.push(prefix);
  return out;
}

/** The paths an object's spec-side fields set (metadata's user fields, spec and other top-level data; not status). */
export function objectPaths(obj: Obj, shape: Shape, section: 'main' | 'status'): Path[] {
  const out: Path[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (section === 'status' ? k !== 'status' : k === 'status') continue;
    if (k === 'metadata') {
      for (const [mk, mv] of Object.entries((v ?? {}) as Obj)) {
        if (SKIPPED_METADATA.has(mk)) continue;
        leafPaths(mv, childOf(childOf(shape, 'metadata'), mk), [{ f: 'metadata' }, { f: mk }], out);
      }
      continue;
    }
    leafPaths(v, childOf(shape, k), [{ f: k }], out);
  }
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const e of path) {
    if (cur === null || cur === undefined) return undefined;
    if ('f' in e) cur = (cur as Obj)[e.f];
    else if ('k' in e) cur = (cur as Obj[]).find?.((item) => Object.entries(e.k).every(([k, v]) => (item?.[k] ?? defaultKeyValue(k)) === v));
    else if ('v' in e) cur = (cur as unknown[]).find?.((item) => JSON.stringify(item) === JSON.stringify(e.v));
    else cur = (cur as unknown[])[e.i];
  }
  return cur;
}

/** FieldsV1: the nested form stored in managedFields. */
export function toFieldsV1(paths: Path[]): Obj {
  const root: Obj = {};
  const sorted = [...paths].sort((a, b) => a.length - b.length);
  for (const path of sorted) {
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const text = elementText(path[i]!);
      node[text] = node[text] ?? {};
      node = node[text];
      const last = i === path.length - 1;
      // A keyed element that is itself owned and also has owned children is marked ".".
      if (last && 'k' in path[i]! && Object.keys(node).length > 0) node['.'] = {};
    }
  }
  // Mark keyed elements owned as a whole but added before their children.
  const mark = (node: Obj, owned: Set<string>, prefix: string) => {
    for (const [k, child] of Object.entries(node)) {
      if (k === '.') continue;
      const here = `${prefix}/${k}`;
      if (owned.has(here) && Object.keys(child).length > 0 && !('.' in child)) child['.'] = {};
      mark(child, owned, here);
    }
  };
  mark(root, new Set(paths.map((p) => p.map((e) => `/${elementText(e)}`).join(''))), '');
  return sortFields(root);
}

function sortFields(node: Obj): Obj {
  const keys = Object.keys(node).sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, sortFields(node[k])]));
}

/** Parses FieldsV1 back into paths. */
export function fromFieldsV1(fields: Obj | undefined): Path[] {
  const out: Path[] = [];
  const walk = (node: Obj, prefix: Path) => {
    for (const [k, child] of Object.entries(node ?? {})) {
      if (k === '.') {
        out.push(prefix);
        continue;
      }
      const colon = k.indexOf(':');
      const tag = k.slice(0, colon);
      const rest = k.slice(colon + 1);
      const elem: PathElement = tag === 'f' ? { f: rest } : tag === 'k' ? { k: JSON.parse(rest) } : tag === 'v' ? { v: JSON.parse(rest) } : { i: Number(rest) };
      const path = [...prefix, elem];
      if (Object.keys(child as Obj).length === 0) out.push(path);
      else walk(child as Obj, path);
    }
  };
  walk(fields ?? {}, []);
  return out;
}
