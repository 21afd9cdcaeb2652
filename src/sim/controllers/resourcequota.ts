/**
 * The resource quota controller: keeps each ResourceQuota's status.hard and status.used in step
 * with the objects in its namespace.
 */
import { formatQuantity, namespaceUsage } from '../apiserver/quota';
import type { Controller, ControllerContext } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resources whose objects count against quotas: [plural, group]. */
const WATCHED: [string, string][] = [
  ['resourcequotas', ''],
  ['pods', ''],
  ['services', ''],
  ['configmaps', ''],
  ['secrets', ''],
  ['persistentvolumeclaims', ''],
  ['replicationcontrollers', ''],
];

export function resourceQuotaController(): Controller {
  let ctx: ControllerContext;
  return {
    name: 'resourcequota-controller',
    start(c) {
      ctx = c;
      const queue = (o: Obj) => ctx.queue.add(o.metadata.namespace);
      const quotas = ctx.informers.for('resourcequotas');
      for (const [resource, group] of WATCHED) {
        // Only namespaces with a quota have anything to keep up to date.
        const changed = (o: Obj) => (resource === 'resourcequotas' || quotas.byIndex('namespace', o.metadata.namespace).length > 0 ? queue(o) : undefined);
        ctx.informers.for(resource, group).on({ add: changed, update: (_, o) => changed(o), delete: changed }, resource === 'resourcequotas');
      }
    },
    reconcile(ns) {
      for (const q of ctx.informers.for('resourcequotas').list(ns)) {
        const hard: Record<string, string> = q.spec?.hard ?? {};
        const used = namespaceUsage(hard, (r, g) => ctx.api.listByResource(r, g, ns));
        const status = {
          hard: { ...hard },
          used: Object.fromEntries([...used].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, formatQuantity(k, v)])),
        };
        if (JSON.stringify(q.status ?? {}) === JSON.stringify(status)) continue;
        ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${ns}/resourcequotas/${q.metadata.name}/status`, body: { ...q, status } });
      }
    },
  };
}
