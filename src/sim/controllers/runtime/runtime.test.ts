import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock';
import { Store } from '../../store';
import { Expectations, EXPECTATIONS_TIMEOUT_MS } from './expectations';
import { Informer } from './informer';
import { WorkQueue } from './workqueue';

describe('WorkQueue', () => {
  it('queues a key once, and again only after it is done', () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue(clock, () => {});
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(q.get()).toBe('a');
    q.add('a'); // while processing: held back
    expect(q.get()).toBe('b');
    expect(q.get()).toBeUndefined();
    q.done('a');
    expect(q.get()).toBe('a');
  });

  it('backs off per key from 5 ms, doubling, until forgotten', () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue(clock, () => {});
    const readyAt: number[] = [];
    for (let i = 0; i < 4; i++) {
      q.addRateLimited('k');
      clock.runUntil(() => q.length > 0, 10_000);
      readyAt.push(clock.now());
      q.done(q.get()!);
    }
    expect(readyAt).toEqual([5, 15, 35, 75]);
    q.forget('k');
    q.addRateLimited('k');
    clock.runUntil(() => q.length > 0, 10_000);
    expect(clock.now()).toBe(80);
  });

  it('keeps the earliest of two delayed adds', () => {
    const clock = new VirtualClock(0);
    const q = new WorkQueue(clock, () => {});
    q.addAfter('k', 1000);
    q.addAfter('k', 200);
    q.addAfter('k', 500);
    clock.advance(200);
    expect(q.length).toBe(1);
    q.done(q.get()!);
    clock.advance(2000);
    expect(q.length).toBe(0);
  });
});

describe('Informer', () => {
  it('caches, indexes and reports changes in store order', () => {
    const store = new Store();
    store.put('/registry/pods/default/a', { metadata: { name: 'a', namespace: 'default' }, spec: { nodeName: 'n1' } });
    const inf = new Informer(store, '/registry/pods/');
    inf.addIndex('node', (o) => o.spec.nodeName);
    const seen: string[] = [];
    inf.on({ add: (o) => seen.push(`add ${o.metadata.name}`), update: (_, o) => seen.push(`update ${o.metadata.name}`), delete: (o) => seen.push(`delete ${o.metadata.name}`) });
    store.put('/registry/pods/default/b', { metadata: { name: 'b', namespace: 'default' }, spec: { nodeName: 'n2' } });
    store.put('/registry/pods/default/a', { metadata: { name: 'a', namespace: 'default' }, spec: { nodeName: 'n2' } });
    store.delete('/registry/pods/default/b');
    store.put('/registry/podtemplates/default/x', { metadata: { name: 'x', namespace: 'default' } });
    expect(seen).toEqual(['add a', 'add b', 'update a', 'delete b']);
    expect(inf.byIndex('node', 'n1')).toEqual([]);
    expect(inf.byIndex('node', 'n2').map((o) => o.metadata.name)).toEqual(['a']);
    expect(inf.resourceVersion('default/a')).toBe(String(store.get('/registry/pods/default/a')!.modRevision));
  });
});

describe('Expectations', () => {
  it('are satisfied once every expected creation is observed, or after five minutes', () => {
    const clock = new VirtualClock(0);
    const e = new Expectations(clock);
    expect(e.satisfied('rs')).toBe(true);
    e.expect('rs', 2, 0);
    e.creationObserved('rs');
    expect(e.satisfied('rs')).toBe(false);
    e.creationObserved('rs');
    expect(e.satisfied('rs')).toBe(true);
    e.expect('rs', 1, 0);
    clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
    expect(e.satisfied('rs')).toBe(true);
  });
});
