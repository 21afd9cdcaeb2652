/** Describers for Service, Endpoints, EndpointSlice, Ingress, IngressClass and NetworkPolicy. */
import {
  annotationsBlock,
  eventsBlock,
  formatLabels,
  formatLabelSelector,
  getObject,
  goTimeString,
  labelsBlock,
  listAll,
  PrefixWriter,
  refOf,
  searchEvents,
  type Describer,
  type DescribeEnv,
  type Obj,
} from './writer';

function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpointSlices: up to three ready addresses, "+ N more..." beyond. */
function formatEndpointSlices(slices: Obj[], ports: Set<string> | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const slice of slices) {
    const endpoints: Obj[] = slice.endpoints ?? [];
    if (!slice.ports?.length) {
      for (const ep of endpoints) {
        if (list.length === max) more = true;
        if (ep.conditions?.ready === false) continue;
        if (!more) list.push(ep.addresses?.[0]);
        count++;
      }
    } else {
      for (const port of slice.ports as Obj[]) {
        if (ports && !ports.has(port.name ?? '')) continue;
        for (const ep of endpoints) {
          if (list.length === max) more = true;
          if (ep.conditions?.ready === false) continue;
          if (!more) list.push(joinHostPort(ep.addresses?.[0], port.port));
          count++;
        }
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

async function slicesOf(env: DescribeEnv, namespace: string, service: string): Promise<Obj[]> {
  try {
    return await listAll(env, `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${service}` });
  } catch {
    return [];
  }
}

export const describeService: Describer = async (env, namespace, name) => {
  const svc = await getObject(env, `/api/v1/namespaces/${namespace}/services/${name}`);
  const res = await env.client.request({
    method: 'GET',
    path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
    query: { labelSelector: `kubernetes.io/service-name=${name}` },
  });
  const slices: Obj[] = res.status < 400 ? ((res.body as Obj).items ?? []) : [];
  const events = await searchEvents(env, refOf(svc, 'Service'));
  const spec = svc.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', svc.metadata.labels);
  annotationsBlock(w, 'Annotations', svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress: Obj[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length)
    w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : (i.hostname ?? ''))).join(', ')}\n`);
  for (const sp of (spec.ports ?? []) as Obj[]) {
    const portName = sp.name || '<unset>';
    w.write(0, `Port:\t${portName}\t${sp.port}/${sp.protocol}\n`);
    w.write(0, `TargetPort:\t${sp.targetPort ?? ''}/${sp.protocol}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${portName}\t${sp.nodePort}/${sp.protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, new Set([sp.name ?? '']))}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeEndpoints: Describer = async (env, namespace, name) => {
  const ep = await getObject(env, `/api/v1/namespaces/${namespace}/endpoints/${name}`);
  const events = await searchEvents(env, refOf(ep, 'Endpoints'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', ep.metadata.labels);
  annotationsBlock(w, 'Annotations', ep.metadata.annotations);
  w.write(0, 'Subsets:\n');
  for (const subset of (ep.subsets ?? []) as Obj[]) {
    w.write(1, `Addresses:\t${((subset.addresses ?? []) as Obj[]).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${((subset.notReadyAddresses ?? []) as Obj[]).map((a) => a.ip).join(',') || '<none>'}\n`);
    if (subset.ports?.length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of subset.ports as Obj[]) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
    }
    w.write(0, '\n');
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeEndpointSlice: Describer = async (env, namespace, name) => {
  const eps = await getObject(env, `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices/${name}`);
  const events = await searchEvents(env, refOf(eps, 'EndpointSlice'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${eps.metadata.name}\n`);
  w.write(0, `Namespace:\t${eps.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', eps.metadata.labels);
  annotationsBlock(w, 'Annotations', eps.metadata.annotations);
  w.write(0, `AddressType:\t${eps.addressType ?? ''}\n`);
  if (!eps.ports?.length) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of eps.ports as Obj[]) w.write(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
  }
  if (!eps.endpoints?.length) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of eps.endpoints as Obj[]) {
      w.write(1, `- Addresses:\t${(e.addresses ?? []).join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
      w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

async function backendString(env: DescribeEnv, namespace: string, backend: Obj): Promise<string> {
  if (backend.service) {
    const b = backend.service;
    const sb = `${b.name}:${b.port?.number ? b.port.number : (b.port?.name ?? '')}`;
    const slices = await slicesOf(env, namespace, b.name);
    const res = await env.client.request({ method: 'GET', path: `/api/v1/namespaces/${namespace}/services/${b.name}` });
    if (res.status >= 400) {
      const message = (res.body as { message?: string }).message ?? '';
      return `${sb} (<error: ${message}>)`;
    }
    let spName = '';
    for (const sp of ((res.body as Obj).spec?.ports ?? []) as Obj[]) {
      if (b.port?.number && b.port.number === sp.port) spName = sp.name ?? '';
      else if (b.port?.name && b.port.name === sp.name) spName = sp.name ?? '';
    }
    return `${sb} (${formatEndpointSlices(slices, new Set([spName]))})`;
  }
  if (backend.resource) {
    const r = backend.resource;
    return `APIGroup: ${r.apiGroup ?? '<none>'}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return '';
}

export const describeIngress: Describer = async (env, namespace, name) => {
  const ing = await getObject(env, `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses/${name}`);
  const events = await searchEvents(env, refOf(ing, 'Ingress'));
  const spec = ing.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ing.metadata.name}\n`);
  labelsBlock(w, 'Labels', ing.metadata.labels);
  w.write(0, `Namespace:\t${ing.metadata.namespace}\n`);
  const addresses = new Set<string>();
  for (const i of (ing.status?.loadBalancer?.ingress ?? []) as Obj[]) {
    if (i.ip) addresses.add(i.ip);
    else if (i.hostname) addresses.add(i.hostname);
  }
  w.write(0, `Address:\t${[...addresses].sort().join(',')}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  const def = spec.defaultBackend ? await backendString(env, namespace, spec.defaultBackend) : '<default>';
  w.write(0, `Default backend:\t${def}\n`);
  if (spec.tls?.length) {
    w.write(0, 'TLS:\n');
    for (const t of spec.tls as Obj[]) {
      if (!t.secretName) w.write(1, `SNI routes ${(t.hosts ?? []).join(',')}\n`);
      else w.write(1, `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n`);
    }
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of (spec.rules ?? []) as Obj[]) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || '*'}\t\n`);
    for (const p of (rule.http.paths ?? []) as Obj[]) w.write(2, `\t${p.path ?? ''} \t${await backendString(env, namespace, p.backend ?? {})}\n`);
  }
  if (count === 0) w.write(1, `*\t*\t${def}\n`);
  annotationsBlock(w, 'Annotations', ing.metadata.annotations);
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeIngressClass: Describer = async (env, _namespace, name) => {
  const ic = await getObject(env, `/apis/networking.k8s.io/v1/ingressclasses/${name}`);
  const events = await searchEvents(env, refOf(ic, 'IngressClass'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ic.metadata.name}\n`);
  labelsBlock(w, 'Labels', ic.metadata.labels);
  annotationsBlock(w, 'Annotations', ic.metadata.annotations);
  w.write(0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
  const params = ic.spec?.parameters;
  if (params) {
    w.write(0, 'Parameters:\n');
    if (params.apiGroup !== undefined) w.write(1, `APIGroup:\t${params.apiGroup}\n`);
    w.write(1, `Kind:\t${params.kind ?? ''}\n`);
    w.write(1, `Name:\t${params.name ?? ''}\n`);
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

function peersBlock(w: PrefixWriter, peers: Obj[] | undefined, title: string, anyText: string, indent: string): void {
  if (!peers?.length) {
    w.write(0, `${indent}${anyText}\n`);
    return;
  }
  for (const peer of peers) {
    w.write(0, `${indent}${title}:\n`);
    if (peer.podSelector && peer.namespaceSelector) {
      w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
      w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
    } else if (peer.podSelector) w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
    else if (peer.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
    else if (peer.ipBlock) {
      w.write(1, `${indent}IPBlock:\n`);
      w.write(2, `${indent}CIDR: ${peer.ipBlock.cidr}\n`);
      w.write(2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
    }
  }
}

function rulesBlock(w: PrefixWriter, rules: Obj[] | undefined, peersField: 'from' | 'to', indent: string): void {
  const direction = peersField === 'from' ? 'ingress' : 'egress';
  if (!rules?.length) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${direction} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    if (!rule.ports?.length) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    else
      for (const port of rule.ports as Obj[]) {
        const proto = port.protocol ?? 'TCP';
        const p = port.port ?? '<nil>';
        if (port.endPort === undefined) w.write(0, `${indent}To Port: ${p}/${proto}\n`);
        else w.write(0, `${indent}To Port Range: ${p}-${port.endPort}/${proto}\n`);
      }
    if (peersField === 'from') peersBlock(w, rule.from, 'From', 'From: <any> (traffic not restricted by source)', indent);
    else peersBlock(w, rule.to, 'To', 'To: <any> (traffic not restricted by destination)', indent);
    if (i !== rules.length - 1) w.write(0, `${indent}----------\n`);
  });
}

export const describeNetworkPolicy: Describer = async (env, namespace, name) => {
  const np = await getObject(env, `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/${name}`);
  const spec = np.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTimeString(np.metadata.creationTimestamp)}\n`);
  labelsBlock(w, 'Labels', np.metadata.labels);
  annotationsBlock(w, 'Annotations', np.metadata.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const ps = spec.podSelector ?? {};
  if (!Object.keys(ps.matchLabels ?? {}).length && !(ps.matchExpressions ?? []).length)
    w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  else w.write(2, `${formatLabelSelector(ps)}\n`);
  const types: string[] = spec.policyTypes ?? [];
  if (types.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    rulesBlock(w, spec.ingress, 'from', '    ');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    rulesBlock(w, spec.egress, 'to', '    ');
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${types.join(', ') || '<none>'}\n`);
  return w.toString();
};
