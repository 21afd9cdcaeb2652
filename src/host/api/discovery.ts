/**
 * Aggregated discovery (apidiscovery.k8s.io/v2 and v2beta1) for GET /api and /apis, as
 * kube-apiserver 1.32 answers clients that ask for an APIGroupDiscoveryList (kubectl 1.32 does):
 * every group with its versions by priority and each version's resources, built from the
 * simulated API server's registry (built-in kinds and CustomResourceDefinitions) and from the
 * aggregated APIs behind non-local APIServices (metrics-server).
 *
 * Built-in resources come out as ConvertGroupVersionIntoToDiscovery turns their APIResourceList
 * into discovery: the response kind carries a group and version only where the legacy list does
 * (subresources of another group-version, such as deployments/scale). Custom resources carry
 * theirs, as the apiextensions discovery controller writes them. An APIService that is not
 * Available leaves its version listed without resources and with freshness Stale, as the
 * aggregator's discovery manager does when it cannot fetch the service's discovery.
 */
import { createHash } from 'node:crypto';
import type { ApiServer, ResourceType } from '../../sim';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GROUP = 'apidiscovery.k8s.io';
const KIND = 'APIGroupDiscoveryList';

/**
 * kube-aggregator's priorities of the built-in group-versions (apiservice autoregistration):
 * [groupPriorityMinimum, versionPriority]. CRD groups get 1000/100.
 */
const BUILTIN_PRIORITIES: Record<string, [number, number]> = {
  '/v1': [18000, 1],
  'apiregistration.k8s.io/v1': [17500, 15],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v1': [17500, 15],
  'autoscaling/v2': [17500, 30],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
};
const CRD_PRIORITY: [number, number] = [1000, 100];

/** version.CompareKubeAwareVersionStrings: GA > beta > alpha, higher numbers first, others last by name. */
export function compareKubeAwareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return [m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, Number(m[1]), Number(m[3] ?? 0)] as const;
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  if (pa) return -1;
  if (pb) return 1;
  return a.localeCompare(b);
}

/** Which discovery version the Accept header asks for first, if it asks for aggregated discovery. */
export function aggregatedDiscoveryVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  const clauses = accept.split(',').map((part, i) => {
    const [mediaType = '', ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
    }
    return { mediaType, p, q: p.q === undefined ? 1 : Number(p.q), i };
  });
  clauses.sort((a, b) => b.q - a.q || a.i - b.i);
  for (const c of clauses) {
    if (c.q <= 0) continue;
    const [type = '', subType = ''] = c.mediaType.split('/');
    const json = (type === 'application' || type === '*') && (subType === 'json' || subType === '*');
    if ('as' in c.p || 'g' in c.p || 'v' in c.p) {
      // A conversion: aggregated discovery in JSON is produced here; others are passed over.
      if (json && c.p.g === GROUP && c.p.as === KIND && (c.p.v === 'v2' || c.p.v === 'v2beta1')) return c.p.v;
      continue;
    }
    // A plain media type the server produces ends the search: plain discovery.
    if (json || c.mediaType === 'application/yaml' || c.mediaType === 'application/vnd.kubernetes.protobuf') return undefined;
  }
  return undefined;
}

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface ResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string; responseKind: GroupVersionKind; verbs: string[] }[];
}

