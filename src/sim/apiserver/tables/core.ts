/** Table printers for the core (v1) kinds. */
import { humanDuration } from '../duration';
import {
  accessModes,
  age,
  ageCol,
  col,
  containerCells,
  createdAt,
  formatLabels,
  nameCol,
  replicaPrinter,
  since,
  type Obj,
  type TablePrinter,
} from './helpers';

function isRestartableInit(c: Obj | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** printPod: READY, STATUS (with init, waiting and terminated reasons) and RESTARTS as kubectl shows them. */
function podCells(pod: Obj, now: number): unknown[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart: string | undefined;
  let lastRestartableInitRestart: string | undefined;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initContainers = new Map<string, Obj>();
  if (spec.initContainers)
    for (const c of spec.initContainers) {
      initContainers.set(c.name, c);
      if (isRestartableInit(c)) totalContainers++;
    }
  let initializing = false;
  const initStatuses: Obj[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount ?? 0;
    const finished = cs.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = later(lastRestart, finished);
    const restartable = isRestartableInit(initContainers.get(cs.name));
    if (restartable) {
      restartableInitRestarts += cs.restartCount ?? 0;
      if (finished) lastRestartableInitRestart = later(lastRestartableInitRestart, finished);
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && cs.started) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }
  const initializedTrue = (status.conditions ?? []).some((c: Obj) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: Obj[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount ?? 0;
      const finished = cs.lastState?.terminated?.finishedAt;
      if (finished) lastRestart = later(lastRestart, finished);
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCondition = (status.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
      reason = readyCondition ? 'Running' : 'NotReady';
    }
  }
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart) restartsText = `${restarts} (${humanDuration(now - Date.parse(lastRestart))} ago)`;

  const podIP = status.podIPs?.[0]?.ip || '<none>';
  let readinessGates = '<none>';
  const gates: Obj[] = spec.readinessGates ?? [];
  if (gates.length) {
    const trueCount = gates.filter((g) => (status.conditions ?? []).find((c: Obj) => c.type === g.conditionType)?.status === 'True').length;
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata.name,
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsText,
    age(pod, now),
    podIP,
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates,
  ];
}

/** getServiceExternalIP as kubectl shows it (wide: load-balancer addresses in full). */
function serviceExternalIP(svc: Obj): string {
  const spec = svc.spec ?? {};
  const externalIPs: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? [];
      const lb = ingress.map((i) => i.ip || i.hostname).filter(Boolean) as string[];
      if (externalIPs.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Obj): string {
  const ports: Obj[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

function formatEndpoints(ep: Obj): string {
  const subsets: Obj[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses: Obj[] = ss.addresses ?? [];
    const ports: Obj[] = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip.includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function eventSource(e: Obj): string {
  const source = e.source ?? {};
  const component = source.component || e.reportingComponent || e.reportingController || '';
  const host = source.host || e.reportingInstance || '';
  if (!component && !host) return '<none>';
  return host ? `${component}, ${host}` : component;
}

/** Micro-timestamps (eventTime) print like timestamps. */
function eventTimes(e: Obj, now: number): { first: string; last: string; count: number } {
  let first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count: number = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = e.series.count;
  } else if (count === 0) {
    count = 1;
  }
  if (!e.firstTimestamp && !e.eventTime) first = '<unknown>';
  return { first, last, count };
}

function pvClass(obj: Obj): string {
  return obj.spec?.storageClassName ?? obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

function pvcClass(obj: Obj): string {
  return obj.spec?.storageClassName ?? obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

export const CORE_PRINTERS: Record<string, TablePrinter> = {
  Pod: {
    columns: [
      nameCol,
      col('Ready', 0, 'string', '', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 0, 'string', '', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 0, 'string', '', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      ageCol,
      col('IP', 1, 'string', '', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
      col('Node', 1, 'string', '', 'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.'),
      col('Nominated Node', 1, 'string', '', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.'),
      col('Readiness Gates', 1, 'string', '', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates'),
    ],
    cells: podCells,
  },
  PodTemplate: {
    columns: [nameCol, col('Containers'), col('Images'), col('Pod Labels')],
    cells: (o) => [o.metadata.name, ...containerCells(o.template?.spec), formatLabels(o.template?.metadata?.labels)],
  },
  ReplicationController: replicaPrinter((o) => formatLabels(o.spec?.selector)),
  Service: {
    columns: [nameCol, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), ageCol, col('Selector', 1)],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.type ?? 'ClusterIP',
      o.spec?.clusterIP || '<none>',
      serviceExternalIP(o),
      servicePorts(o),
      age(o, now),
      formatLabels(o.spec?.selector),
    ],
  },
  Endpoints: {
    columns: [nameCol, col('Endpoints'), ageCol],
    cells: (o, now) => [o.metadata.name, formatEndpoints(o), age(o, now)],
  },
  Namespace: {
    columns: [nameCol, col('Status', 0, 'string', '', 'The status of the namespace'), ageCol],
    cells: (o, now) => [o.metadata.name, o.status?.phase ?? '', age(o, now)],
  },
  Secret: {
    columns: [nameCol, col('Type'), col('Data', 0, 'string'), ageCol],
    cells: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o, now)],
  },
  ServiceAccount: {
    columns: [nameCol, col('Secrets', 0, 'string'), ageCol],
    cells: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o, now)],
  },
  ConfigMap: {
    columns: [nameCol, col('Data', 0, 'string'), ageCol],
    cells: (o, now) => [o.metadata.name, Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)],
  },
  Event: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Subobject', 1),
      col('Source', 1),
      col('Message'),
      col('First Seen', 1),
      col('Count', 1, 'integer'),
      col('Name', 1),
    ],
    cells: (given, now) => {
      // events.k8s.io/v1 Events print as the core Events they are stored as.
      const o = given.apiVersion === 'events.k8s.io/v1' ? asCoreEvent(given) : given;
      const { first, last, count } = eventTimes(o, now);
      const involved = o.involvedObject ?? {};
      const kind = String(involved.kind ?? '').toLowerCase();
      const target = involved.name ? `${kind}/${involved.name}` : kind;
      return [last, o.type ?? '', o.reason ?? '', target, involved.fieldPath ?? '', eventSource(o), String(o.message ?? '').trim(), first, count, o.metadata.name];
    },
  },
  LimitRange: {
    columns: [nameCol, col('Created At', 0, 'date')],
    cells: (o) => [o.metadata.name, createdAt(o)],
  },
  ResourceQuota: {
    columns: [nameCol, ageCol, col('Request'), col('Limit')],
    cells: (o, now) => {
      const hard: Record<string, string> = o.status?.hard ?? {};
      const used: Record<string, string> = o.status?.used ?? {};
      const request: string[] = [];
      const limit: string[] = [];
      for (const r of Object.keys(hard).sort()) {
        const text = `${r}: ${used[r] ?? '0'}/${hard[r]}`;
        (r.startsWith('limits.') ? limit : request).push(text);
      }
      return [o.metadata.name, age(o, now), request.join(', '), limit.join(', ')];
    },
  },
  PersistentVolume: {
    columns: [
      nameCol,
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      ageCol,
      col('VolumeMode', 1),
    ],
    cells: (o, now) => {
      const claim = o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ''}/${o.spec.claimRef.name ?? ''}` : '';
      const phase = o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '');
      return [
        o.metadata.name,
        o.spec?.capacity?.storage ?? '0',
        accessModes(o.spec?.accessModes),
        o.spec?.persistentVolumeReclaimPolicy ?? '',
        phase,
        claim,
        pvClass(o),
        o.spec?.volumeAttributesClassName ?? '<unset>',
        o.status?.reason ?? '',
        age(o, now),
        o.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  PersistentVolumeClaim: {
    columns: [nameCol, col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), ageCol, col('VolumeMode', 1)],
    cells: (o, now) => {
      const bound = !!o.spec?.volumeName;
      return [
        o.metadata.name,
        o.metadata.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
        o.spec?.volumeName ?? '',
        bound ? (o.status?.capacity?.storage ?? '0') : '',
        bound ? accessModes(o.status?.accessModes) : '',
        pvcClass(o),
        o.spec?.volumeAttributesClassName ?? '<unset>',
        age(o, now),
        o.spec?.volumeMode ?? '<unset>',
      ];
    },
  },
  ComponentStatus: {
    columns: [nameCol, col('Status'), col('Message'), col('Error')],
    cells: (o) => {
      const healthy = (o.conditions ?? []).find((c: Obj) => c.type === 'Healthy');
      const status = !healthy ? 'Unknown' : healthy.status === 'True' ? 'Healthy' : 'Unhealthy';
      return [o.metadata.name, status, healthy?.message ?? '', healthy?.error ?? ''];
    },
  },
};

/** An events.k8s.io/v1 Event in core v1 terms (what upstream's conversion to the internal Event does). */
function asCoreEvent(e: Obj): Obj {
  return {
    ...e,
    involvedObject: e.regarding,
    message: e.note,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  };
}
