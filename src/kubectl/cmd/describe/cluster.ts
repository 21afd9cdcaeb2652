/** Describers for Node, Namespace, ResourceQuota, LimitRange, PriorityClass, PodDisruptionBudget and HorizontalPodAutoscaler. */
import { addQuantity, canonical, formatQuantity, parseQuantity, quantityMilli, quantityValue, ZERO, type Quantity } from './quantity';
import {
  annotationsBlock,
  apiError,
  eventsBlock,
  formatLabels,
  formatLabelSelector,
  getObject,
  labelsBlock,
  listAll,
  PrefixWriter,
  refOf,
  rfc1123z,
  searchEvents,
  since,
  sortedKeys,
  taintsBlock,
  type Describer,
  type Obj,
} from './writer';

// ---- Node ------------------------------------------------------------------------------------

/** Requests and limits of a pod as the scheduler counts them (PodRequestsAndLimits). */
function podRequestsAndLimits(pod: Obj): { req: Map<string, Quantity>; lim: Map<string, Quantity> } {
  const sum = (lists: Obj[]) => {
    const out = new Map<string, Quantity>();
    for (const l of lists) for (const [k, v] of Object.entries(l ?? {})) out.set(k, addQuantity(out.get(k) ?? ZERO, parseQuantity(v as string)));
    return out;
  };
  const containers: Obj[] = pod.spec?.containers ?? [];
  const inits: Obj[] = pod.spec?.initContainers ?? [];
  const req = sum(containers.map((c) => c.resources?.requests));
  const lim = sum(containers.map((c) => c.resources?.limits));
  // Sidecars (restartable init containers) add up; ordinary init containers set a floor.
  const sidecarReq = new Map<string, Quantity>();
  const sidecarLim = new Map<string, Quantity>();
  for (const c of inits) {
    const r: Obj = c.resources?.requests ?? {};
    const l: Obj = c.resources?.limits ?? {};
    if (c.restartPolicy === 'Always') {
      for (const [k, v] of Object.entries(r)) {
        sidecarReq.set(k, addQuantity(sidecarReq.get(k) ?? ZERO, parseQuantity(v)));
        req.set(k, addQuantity(req.get(k) ?? ZERO, parseQuantity(v)));
      }
      for (const [k, v] of Object.entries(l)) {
        sidecarLim.set(k, addQuantity(sidecarLim.get(k) ?? ZERO, parseQuantity(v)));
        lim.set(k, addQuantity(lim.get(k) ?? ZERO, parseQuantity(v)));
      }
      continue;
    }
    for (const [k, v] of Object.entries(r)) {
      const q = addQuantity(parseQuantity(v), sidecarReq.get(k) ?? ZERO);
      if (!req.has(k) || q.nanos > req.get(k)!.nanos) req.set(k, q);
    }
    for (const [k, v] of Object.entries(l)) {
      const q = addQuantity(parseQuantity(v), sidecarLim.get(k) ?? ZERO);
      if (!lim.has(k) || q.nanos > lim.get(k)!.nanos) lim.set(k, q);
    }
  }
  for (const [k, v] of Object.entries((pod.spec?.overhead ?? {}) as Obj)) {
    if (req.has(k)) req.set(k, addQuantity(req.get(k)!, parseQuantity(v)));
    if (lim.has(k)) lim.set(k, addQuantity(lim.get(k)!, parseQuantity(v)));
  }
  return { req, lim };
}

function percent(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Math.trunc((Number(part) / Number(whole)) * 100);
}

