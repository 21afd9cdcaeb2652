/**
 * Versions that share storage: events.k8s.io/v1 Events are stored as core v1 Events, and
 * autoscaling/v1 HorizontalPodAutoscalers as autoscaling/v2, as kube-apiserver stores them.
 * Objects are converted to the storage version on the way in and to the requested one on the
 * way out.
 */
import { apiVersionOf, type ResourceType } from './registry';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function compact(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function eventToCore(e: Obj): Obj {
  return compact({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource ?? {},
    firstTimestamp: e.deprecatedFirstTimestamp ?? null,
    lastTimestamp: e.deprecatedLastTimestamp ?? null,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime ?? null,
    series: e.series ? { count: e.series.count, lastObservedTime: e.series.lastObservedTime } : undefined,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
  });
}

function eventFromCore(e: Obj): Obj {
  const empty = (v: unknown) => v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);
  return compact({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: empty(e.reportingComponent) ? undefined : e.reportingComponent,
    reportingInstance: empty(e.reportingInstance) ? undefined : e.reportingInstance,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: empty(e.source) ? undefined : e.source,
    deprecatedFirstTimestamp: e.firstTimestamp ?? undefined,
    deprecatedLastTimestamp: e.lastTimestamp ?? undefined,
    deprecatedCount: e.count,
  });
}

function cpuTarget(metrics: Obj[] | undefined): number | undefined {
  const m = (metrics ?? []).find((x) => x.type === 'Resource' && x.resource?.name === 'cpu' && x.resource?.target?.type === 'Utilization');
  return m?.resource?.target?.averageUtilization;
}

function hpaToV2(h: Obj): Obj {
  const spec = h.spec ?? {};
  const status = h.status;
  return compact({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: h.metadata,
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics:
        spec.targetCPUUtilizationPercentage !== undefined
          ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }]
          : undefined,
    }),
    status: status
      ? compact({
          observedGeneration: status.observedGeneration,
          lastScaleTime: status.lastScaleTime,
          currentReplicas: status.currentReplicas,
          desiredReplicas: status.desiredReplicas,
          currentMetrics:
            status.currentCPUUtilizationPercentage !== undefined
              ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }]
              : undefined,
        })
      : undefined,
  });
}

function hpaToV1(h: Obj): Obj {
  const spec = h.spec ?? {};
  const status = h.status;
  const current = (status?.currentMetrics ?? []).find((m: Obj) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const annotations = { ...(h.metadata?.annotations ?? {}) };
  if (status?.conditions?.length) annotations['autoscaling.alpha.kubernetes.io/conditions'] = JSON.stringify(status.conditions);
  return compact({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...h.metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpuTarget(spec.metrics),
    }),
    status: status
      ? compact({
          observedGeneration: status.observedGeneration,
          lastScaleTime: status.lastScaleTime,
          currentReplicas: status.currentReplicas ?? 0,
          desiredReplicas: status.desiredReplicas ?? 0,
          currentCPUUtilizationPercentage: current?.resource?.current?.averageUtilization,
        })
      : undefined,
  });
}

/** Converts an object in `type`'s version to the version stored in etcd. */
/** Whether objects of this served version are converted to another one for storage. */
export function convertsForStorage(type: ResourceType): boolean {
  const gv = apiVersionOf(type);
  return (gv === 'events.k8s.io/v1' && type.kind === 'Event') || (gv === 'autoscaling/v1' && type.kind === 'HorizontalPodAutoscaler');
}

export function toStorage(type: ResourceType, obj: Obj): Obj {
  const gv = apiVersionOf(type);
  if (gv === 'events.k8s.io/v1' && type.kind === 'Event') return eventToCore(obj);
  if (gv === 'autoscaling/v1' && type.kind === 'HorizontalPodAutoscaler') return hpaToV2(obj);
  return obj;
}

/** Converts a stored object to `type`'s version. */
export function fromStorage(type: ResourceType, obj: Obj): Obj {
  const gv = apiVersionOf(type);
  if (obj.apiVersion === gv) return obj;
  if (gv === 'events.k8s.io/v1' && type.kind === 'Event') return eventFromCore(obj);
  if (gv === 'autoscaling/v1' && type.kind === 'HorizontalPodAutoscaler') return hpaToV1(obj);
  return obj;
}
