/**
 * Shared informers: one cache per resource, filled from the store and kept current by a watch,
 * with named indexes (pods by owner, by node, by namespace) so a controller looks up what it
 * needs instead of scanning every object. Handlers hear adds, updates and deletes in store
 * order; objects are the store's frozen values, shared, never to be modified.
 */
import type { KubeObject, ResourceRegistry } from '../../apiserver';
import { referenceTo, type InvolvedObject } from '../../events';
import type { KeyValue, Store, WatchEvent } from '../../store';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface InformerHandler {
  add?(obj: Obj): void;
  update?(old: Obj, obj: Obj): void;
  delete?(obj: Obj): void;
}

/** The index values of an object (none, one or several). */
export type IndexFn = (obj: Obj) => string | readonly string[] | undefined;

interface Index {
  fn: IndexFn;
  buckets: Map<string, Map<string, Obj>>;
}

/** "namespace/name" for namespaced objects, "name" otherwise: the informer and work-queue key. */
export function keyOf(obj: Obj): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a work-queue key into namespace and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The controller owner reference, as metav1.GetControllerOf finds it. */
export function controllerOf(obj: Obj): Obj | undefined {
  const refs: Obj[] | undefined = obj.metadata.ownerReferences;
  if (!refs) return undefined;
  for (const r of refs) if (r.controller === true) return r;
  return undefined;
}

/** Index name under which indexByController files objects (by their controller's UID). */
export const CONTROLLER_INDEX = 'controller';

/** Files an informer's objects by their controller's UID (several controllers share the index). */
export function indexByController(informer: Informer): void {
  informer.addIndex(CONTROLLER_INDEX, (o) => controllerOf(o)?.uid);
}

export class Informer {
  private readonly items = new Map<string, KeyValue<Obj>>();
  private readonly indexes = new Map<string, Index>();
  private readonly handlers: InformerHandler[] = [];

  constructor(
    store: Store,
    readonly prefix: string,
  ) {
    for (const kv of store.range<Obj>(prefix)) this.items.set(kv.key.slice(prefix.length), kv);
    store.watch(prefix, (e) => this.onEvent(e as WatchEvent<Obj>));
  }

  get(key: string): Obj | undefined {
    return this.items.get(key)?.value;
  }

  /** The object's resourceVersion as the API would show it. */
  resourceVersion(key: string): string | undefined {
    const kv = this.items.get(key);
    return kv && String(kv.modRevision);
  }

  /** The object with its resourceVersion, ready to be sent back in an update. */
  versioned(obj: Obj): Obj {
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: this.resourceVersion(keyOf(obj)) } };
  }

  /** The object as an event names it (involvedObject), with the resourceVersion cached now. */
  reference(obj: Obj): InvolvedObject {
    return referenceTo(this.versioned(obj) as KubeObject);
  }

  /** Every object (in one namespace when given), in key order of first sight. */
  list(namespace?: string): Obj[] {
    if (namespace !== undefined && this.indexes.has('namespace')) return this.byIndex('namespace', namespace);
    return [...this.items.values()].map((kv) => kv.value);
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds a named index; "namespace" exists on every informer. */
  addIndex(name: string, fn: IndexFn): void {
    if (this.indexes.has(name)) return;
    const index: Index = { fn, buckets: new Map() };
    this.indexes.set(name, index);
    for (const [key, kv] of this.items) this.indexAdd(index, key, kv.value);
  }

  byIndex(name: string, value: string): Obj[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`informer ${this.prefix}: no index ${name}`);
    const bucket = index.buckets.get(value);
    return bucket ? [...bucket.values()] : [];
  }

  /** How many objects have this index value. */
  count(name: string, value: string): number {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`informer ${this.prefix}: no index ${name}`);
    return index.buckets.get(value)?.size ?? 0;
  }

  /** Registers handlers; with `replay`, add() is called for everything already cached. */
  on(handler: InformerHandler, replay = true): void {
    this.handlers.push(handler);
    if (replay && handler.add) for (const kv of this.items.values()) handler.add(kv.value);
  }

  private onEvent(e: WatchEvent<Obj>): void {
    const key = e.kv.key.slice(this.prefix.length);
    if (e.type === 'delete') {
      const old = this.items.get(key);
      if (!old) return;
      this.items.delete(key);
      for (const index of this.indexes.values()) this.indexRemove(index, key, old.value);
      for (const h of this.handlers) h.delete?.(old.value);
      return;
    }
    const old = this.items.get(key);
    this.items.set(key, e.kv);
    for (const index of this.indexes.values()) {
      if (old) {
        // Most updates leave index values alone: then only the cached object is replaced.
        const before = index.fn(old.value);
        const after = index.fn(e.kv.value);
        if (sameValues(before, after)) {
          for (const v of values(after)) index.buckets.get(v)?.set(key, e.kv.value);
          continue;
        }
        this.indexRemove(index, key, old.value);
      }
      this.indexAdd(index, key, e.kv.value);
    }
    for (const h of this.handlers) {
      if (old) h.update?.(old.value, e.kv.value);
      else h.add?.(e.kv.value);
    }
  }

  private indexAdd(index: Index, key: string, obj: Obj): void {
    for (const v of values(index.fn(obj))) {
      let bucket = index.buckets.get(v);
      if (!bucket) index.buckets.set(v, (bucket = new Map()));
      bucket.set(key, obj);
    }
  }

  private indexRemove(index: Index, key: string, obj: Obj): void {
    for (const v of values(index.fn(obj))) {
      const bucket = index.buckets.get(v);
      if (!bucket) continue;
      bucket.delete(key);
      if (bucket.size === 0) index.buckets.delete(v);
    }
  }
}

function sameValues(a: string | readonly string[] | undefined, b: string | readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string' || !a || !b) return false;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function values(v: string | readonly string[] | undefined): readonly string[] {
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
}

/** One informer per resource, shared by every controller that asks for it. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer>();

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
  ) {}

  /** The informer for a resource by plural and group ("pods", "" or "deployments", "apps"). */
  for(resource: string, group = ''): Informer {
    const id = `${group}/${resource}`;
    let informer = this.informers.get(id);
    if (!informer) {
      const type = this.registry.byResource(resource, group);
      if (!type) throw new Error(`informer: unknown resource ${resource}.${group}`);
      informer = new Informer(this.store, `${type.etcdPrefix}/`);
      if (type.namespaced) informer.addIndex('namespace', (o) => o.metadata.namespace);
      this.informers.set(id, informer);
    }
    return informer;
  }
}
