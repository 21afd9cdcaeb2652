/**
 * The fast path of trackUpdate. The fields an update changed and removed are found by walking
 * the new and the old object side by side (skipping subtrees they share) and kept as small
 * tries; each manager's FieldsV1 (itself a trie, in canonical form) is then edited
 * copy-on-write, and FieldsV1 nodes are hash-consed so equal subtrees are one frozen object.
 * A create writes the FieldsV1 of every field of the new object directly.
 *
 * It gives exactly the result of the path-list algorithm in index.ts; where the two could
 * disagree (duplicate list keys, multi-key lists whose keys are not in sorted order, values of
 * a different kind than before, FieldsV1 not in canonical form) it gives up and returns
 * undefined, and the caller uses the path-list algorithm.
 */
import { jsonEqual } from '../json';
import { childOf, defaultKeyValue, fromFieldsV1, isGranularObject, isMapShape, keyOf, listInfo, SKIPPED_METADATA, toFieldsV1, type Shape } from './fieldset';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A set of paths as a trie: `o` when the path ending here is in the set. Never mutated once shared. */
interface FieldNode {
  o: boolean;
  c: Map<string, FieldNode> | undefined;
}

class Bail extends Error {}
const BAIL = new Bail();

function node(): FieldNode {
  return { o: false, c: undefined };
}

function child(n: FieldNode, label: string): FieldNode {
  if (!n.c) n.c = new Map();
  let c = n.c.get(label);
  if (!c) n.c.set(label, (c = node()));
  return c;
}

/** Drops nodes that hold no path (created on the way down to values that set nothing). */
function prune(n: FieldNode): boolean {
  if (n.c) {
    for (const [label, c] of n.c) if (!prune(c)) n.c.delete(label);
    if (n.c.size === 0) n.c = undefined;
  }
  return n.o || n.c !== undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** JSON.stringify(a) === JSON.stringify(b), the comparison the path-list algorithm makes. */
const sameJSON = jsonEqual;

type Kind = 'atomic' | 'set' | 'map' | 'obj';

function kindOf(v: unknown, shape: Shape): Kind {
  if (Array.isArray(v)) {
    const list = listInfo(shape);
    if (!list || list.type === 'atomic') return 'atomic';
    return list.type;
  }
  if (typeof v === 'object' && v !== null && isGranularObject(shape)) return 'obj';
  return 'atomic';
}

const sortedKeys = new WeakMap<string[], boolean>();

/** Map-list keys must be in sorted order for path identity and FieldsV1 text to agree. */
function keysSorted(keys: string[]): boolean {
  let s = sortedKeys.get(keys);
  if (s === undefined) {
    s = keys.every((k, i) => !/^\d+$/.test(k) && (i === 0 || keys[i - 1]! < k));
    sortedKeys.set(keys, s);
  }
  return s;
}

/** Labels of single-key list elements by key name and key value ('k:{"type":"Ready"}'): they recur on every update. */
const singleKeyLabels = new Map<string, Map<unknown, string>>();

function elementLabel(item: unknown, keys: string[]): string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw BAIL;
  if (keys.length === 1) {
    const key = keys[0]!;
    const v = (item as Obj)[key] ?? defaultKeyValue(key);
    if (v !== null && typeof v === 'object') throw BAIL;
    let byValue = singleKeyLabels.get(key);
    if (!byValue) singleKeyLabels.set(key, (byValue = new Map()));
    let label = byValue.get(v);
    if (label === undefined) {
      // As keyOf and JSON.stringify write it.
      label = `k:${JSON.stringify({ [key]: v })}`;
      if (byValue.size < 10_000) byValue.set(v, label);
    }
    return label;
  }
  const k = keyOf(item as Obj, keys);
  for (const key of keys) {
    const v = k[key];
    if (v !== null && typeof v === 'object') throw BAIL;
  }
  return `k:${JSON.stringify(k)}`;
}

function setLabel(item: unknown): string {
  if (item === undefined) throw BAIL;
  return `v:${JSON.stringify(item)}`;
}

/** A keyed list's items beside their labels (in list order); bails on duplicate keys. */
interface Keyed {
  labels: string[];
  items: Obj[];
  /** For long lists: label to index (short ones are searched). */
  index: Map<string, number> | undefined;
}

