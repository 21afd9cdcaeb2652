import { describe, expect, it } from 'vitest';
import { applyDefaults, applyStatusDefaults } from './index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('status defaults', () => {
  it('default a status as the whole defaulter does, for every kind that defaults one', () => {
    const objects: Obj[] = [
      { kind: 'Service', spec: { ports: [{ port: 80 }] } },
      { kind: 'Service', spec: {}, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } },
      { kind: 'Namespace' },
      { kind: 'Namespace', status: { phase: 'Terminating' } },
      { kind: 'PersistentVolume', spec: {} },
      { kind: 'PersistentVolumeClaim', spec: {}, status: {} },
      { kind: 'Pod', spec: { containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Running' } },
      { kind: 'Pod', spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      { kind: 'Deployment', spec: {}, status: { replicas: 1 } },
    ];
    for (const o of objects) {
      const whole = structuredClone(o);
      applyDefaults(o.kind, whole);
      const statusOnly = { kind: o.kind, ...(o.status ? { status: structuredClone(o.status) } : {}) };
      applyStatusDefaults(o.kind, statusOnly);
      expect(statusOnly.status).toEqual(whole.status);
    }
  });
});
