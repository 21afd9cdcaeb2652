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

/** What a change is indexed by for watchIndexed (for pods: the node they are on). */
export type WatchIndex = (event: WatchEvent) => unknown;

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

interface Watcher {
  prefix: string;
  listener: Listener;
  /** Registration order: watchers hear each change in the order they started watching. */
  seq: number;
  active: boolean;
}

interface WatchEntry {
  prefix: string;
  list?: Watcher[];
  index?: WatchIndex;
  byValue?: Map<unknown, Watcher[]>;
  /** Whether the key must be checked against the prefix (see Store.buckets). */
  check: boolean;
}

/** Keys in order, in chunks of at most CHUNK keys, so an insert moves a chunk, not every key. */
const CHUNK = 512;

interface Chunk {
  keys: string[];
  values: KeyValue[];
}

export class Store {
  private rev = 1;
  private compactedRev = 1;
  private readonly data = new Map<string, KeyValue>();
  /** Sorted keys, with their current KeyValue beside them so scans need no map lookups. */
  private readonly chunks: Chunk[] = [{ keys: [], values: [] }];
  private readonly history: WatchEvent[] = [];
  /** Watchers by prefix, each list in registration order. */
  private readonly watchers = new Map<string, Watcher[]>();
  /** Indexed watchers by prefix, index function and the index value they want. */
  private readonly indexed = new Map<string, Map<WatchIndex, Map<unknown, Watcher[]>>>();
  private watcherSeq = 0;
  private dispatching = 0;
  private readonly listArrays: Watcher[][][] = [];
  private removedWatchers = false;
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
    this.scan(prefix, () => {
      n++;
    });
    return n;
  }

  /** Number of keys under `prefix` from `start` on, counted by chunk rather than key by key. */
  countFrom(prefix: string, start: string): number {
    let [c, i] = this.lowerBound(start > prefix ? start : prefix);
    let n = 0;
    for (; c < this.chunks.length; c++, i = 0) {
      const { keys } = this.chunks[c]!;
      if (keys.length && keys[keys.length - 1]!.startsWith(prefix)) {
        n += keys.length - i;
        continue;
      }
      for (; i < keys.length && keys[i]!.startsWith(prefix); i++) n++;
      if (i < keys.length) break;
    }
    return n;
  }

  /** Every key starting with `prefix`, in key order (as etcd's range); from `start` on when given. */
  range<V>(prefix: string, start?: string): KeyValue<V>[] {
    const out: KeyValue<V>[] = [];
    this.scan<V>(prefix, (kv) => {
      out.push(kv);
    }, start);
    return out;
  }

  /** Visits every key under `prefix` in order (from `start` on) without building an array; stop by returning false. */
  scan<V>(prefix: string, visit: (kv: KeyValue<V>) => boolean | void, start?: string): void {
    const from = start && start > prefix ? start : prefix;
    let [c, i] = this.lowerBound(from);
    for (; c < this.chunks.length; c++, i = 0) {
      const { keys, values } = this.chunks[c]!;
      for (; i < keys.length; i++) {
        if (!keys[i]!.startsWith(prefix)) return;
        if (visit(values[i] as KeyValue<V>) === false) return;
      }
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
    const [c, i] = this.lowerBound(key);
    const chunk = this.chunks[c]!;
    if (prev) chunk.values[i] = kv;
    else {
      chunk.keys.splice(i, 0, key);
      chunk.values.splice(i, 0, kv);
      if (chunk.keys.length > 2 * CHUNK) {
        this.chunks.splice(c + 1, 0, { keys: chunk.keys.splice(CHUNK), values: chunk.values.splice(CHUNK) });
      }
    }
    this.record(prev ? { type: 'put', kv, prev } : { type: 'put', kv });
    return kv;
  }

  delete<V>(key: string): KeyValue<V> | undefined {
    const prev = this.data.get(key) as KeyValue<V> | undefined;
    if (!prev) return undefined;
    this.data.delete(key);
    const [c, i] = this.lowerBound(key);
    const chunk = this.chunks[c]!;
    chunk.keys.splice(i, 1);
    chunk.values.splice(i, 1);
    if (chunk.keys.length === 0 && this.chunks.length > 1) this.chunks.splice(c, 1);
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
    if (fromRevision !== undefined) this.replay(prefix, listener, fromRevision);
    const w: Watcher = { prefix, listener, seq: ++this.watcherSeq, active: true };
    let list = this.watchers.get(prefix);
    if (!list) {
      this.watchers.set(prefix, (list = []));
      this.entries = undefined;
    }
    list.push(w);
    return this.stopper(w);
  }

  /**
   * As watch, for a listener that ignores every change whose `index` is not `value` (a kubelet
   * watching pods with fieldSelector spec.nodeName). The store works each change's index out
   * once and calls only the watchers that want it, in the same order as all others.
   */
  watchIndexed(prefix: string, index: WatchIndex, value: unknown, listener: Listener, fromRevision?: number): () => void {
    if (fromRevision !== undefined) this.replay(prefix, (e) => (Object.is(index(e), value) ? listener(e) : undefined), fromRevision);
    const w: Watcher = { prefix, listener, seq: ++this.watcherSeq, active: true };
    let byIndex = this.indexed.get(prefix);
    if (!byIndex) this.indexed.set(prefix, (byIndex = new Map()));
    let byValue = byIndex.get(index);
    if (!byValue) {
      byIndex.set(index, (byValue = new Map()));
      this.entries = undefined;
    }
    let list = byValue.get(value);
    if (!list) byValue.set(value, (list = []));
    list.push(w);
    return this.stopper(w);
  }

  private replay(prefix: string, listener: Listener, fromRevision: number): void {
    if (fromRevision < this.compactedRev) throw new CompactedError(fromRevision, this.compactedRev);
    for (const e of this.history) if (e.kv.modRevision > fromRevision && e.kv.key.startsWith(prefix)) listener(e);
  }

  private stopper(w: Watcher): () => void {
    return () => {
      if (!w.active) return;
      w.active = false;
      this.removedWatchers = true;
      if (this.dispatching === 0) this.sweepWatchers();
    };
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
    this.dispatch(event);
  }

  /**
   * Calls every watcher whose prefix the key starts with, in registration order. As when
   * iterating one set of watchers, a watcher stopped before its turn is skipped and one started
   * meanwhile (by a listener) hears this change too.
   */
  private dispatch(event: WatchEvent): void {
    // One array of lists per nesting level (a listener may write, and so dispatch again).
    const lists = this.listsFor(event, (this.listArrays[this.dispatching] ??= []));
    if (lists.length === 0) return;
    const known = this.watcherSeq;
    this.dispatching++;
    try {
      if (lists.length === 1) {
        const list = lists[0]!;
        for (let i = 0; i < list.length && list[i]!.seq <= known; i++) {
          const w = list[i]!;
          if (w.active) w.listener(event);
        }
      } else {
        // Several lists match: merge them by registration order.
        const at = lists.map(() => 0);
        for (;;) {
          let best = -1;
          let bestSeq = Infinity;
          for (let l = 0; l < lists.length; l++) {
            const w = lists[l]![at[l]!];
            if (w && w.seq <= known && w.seq < bestSeq) {
              best = l;
              bestSeq = w.seq;
            }
          }
          if (best < 0) break;
          const w = lists[best]![at[best]!++]!;
          if (w.active) w.listener(event);
        }
      }
      // Watchers that listeners started meanwhile hear this change too, in the order they started.
      if (this.watcherSeq > known) this.dispatchNew(event, known);
    } finally {
      this.dispatching--;
      if (this.dispatching === 0 && this.removedWatchers) this.sweepWatchers();
    }
  }

  /** The lists of watchers a change concerns: by matching prefix, and by index value. */
  private listsFor(event: WatchEvent, lists: Watcher[][] = []): Watcher[][] {
    const key = event.kv.key;
    lists.length = 0;
    const bucket = this.bucketFor(key);
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i]!;
      if (e.check && !key.startsWith(e.prefix)) continue;
      if (e.list) lists.push(e.list);
      else {
        const list = e.byValue!.get(e.index!(event));
        if (list) lists.push(list);
      }
    }
    return lists;
  }

  /** The watcher lists to look at for each change, flattened (in the maps' order) for a quick walk. */
  private entries: WatchEntry[] | undefined;
  /**
   * The entries that may concern a key, by the key's first two segments ("/registry/pods/"):
   * a prefix no longer than those always matches when it is their prefix; a longer one
   * (`check`) only when it starts with them, and then the whole key decides.
   */
  private readonly buckets = new Map<string, WatchEntry[]>();

  private bucketFor(key: string): WatchEntry[] {
    const entries = (this.entries ??= this.watcherEntries());
    const second = key.indexOf('/', 1);
    const end = second < 0 ? -1 : key.indexOf('/', second + 1);
    const head = end < 0 ? key : key.slice(0, end + 1);
    let bucket = this.buckets.get(head);
    if (!bucket) {
      bucket = [];
      for (const e of entries) {
        if (e.prefix.length <= head.length) {
          if (head.startsWith(e.prefix)) bucket.push(e.check ? { ...e, check: false } : e);
        } else if (e.prefix.startsWith(head)) bucket.push(e.check ? e : { ...e, check: true });
      }
      this.buckets.set(head, bucket);
    }
    return bucket;
  }

  private watcherEntries(): WatchEntry[] {
    this.buckets.clear();
    const out: WatchEntry[] = [];
    for (const [prefix, list] of this.watchers) out.push({ prefix, list, check: true });
    for (const [prefix, byIndex] of this.indexed) for (const [index, byValue] of byIndex) out.push({ prefix, index, byValue, check: true });
    return out;
  }

  /** Calls watchers that want this change and were registered after `after`, in registration order. */
  private dispatchNew(event: WatchEvent, after: number): void {
    let from = after;
    for (;;) {
      let next: Watcher | undefined;
      for (const list of this.listsFor(event)) {
        for (let i = list.length - 1; i >= 0 && list[i]!.seq > from; i--) if (!next || list[i]!.seq < next.seq) next = list[i];
      }
      if (!next) return;
      from = next.seq;
      if (next.active) next.listener(event);
    }
  }

  private sweepWatchers(): void {
    this.removedWatchers = false;
    this.entries = undefined;
    for (const [prefix, list] of this.watchers) {
      const live = list.filter((w) => w.active);
      if (live.length === 0) this.watchers.delete(prefix);
      else if (live.length !== list.length) this.watchers.set(prefix, live);
    }
    for (const [prefix, byIndex] of this.indexed) {
      for (const [index, byValue] of byIndex) {
        for (const [value, list] of byValue) {
          const live = list.filter((w) => w.active);
          if (live.length === 0) byValue.delete(value);
          else if (live.length !== list.length) byValue.set(value, live);
        }
        if (byValue.size === 0) byIndex.delete(index);
      }
      if (byIndex.size === 0) this.indexed.delete(prefix);
    }
  }

  /** Chunk and index of the first key >= `key` (the end of the last chunk when there is none). */
  private lowerBound(key: string): [number, number] {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    // The first chunk whose last key is >= key.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const keys = chunks[mid]!.keys;
      if (keys.length === 0 || keys[keys.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    const keys = chunks[lo]!.keys;
    let a = 0;
    let b = keys.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (keys[mid]! < key) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

function deepFreeze<V>(value: V): V {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    else for (const k in value) if (hasOwn.call(value, k)) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}