function indexItems(items: unknown[], keys: string[]): Keyed {
  const labels = new Array<string>(items.length);
  const out = new Array<Obj>(items.length);
  const index = items.length > 16 ? new Map<string, number>() : undefined;
  for (let i = 0; i < items.length; i++) {
    const label = elementLabel(items[i], keys);
    if (index) {
      if (index.has(label)) throw BAIL;
      index.set(label, i);
    } else for (let j = 0; j < i; j++) if (labels[j] === label) throw BAIL;
    labels[i] = label;
    out[i] = items[i] as Obj;
  }
  return { labels, items: out, index };
}

/** The item with `label`, or undefined. */
function itemOf(k: Keyed, label: string): Obj | undefined {
  if (k.index) {
    const i = k.index.get(label);
    return i === undefined ? undefined : k.items[i];
  }
  for (let i = 0; i < k.labels.length; i++) if (k.labels[i] === label) return k.items[i];
  return undefined;
}

/** Adds every path `value` sets (leafPaths) under `n`. */
function addAll(value: unknown, shape: Shape, n: FieldNode): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    const list = listInfo(shape);
    if (!list || list.type === 'atomic') {
      n.o = true;
      return;
    }
    if (list.type === 'set') {
      for (const item of value) child(n, setLabel(item)).o = true;
      return;
    }
    if (!keysSorted(list.keys)) throw BAIL;
    const items = indexItems(value, list.keys);
    for (let i = 0; i < items.labels.length; i++) {
      const item = items.items[i]!;
      const e = child(n, items.labels[i]!);
      e.o = true;
      for (const k of Object.keys(item)) addAll(item[k], childOf(list.items, k), child(e, fLabel(k)));
    }
    return;
  }
  if (typeof value === 'object' && isGranularObject(shape)) {
    const keys = Object.keys(value);
    if (keys.length === 0 || isMapShape(shape)) n.o = true;
    for (const k of keys) addAll((value as Obj)[k], childOf(shape, k), child(n, fLabel(k)));
    return;
  }
  n.o = true;
}

const fLabels = new Map<string, string>();

/** "f:name", the same string each time for the names that keep coming back. */
function fLabel(k: string): string {
  let l = fLabels.get(k);
  if (l === undefined) {
    l = `f:${k}`;
    if (fLabels.size < 50_000) fLabels.set(k, l);
  }
  return l;
}

/** Walks the new and old values at one position, recording changed and removed paths. */
class Diff {
  readonly changed = node();
  readonly removed = node();
  readonly labels: string[] = [];

  private at(tree: FieldNode): FieldNode {
    let n = tree;
    for (const l of this.labels) n = child(n, l);
    return n;
  }

  walkField(n: unknown, o: unknown, shape: Shape, label: string): void {
    if (n === o || (n == null && o == null)) return;
    this.labels.push(label);
    this.walk(n, o, shape);
    this.labels.pop();
  }

  walk(n: unknown, o: unknown, shape: Shape): void {
    if (n === o) return;
    if (n === null || n === undefined) {
      if (o !== null && o !== undefined) addAll(o, shape, this.at(this.removed));
      return;
    }
    if (o === null || o === undefined) {
      addAll(n, shape, this.at(this.changed));
      return;
    }
    const kind = kindOf(n, shape);
    if (kindOf(o, shape) !== kind) throw BAIL;
    switch (kind) {
      case 'atomic':
        if (!sameJSON(n, o)) this.at(this.changed).o = true;
        return;
      case 'obj':
        return this.walkObject(n as Obj, o as Obj, shape);
      case 'set':
        return this.walkSet(n as unknown[], o as unknown[]);
      case 'map':
        return this.walkMap(n as unknown[], o as unknown[], shape);
    }
  }

  private walkObject(n: Obj, o: Obj, shape: Shape): void {
    const nk = Object.keys(n);
    const ok = Object.keys(o);
    const map = isMapShape(shape);
    if (nk.length === 0 || map) {
      if (!sameJSON(n, o)) this.at(this.changed).o = true;
    } else if (ok.length === 0) {
      this.at(this.removed).o = true;
    }
    for (const k of nk) this.walkField(n[k], o[k], childOf(shape, k), fLabel(k));
    for (const k of ok) if (!hasOwn.call(n, k)) this.walkField(undefined, o[k], childOf(shape, k), fLabel(k));
  }

