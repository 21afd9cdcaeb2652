/**
 * The table of resource types the API server serves, as discovery (`kubectl api-resources`)
 * lists them. Issue #4 completes it to every built-in resource of a kubeadm 1.32 cluster;
 * the walking skeleton serves the kinds its objects exist for.
 */

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, as in URLs: "nodes". */
  name: string;
  singularName: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  categories: string[];
  /** etcd key prefix a kubeadm cluster uses, without the trailing slash: "/registry/minions". */
  etcdPrefix: string;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    name: 'namespaces',
    singularName: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    categories: [],
    etcdPrefix: '/registry/namespaces',
  },
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    name: 'nodes',
    singularName: 'node',
    shortNames: ['no'],
    namespaced: false,
    verbs: ALL_VERBS,
    categories: [],
    etcdPrefix: '/registry/minions',
  },
];

/** Looks resource types up by plural, singular, short name or kind, as kubectl's RESTMapper does. */
export class ResourceRegistry {
  constructor(private readonly types: readonly ResourceType[] = BUILTIN_RESOURCES) {}

  all(): readonly ResourceType[] {
    return this.types;
  }

  /** Resolves what a user typed ("no", "node", "nodes", "Node", "nodes.v1.") to a resource type. */
  resolve(input: string): ResourceType | undefined {
    const [head, ...groupParts] = input.split('.');
    const name = (head ?? '').toLowerCase();
    const group = groupParts.join('.');
    return this.types.find(
      (t) =>
        (t.name === name || t.singularName === name || t.shortNames.includes(name) || t.kind.toLowerCase() === name) &&
        (groupParts.length === 0 || group === t.group || group === `${t.version}.${t.group}`),
    );
  }

  /** Finds the resource type serving `group/version` and plural `name`. */
  byPath(group: string, version: string, name: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.name === name);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}
