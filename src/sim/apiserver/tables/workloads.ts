/** Table printers for apps/v1, batch/v1, autoscaling and policy kinds. */
import { humanDuration } from '../duration';
import { age, ageCol, boolPtr, col, containerCells, formatLabels, nameCol, replicaPrinter, selectorString, since, type Obj, type TablePrinter } from './helpers';

const wideContainerCols = [col('Containers', 1), col('Images', 1), col('Selector', 1)];

function hasCondition(o: Obj, type: string): boolean {
  return (o.status?.conditions ?? []).some((c: Obj) => c.type === type && c.status === 'True');
}

function jobStatus(o: Obj): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(o: Obj): string {
  const succeeded = o.status?.succeeded ?? 0;
  if (o.spec?.completions !== undefined && o.spec?.completions !== null) return `${succeeded}/${o.spec.completions}`;
  const parallelism = o.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: Obj, now: number): string {
  const start = o.status?.startTime;
  if (!start) return '';
  const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

/** formatHPAMetrics for the metric types a course uses (Resource, ContainerResource, Pods, Object, External). */
function hpaTargets(o: Obj): string {
  const specs: Obj[] = o.spec?.metrics ?? [];
  const statuses: Obj[] = o.status?.currentMetrics ?? [];
  if (specs.length === 0) return '<none>';
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const status = statuses[i];
    const resource = spec.type === 'Resource' ? spec.resource : spec.type === 'ContainerResource' ? spec.containerResource : undefined;
    const current = spec.type === 'Resource' ? status?.resource : spec.type === 'ContainerResource' ? status?.containerResource : undefined;
    if (resource) {
      const target = resource.target ?? {};
      if (target.averageValue !== undefined) {
        list.push(`${resource.name}: ${current?.current?.averageValue ?? '<unknown>'}/${target.averageValue}`);
      } else {
        const cur = current?.current?.averageUtilization !== undefined ? `${current.current.averageUtilization}%` : '<unknown>';
        const tgt = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
        list.push(`${resource.name}: ${cur}/${tgt}`);
      }
    } else if (spec.type === 'Pods') {
      list.push(`${status?.pods?.current?.averageValue ?? '<unknown>'}/${spec.pods?.target?.averageValue ?? ''}`);
    } else if (spec.type === 'Object') {
      const target = spec.object?.target ?? {};
      const cur = target.averageValue !== undefined ? status?.object?.current?.averageValue : status?.object?.current?.value;
      list.push(`${cur ?? '<unknown>'}/${target.averageValue ?? target.value ?? ''}${target.averageValue !== undefined ? ' (avg)' : ''}`);
    } else if (spec.type === 'External') {
      const target = spec.external?.target ?? {};
      const cur = target.averageValue !== undefined ? status?.external?.current?.averageValue : status?.external?.current?.value;
      list.push(`${cur ?? '<unknown>'}/${target.averageValue ?? target.value ?? ''}${target.averageValue !== undefined ? ' (avg)' : ''}`);
    } else {
      list.push('<unknown type>');
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** autoscaling/v1 objects carry their CPU target in targetCPUUtilizationPercentage. */
function hpaV2Metrics(o: Obj): Obj {
  if (o.spec?.metrics || o.spec?.targetCPUUtilizationPercentage === undefined) return o;
  const status = o.status?.currentCPUUtilizationPercentage;
  return {
    ...o,
    spec: { ...o.spec, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.spec.targetCPUUtilizationPercentage } } }] },
    status: {
      ...o.status,
      currentMetrics: status === undefined ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status } } }],
    },
  };
}

function intOrString(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

export const WORKLOAD_PRINTERS: Record<string, TablePrinter> = {
  Deployment: {
    columns: [nameCol, col('Ready'), col('Up-to-date', 0, 'string'), col('Available', 0, 'string'), ageCol, ...wideContainerCols],
    cells: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      ...containerCells(o.spec?.template?.spec),
      selectorString(o.spec?.selector),
    ],
  },
  ReplicaSet: replicaPrinter((o) => selectorString(o.spec?.selector)),
  DaemonSet: {
    columns: [
      nameCol,
      col('Desired', 0, 'integer'),
      col('Current', 0, 'integer'),
      col('Ready', 0, 'integer'),
      col('Up-to-date', 0, 'integer'),
      col('Available', 0, 'integer'),
      col('Node Selector'),
      ageCol,
      ...wideContainerCols,
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.status?.desiredNumberScheduled ?? 0,
      o.status?.currentNumberScheduled ?? 0,
      o.status?.numberReady ?? 0,
      o.status?.updatedNumberScheduled ?? 0,
      o.status?.numberAvailable ?? 0,
      formatLabels(o.spec?.template?.spec?.nodeSelector),
      age(o, now),
      ...containerCells(o.spec?.template?.spec),
      selectorString(o.spec?.selector),
    ],
  },
  StatefulSet: {
    columns: [nameCol, col('Ready'), ageCol, col('Containers', 1), col('Images', 1)],
    cells: (o, now) => [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, age(o, now), ...containerCells(o.spec?.template?.spec)],
  },
  ControllerRevision: {
    columns: [nameCol, col('Controller'), col('Revision', 0, 'integer'), ageCol],
    cells: (o, now) => {
      const ref = (o.metadata.ownerReferences ?? []).find((r: Obj) => r.controller);
      let controller = '<none>';
      if (ref) {
        const group = String(ref.apiVersion).includes('/') ? String(ref.apiVersion).split('/')[0] : '';
        controller = `${String(ref.kind).toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
      }
      return [o.metadata.name, controller, o.revision ?? 0, age(o, now)];
    },
  },
  Job: {
    columns: [nameCol, col('Status'), col('Completions'), col('Duration'), ageCol, ...wideContainerCols],
    cells: (o, now) => [
      o.metadata.name,
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, now),
      age(o, now),
      ...containerCells(o.spec?.template?.spec),
      selectorString(o.spec?.selector),
    ],
  },
  CronJob: {
    columns: [nameCol, col('Schedule'), col('Timezone'), col('Suspend', 0, 'boolean'), col('Active', 0, 'integer'), col('Last Schedule'), ageCol, ...wideContainerCols],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.schedule ?? '',
      o.spec?.timeZone ?? '<none>',
      boolPtr(o.spec?.suspend),
      (o.status?.active ?? []).length,
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>',
      age(o, now),
      ...containerCells(o.spec?.jobTemplate?.spec?.template?.spec),
      selectorString(o.spec?.jobTemplate?.spec?.selector),
    ],
  },
  HorizontalPodAutoscaler: {
    columns: [nameCol, col('Reference'), col('Targets'), col('MinPods'), col('MaxPods', 0, 'integer'), col('Replicas', 0, 'integer'), ageCol],
    cells: (raw, now) => {
      const o = hpaV2Metrics(raw);
      const ref = o.spec?.scaleTargetRef ?? {};
      return [
        o.metadata.name,
        `${ref.kind}/${ref.name}`,
        hpaTargets(o),
        o.spec?.minReplicas !== undefined ? String(o.spec.minReplicas) : '<unset>',
        o.spec?.maxReplicas ?? 0,
        o.status?.currentReplicas ?? 0,
        age(o, now),
      ];
    },
  },
  PodDisruptionBudget: {
    columns: [nameCol, col('Min Available'), col('Max Unavailable'), col('Allowed Disruptions', 0, 'integer'), ageCol],
    cells: (o, now) => [o.metadata.name, intOrString(o.spec?.minAvailable), intOrString(o.spec?.maxUnavailable), o.status?.disruptionsAllowed ?? 0, age(o, now)],
  },
};