  private walkSet(n: unknown[], o: unknown[]): void {
    const nl = n.map(setLabel);
    const ol = new Set(o.map(setLabel));
    const ns = new Set(nl);
    for (const l of nl) if (!ol.has(l)) child(this.at(this.changed), l).o = true;
    for (const l of ol) if (!ns.has(l)) child(this.at(this.removed), l).o = true;
  }

  private walkMap(n: unknown[], o: unknown[], shape: Shape): void {
    const list = listInfo(shape)!;
    if (!keysSorted(list.keys)) throw BAIL;
    const ni = indexItems(n, list.keys);
    const oi = indexItems(o, list.keys);
    for (let i = 0; i < ni.labels.length; i++) {
      const label = ni.labels[i]!;
      const item = ni.items[i]!;
      const old = itemOf(oi, label);
      if (item === old) continue;
      this.labels.push(label);
      if (!sameJSON(item, old)) this.at(this.changed).o = true;
      if (old === undefined) this.addItemFields(item, list.items, this.changed);
      else {
        for (const k of Object.keys(item)) this.walkField(item[k], old[k], childOf(list.items, k), fLabel(k));
        for (const k of Object.keys(old)) if (!hasOwn.call(item, k)) this.walkField(undefined, old[k], childOf(list.items, k), fLabel(k));
      }
      this.labels.pop();
    }
    for (let i = 0; i < oi.labels.length; i++) {
      const label = oi.labels[i]!;
      const old = oi.items[i]!;
      if (itemOf(ni, label) !== undefined) continue;
      this.labels.push(label);
      this.at(this.removed).o = true;
      this.addItemFields(old, list.items, this.removed);
      this.labels.pop();
    }
  }

  private addItemFields(item: Obj, items: Shape, tree: FieldNode): void {
    const e = this.at(tree);
    for (const k of Object.keys(item)) addAll(item[k], childOf(items, k), child(e, fLabel(k)));
  }
}

/** The changed and removed field sets of an update (objectPaths of both, compared). */
function diffObjects(obj: Obj, old: Obj | undefined, shape: Shape, section: 'main' | 'status'): Diff {
  const d = new Diff();
  const metaShape = childOf(shape, 'metadata');
  const skip = (k: string) => k === 'apiVersion' || k === 'kind' || (section === 'status' ? k !== 'status' : k === 'status');
  const walkMeta = (n: Obj | undefined | null, o: Obj | undefined | null) => {
    const nm = (n ?? {}) as Obj;
    const om = (o ?? {}) as Obj;
    if (nm === om) return;
    for (const mk of Object.keys(nm)) if (!SKIPPED_METADATA.has(mk)) d.walkField(nm[mk], om[mk], childOf(metaShape, mk), fLabel(mk));
    for (const mk of Object.keys(om)) if (!SKIPPED_METADATA.has(mk) && !hasOwn.call(nm, mk)) d.walkField(undefined, om[mk], childOf(metaShape, mk), fLabel(mk));
  };
  const topLevel = (k: string, n: unknown, o: unknown) => {
    if (k !== 'metadata') return d.walkField(n, o, childOf(shape, k), fLabel(k));
    if (!isRecord(n) || !isRecord(o)) throw BAIL;
    d.labels.push('f:metadata');
    walkMeta(n, o);
    d.labels.pop();
  };
  for (const k of Object.keys(obj)) if (!skip(k)) topLevel(k, obj[k], old?.[k]);
  if (old) for (const k of Object.keys(old)) if (!skip(k) && !hasOwn.call(obj, k)) topLevel(k, undefined, old[k]);
  prune(d.changed);
  prune(d.removed);
  return d;
}

/** metadata as objectPaths reads it: an object, or nothing. */
function isRecord(v: unknown): v is Obj | undefined | null {
  return v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
}

// ---- FieldsV1 as field sets -------------------------------------------------------------------
//
// A FieldsV1 object in canonical form (as toFieldsV1 writes it: "." first, then keys in order)
// is itself a trie: a path is in the set when its node is empty or has ".". Sets are changed
// copy-on-write, sharing unchanged (frozen) subtrees with the FieldsV1 they came from.

