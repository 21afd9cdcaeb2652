/**
 * The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation, Kubernetes 1.32):
 * a ClusterRole with an aggregationRule gets, as its rules, the rules of every other ClusterRole
 * its selectors match (each selector's matches sorted by name, a rule already present not added
 * twice). It writes them by server-side apply as "clusterrole-aggregation-controller" with force,
 * so admin, edit and view fill from the system:aggregate-to-* roles and from any role a user
 * labels rbac.authorization.k8s.io/aggregate-to-view (and so on). Any ClusterRole change requeues
 * every aggregated one. It records no events.
 */
import { matchesLabelSelector } from '../labels';
import { errorMessage } from './replicaset';
import { RetryableError, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function clusterRoleAggregationController(): Controller {
  return new ClusterRoleAggregationController();
}

const sameList = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
function sameRule(a: Obj, b: Obj): boolean {
  return ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'].every((k) => sameList(a[k], b[k]));
}

class ClusterRoleAggregationController implements Controller {
  readonly name = 'clusterrole-aggregation-controller';
  private ctx!: ControllerContext;
  private roles!: Informer;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.roles = ctx.informers.for('clusterroles', 'rbac.authorization.k8s.io');
    const enqueueAll = () => {
      for (const r of this.roles.list()) if (r.aggregationRule) ctx.queue.add(r.metadata.name);
    };
    this.roles.on({ add: enqueueAll, update: enqueueAll, delete: enqueueAll });
  }

  reconcile(name: string): ReconcileResult {
    const role = this.roles.get(name);
    if (!role?.aggregationRule) return;
    const rules: Obj[] = [];
    for (const selector of role.aggregationRule.clusterRoleSelectors ?? []) {
      const matches = this.roles
        .list()
        .filter((r) => r.metadata.name !== name && matchesLabelSelector(selector, r.metadata.labels ?? {}))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
      for (const r of matches) for (const rule of r.rules ?? []) if (!rules.some((x) => sameRule(x, rule))) rules.push(rule);
    }
    if (sameList(rules, role.rules)) return;
    const res = this.ctx.request({
      method: 'PATCH',
      path: `/apis/rbac.authorization.k8s.io/v1/clusterroles/${encodeURIComponent(name)}`,
      query: { fieldManager: 'clusterrole-aggregation-controller', force: 'true' },
      contentType: 'application/apply-patch+yaml',
      body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules },
    });
    if (res.status >= 300) throw new RetryableError(errorMessage(res));
  }
}
