/**
 * `kubectl api-resources` and `kubectl api-versions`: what the server's discovery lists, as
 * kubectl's ServerPreferredResources and ServerGroups read it.
 */
import { CommandError, type KubectlContext } from '../../context';
import { tabwrite } from '../../printers';
import type { Command } from '../types';

export interface DiscoveredResource {
  group: string;
  groupVersion: string;
  name: string;
  shortNames: string[];
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories: string[];
}

interface GroupList {
  groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { groupVersion: string } }[];
}

/** Every group-version the server serves, core first, with the preferred version first in each group. */
async function serverGroups(ctx: KubectlContext): Promise<{ group: string; versions: string[] }[]> {
  const out: { group: string; versions: string[] }[] = [];
  const core = await ctx.client.request({ method: 'GET', path: '/api' });
  if (core.status !== 200) throw new CommandError(`error: couldn't get available api versions from server: the server could not find the requested resource`);
  out.push({ group: '', versions: ((core.body as { versions?: string[] }).versions ?? []).slice() });
  const groups = await ctx.client.request({ method: 'GET', path: '/apis' });
  for (const g of (groups.body as GroupList).groups ?? []) {
    const versions = g.versions.map((v) => v.groupVersion);
    const preferred = g.preferredVersion?.groupVersion;
    if (preferred && versions.includes(preferred)) versions.splice(versions.indexOf(preferred), 1), versions.unshift(preferred);
    out.push({ group: g.name, versions });
  }
  return out;
}

/** ServerPreferredResources: each resource once, from the first version of its group that serves it. */
export async function preferredResources(ctx: KubectlContext): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  for (const { group, versions } of await serverGroups(ctx)) {
    const seen = new Set<string>();
    for (const gv of versions) {
      const res = await ctx.client.request({ method: 'GET', path: group ? `/apis/${gv}` : `/api/${gv}` });
      if (res.status !== 200) continue;
      const list = res.body as { resources?: { name: string; kind: string; namespaced: boolean; shortNames?: string[]; verbs?: string[]; categories?: string[] }[] };
      for (const r of list.resources ?? []) {
        if (r.name.includes('/') || seen.has(r.name)) continue;
        seen.add(r.name);
        out.push({
          group,
          groupVersion: gv,
          name: r.name,
          shortNames: r.shortNames ?? [],
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: r.verbs ?? [],
          categories: r.categories ?? [],
        });
      }
    }
  }
  return out;
}

export function apiResourcesCommand(): Command {
  return {
    name: 'api-resources',
    short: 'Print the supported API resources on the server',
    long: 'List the resource types the API server offers, with their short names, API group and version, whether they live in a namespace, and their kind.',
    example: `  # Every resource type
  kubectl api-resources
  
  # With the verbs each type supports
  kubectl api-resources -o wide
  
  # Sorted by name
  kubectl api-resources --sort-by=name
  
  # Only the types that live in a namespace
  kubectl api-resources --namespaced=true
  
  # Only cluster-wide types
  kubectl api-resources --namespaced=false
  
  # Only the types of API group rbac.authorization.k8s.io
  kubectl api-resources --api-group=rbac.authorization.k8s.io`,
    use: 'api-resources [flags]',
    flags: [
      { name: 'no-headers', type: 'bool', default: false, usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (wide, name).' },
      { name: 'api-group', type: 'string', default: '', usage: 'Limit to resources in the specified API group.' },
      { name: 'namespaced', type: 'bool', default: true, usage: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
      { name: 'verbs', type: 'stringSlice', default: [], usage: 'Limit to resources that support the specified verbs.' },
      { name: 'sort-by', type: 'string', default: '', usage: "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'." },
      { name: 'cached', type: 'bool', default: false, usage: 'Use the cached list of resources if available.' },
      { name: 'categories', type: 'stringSlice', default: [], usage: 'Limit to resources that belong to the specified categories.' },
    ],
    async run(args, ctx) {
      if (args.positional.length)
        throw new CommandError(`error: unexpected arguments: [${args.positional.join(' ')}]\nSee 'kubectl api-resources -h' for help and examples`);
      const output = args.flags.get('output') as string;
      const sortBy = args.flags.get('sort-by') as string;
      if (!['', 'wide', 'name'].includes(output)) throw new CommandError(`error: --output ${output} is not available`);
      if (sortBy && !['name', 'kind'].includes(sortBy)) throw new CommandError('error: --sort-by accepts only name or kind');
      const group = args.flags.get('api-group') as string;
      const namespaced = args.flags.get('namespaced') as boolean;
      const verbs = args.flags.get('verbs') as string[];
      const categories = args.flags.get('categories') as string[];
      const resources = (await preferredResources(ctx)).filter(
        (r) =>
          r.verbs.length > 0 &&
          (!args.changed.has('api-group') || r.group === group) &&
          (!args.changed.has('namespaced') || r.namespaced === namespaced) &&
          verbs.every((v) => r.verbs.includes(v)) &&
          categories.every((c) => r.categories.includes(c)),
      );
      const key = (r: DiscoveredResource) => (sortBy === 'name' ? r.name : sortBy === 'kind' ? r.kind : r.group);
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      resources.sort((a, b) => cmp(key(a), key(b)) || cmp(a.name, b.name));
      const lines: string[][] = [];
      if (!(args.flags.get('no-headers') as boolean) && output !== 'name')
        lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(output === 'wide' ? ['VERBS', 'CATEGORIES'] : [])]);
      for (const r of resources) {
        if (output === 'name') lines.push([r.group ? `${r.name}.${r.group}` : r.name]);
        else {
          const row = [r.name, r.shortNames.join(','), r.groupVersion, String(r.namespaced), r.kind];
          if (output === 'wide') row.push(r.verbs.join(','), r.categories.join(','));
          lines.push(row);
        }
      }
      ctx.stdout(tabwrite(lines));
      return 0;
    },
  };
}

export function apiVersionsCommand(): Command {
  return {
    name: 'api-versions',
    short: 'Print the supported API versions on the server, in the form of "group/version"',
    long: 'List the API group versions the API server serves, one "group/version" per line (the core group is just "v1").',
    example: `  # Which API versions are there?
  kubectl api-versions`,
    use: 'api-versions',
    flags: [],
    async run(args, ctx) {
      if (args.positional.length)
        throw new CommandError(`error: unexpected arguments: [${args.positional.join(' ')}]\nSee 'kubectl api-versions -h' for help and examples`);
      const versions = (await serverGroups(ctx)).flatMap((g) => g.versions).sort();
      ctx.stdout(versions.map((v) => `${v}\n`).join(''));
      return 0;
    },
  };
}