const EMPTY: Obj = Object.freeze({});
/** FieldsV1 objects from elsewhere found in canonical form. */
const canonical = new WeakSet<object>();
/** Marks the nodes build() writes (a non-enumerable symbol: JSON and key lists never see it). */
const BUILT = Symbol('fieldsV1');

function checkCanonical(fields: unknown): Obj {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw BAIL;
  // A node written here with no "." is a canonical root.
  if ((fields as Record<symbol, unknown>)[BUILT] === true && !hasOwn.call(fields, '.')) return fields as Obj;
  if (canonical.has(fields)) return fields as Obj;
  const rewritten = toFieldsV1(fromFieldsV1(fields as Obj));
  if (JSON.stringify(rewritten) !== JSON.stringify(fields)) throw BAIL;
  if (Object.isFrozen(fields)) canonical.add(fields);
  return fields as Obj;
}

function isEmpty(f: Obj): boolean {
  for (const _ in f) return false;
  return true;
}

function isOwned(f: Obj): boolean {
  if (hasOwn.call(f, '.')) return true;
  for (const _ in f) return false;
  return true;
}

function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * FieldsV1 nodes are hash-consed: equal subtrees (the same fields of every pod or Event) are one
 * frozen object. A node is found by walking a table keyed by its ownership, then each label and
 * child object in turn (no key strings to build). Two generations of the table are kept, so
 * nodes in use stay shared while one-off ones (a pod's own volume name, its IP) age out.
 */
interface Slot {
  next: Map<unknown, Slot> | undefined;
  node: Obj | undefined;
}

const GENERATION = 50_000;
let young = newTable();
let old = newTable();
let youngSize = 0;

function newTable(): [Slot, Slot] {
  return [
    { next: undefined, node: undefined },
    { next: undefined, node: undefined },
  ];
}

function find(table: [Slot, Slot], owned: boolean, labels: string[], children: Obj[]): Obj | undefined {
  let slot: Slot | undefined = table[owned ? 1 : 0];
  for (let i = 0; i < labels.length && slot; i++) {
    slot = slot.next?.get(labels[i]);
    slot = slot?.next?.get(children[i]);
  }
  return slot?.node;
}

function insert(owned: boolean, labels: string[], children: Obj[], node: Obj): void {
  if (youngSize >= GENERATION) {
    old = young;
    young = newTable();
    youngSize = 0;
  }
  let slot = young[owned ? 1 : 0];
  const step = (key: unknown) => {
    if (!slot.next) slot.next = new Map();
    let s = slot.next.get(key);
    if (!s) {
      slot.next.set(key, (s = { next: undefined, node: undefined }));
      youngSize++;
    }
    slot = s;
  };
  for (let i = 0; i < labels.length; i++) {
    step(labels[i]);
    step(children[i]);
  }
  slot.node = node;
}

/** A canonical FieldsV1 node from its ownership and children (`labels` in order, `children` beside them). */
function build(owned: boolean, labels: string[], children: Obj[]): Obj {
  if (labels.length === 0) return EMPTY;
  const known = find(young, owned, labels, children);
  if (known) return known;
  const older = find(old, owned, labels, children);
  if (older) {
    insert(owned, labels, children, older);
    return older;
  }
  const out: Obj = {};
  if (owned) out['.'] = EMPTY;
  for (let i = 0; i < labels.length; i++) out[labels[i]!] = children[i];
  Object.defineProperty(out, BUILT, { value: true });
  Object.freeze(out);
  insert(owned, labels, children, out);
  return out;
}

/** Sorts labels in place, moving children with them (insertion sort: lists are short, and no allocation). */
function sortPairs(labels: string[], children: Obj[]): void {
  for (let i = 1; i < labels.length; i++) {
    const l = labels[i]!;
    const c = children[i]!;
    let j = i - 1;
    while (j >= 0 && labels[j]! > l) {
      labels[j + 1] = labels[j]!;
      children[j + 1] = children[j]!;
      j--;
    }
    labels[j + 1] = l;
    children[j + 1] = c;
  }
}

/** The FieldsV1 of a trie. */
function write(n: FieldNode): Obj {
  if (!n.c) return EMPTY;
  const labels: string[] = [];
  const children: Obj[] = [];
  for (const [l, c] of n.c) {
    labels.push(l);
    children.push(write(c));
  }
  sortPairs(labels, children);
  return build(n.o, labels, children);
}

/** `f` without the paths in `r1` and `r2`; the same object when nothing was removed, undefined when nothing is left. */
function minus(f: Obj, r1: FieldNode | undefined, r2: FieldNode | undefined, root = false): Obj | undefined {
  if (!r1 && !r2) return f;
  let replaced: Map<string, Obj | undefined> | undefined;
  const step = (label: string) => {
    const c = f[label] as Obj | undefined;
    if (c === undefined || label === '.' || !hasOwn.call(f, label)) return;
    const next = minus(c, r1?.c?.get(label), r2?.c?.get(label));
    if (next !== c) (replaced ??= new Map()).set(label, next);
  };
  if (r1?.c) for (const label of r1.c.keys()) step(label);
  if (r2?.c) for (const label of r2.c.keys()) if (!r1?.c?.has(label)) step(label);
  // The root is never a path itself: an empty root is an empty set.
  const ownedBefore = !root && isOwned(f);
  const owned = ownedBefore && !r1?.o && !r2?.o;
  if (!replaced && owned === ownedBefore) return f;
  const labels: string[] = [];
  const children: Obj[] = [];
  for (const l in f) {
    if (l === '.' || !hasOwn.call(f, l)) continue;
    const c = replaced?.has(l) ? replaced.get(l) : (f[l] as Obj);
    if (c === undefined) continue;
    labels.push(l);
    children.push(c);
  }
  if (labels.length === 0) return owned ? EMPTY : undefined;
  return build(owned, labels, children);
}

/** `f` with the paths of `a` added; the same object when nothing was new. */
function union(f: Obj | undefined, a: FieldNode, root = false): Obj {
  if (!f) return write(a);
  let replaced: Map<string, Obj> | undefined;
  if (a.c) {
    for (const [label, ac] of a.c) {
      const c = hasOwn.call(f, label) ? (f[label] as Obj) : undefined;
      const next = union(c, ac);
      if (next !== c) (replaced ??= new Map()).set(label, next);
    }
  }
  const ownedBefore = !root && isOwned(f);
  const owned = ownedBefore || a.o;
  if (!replaced && owned === ownedBefore) return f;
  const labels: string[] = [];
  const children: Obj[] = [];
  for (const l in f) {
    if (l === '.' || !hasOwn.call(f, l)) continue;
    labels.push(l);
    children.push(replaced?.get(l) ?? (f[l] as Obj));
  }
  if (replaced) {
    let added = false;
    for (const [l, c] of replaced) {
      if (hasOwn.call(f, l)) continue;
      labels.push(l);
      children.push(c);
      added = true;
    }
    if (added) sortPairs(labels, children);
  }
  return build(owned, labels, children);
}

// ---- a create: every path of the new object, written straight out --------------------------------

/** The FieldsV1 of every path `value` sets (what addAll records, written out), or undefined for none. */
function fieldsOf(value: unknown, shape: Shape): Obj | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const list = listInfo(shape);
    if (!list || list.type === 'atomic') return EMPTY;
    if (list.type === 'set') {
      if (value.length === 0) return undefined;
      const labels = [...new Set(value.map(setLabel))];
      labels.sort(compareLabels);
      return build(false, labels, labels.map(() => EMPTY));
    }
    if (!keysSorted(list.keys)) throw BAIL;
    const items = indexItems(value, list.keys);
    if (items.labels.length === 0) return undefined;
    const labels = items.labels;
    const children = items.items.map((item) => objectFields(item, list.items, true)!);
    sortPairs(labels, children);
    return build(false, labels, children);
  }
  if (typeof value === 'object' && isGranularObject(shape)) return objectFields(value as Obj, shape, isMapShape(shape));
  return EMPTY;
}

