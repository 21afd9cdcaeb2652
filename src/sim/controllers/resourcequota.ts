/**
 * The resource quota controller: keeps each ResourceQuota's status.hard and status.used in step
 * with the objects in its namespace.
 */
import { formatQuantity, namespaceUsage } from '../apiserver/quota';
import type { Controller } from './runtime';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WATCHED = [
  '/registry/resourcequotas/',
  '/registry/pods/',
  '/registry/services/specs/',
  '/registry/configmaps/',
  '/registry/secrets/',
  '/registry/persistentvolumeclaims/',
  '/registry/controllers/',
];

export function resourceQuotaController(): Controller {
  return {
    name: 'resourcequota-controller',
    watches: WATCHED,
    keyFor(k) {
      const prefix = WATCHED.find((p) => k.startsWith(p));
      return prefix ? k.slice(prefix.length).split('/')[0] : undefined;
    },
    reconcile(ns, ctx) {
      for (const q of ctx.api.listByResource('resourcequotas', '', ns) as Obj[]) {
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
