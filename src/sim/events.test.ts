import { describe, expect, it } from 'vitest';
import type { KubeObject } from './apiserver';
import { createCluster } from './cluster';
import { EventRecorder, referenceTo } from './events';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const cluster = createCluster({ seed: 3 });
  const node = cluster.api.handle({ method: 'GET', path: '/api/v1/nodes/node01' }).body as KubeObject;
  const recorder = new EventRecorder(cluster.api, cluster.clock, { component: 'kubelet', host: 'node01' });
  const events = () => (cluster.api.handle({ method: 'GET', path: '/api/v1/namespaces/default/events' }).body as Obj).items as Obj[];
  return { cluster, node, recorder, events };
}

describe('EventRecorder', () => {
  it('records an Event in the namespace of the object (default for cluster-scoped ones)', () => {
    const { node, recorder, events, cluster } = setup();
    recorder.event(referenceTo(node), 'Normal', 'NodeReady', 'Node node01 status is now: NodeReady');
    const [e] = events();
    expect(e).toMatchObject({
      involvedObject: { kind: 'Node', name: 'node01', apiVersion: 'v1' },
      reason: 'NodeReady',
      message: 'Node node01 status is now: NodeReady',
      source: { component: 'kubelet', host: 'node01' },
      count: 1,
      type: 'Normal',
    });
    expect(e!.metadata.name).toMatch(/^node01\.[0-9a-f]+$/);
    expect(e!.firstTimestamp).toBe(new Date(cluster.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
  });

  it('folds repeats into one Event with a count and the last time', () => {
    const { node, recorder, events, cluster } = setup();
    recorder.event(referenceTo(node), 'Warning', 'Rebooted', 'Node node01 has been rebooted');
    const first = events()[0]!.firstTimestamp;
    cluster.clock.advance(30_000);
    recorder.event(referenceTo(node), 'Warning', 'Rebooted', 'Node node01 has been rebooted');
    const list = events();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ count: 2, firstTimestamp: first });
    expect(Date.parse(list[0]!.lastTimestamp) - Date.parse(first)).toBe(30_000);
  });

  it('combines bursts of similar events after ten different messages', () => {
    const { node, recorder, events } = setup();
    for (let i = 0; i < 12; i++) recorder.event(referenceTo(node), 'Warning', 'FailedMount', `volume v${i} not found`);
    const list = events();
    expect(list).toHaveLength(11);
    const combined = list.find((e) => e.message.startsWith('(combined from similar events)'))!;
    expect(combined).toMatchObject({ count: 2, message: '(combined from similar events): volume v11 not found' });
  });

  it('lets events expire an hour after their last change', () => {
    const { node, recorder, events, cluster } = setup();
    recorder.event(referenceTo(node), 'Normal', 'Starting', 'Starting kubelet.');
    cluster.clock.advance(59 * 60_000);
    expect(events()).toHaveLength(1);
    cluster.clock.advance(2 * 60_000);
    expect(events()).toHaveLength(0);
  });

  it('starts a new aggregate after ten minutes and folds repeats whatever the key parts contain', () => {
    const { node, recorder, events, cluster } = setup();
    for (let i = 0; i < 10; i++) recorder.event(referenceTo(node), 'Warning', 'FailedMount', `volume v${i} not found`);
    cluster.clock.advance(11 * 60_000);
    recorder.event(referenceTo(node), 'Warning', 'FailedMount', 'volume w not found');
    expect(events().some((e) => e.message.startsWith('(combined'))).toBe(false);
    recorder.event(referenceTo(node), 'Normal', 'Odd|Reason', 'x');
    recorder.event(referenceTo(node), 'Normal', 'Odd|Reason', 'x');
    expect(events().find((e) => e.reason === 'Odd|Reason')).toMatchObject({ count: 2 });
    expect(events()).toHaveLength(12);
  });
});

describe('event names', () => {
  it('write the event time in nanoseconds in hex, as BigInt arithmetic does', async () => {
    const { nanosHex } = await import('./events');
    for (const ms of [0, 1, 999, 2 ** 24 - 1, 2 ** 24, 1_748_854_800_000, 1_748_854_800_123, 2 ** 41 - 1, 2 ** 41, 2 ** 53 - 1])
      for (const extra of [0, 1, 999_999])
        expect(nanosHex(ms, extra)).toBe((BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16));
  });
});
