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
}

interface ResourceListBody {
  groupVersion: string;
  resources: { name: string; singularName: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs: string[] }[];
}

export async function discoverResources(client: ApiClient): Promise<ApiResource[]> {
  const groupVersions: string[] = [];
  const core = await client.request({ method: 'GET', path: '/api' });
  for (const v of (core.body as { versions?: string[] }).versions ?? []) groupVersions.push(v);
  const groups = await client.request({ method: 'GET', path: '/apis' });
  for (const g of (groups.body as { groups?: { preferredVersion: { groupVersion: string } }[] }).groups ?? [])
    groupVersions.push(g.preferredVersion.groupVersion);
  const out: ApiResource[] = [];
  for (const gv of groupVersions) {
    const res = await client.request({ method: 'GET', path: gv.includes('/') ? `/apis/${gv}` : `/api/${gv}` });
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

export function apiVersionOfResource(r: ApiResource): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}
