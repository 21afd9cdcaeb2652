/**
 * An etcd-like key-value store: one global revision bumped by every write, and per key the
 * create revision, mod revision and version, as etcd's MVCC keeps them. Values are frozen on
 * write, so readers share them without copying and must clone before changing.
 */

export interface KeyValue<V = unknown> {
  key: string;
  value: V;
  createRevision: number;
  modRevision: number;
  version: number;
}

export type WatchEvent<V = unknown> =
  | { type: 'put'; kv: KeyValue<V>; prev?: KeyValue<V> }
  | { type: 'delete'; kv: KeyValue<V>; prev: KeyValue<V> };

type Listener = (event: WatchEvent) => void;

export class Store {
  private rev = 1;
  private readonly data = new Map<string, KeyValue>();
  private readonly watchers = new Set<{ prefix: string; listener: Listener }>();

  /** The current global revision (etcd's header revision). */
  revision(): number {
    return this.rev;
  }

  get<V>(key: string): KeyValue<V> | undefined {
    return this.data.get(key) as KeyValue<V> | undefined;
  }

  /** Every key starting with `prefix`, in key order (as etcd's range). */
  range<V>(prefix: string): KeyValue<V>[] {
    const out: KeyValue<V>[] = [];
    for (const [k, kv] of this.data) if (k.startsWith(prefix)) out.push(kv as KeyValue<V>);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  put<V>(key: string, value: V): KeyValue<V> {
    const prev = this.data.get(key) as KeyValue<V> | undefined;
    const revision = ++this.rev;
    const kv: KeyValue<V> = {
      key,
      value: deepFreeze(value),
      createRevision: prev ? prev.createRevision : revision,
      modRevision: revision,
      version: prev ? prev.version + 1 : 1,
    };
    this.data.set(key, kv);
    this.emit(prev ? { type: 'put', kv, prev } : { type: 'put', kv });
    return kv;
  }

  delete<V>(key: string): KeyValue<V> | undefined {
    const prev = this.data.get(key) as KeyValue<V> | undefined;
    if (!prev) return undefined;
    this.data.delete(key);
    const revision = ++this.rev;
    const tombstone: KeyValue<V> = { ...prev, modRevision: revision };
    this.emit({ type: 'delete', kv: tombstone, prev });
    return prev;
  }

  /** Calls `listener` for every later change under `prefix`; returns a function that stops it. */
  watch(prefix: string, listener: Listener): () => void {
    const w = { prefix, listener };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  private emit(event: WatchEvent): void {
    for (const w of this.watchers) if (event.kv.key.startsWith(w.prefix)) w.listener(event);
  }
}

function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
