/** Formatting helpers shared by the table printers (pkg/printers/internalversion). */
import { humanDuration } from '../duration';
import type { KubeObject, TableColumnDefinition } from '../types';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(obj: Obj, now: number): unknown[];
}

export function col(name: string, priority = 0, type = 'string', format = '', description = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameCol = col('Name', 0, 'string', 'name', NAME_DESCRIPTION);
export const ageCol = col('Age', 0, 'string', '', CREATION_TIMESTAMP_DESCRIPTION);
export const createdAtCol = col('Created At', 0, 'date', '', CREATION_TIMESTAMP_DESCRIPTION);

/** translateTimestampSince: "<unknown>" for a missing time. */
export function since(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - parseTime(timestamp));
}

/** Date.parse, remembered: many objects share their creation second, and tables parse thousands. */
const parsed = new Map<string, number>();

export function parseTime(timestamp: string): number {
  let ms = parsed.get(timestamp);
  if (ms === undefined) {
    if (parsed.size > 50_000) parsed.clear();
    parsed.set(timestamp, (ms = Date.parse(timestamp)));
  }
  return ms;
}

export function age(obj: Obj, now: number): string {
  return since(obj.metadata?.creationTimestamp, now);
}

/** RFC 3339 in UTC, as the "Created At" columns print it. */
export function createdAt(obj: Obj): string {
  return obj.metadata?.creationTimestamp ?? '';
}

/** labels.FormatLabels: sorted k=v pairs, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>';
}

interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** LabelSelectorAsSelector(...).String(): requirements sorted by key. Empty for an empty selector. */
export function selectorString(selector: LabelSelectorLike | undefined): string {
  if (!selector) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'Exists'
            ? e.key
            : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: "<none>" for an empty selector. */
export function formatLabelSelector(selector: LabelSelectorLike | undefined): string {
  return selectorString(selector) || '<none>';
}

/** Container names and images of a pod template, comma-joined (layoutContainerCells). */
export function containerCells(podSpec: Obj | undefined): [string, string] {
  const containers: Obj[] = podSpec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

export function listWithMore(list: string[], more: boolean, count: number, max: number, empty = ''): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || empty;
}

export function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  const order = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
  const set = new Set(modes ?? []);
  return order.filter((m) => set.has(m)).map((m) => short[m]).join(',');
}

export function boolPtr(v: boolean | undefined): string {
  return v === undefined ? '<unset>' : v ? 'True' : 'False';
}

export type { KubeObject };

/** ReplicaSet and ReplicationController print the same columns; only the selector's form differs. */
export function replicaPrinter(selector: (o: Obj) => string): TablePrinter {
  return {
    columns: [nameCol, col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), ageCol, col('Containers', 1), col('Images', 1), col('Selector', 1)],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      ...containerCells(o.spec?.template?.spec),
      selector(o),
    ],
  };
}
