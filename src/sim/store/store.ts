/**
 * An etcd-like MVCC key-value store: one global revision bumped by every write, and per key the
 * create revision, mod revision and version, as etcd keeps them. Keys are kept sorted so a range
 * by prefix costs O(log n + matches). A bounded history of changes lets watchers start from a
 * past revision; older revisions are compacted and a watch from them fails as etcd's does.
 * Values are frozen on write, so readers share them without copying and must clone to change.
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

/** A watch or read asked for a revision that compaction already removed. */
export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`mvcc: required revision has been compacted`);
  }
}

export interface StoreOptions {
  /** How many past changes to keep for watchers starting from an older revision. */
  historyLimit?: number;
}

export class Store {
  private rev = 1;
  private compactedRev = 1;
  private readonly data = new Map<string, KeyValue>();
  private readonly sortedKeys: string[] = [];
  /** The current KeyValue of each key in sortedKeys, so scans need no map lookups. */
  private readonly sortedValues: KeyValue[] = [];
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<{ prefix: string; listener: Listener }>();
  private readonly historyLimit: number;

  constructor(options: StoreOptions = {}) {
    this.historyLimit = options.historyLimit ?? 10_000;
  }

  /** The current global revision (etcd's header revision). */
  revision(): number {
    return this.rev;
  }

  /** The oldest revision a watch may start after. */
  compactedRevision(): number {
    return this.compactedRev;
  }

  get<V>(key: string): KeyValue<V> | undefined {
    return this.data.get(key) as KeyValue<V> | undefined;
  }

  /** Number of keys under `prefix`. */
  count(prefix: string): number {
    let n = 0;
    for (let i = this.lowerBound(prefix); i < this.sortedKeys.length && this.sortedKeys[i]!.startsWith(prefix); i++) n++;
    return n;
  }

  /** Every key starting with `prefix`, in key order (as etcd's range); from `start` on when given. */
  range<V>(prefix: string, start?: string): KeyValue<V>[] {
    const out: KeyValue<V>[] = [];
    const from = start && start > prefix ? start : prefix;
    for (let i = this.lowerBound(from); i < this.sortedKeys.length; i++) {
      if (!this.sortedKeys[i]!.startsWith(prefix)) break;
      out.push(this.sortedValues[i] as KeyValue<V>);
    }
    return out;
  }

  /** Visits every key under `prefix` in order (from `start` on) without building an array; stop by returning false. */
  scan<V>(prefix: string, visit: (kv: KeyValue<V>) => boolean | void, start?: string): void {
    const from = start && start > prefix ? start : prefix;
    for (let i = this.lowerBound(from); i < this.sortedKeys.length; i++) {
      if (!this.sortedKeys[i]!.startsWith(prefix)) break;
      if (visit(this.sortedValues[i] as KeyValue<V>) === false) break;
    }
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
    const at = this.lowerBound(key);
    if (prev) this.sortedValues[at] = kv;
    else {
      this.sortedKeys.splice(at, 0, key);
      this.sortedValues.splice(at, 0, kv);
    }
    this.record(prev ? { type: 'put', kv, prev } : { type: 'put', kv });
    return kv;
  }

  delete<V>(key: string): KeyValue<V> | undefined {
    const prev = this.data.get(key) as KeyValue<V> | undefined;
    if (!prev) return undefined;
    this.data.delete(key);
    const at = this.lowerBound(key);
    this.sortedKeys.splice(at, 1);
    this.sortedValues.splice(at, 1);
    const revision = ++this.rev;
    const tombstone: KeyValue<V> = { ...prev, modRevision: revision };
    this.record({ type: 'delete', kv: tombstone, prev });
    return prev;
  }

  /**
   * Calls `listener` for every change under `prefix` after `fromRevision` (replaying history
   * first) and for every later one; returns a function that stops it. Throws CompactedError when
   * `fromRevision` is older than the compacted revision.
   */
  watch(prefix: string, listener: Listener, fromRevision?: number): () => void {
    if (fromRevision !== undefined) {
      if (fromRevision < this.compactedRev) throw new CompactedError(fromRevision, this.compactedRev);
      for (const e of this.history) if (e.kv.modRevision > fromRevision && e.kv.key.startsWith(prefix)) listener(e);
    }
    const w = { prefix, listener };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /** Drops history up to and including `revision`, as etcd compaction does. */
  compact(revision: number): void {
    if (revision <= this.compactedRev) return;
    this.compactedRev = Math.min(revision, this.rev);
    let drop = 0;
    while (drop < this.history.length && this.history[drop]!.kv.modRevision <= this.compactedRev) drop++;
    this.history.splice(0, drop);
  }

  private record(event: WatchEvent): void {
    this.history.push(event);
    // Compact in batches (a quarter of the window at a time) so each write stays O(1) amortised.
    if (this.history.length > this.historyLimit + Math.ceil(this.historyLimit / 4))
      this.compact(this.history[this.history.length - this.historyLimit]!.kv.modRevision - 1);
    for (const w of this.watchers) if (event.kv.key.startsWith(w.prefix)) w.listener(event);
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sortedKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedKeys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