function nodeResources(w: PrefixWriter, pods: Obj[], node: Obj, now: number): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc: Obj = Object.keys(node.status?.allocatable ?? {}).length ? node.status.allocatable : (node.status?.capacity ?? {});
  const cpu = quantityMilli(parseQuantity(alloc.cpu));
  const mem = quantityValue(parseQuantity(alloc.memory));
  const eph = quantityValue(parseQuantity(alloc['ephemeral-storage']));
  const goPercent = (part: bigint, whole: bigint) => (whole === 0n ? (part === 0n ? nanPercent() : infPercent()) : percent(part, whole));
  const totalReq = new Map<string, Quantity>();
  const totalLim = new Map<string, Quantity>();
  for (const pod of pods) {
    const { req, lim } = podRequestsAndLimits(pod);
    for (const [k, v] of req) totalReq.set(k, totalReq.has(k) ? addQuantity(totalReq.get(k)!, v) : v);
    for (const [k, v] of lim) totalLim.set(k, totalLim.has(k) ? addQuantity(totalLim.get(k)!, v) : v);
    const cr = req.get('cpu') ?? ZERO;
    const cl = lim.get('cpu') ?? ZERO;
    const mr = req.get('memory') ?? ZERO;
    const ml = lim.get('memory') ?? ZERO;
    w.write(
      1,
      `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${formatQuantity(cr)} (${goPercent(quantityMilli(cr), cpu)}%)\t${formatQuantity(cl)} (${goPercent(quantityMilli(cl), cpu)}%)\t${formatQuantity(mr)} (${goPercent(quantityValue(mr), mem)}%)\t${formatQuantity(ml)} (${goPercent(quantityValue(ml), mem)}%)\t${since(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const row = (name: string, whole: bigint, value: (q: Quantity) => bigint) => {
    const r = totalReq.get(name) ?? ZERO;
    const l = totalLim.get(name) ?? ZERO;
    w.write(1, `${name}\t${formatQuantity(r)} (${percent(value(r), whole)}%)\t${formatQuantity(l)} (${percent(value(l), whole)}%)\n`);
  };
  row('cpu', cpu, quantityMilli);
  row('memory', mem, quantityValue);
  row('ephemeral-storage', eph, quantityValue);
  const hugePages = sortedKeys(alloc).filter((k) => k.startsWith('hugepages-'));
  for (const k of hugePages) row(k, quantityValue(parseQuantity(alloc[k])), quantityValue);
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
  for (const k of sortedKeys(alloc)) {
    if (k.startsWith('hugepages-') || standard.has(k)) continue;
    w.write(1, `${k}\t${formatQuantity(totalReq.get(k) ?? ZERO)}\t${formatQuantity(totalLim.get(k) ?? ZERO)}\n`);
  }
}

/** Go prints int64(NaN) and int64(+Inf) of a zero allocatable as the minimum int64. */
function nanPercent(): string {
  return '-9223372036854775808';
}
function infPercent(): string {
  return '-9223372036854775808';
}

export const describeNode: Describer = async (env, _namespace, name) => {
  const node = await getObject(env, `/api/v1/nodes/${name}`);
  let pods: Obj[] | undefined;
  try {
    pods = await listAll(env, '/api/v1/pods', { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` });
  } catch (err) {
    if (!(err as Error).message.includes('(Forbidden)')) throw err;
  }
  let events: Obj[] | undefined;
  if (env.settings.showEvents) {
    const byUid = (await searchEvents(env, { kind: 'Node', namespace: '', name, uid: node.metadata.uid })) ?? [];
    const byName = (await searchEvents(env, { kind: 'Node', namespace: '', name, uid: name })) ?? [];
    events = [...byUid, ...byName];
  }
  const lease = await env.client.request({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}` });
  const w = new PrefixWriter();
  w.write(0, `Name:\t${node.metadata.name}\n`);
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((node.metadata.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  w.write(0, `Roles:\t${roles.size ? [...roles].sort().join(',') : '<none>'}\n`);
  labelsBlock(w, 'Labels', node.metadata.labels);
  annotationsBlock(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
  taintsBlock(w, 'Taints', node.spec?.taints);
  w.write(0, `Unschedulable:\t${!!node.spec?.unschedulable}\n`);
  if (lease.status < 400) {
    const spec = (lease.body as Obj).spec ?? {};
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
  } else w.write(0, `Lease:\tFailed to get lease: ${apiError(lease.body).message.replace(/^Error from server \(\w+\): /, '')}\n`);
  const conditions: Obj[] = node.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions)
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(0, 'Addresses:\n');
  for (const a of (node.status?.addresses ?? []) as Obj[]) w.write(1, `${a.type}:\t${a.address}\n`);
  const resourceList = (list: Obj) => {
    for (const k of sortedKeys(list)) w.write(0, `  ${k}:\t${canonical(list[k])}\n`);
  };
  if (Object.keys(node.status?.capacity ?? {}).length) {
    w.write(0, 'Capacity:\n');
    resourceList(node.status.capacity);
  }
  if (Object.keys(node.status?.allocatable ?? {}).length) {
    w.write(0, 'Allocatable:\n');
    resourceList(node.status.allocatable);
  }
  const info = node.status?.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ''}\n`);
  if (node.spec?.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
  if (node.spec?.providerID) w.write(0, `ProviderID:\t${node.spec.providerID}\n`);
  if (pods) nodeResources(w, pods, node, env.now);
  else w.write(0, 'Pods:\tnot authorized\n');
  eventsBlock(w, events, env.now);
  return w.toString();
};

