import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('versions sharing storage', () => {
  it('serves an autoscaling/v1 HPA as autoscaling/v2 and back', () => {
    const { api } = createCluster();
    const created = api.handle({
      method: 'POST',
      path: '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      },
    });
    expect(created.status).toBe(201);
    expect((created.body as Obj).apiVersion).toBe('autoscaling/v1');
    expect((created.body as Obj).spec.targetCPUUtilizationPercentage).toBe(50);
    const v2 = api.handle({ method: 'GET', path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web' }).body as Obj;
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const table = api.handle({ method: 'GET', path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', as: 'Table' }).body as Obj;
    expect(table.rows[0].cells.slice(0, 6)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/50%', '1', 5, 0]);
  });

  it('stores events.k8s.io Events as core Events', () => {
    const { api } = createCluster();
    const res = api.handle({
      method: 'POST',
      path: '/apis/events.k8s.io/v1/namespaces/default/events',
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: 'web.1' },
        eventTime: '2025-06-02T09:31:00.000000Z',
        reportingController: 'example.com/ctl',
        reportingInstance: 'ctl-1',
        action: 'Testing',
        reason: 'Tested',
        regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
        note: 'hello',
        type: 'Normal',
      },
    });
    expect(res.status).toBe(201);
    expect((res.body as Obj).note).toBe('hello');
    const core = api.handle({ method: 'GET', path: '/api/v1/namespaces/default/events/web.1' }).body as Obj;
    expect(core).toMatchObject({ apiVersion: 'v1', message: 'hello', involvedObject: { kind: 'Pod', name: 'web' }, reportingComponent: 'example.com/ctl', action: 'Testing' });
  });
});
