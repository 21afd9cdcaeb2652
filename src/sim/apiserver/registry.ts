/**
 * The resource types the API server serves, as discovery (`kubectl api-resources`) lists them.
 * Groups, versions, kinds, scopes, verbs and subresources come from the upstream OpenAPI
 * document (generated/resources.ts); what OpenAPI does not carry — short names, categories,
 * group priority and etcd key layout — is kube-apiserver's, listed here.
 */
import { GENERATED_RESOURCES } from './generated/resources';
import type { GeneratedSubresource } from './generated/types';

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
  subresources: GeneratedSubresource[];
  /** etcd key prefix a kubeadm cluster uses, without the trailing slash: "/registry/minions". */
  etcdPrefix: string;
  /** OpenAPI definition of the object ("io.k8s.api.core.v1.Pod"); empty for custom resources. */
  definition: string;
  /** For custom resources: the CRD's schema and printer columns for this version. */
  custom?: { schema?: Record<string, unknown>; printerColumns: Record<string, unknown>[]; crdName: string };
}

/** Short names from each resource's REST storage (ShortNamesProvider). */
const SHORT_NAMES: Record<string, string[]> = {
  componentstatuses: ['cs'],
  configmaps: ['cm'],
  endpoints: ['ep'],
  events: ['ev'],
  limitranges: ['limits'],
  namespaces: ['ns'],
  nodes: ['no'],
  persistentvolumeclaims: ['pvc'],
  persistentvolumes: ['pv'],
  pods: ['po'],
  replicationcontrollers: ['rc'],
  resourcequotas: ['quota'],
  serviceaccounts: ['sa'],
  services: ['svc'],
  customresourcedefinitions: ['crd', 'crds'],
  daemonsets: ['ds'],
  deployments: ['deploy'],
  replicasets: ['rs'],
  statefulsets: ['sts'],
  horizontalpodautoscalers: ['hpa'],
  cronjobs: ['cj'],
  certificatesigningrequests: ['csr'],
  ingresses: ['ing'],
  networkpolicies: ['netpol'],
  poddisruptionbudgets: ['pdb'],
  priorityclasses: ['pc'],
  storageclasses: ['sc'],
};

/** Categories from each resource's REST storage (CategoriesProvider). */
const CATEGORIES: Record<string, string[]> = {
  pods: ['all'],
  replicationcontrollers: ['all'],
  services: ['all'],
  daemonsets: ['all'],
  deployments: ['all'],
  replicasets: ['all'],
  statefulsets: ['all'],
  horizontalpodautoscalers: ['all'],
  cronjobs: ['all'],
  jobs: ['all'],
  customresourcedefinitions: ['api-extensions'],
  apiservices: ['api-extensions'],
  mutatingwebhookconfigurations: ['api-extensions'],
  validatingwebhookconfigurations: ['api-extensions'],
  validatingadmissionpolicies: ['api-extensions'],
  validatingadmissionpolicybindings: ['api-extensions'],
};

/** etcd prefixes that differ from /registry/<plural> (kube-apiserver's storage layout). */
const ETCD_PREFIXES: Record<string, string> = {
  nodes: '/registry/minions',
  services: '/registry/services/specs',
  endpoints: '/registry/services/endpoints',
  replicationcontrollers: '/registry/controllers',
  ingresses: '/registry/ingress',
  customresourcedefinitions: '/registry/apiextensions.k8s.io/customresourcedefinitions',
  apiservices: '/registry/apiregistration.k8s.io/apiservices',
};

/** API groups in kube-apiserver's discovery order (group priority), core first. */
export const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

/** Version preference within a group, highest first (Kubernetes version priority). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] ? (m[2] === 'beta' ? 1 : 0) : 2, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb! - sa! || mb! - ma! || nb! - na!;
}

/** Subresources in the OpenAPI document that a default 1.32 cluster does not serve (alpha feature gates off). */
const ALPHA_SUBRESOURCES = new Set(['pods/resize']);

function builtinTypes(): ResourceType[] {
  return GENERATED_RESOURCES.map((r) => ({
    group: r.group,
    version: r.version,
    kind: r.kind,
    name: r.name,
    singularName: r.kind.toLowerCase(),
    shortNames: SHORT_NAMES[r.name] ?? [],
    namespaced: r.namespaced,
    verbs: r.verbs,
    categories: CATEGORIES[r.name] ?? [],
    subresources: r.subresources.filter((sub) => !ALPHA_SUBRESOURCES.has(`${r.name}/${sub.name}`)),
    // events.k8s.io/v1 Events are stored with core Events.
    etcdPrefix: ETCD_PREFIXES[r.name] ?? `/registry/${r.name}`,
    definition: r.definition,
  }));
}

export class ResourceRegistry {
  private types: ResourceType[];
  /** Lookups by path and by plural and group, dropped whenever a type comes or goes. */
  private paths: Map<string, ResourceType> | undefined;
  private resources: Map<string, ResourceType> | undefined;

  constructor(types: readonly ResourceType[] = builtinTypes()) {
    this.types = [...types];
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  /** Adds (or replaces) a type, as a CustomResourceDefinition does. */
  add(type: ResourceType): void {
    this.remove(type.group, type.version, type.name);
    this.types.push(type);
    this.paths = this.resources = undefined;
  }

  remove(group: string, version: string, name: string): void {
    this.types = this.types.filter((t) => !(t.group === group && t.version === version && t.name === name));
    this.paths = this.resources = undefined;
  }

  /** The first type (in registration order) serving plural `name` in `group`, any version. */
  byResource(name: string, group: string): ResourceType | undefined {
    if (!this.resources) {
      this.resources = new Map();
      for (const t of this.types) {
        const key = `${t.group}\u0000${t.name}`;
        if (!this.resources.has(key)) this.resources.set(key, t);
      }
    }
    return this.resources.get(`${group}\u0000${name}`);
  }

  /** Groups with their served versions, in discovery order, preferred version first. */
  groups(): { name: string; versions: string[] }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const t of this.types) {
      if (!byGroup.has(t.group)) byGroup.set(t.group, new Set());
      byGroup.get(t.group)!.add(t.version);
    }
    const rank = (g: string) => {
      const i = GROUP_ORDER.indexOf(g);
      return i < 0 ? GROUP_ORDER.length : i;
    };
    return [...byGroup]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersions) }));
  }

  /** Finds the resource type serving `group/version` and plural `name`. */
  byPath(group: string, version: string, name: string): ResourceType | undefined {
    if (!this.paths) {
      this.paths = new Map();
      for (const t of this.types) {
        const key = `${t.group}\u0000${t.version}\u0000${t.name}`;
        if (!this.paths.has(key)) this.paths.set(key, t);
      }
    }
    return this.paths.get(`${group}\u0000${version}\u0000${name}`);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Whether any version of `group` serves `kind` (to tell "no matches for kind" from a bad version). */
  kindsInGroup(group: string): ResourceType[] {
    return this.types.filter((t) => t.group === group);
  }
}

export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}