// ---- Namespace, quotas, limit ranges --------------------------------------------------------

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function limitRangeRows(w: PrefixWriter, lr: Obj, prefix: string): void {
  for (const item of (lr.spec?.limits ?? []) as Obj[]) {
    const fields = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'];
    const names = new Set<string>();
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) for (const k of Object.keys(item[f] ?? {})) names.add(k);
    // kubectl walks a Go map here (random order); a sorted order is one of its orders.
    for (const k of [...names].sort()) {
      const v = fields.map((f) => (item[f]?.[k] !== undefined ? canonical(item[f][k]) : '-'));
      w.write(0, `${prefix}${item.type}\t${k}\t${v.join('\t')}\n`);
    }
  }
}

export const describeNamespace: Describer = async (env, _namespace, name) => {
  const ns = await getObject(env, `/api/v1/namespaces/${name}`);
  const quotas = await listAll(env, `/api/v1/namespaces/${name}/resourcequotas`);
  const limits = await listAll(env, `/api/v1/namespaces/${name}/limitranges`);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsBlock(w, 'Labels', ns.metadata.labels);
  annotationsBlock(w, 'Annotations', ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
  const conditions: Obj[] = ns.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t------------------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  w.write(0, '\n');
  if (quotas.length === 0) w.write(0, 'No resource quota.\n');
  else {
    w.write(0, 'Resource Quotas\n');
    for (const q of [...quotas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
      w.write(1, `Name:\t${q.metadata.name}\n`);
      const scopes = [...((q.spec?.scopes ?? []) as string[])].sort();
      if (scopes.length) {
        w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
        for (const s of scopes) if (SCOPE_HELP[s]) w.write(1, `* ${SCOPE_HELP[s]}\n`);
      }
      w.write(1, 'Resource\tUsed\tHard\n');
      w.write(1, '--------\t---\t---\n');
      const hard: Obj = q.status?.hard ?? {};
      const used: Obj = q.status?.used ?? {};
      for (const r of sortedKeys(hard)) w.write(1, `${r}\t${canonical(used[r] ?? '0')}\t${canonical(hard[r])}\n`);
    }
  }
  w.write(0, '\n');
  if (limits.length === 0) w.write(0, 'No LimitRange resource.\n');
  else {
    w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    for (const lr of limits) limitRangeRows(w, lr, ' ');
  }
  return w.toString();
};

export const describeResourceQuota: Describer = async (env, namespace, name) => {
  const q = await getObject(env, `/api/v1/namespaces/${namespace}/resourcequotas/${name}`);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${q.metadata.name}\n`);
  w.write(0, `Namespace:\t${q.metadata.namespace}\n`);
  const scopes = [...((q.spec?.scopes ?? []) as string[])].sort();
  if (scopes.length) {
    w.write(0, `Scopes:\t${scopes.join(', ')}\n`);
    for (const s of scopes) if (SCOPE_HELP[s]) w.write(0, ` * ${SCOPE_HELP[s]}\n`);
  }
  w.write(0, 'Resource\tUsed\tHard\n');
  w.write(0, '--------\t----\t----\n');
  const hard: Obj = q.status?.hard ?? {};
  const used: Obj = q.status?.used ?? {};
  for (const r of sortedKeys(hard)) {
    const h = parseQuantity(hard[r]);
    let u = parseQuantity(used[r] ?? '0');
    // A used value in another format is re-expressed in the hard limit's (as a whole number).
    if (u.format !== h.format) u = { nanos: quantityValue(u) * 1_000_000_000n, format: h.format };
    w.write(0, `${r}\t${formatQuantity(u)}\t${formatQuantity(h)}\n`);
  }
  return w.toString();
};

export const describeLimitRange: Describer = async (env, namespace, name) => {
  const lr = await getObject(env, `/api/v1/namespaces/${namespace}/limitranges/${name}`);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${lr.metadata.name}\n`);
  w.write(0, `Namespace:\t${lr.metadata.namespace}\n`);
  w.write(0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  limitRangeRows(w, lr, '');
  return w.toString();
};

// ---- Scheduling and disruption ---------------------------------------------------------------

export const describePriorityClass: Describer = async (env, _namespace, name) => {
  const pc = await getObject(env, `/apis/scheduling.k8s.io/v1/priorityclasses/${name}`);
  const events = await searchEvents(env, refOf(pc, 'PriorityClass'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pc.metadata.name}\n`);
  w.write(0, `Value:\t${pc.value ?? 0}\n`);
  w.write(0, `GlobalDefault:\t${!!pc.globalDefault}\n`);
  w.write(0, `PreemptionPolicy:\t${pc.preemptionPolicy ?? ''}\n`);
  w.write(0, `Description:\t${pc.description ?? ''}\n`);
  w.write(0, `Annotations:\t${formatLabels(pc.metadata.annotations)}\n`);
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describePodDisruptionBudget: Describer = async (env, namespace, name) => {
  const pdb = await getObject(env, `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${name}`);
  const events = await searchEvents(env, refOf(pdb, 'PodDisruptionBudget'));
  const spec = pdb.spec ?? {};
  const s = pdb.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pdb.metadata.name}\n`);
  w.write(0, `Namespace:\t${pdb.metadata.namespace}\n`);
  if (spec.minAvailable !== undefined) w.write(0, `Min available:\t${spec.minAvailable}\n`);
  else if (spec.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${spec.maxUnavailable}\n`);
  w.write(0, spec.selector ? `Selector:\t${formatLabelSelector(spec.selector)}\n` : 'Selector:\t<unset>\n');
  w.write(0, 'Status:\n');
  w.write(2, `Allowed disruptions:\t${s.disruptionsAllowed ?? 0}\n`);
  w.write(2, `Current:\t${s.currentHealthy ?? 0}\n`);
  w.write(2, `Desired:\t${s.desiredHealthy ?? 0}\n`);
  w.write(2, `Total:\t${s.expectedPods ?? 0}\n`);
  eventsBlock(w, events, env.now);
  return w.toString();
};

// ---- HorizontalPodAutoscaler (autoscaling/v2) ------------------------------------------------

function metricsBlock(w: PrefixWriter, hpa: Obj): void {
  const current: Obj[] = hpa.status?.currentMetrics ?? [];
  ((hpa.spec?.metrics ?? []) as Obj[]).forEach((m, i) => {
    const cur = current[i];
    switch (m.type) {
      case 'External': {
        const t = m.external?.target ?? {};
        if (t.averageValue !== undefined) {
          const c = cur?.external?.current?.averageValue !== undefined ? canonical(cur.external.current.averageValue) : '<unknown>';
          w.write(1, `${JSON.stringify(m.external.metric.name)} (target average value):\t${c} / ${canonical(t.averageValue)}\n`);
        } else {
          const c = cur?.external ? canonical(cur.external.current?.value ?? '0') : '<unknown>';
          w.write(1, `${JSON.stringify(m.external.metric.name)} (target value):\t${c} / ${canonical(t.value ?? '0')}\n`);
        }
        break;
      }
      case 'Pods': {
        const c = cur?.pods ? canonical(cur.pods.current?.averageValue ?? '0') : '<unknown>';
        w.write(1, `${JSON.stringify(m.pods.metric.name)} on pods:\t${c} / ${canonical(m.pods.target?.averageValue ?? '0')}\n`);
        break;
      }
      case 'Object': {
        const o = m.object;
        w.write(1, `"${o.metric.name}" on ${o.describedObject.kind}/${o.describedObject.name} `);
        if (o.target?.type === 'AverageValue') {
          const c = cur?.object ? canonical(cur.object.current?.averageValue ?? '0') : '<unknown>';
          w.write(0, `(target average value):\t${c} / ${canonical(o.target.averageValue ?? '0')}\n`);
        } else {
          const c = cur?.object ? canonical(cur.object.current?.value ?? '0') : '<unknown>';
          w.write(0, `(target value):\t${c} / ${canonical(o.target?.value ?? '0')}\n`);
        }
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const r = m.type === 'Resource' ? m.resource : m.containerResource;
        const c = m.type === 'Resource' ? cur?.resource : cur?.containerResource;
        w.write(1, m.type === 'Resource' ? `resource ${r.name} on pods` : `resource ${r.name} of container "${r.container}" on pods`);
        if (r.target?.averageValue !== undefined) {
          w.write(0, `:\t${c ? canonical(c.current?.averageValue ?? '0') : '<unknown>'} / ${canonical(r.target.averageValue)}\n`);
        } else {
          const currentText =
            c && c.current?.averageUtilization !== undefined ? `${c.current.averageUtilization}% (${canonical(c.current.averageValue ?? '0')})` : '<unknown>';
          const target = r.target?.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
          w.write(1, `(as a percentage of request):\t${currentText} / ${target}\n`);
        }
        break;
      }
      default:
        w.write(1, `<unknown metric type ${JSON.stringify(m.type ?? '')}>\n`);
    }
  });
}

function directionBlock(w: PrefixWriter, direction: string, rules: Obj | undefined): void {
  if (!rules) return;
  w.write(1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  if (rules.policies?.length) {
    w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(2, 'Policies:\n');
    for (const p of rules.policies as Obj[]) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

export const describeHorizontalPodAutoscaler: Describer = async (env, namespace, name) => {
  const hpa = await getObject(env, `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers/${name}`);
  const events = await searchEvents(env, refOf(hpa, 'HorizontalPodAutoscaler'));
  const spec = hpa.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${hpa.metadata.name}\n`);
  w.write(0, `Namespace:\t${hpa.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', hpa.metadata.labels);
  annotationsBlock(w, 'Annotations', hpa.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata.creationTimestamp)}\n`);
  w.write(0, `Reference:\t${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}\n`);
  w.write(0, 'Metrics:\t( current / target )\n');
  metricsBlock(w, hpa);
  w.write(0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
  w.write(0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
  if (spec.behavior) {
    w.write(0, 'Behavior:\n');
    directionBlock(w, 'Scale Up', spec.behavior.scaleUp);
    directionBlock(w, 'Scale Down', spec.behavior.scaleDown);
  }
  w.write(0, `${spec.scaleTargetRef?.kind ?? ''} pods:\t`);
  w.write(0, `${hpa.status?.currentReplicas ?? 0} current / ${hpa.status?.desiredReplicas ?? 0} desired\n`);
  const conditions: Obj[] = hpa.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tReason\tMessage\n');
    w.write(1, '----\t------\t------\t-------\n');
    for (const c of conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};
