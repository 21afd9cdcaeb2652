/**
 * The RBAC authorizer as kube-apiserver's: a request's attributes (user, verb, group, resource,
 * subresource, name, namespace or non-resource path) are allowed when a rule of a role bound to
 * the user or one of its groups covers them. ClusterRoleBindings grant everywhere; RoleBindings
 * only in their namespace. A role's rules are what it holds: the aggregation controller fills
 * admin, edit and view. Where the bootstrap policy is absent (a bare API server without the
 * cluster-admin ClusterRole), kubeadm's grants stand in: system:masters and kubeadm:cluster-admins
 * hold cluster-admin, every authenticated user may review itself and read discovery, and
 * aggregated roles are resolved on the fly.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
}

export interface Attributes {
  verb: string;
  namespace?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** Set for non-resource requests (`/healthz`, `/api`). */
  path?: string;
}

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** kubeadm's admin identity. */
export const KUBERNETES_ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

/** The groups an authenticated user has: its own, system:authenticated, and service accounts' groups. */
export function effectiveGroups(user: UserInfo): string[] {
  const groups = [...user.groups];
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user.username);
  if (sa) for (const g of ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`]) if (!groups.includes(g)) groups.push(g);
  if (!groups.includes('system:authenticated') && user.username !== 'system:anonymous') groups.push('system:authenticated');
  return groups;
}

const CLUSTER_ADMIN: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];
const AUTHENTICATED: PolicyRule[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
];

interface Grant {
  rules: PolicyRule[];
  describe: string;
}

function subjectMatches(subject: Obj, user: UserInfo, groups: string[], bindingNamespace: string | undefined): string | undefined {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username ? `User "${subject.name}"` : undefined;
    case 'Group':
      return groups.includes(subject.name) ? `Group "${subject.name}"` : undefined;
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return user.username === `system:serviceaccount:${ns}:${subject.name}` ? `ServiceAccount "${subject.name}/${ns}"` : undefined;
    }
    default:
      return undefined;
  }
}

export interface RbacObjects {
  clusterRoles(): Obj[];
  clusterRoleBindings(): Obj[];
  roles(namespace: string): Obj[];
  roleBindings(namespace: string): Obj[];
}

/** The rules that apply to `user` in `namespace` (cluster-wide only when undefined), with where they come from. */
function grants(objects: RbacObjects, user: UserInfo, namespace: string | undefined): Grant[] {
  const groups = effectiveGroups(user);
  const out: Grant[] = [];
  const clusterRoles = objects.clusterRoles();
  const bootstrapped = clusterRoles.some((r) => r.metadata?.name === 'cluster-admin');
  if (!bootstrapped)
    for (const g of ['system:masters', 'kubeadm:cluster-admins'])
      if (groups.includes(g))
        out.push({ rules: CLUSTER_ADMIN, describe: g === 'system:masters' ? 'ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"' : 'ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"' });
  const clusterRoleRules = (name: string): PolicyRule[] => {
    const role = clusterRoles.find((r) => r.metadata?.name === name);
    if (!role) return [];
    let rules: PolicyRule[] = role.rules ?? [];
    if (bootstrapped) return rules;
    // An aggregated ClusterRole holds the rules of the roles its selectors match.
    for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
      const labels: Record<string, string> = sel.matchLabels ?? {};
      for (const other of clusterRoles)
        if (other !== role && Object.entries(labels).every(([k, v]) => other.metadata?.labels?.[k] === v)) rules = [...rules, ...(other.rules ?? [])];
    }
    return rules;
  };
  for (const b of objects.clusterRoleBindings()) {
    for (const s of b.subjects ?? []) {
      const who = subjectMatches(s, user, groups, undefined);
      if (who) out.push({ rules: clusterRoleRules(b.roleRef?.name), describe: `ClusterRoleBinding "${b.metadata?.name}" of ClusterRole "${b.roleRef?.name}" to ${who}` });
    }
  }
  if (namespace) {
    const roles = objects.roles(namespace);
    for (const b of objects.roleBindings(namespace)) {
      for (const s of b.subjects ?? []) {
        const who = subjectMatches(s, user, groups, namespace);
        if (!who) continue;
        const kind = b.roleRef?.kind === 'ClusterRole' ? 'ClusterRole' : 'Role';
        const rules = kind === 'ClusterRole' ? clusterRoleRules(b.roleRef?.name) : (roles.find((r) => r.metadata?.name === b.roleRef?.name)?.rules ?? []);
        out.push({ rules, describe: `RoleBinding "${b.metadata?.name}/${namespace}" of ${kind} "${b.roleRef?.name}" to ${who}` });
      }
    }
  }
  if (!bootstrapped && groups.includes('system:authenticated')) out.push({ rules: AUTHENTICATED, describe: 'ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"' });
  return out;
}

const has = (list: readonly string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

function resourceMatches(rules: readonly string[] | undefined, resource: string, subresource: string): boolean {
  if (!rules) return false;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rules) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function pathMatches(rules: readonly string[] | undefined, path: string): boolean {
  return (rules ?? []).some((r) => r === '*' || r === path || (r.endsWith('*') && path.startsWith(r.slice(0, -1))));
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) return pathMatches(rule.nonResourceURLs, a.path);
  if (rule.nonResourceURLs?.length && !rule.resources?.length) return false;
  if (!has(rule.apiGroups, a.group ?? '')) return false;
  if (!resourceMatches(rule.resources, a.resource ?? '', a.subresource ?? '')) return false;
  if (rule.resourceNames?.length) return !!a.name && rule.resourceNames.includes(a.name);
  return true;
}

/** RBAC's Authorize: allowed with the grant that allows it, or denied with no reason. */
export function authorize(objects: RbacObjects, user: UserInfo, a: Attributes): { allowed: boolean; reason: string } {
  const namespace = a.path === undefined ? a.namespace || undefined : undefined;
  for (const g of grants(objects, user, namespace)) if (g.rules.some((r) => ruleAllows(r, a))) return { allowed: true, reason: `RBAC: allowed by ${g.describe}` };
  return { allowed: false, reason: '' };
}

/** What SelfSubjectRulesReview answers: every rule that applies in the namespace. */
export function rulesFor(objects: RbacObjects, user: UserInfo, namespace: string): PolicyRule[] {
  return grants(objects, user, namespace || undefined).flatMap((g) => g.rules);
}
