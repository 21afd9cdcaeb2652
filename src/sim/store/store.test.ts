import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { CompactedError, Store, type WatchEvent } from './store';

describe('Store', () => {
  it('keeps a global revision and per-key create/mod revision and version, as etcd', () => {
    const s = new Store();
    const r0 = s.revision();
    const a1 = s.put('/registry/pods/default/a', { v: 1 });
    const b1 = s.put('/registry/pods/default/b', { v: 1 });
    const a2 = s.put('/registry/pods/default/a', { v: 2 });
    expect(a1).toMatchObject({ createRevision: r0 + 1, modRevision: r0 + 1, version: 1 });
    expect(b1).toMatchObject({ createRevision: r0 + 2, modRevision: r0 + 2, version: 1 });
    expect(a2).toMatchObject({ createRevision: r0 + 1, modRevision: r0 + 3, version: 2, value: { v: 2 } });
    expect(s.revision()).toBe(r0 + 3);
  });

  it('ranges by prefix in key order', () => {
    const s = new Store();
    s.put('/registry/pods/kube-system/x', 1);
    s.put('/registry/pods/default/b', 2);
    s.put('/registry/pods/default/a', 3);
    s.put('/registry/services/specs/default/kubernetes', 4);
    expect(s.range('/registry/pods/default/').map((kv) => kv.key)).toEqual([
      '/registry/pods/default/a',
      '/registry/pods/default/b',
    ]);
    expect(s.range('/registry/pods/')).toHaveLength(3);
  });

  it('freezes stored values so readers cannot change them', () => {
    const s = new Store();
    const kv = s.put('/k', { nested: { x: 1 } });
    expect(() => {
      (kv.value as { nested: { x: number } }).nested.x = 2;
    }).toThrow(TypeError);
  });

  it('notifies watchers of puts and deletes under their prefix', () => {
    const s = new Store();
    const events: WatchEvent[] = [];
    const stop = s.watch('/registry/minions/', (e) => events.push(e));
    s.put('/registry/minions/node01', { n: 1 });
    s.put('/registry/namespaces/default', {});
    s.delete('/registry/minions/node01');
    stop();
    s.put('/registry/minions/node02', {});
    expect(events.map((e) => `${e.type} ${e.kv.key}`)).toEqual([
      'put /registry/minions/node01',
      'delete /registry/minions/node01',
    ]);
    expect(s.get('/registry/minions/node01')).toBeUndefined();
  });
});

describe('Store history', () => {
  it('replays changes after a past revision to a new watcher', () => {
    const s = new Store();
    s.put('/registry/pods/default/a', 1);
    const after = s.revision();
    s.put('/registry/pods/default/b', 2);
    s.delete('/registry/pods/default/a');
    const seen: string[] = [];
    s.watch('/registry/pods/', (e) => seen.push(`${e.type} ${e.kv.key} @${e.kv.modRevision}`), after);
    s.put('/registry/pods/default/c', 3);
    expect(seen).toEqual([
      `put /registry/pods/default/b @${after + 1}`,
      `delete /registry/pods/default/a @${after + 2}`,
      `put /registry/pods/default/c @${after + 3}`,
    ]);
  });

  it('refuses a watch from a compacted revision', () => {
    const s = new Store({ historyLimit: 3 });
    const start = s.revision();
    for (let i = 0; i < 10; i++) s.put(`/k${i}`, i);
    expect(s.compactedRevision()).toBeGreaterThan(start);
    expect(() => s.watch('/', () => {}, start)).toThrow(CompactedError);
    expect(() => s.watch('/', () => {}, s.revision() - 2)).not.toThrow();
  });

  it('keeps keys sorted through inserts and deletes', () => {
    const s = new Store();
    for (const k of ['/b/2', '/a/1', '/b/1', '/c', '/b/3']) s.put(k, k);
    s.delete('/b/2');
    expect(s.range('/b/').map((kv) => kv.key)).toEqual(['/b/1', '/b/3']);
    expect(s.range('/b/', '/b/2').map((kv) => kv.key)).toEqual(['/b/3']);
    expect(s.count('/')).toBe(4);
  });
});

describe('Store at scale', () => {
  it('keeps thousands of keys in order through random inserts and deletes', () => {
    const s = new Store();
    const r = new SeededRandom(5);
    const live = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const key = `/registry/${['pods', 'events', 'leases'][r.int(3)]}/ns${r.int(3)}/${r.hex(6)}`;
      if (r.int(4) === 0 && live.size) {
        const victim = [...live][r.int(live.size)]!;
        s.delete(victim);
        live.delete(victim);
      } else {
        s.put(key, i);
        live.add(key);
      }
    }
    const sorted = [...live].sort();
    expect(s.range('/').map((kv) => kv.key)).toEqual(sorted);
    expect(s.range('/registry/events/ns1/').map((kv) => kv.key)).toEqual(sorted.filter((k) => k.startsWith('/registry/events/ns1/')));
    const mid = sorted[sorted.length >> 1]!;
    expect(s.range('/registry/', mid).map((kv) => kv.key)).toEqual(sorted.filter((k) => k >= mid));
    expect(s.count('/registry/pods/')).toBe(sorted.filter((k) => k.startsWith('/registry/pods/')).length);
    for (const [prefix, start] of [['/registry/pods/', mid], ['/registry/events/ns1/', '/registry/events/ns1/8'], ['/registry/leases/', '/'], ['/registry/zzz/', '/']] as const)
      expect(s.countFrom(prefix, start)).toBe(sorted.filter((k) => k.startsWith(prefix) && k >= start).length);
    const seen: string[] = [];
    s.scan('/registry/leases/', (kv) => {
      seen.push(kv.key);
      return seen.length < 5;
    });
    expect(seen).toEqual(sorted.filter((k) => k.startsWith('/registry/leases/')).slice(0, 5));
  });
});

