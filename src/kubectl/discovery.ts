/**
 * Discovery and resource-name mapping as kubectl's RESTMapper: what the server lists under
 * /api and /apis decides which names (plural, singular, short, kind) a user may type.
 */
import type { ApiClient } from '../sim';

export interface ApiResource {
  group: string;
  version: string;
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** Discovery categories (`all`, `api-extensions`…), which kubectl expands to their resources. */
  categories?: string[];
}

interface ResourceListBody {
  groupVersion: string;
  resources: { name: string; singularName: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs: string[]; categories?: string[] }[];
}

export async function discoverResources(client: ApiClient): Promise<ApiResource[]> {
  const groupVersions: string[] = [];
  const core = await client.request({ method: 'GET', path: '/api', readOnly: true });
  for (const v of (core.body as { versions?: string[] }).versions ?? []) groupVersions.push(v);
  const groups = await client.request({ method: 'GET', path: '/apis', readOnly: true });
  for (const g of (groups.body as { groups?: { preferredVersion: { groupVersion: string } }[] }).groups ?? [])
    groupVersions.push(g.preferredVersion.groupVersion);
  const out: ApiResource[] = [];
  for (const gv of groupVersions) {
    const res = await client.request({ method: 'GET', path: gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`, readOnly: true });
    if (res.status !== 200) continue;
    const body = res.body as ResourceListBody;
    const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
    for (const r of body.resources) {
      if (r.name.includes('/')) continue; // subresources
      out.push({
        group,
        version,
        name: r.name,
        singularName: r.singularName,
        kind: r.kind,
        namespaced: r.namespaced,
        shortNames: r.shortNames ?? [],
        verbs: r.verbs,
        categories: r.categories ?? [],
      });
    }
  }
  return out;
}

/** Resolves what a user typed ("no", "node", "nodes", "Node", "deployments.apps") to a resource. */
export function resolveResource(resources: readonly ApiResource[], input: string): ApiResource | undefined {
  const [head, ...groupParts] = input.split('.');
  const name = (head ?? '').toLowerCase();
  const group = groupParts.join('.');
  const matchesGroup = (r: ApiResource) =>
    groupParts.length === 0 || group === r.group || group === `${r.version}.${r.group}` || (group === r.version && !r.group);
  return (
    resources.find((r) => r.name === name && matchesGroup(r)) ??
    resources.find((r) => r.singularName === name && matchesGroup(r)) ??
    resources.find((r) => r.shortNames.includes(name) && matchesGroup(r)) ??
    resources.find((r) => r.kind.toLowerCase() === name && matchesGroup(r))
  );
}

/** The resources of a discovery category (`all`), in discovery order; empty when none has it. */
export function categoryResources(resources: readonly ApiResource[], category: string): ApiResource[] {
  return resources.filter((r) => r.categories?.includes(category));
}

export function apiVersionOfResource(r: ApiResource): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

const cache = new WeakMap<object, Promise<ApiResource[]>>();

/** Discovery once per kubectl invocation (keyed by its context object), as kubectl's cached client. */
export function discoverOnce(ctx: object & { client: ApiClient }): Promise<ApiResource[]> {
  let found = cache.get(ctx);
  if (!found) {
    found = discoverResources(ctx.client);
    cache.set(ctx, found);
  }
  return found;
}

/** The resource serving objects of `apiVersion` + `kind` (what a manifest names). */
export function resolveKind(resources: readonly ApiResource[], apiVersion: string, kind: string): ApiResource | undefined {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return resources.find((r) => r.kind === kind && r.group === group && r.version === version) ?? resources.find((r) => r.kind === kind && r.group === group);
}

/** `deployment.apps`, `pod`: how kubectl names a kind in `TYPE/NAME` output. */
export function qualifiedKind(r: Pick<ApiResource, 'kind' | 'group'>): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** The REST path of a collection, an object, or an object's subresource. */
export function resourcePath(r: Pick<ApiResource, 'group' | 'version' | 'name' | 'namespaced'>, namespace: string | undefined, name?: string, subresource?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${base}${ns}/${r.name}${name ? `/${pathSegment(name)}` : ''}${name && subresource ? `/${subresource}` : ''}`;
}

/** A name in a URL path as Go's url.URL escapes it (client-go): `system:node` stays as it is. */
export function pathSegment(name: string): string {
  return encodeURIComponent(name).replace(/%(24|26|2B|2C|3A|3B|3D|40)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
