import { describe, expect, it } from 'vitest';
import { harness } from '../controllers/testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('pod conditions', () => {
  it('keeps conditions other components own and holds Ready until every readiness gate is True', () => {
    const h = harness();
    h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { readinessGates: [{ conditionType: 'example.com/lb' }], containers: [{ name: 'c', image: 'nginx' }] } });
    h.advance(20_000);
    const conditions = () => (h.get('/api/v1/namespaces/default/pods/p')!.status.conditions as Obj[]).map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${c.message}` : ''}`);
    expect(conditions()).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=False ReadinessGatesNotReady: corresponding condition of pod readiness gate "example.com/lb" does not exist.',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    const setGate = (status: string) => {
      const p = h.get('/api/v1/namespaces/default/pods/p')!;
      const others = (p.status.conditions as Obj[]).filter((c) => c.type !== 'example.com/lb');
      h.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/p/status', body: { ...p, status: { ...p.status, conditions: [{ type: 'example.com/lb', status, lastProbeTime: null, lastTransitionTime: p.status.startTime }, ...others] } } });
      h.advance(20_000);
    };
    setGate('False');
    expect(conditions()[0]).toBe('example.com/lb=False');
    expect(conditions()[3]).toBe('Ready=False ReadinessGatesNotReady: the status of pod readiness gate "example.com/lb" is not "True", but False');
    setGate('True');
    expect(conditions()).toEqual(['example.com/lb=True', 'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  });
});