describe('Store watchers', () => {
  it('calls watchers of overlapping prefixes in the order they started', () => {
    const s = new Store();
    const calls: string[] = [];
    for (const [name, prefix] of [['a', '/registry/'], ['b', '/registry/pods/'], ['c', '/'], ['d', '/registry/pods/default/'], ['e', '/registry/pods/']] as const)
      s.watch(prefix, (e) => calls.push(`${name}:${e.kv.key}`));
    s.put('/registry/pods/default/x', 1);
    s.put('/registry/events/default/y', 1);
    expect(calls).toEqual([
      'a:/registry/pods/default/x', 'b:/registry/pods/default/x', 'c:/registry/pods/default/x', 'd:/registry/pods/default/x', 'e:/registry/pods/default/x',
      'a:/registry/events/default/y', 'c:/registry/events/default/y',
    ]);
  });

  it('skips watchers stopped during a change and includes those started during it, as one set of watchers would', () => {
    const s = new Store();
    const calls: string[] = [];
    const stops: Record<string, () => void> = {};
    stops.a = s.watch('/k/', (e) => {
      calls.push(`a:${e.kv.key}`);
      if (e.kv.key === '/k/1') {
        stops.c!();
        stops.x = s.watch('/k/', (e2) => calls.push(`x:${e2.kv.key}`));
        stops.y = s.watch('/', (e2) => calls.push(`y:${e2.kv.key}`));
        s.put('/k/nested', 0);
      }
    });
    stops.b = s.watch('/', (e) => calls.push(`b:${e.kv.key}`));
    stops.c = s.watch('/k/', (e) => calls.push(`c:${e.kv.key}`));
    s.put('/k/1', 1);
    s.put('/k/2', 2);
    expect(calls).toEqual([
      'a:/k/1',
      'a:/k/nested', 'b:/k/nested', 'x:/k/nested', 'y:/k/nested',
      'b:/k/1', 'x:/k/1', 'y:/k/1',
      'a:/k/2', 'b:/k/2', 'x:/k/2', 'y:/k/2',
    ]);
  });
});

describe('Store indexed watchers', () => {
  it('call a watcher exactly when (and in the order) a filtering plain watcher would act', () => {
    const node = (e: WatchEvent) => ((e.type === 'delete' ? e.prev.value : e.kv.value) as { node?: string }).node;
    const run = (indexed: boolean) => {
      const s = new Store({ historyLimit: 50 });
      const r = new SeededRandom(8);
      const calls: string[] = [];
      const stops: (() => void)[] = [];
      const add = (id: string, prefix: string, want: string | undefined) => {
        const listener = (e: WatchEvent) => {
          calls.push(`${id}:${e.type}:${e.kv.key}`);
          if (r.int(40) === 0 && stops.length) stops[r.int(stops.length)]!();
          if (r.int(60) === 0) add(`${id}+`, prefix, ['a', 'b', undefined][r.int(3)]);
        };
        stops.push(
          indexed
            ? s.watchIndexed(prefix, node, want, listener)
            : s.watch(prefix, (e) => {
                if (node(e) === want) listener(e);
              }),
        );
        if (r.int(3) === 0) stops.push(s.watch(prefix, (e) => calls.push(`plain-${id}:${e.kv.key}`)));
      };
      for (let i = 0; i < 2000; i++) {
        const op = r.int(12);
        if (op === 0) add(String(i), ['/', '/p/', '/p/x/'][r.int(3)]!, ['a', 'b', 'c', undefined][r.int(4)]);
        else if (op === 1 && stops.length) stops[r.int(stops.length)]!();
        else if (op === 2) s.delete(`/p/x/${r.int(20)}`);
        else s.put(`/p/${['x/', 'y/'][r.int(2)]}${r.int(20)}`, { node: ['a', 'b', 'c', undefined][r.int(4)] });
      }
      return calls;
    };
    const plain = run(false);
    expect(plain.length).toBeGreaterThan(1000);
    expect(run(true)).toEqual(plain);
  });

  it('replays history for the index value only', () => {
    const s = new Store();
    s.put('/p/1', { node: 'a' });
    s.put('/p/2', { node: 'b' });
    const seen: string[] = [];
    s.watchIndexed('/p/', (e) => (e.kv.value as { node: string }).node, 'b', (e) => seen.push(e.kv.key), 1);
    s.put('/p/3', { node: 'b' });
    s.put('/p/4', { node: 'a' });
    expect(seen).toEqual(['/p/2', '/p/3']);
  });
});