/** The fields of a granular object (owned itself when `owned`, or when it has no fields at all). */
function objectFields(obj: Obj, shape: Shape, owned: boolean): Obj | undefined {
  const labels: string[] = [];
  const children: Obj[] = [];
  let empty = true;
  for (const k in obj) {
    if (!hasOwn.call(obj, k)) continue;
    empty = false;
    const f = fieldsOf(obj[k], childOf(shape, k));
    if (!f) continue;
    labels.push(fLabel(k));
    children.push(f);
  }
  if (labels.length === 0) return owned || empty ? EMPTY : undefined;
  sortPairs(labels, children);
  return build(owned || empty, labels, children);
}

/** The fields a create sets (objectPaths of the new object), or undefined when it sets none. */
function createdFields(obj: Obj, shape: Shape, section: 'main' | 'status'): Obj | undefined {
  const labels: string[] = [];
  const children: Obj[] = [];
  for (const k in obj) {
    if (!hasOwn.call(obj, k)) continue;
    if (k === 'apiVersion' || k === 'kind' || (section === 'status' ? k !== 'status' : k === 'status')) continue;
    if (k !== 'metadata') {
      const f = fieldsOf(obj[k], childOf(shape, k));
      if (f) {
        labels.push(fLabel(k));
        children.push(f);
      }
      continue;
    }
    const meta = obj.metadata as unknown;
    if (!isRecord(meta)) throw BAIL;
    const metaShape = childOf(shape, 'metadata');
    const metaLabels: string[] = [];
    const metaChildren: Obj[] = [];
    for (const mk in meta ?? {}) {
      if (!hasOwn.call(meta, mk) || SKIPPED_METADATA.has(mk)) continue;
      const f = fieldsOf((meta as Obj)[mk], childOf(metaShape, mk));
      if (f) {
        metaLabels.push(fLabel(mk));
        metaChildren.push(f);
      }
    }
    if (metaLabels.length) {
      sortPairs(metaLabels, metaChildren);
      labels.push('f:metadata');
      children.push(build(false, metaLabels, metaChildren));
    }
  }
  if (labels.length === 0) return undefined;
  sortPairs(labels, children);
  return build(false, labels, children);
}