interface VersionDiscovery {
  version: string;
  resources?: ResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

interface GroupEntry {
  name: string;
  versions: { version: VersionDiscovery; groupPriority: number; versionPriority: number }[];
}

/** A registry type as an APIResourceDiscovery. */
function resourceOf(t: ResourceType): ResourceDiscovery {
  const custom = t.custom !== undefined;
  const kindOf = (group: string, version: string, kind: string): GroupVersionKind =>
    custom || group !== t.group || version !== t.version ? { group, version, kind } : { group: '', version: '', kind };
  const r: ResourceDiscovery = {
    resource: t.name,
    responseKind: custom ? { group: t.group, version: t.version, kind: t.kind } : { group: '', version: '', kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singularName,
    verbs: [...t.verbs],
  };
  if (t.shortNames.length) r.shortNames = [...t.shortNames];
  if (t.categories.length) r.categories = [...t.categories];
  if (t.subresources.length) {
    // Built-in subresources come in path order; a CRD's as the apiextensions controller lists them (status, scale).
    r.subresources = (custom ? [...t.subresources] : [...t.subresources].sort((a, b) => a.name.localeCompare(b.name)))
      .map((s) => ({ subresource: s.name, responseKind: kindOf(s.group, s.version, s.kind), verbs: [...s.verbs] }));
  }
  return r;
}

/** An aggregated API's legacy resource list, converted as ConvertGroupVersionIntoToDiscovery does. */
function fromResourceList(list: Obj[], namespacedDefault = false): ResourceDiscovery[] {
  const out: ResourceDiscovery[] = [];
  const parents = new Map<string, ResourceDiscovery>();
  const scopeOf = (r: Obj) => ((r.namespaced ?? namespacedDefault) ? 'Namespaced' : 'Cluster') as ResourceDiscovery['scope'];
  for (const r of list) {
    if (String(r.name).includes('/')) continue;
    const d: ResourceDiscovery = {
      resource: r.name,
      responseKind: { group: r.group ?? '', version: r.version ?? '', kind: r.kind ?? '' },
      scope: scopeOf(r),
      singularResource: r.singularName ?? '',
      verbs: r.verbs ?? null,
    };
    if (r.shortNames?.length) d.shortNames = r.shortNames;
    if (r.categories?.length) d.categories = r.categories;
    out.push(d);
    parents.set(r.name, d);
  }
  for (const r of list) {
    const [parent, sub] = String(r.name).split('/', 2);
    if (!sub) continue;
    let p = parents.get(parent!);
    if (!p) {
      p = { resource: parent!, responseKind: { group: '', version: '', kind: '' }, scope: scopeOf(r), singularResource: '', verbs: null as unknown as string[] };
      out.push(p);
      parents.set(parent!, p);
    }
    (p.subresources ??= []).push({
      subresource: sub,
      responseKind: r.kind ? { group: r.group ?? '', version: r.version ?? '', kind: r.kind } : { group: '', version: '', kind: '' },
      verbs: r.verbs ?? null,
    });
  }
  return out;
}

function isAvailable(service: Obj): boolean {
  return ((service.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Available' && c.status === 'True');
}

/** The groups of /apis (or the core group of /api) with their prioritized versions. */
function groupEntries(api: ApiServer, legacy: boolean): GroupEntry[] {
  const byGroup = new Map<string, GroupEntry>();
  const entry = (name: string) => {
    let g = byGroup.get(name);
    if (!g) byGroup.set(name, (g = { name, versions: [] }));
    return g;
  };
  const types = new Map<string, ResourceType[]>();
  for (const t of api.registry.all()) {
    if ((t.group === '') !== legacy) continue;
    const key = `${t.group}/${t.version}`;
    types.set(key, [...(types.get(key) ?? []), t]);
  }
  for (const [key, list] of types) {
    const { group, version } = list[0]!;
    const custom = list.every((t) => t.custom !== undefined);
    const [groupPriority, versionPriority] = BUILTIN_PRIORITIES[key] ?? (custom ? CRD_PRIORITY : [0, 0]);
    const resources = [...list].sort((a, b) => a.name.localeCompare(b.name)).map(resourceOf);
    entry(group).versions.push({ version: { version, resources, freshness: 'Current' }, groupPriority, versionPriority });
  }
  if (!legacy) {
    // Aggregated APIs: every APIService backed by a service (non-local), while it exists.
    for (const service of api.listByResource('apiservices', 'apiregistration.k8s.io', undefined)) {
      const spec = service.spec ?? {};
      if (!spec.service || !spec.group || !spec.version || types.has(`${spec.group}/${spec.version}`)) continue;
      let version: VersionDiscovery = { version: spec.version, freshness: 'Stale' };
      if (isAvailable(service)) {
        const res = api.handle({ method: 'GET', path: `/apis/${spec.group}/${spec.version}`, userAgent: 'kube-aggregator' });
        const body = res.body as Obj;
        if (res.status === 200 && body?.kind === 'APIResourceList') {
          const resources = fromResourceList((body.resources ?? []) as Obj[]);
          version = { version: spec.version, ...(resources.length ? { resources } : {}), freshness: 'Current' };
        }
      }
      entry(spec.group).versions.push({ version, groupPriority: spec.groupPriorityMinimum ?? 0, versionPriority: spec.versionPriority ?? 0 });
    }
  }
  const groups = [...byGroup.values()];
  for (const g of groups) {
    g.versions.sort((a, b) => b.versionPriority - a.versionPriority || compareKubeAwareVersions(a.version.version, b.version.version));
  }
  const maxPriority = (g: GroupEntry) => Math.max(0, ...g.versions.map((v) => v.groupPriority));
  return groups.sort((a, b) => maxPriority(b) - maxPriority(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The APIGroupDiscoveryList of /api (legacy: the core group) or /apis. */
export function aggregatedDiscovery(api: ApiServer, legacy: boolean, version: 'v2' | 'v2beta1' = 'v2'): Obj {
  return {
    kind: KIND,
    apiVersion: `${GROUP}/${version}`,
    metadata: {},
    items: groupEntries(api, legacy).map((g) => ({
      metadata: { ...(g.name ? { name: g.name } : {}), creationTimestamp: null },
      versions: g.versions.map((v) => v.version),
    })),
  };
}

/**
 * Answers GET /api and /apis when the Accept header asks for aggregated discovery; undefined
 * otherwise, and the plain discovery the simulated API server serves applies.
 */
export function aggregatedDiscoveryResponse(
  api: ApiServer,
  path: string,
  accept: string | undefined,
  ifNoneMatch?: string,
): { status: number; headers: Record<string, string>; body: string } | undefined {
  const p = path.replace(/\/+$/, '');
  if (p !== '/api' && p !== '/apis') return undefined;
  const version = aggregatedDiscoveryVersion(accept);
  if (!version) return undefined;
  const body = JSON.stringify(aggregatedDiscovery(api, p === '/api', version));
  const etag = JSON.stringify(createHash('sha512').update(body).digest('hex').toUpperCase());
  const headers = {
    'Content-Type': `application/json;g=${GROUP};v=${version};as=${KIND}`,
    Vary: 'Accept',
    Etag: etag,
  };
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return { status: 304, headers, body: '' };
  return { status: 200, headers, body };
}
