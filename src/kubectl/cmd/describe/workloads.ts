/** Describers for the workload controllers: Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job, CronJob. */
import { podPhases, podTemplateBlock } from './pod';
import { canonical } from './quantity';
import {
  annotationsBlock,
  controllerOf,
  eventsBlock,
  formatLabels,
  formatLabelSelector,
  getObject,
  labelsBlock,
  listAll,
  PrefixWriter,
  printBoolPtr,
  refOf,
  rfc1123z,
  searchEvents,
  selectorString,
  since,
  type Describer,
  type Obj,
} from './writer';

function conditionsBlock(w: PrefixWriter, conditions: Obj[] | undefined): void {
  if (!conditions?.length) return;
  w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(1, '----\t------\t------\n');
  for (const c of conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

/** The deployment's template without the pod-template-hash label, for comparison with a ReplicaSet's. */
function templateKey(template: Obj | undefined): string {
  const copy = JSON.parse(JSON.stringify(template ?? {})) as Obj;
  if (copy.metadata?.labels) delete copy.metadata.labels['pod-template-hash'];
  return stableJson(copy);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Obj)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Obj)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export const describeDeployment: Describer = async (env, namespace, name) => {
  const d = await getObject(env, `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
  const events = await searchEvents(env, refOf(d, 'Deployment'));
  let oldRSs: Obj[] = [];
  let newRS: Obj | undefined;
  try {
    const selector = selectorString(d.spec?.selector);
    const all = (await listAll(env, `/apis/apps/v1/namespaces/${namespace}/replicasets`, selector ? { labelSelector: selector } : {})).filter((rs) =>
      ((rs.metadata?.ownerReferences ?? []) as Obj[]).some((r) => r.controller && r.uid === d.metadata.uid),
    );
    const byAge = [...all].sort((a, b) => {
      const ta = Date.parse(a.metadata.creationTimestamp);
      const tb = Date.parse(b.metadata.creationTimestamp);
      return ta !== tb ? ta - tb : a.metadata.name < b.metadata.name ? -1 : 1;
    });
    const key = templateKey(d.spec?.template);
    newRS = byAge.find((rs) => templateKey(rs.spec?.template) === key);
    oldRSs = all.filter((rs) => rs !== newRS);
  } catch {
    // kubectl describes the deployment without its ReplicaSets when it cannot list them.
  }
  const w = new PrefixWriter();
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsBlock(w, 'Labels', d.metadata.labels);
  annotationsBlock(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${selectorString(d.spec?.selector)}\n`);
  const s = d.status ?? {};
  w.write(0, `Replicas:\t${d.spec?.replicas ?? 0} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec?.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec?.minReadySeconds ?? 0}\n`);
  const ru = d.spec?.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? 0} max unavailable, ${ru.maxSurge ?? 0} max surge\n`);
  podTemplateBlock(w, d.spec?.template);
  conditionsBlock(w, s.conditions);
  if (oldRSs.length || newRS) {
    const list = (rss: Obj[]) => rss.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';
    w.write(0, `OldReplicaSets:\t${list(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${list(newRS ? [newRS] : [])}\n`);
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeReplicaSet: Describer = async (env, namespace, name) => {
  const rs = await getObject(env, `/apis/apps/v1/namespaces/${namespace}/replicasets/${name}`);
  let phases: string;
  try {
    phases = await podPhases(env, namespace, selectorString(rs.spec?.selector), rs.metadata.uid);
  } catch (err) {
    phases = `error in fetching pods: ${(err as Error).message}`;
  }
  const events = await searchEvents(env, refOf(rs, 'ReplicaSet'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  labelsBlock(w, 'Labels', rs.metadata.labels);
  annotationsBlock(w, 'Annotations', rs.metadata.annotations);
  const controlledBy = controllerOf(rs);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${phases}\n`);
  podTemplateBlock(w, rs.spec?.template);
  conditionsBlock(w, rs.status?.conditions);
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeReplicationController: Describer = async (env, namespace, name) => {
  const rc = await getObject(env, `/api/v1/namespaces/${namespace}/replicationcontrollers/${name}`);
  const phases = await podPhases(env, namespace, formatLabels(rc.spec?.selector).replace(/^<none>$/, ''), rc.metadata.uid);
  const events = await searchEvents(env, refOf(rc, 'ReplicationController'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rc.metadata.name}\n`);
  w.write(0, `Namespace:\t${rc.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabels(rc.spec?.selector)}\n`);
  labelsBlock(w, 'Labels', rc.metadata.labels);
  annotationsBlock(w, 'Annotations', rc.metadata.annotations);
  w.write(0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${rc.spec?.replicas ?? 0} desired\n`);
  w.write(0, `Pods Status:\t${phases}\n`);
  podTemplateBlock(w, rc.spec?.template);
  conditionsBlock(w, rc.status?.conditions);
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeDaemonSet: Describer = async (env, namespace, name) => {
  const ds = await getObject(env, `/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`);
  const selector = selectorString(ds.spec?.selector);
  const phases = await podPhases(env, namespace, selector, ds.metadata.uid);
  const events = await searchEvents(env, refOf(ds, 'DaemonSet'));
  const s = ds.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Selector:\t${selector}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  labelsBlock(w, 'Labels', ds.metadata.labels);
  annotationsBlock(w, 'Annotations', ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${s.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${s.numberMisscheduled ?? 0}\n`);
  w.write(0, `Pods Status:\t${phases}\n`);
  podTemplateBlock(w, ds.spec?.template);
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeStatefulSet: Describer = async (env, namespace, name) => {
  const ss = await getObject(env, `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}`);
  const selector = selectorString(ss.spec?.selector);
  const phases = await podPhases(env, namespace, selector, ss.metadata.uid);
  const events = await searchEvents(env, refOf(ss, 'StatefulSet'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ss.metadata.name}\n`);
  w.write(0, `Namespace:\t${ss.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(ss.metadata.creationTimestamp)}\n`);
  w.write(0, `Selector:\t${selector}\n`);
  labelsBlock(w, 'Labels', ss.metadata.labels);
  annotationsBlock(w, 'Annotations', ss.metadata.annotations);
  w.write(0, `Replicas:\t${ss.spec?.replicas ?? 0} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(0, `Update Strategy:\t${ss.spec?.updateStrategy?.type ?? ''}\n`);
  const ru = ss.spec?.updateStrategy?.rollingUpdate;
  if (ru && ru.partition !== undefined) {
    w.write(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) w.write(1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(0, `Pods Status:\t${phases}\n`);
  podTemplateBlock(w, ss.spec?.template);
  const templates: Obj[] = ss.spec?.volumeClaimTemplates ?? [];
  if (templates.length === 0) w.write(0, 'Volume Claims:\t<none>\n');
  else {
    w.write(0, 'Volume Claims:\n');
    for (const t of templates) {
      w.write(1, `Name:\t${t.metadata?.name ?? ''}\n`);
      w.write(1, `StorageClass:\t${t.spec?.storageClassName ?? t.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`);
      labelsBlock(w, 'Labels', t.metadata?.labels, '  ');
      labelsBlock(w, 'Annotations', t.metadata?.annotations, '  ');
      const storage = t.spec?.resources?.requests?.storage;
      w.write(1, `Capacity:\t${storage !== undefined ? canonical(storage) : '<default>'}\n`);
      w.write(1, `Access Modes:\t[${(t.spec?.accessModes ?? []).join(' ')}]\n`);
    }
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeJob: Describer = async (env, namespace, name) => {
  const job = await getObject(env, `/apis/batch/v1/namespaces/${namespace}/jobs/${name}`);
  const events = await searchEvents(env, refOf(job, 'Job'));
  const spec = job.spec ?? {};
  const s = job.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${job.metadata.name}\n`);
  w.write(0, `Namespace:\t${job.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
  labelsBlock(w, 'Labels', job.metadata.labels);
  annotationsBlock(w, 'Annotations', job.metadata.annotations);
  const controlledBy = controllerOf(job);
  if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
  if (spec.parallelism !== undefined) w.write(0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(0, spec.completions !== undefined && spec.completions !== null ? `Completions:\t${spec.completions}\n` : 'Completions:\t<unset>\n');
  if (spec.completionMode) w.write(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (s.startTime) w.write(0, `Start Time:\t${rfc1123z(s.startTime)}\n`);
  if (s.completionTime) w.write(0, `Completed At:\t${rfc1123z(s.completionTime)}\n`);
  if (s.startTime && s.completionTime) w.write(0, `Duration:\t${since(s.startTime, Date.parse(s.completionTime))}\n`);
  if (spec.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  w.write(
    0,
    s.ready === undefined || s.ready === null
      ? `Pods Statuses:\t${s.active ?? 0} Active / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`
      : `Pods Statuses:\t${s.active ?? 0} Active (${s.ready} Ready) / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`,
  );
  if (spec.completionMode === 'Indexed') w.write(0, `Completed Indexes:\t${capIndexes(s.completedIndexes ?? '', 50)}\n`);
  podTemplateBlock(w, spec.template);
  eventsBlock(w, events, env.now);
  return w.toString();
};

function capIndexes(indexes: string, soft: number): string {
  if (!indexes) return '<none>';
  let ix = soft;
  while (ix < indexes.length && indexes[ix] !== ',') ix++;
  return ix >= indexes.length ? indexes : `${indexes.slice(0, ix + 1)}...`;
}

export const describeCronJob: Describer = async (env, namespace, name) => {
  const cj = await getObject(env, `/apis/batch/v1/namespaces/${namespace}/cronjobs/${name}`);
  const events = await searchEvents(env, refOf(cj, 'CronJob'));
  const spec = cj.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cj.metadata.name}\n`);
  w.write(0, `Namespace:\t${cj.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', cj.metadata.labels);
  annotationsBlock(w, 'Annotations', cj.metadata.annotations);
  w.write(0, `Schedule:\t${spec.schedule ?? ''}\n`);
  w.write(0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(0, `Suspend:\t${printBoolPtr(spec.suspend)}\n`);
  const opt = (v: unknown, suffix = '') => (v === undefined || v === null ? '<unset>' : `${v}${suffix}`);
  w.write(0, `Successful Job History Limit:\t${opt(spec.successfulJobsHistoryLimit)}\n`);
  w.write(0, `Failed Job History Limit:\t${opt(spec.failedJobsHistoryLimit)}\n`);
  w.write(0, `Starting Deadline Seconds:\t${opt(spec.startingDeadlineSeconds, 's')}\n`);
  const jt = spec.jobTemplate?.spec ?? {};
  w.write(0, jt.selector ? `Selector:\t${selectorString(jt.selector)}\n` : 'Selector:\t<unset>\n');
  w.write(0, `Parallelism:\t${opt(jt.parallelism)}\n`);
  w.write(0, `Completions:\t${opt(jt.completions)}\n`);
  if (jt.activeDeadlineSeconds !== undefined) w.write(0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  podTemplateBlock(w, jt.template);
  w.write(0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}\n`);
  const active: Obj[] = cj.status?.active ?? [];
  w.write(0, 'Active Jobs:\t');
  if (active.length === 0) w.line('<none>');
  else w.line(active.map((j) => j.name).join(', '));
  eventsBlock(w, events, env.now);
  return w.toString();
};