// ---- trackUpdate ----------------------------------------------------------------------------

export interface TrackedEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: Obj;
  subresource?: string;
}

/**
 * The managedFields after `manager` updated `old` into `obj` (old undefined for a create), and
 * whether some field of the section changed or went (then the two objects certainly differ);
 * undefined when the fast path cannot be sure to agree with the path-list algorithm.
 */
export function trackUpdateFast(
  obj: Obj,
  old: Obj | undefined,
  existing: TrackedEntry[],
  manager: string,
  apiVersion: string,
  time: string,
  shape: Shape,
  subresource: string | undefined,
): { entries: TrackedEntry[]; changed: boolean } | undefined {
  try {
    const section = subresource === 'status' ? 'status' : 'main';
    if (!old && existing.length === 0) {
      const fields = createdFields(obj, shape, section);
      return { entries: fields ? [{ manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields, ...(subresource ? { subresource } : {}) }] : [], changed: !!fields };
    }
    const { changed, removed } = diffObjects(obj, old, shape, section);
    const hasChanged = changed.c !== undefined;
    const removedSet = removed.c ? removed : undefined;
    const changedSet = hasChanged ? changed : undefined;
    const result: TrackedEntry[] = [];
    let mine = false;
    for (const e of existing) {
      const isMine = e.manager === manager && e.operation === 'Update' && (e.subresource ?? '') === (subresource ?? '');
      const set = checkCanonical(e.fieldsV1);
      if (isMine) {
        mine = true;
        const kept = minus(set, removedSet, undefined, true);
        const merged = changedSet ? union(kept, changedSet, true) : kept;
        if (!merged || isEmpty(merged)) continue;
        if (merged === set) result.push(e);
        else {
          result.push({ ...e, fieldsV1: merged, ...{ time, apiVersion } });
        }
        continue;
      }
      const kept = minus(set, removedSet, changedSet, true);
      if (!kept || isEmpty(kept)) continue;
      result.push(kept === set ? e : { ...e, fieldsV1: kept });
    }
    if (!mine && hasChanged) {
      result.push({ manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: write(changed), ...(subresource ? { subresource } : {}) });
    }
    return { entries: result, changed: hasChanged || removedSet !== undefined };
  } catch (err) {
    if (err instanceof Bail) return undefined;
    throw err;
  }
}
