/**
 * Server-side Table conversion (meta.k8s.io/v1 Table), with the columns a 1.32 API server
 * returns for each kind (pkg/printers/internalversion). Kinds without their own printer get
 * the default NAME and AGE columns, as the real server gives custom resources.
 */
import { humanDuration } from './duration';
import type { KubeObject, TableColumnDefinition, TableRow } from './types';

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

function column(name: string, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type: 'string', format, description, priority };
}

const nameColumn = column('Name', NAME_DESCRIPTION, 0, 'name');
const ageColumn = column('Age', CREATION_TIMESTAMP_DESCRIPTION);

interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, now: number): unknown[];
}

function age(obj: KubeObject, now: number): string {
  const created = obj.metadata.creationTimestamp;
  return created ? humanDuration(now - Date.parse(created)) : '<unknown>';
}

interface NodeCondition {
  type: string;
  status: string;
}
interface NodeLike {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: NodeCondition[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
  };
}

/** STATUS of a node: its Ready condition, plus SchedulingDisabled when cordoned. */
function nodeStatus(node: NodeLike): string {
  const conditions = node.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const statuses: string[] = [];
  if (!ready) statuses.push('Unknown');
  else if (ready.status === 'True') statuses.push('Ready');
  else statuses.push('NotReady');
  if (node.spec?.unschedulable) statuses.push('SchedulingDisabled');
  return statuses.join(',');
}

/** ROLES of a node from node-role.kubernetes.io/<role> and kubernetes.io/role labels. */
function nodeRoles(obj: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: NodeLike, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

const printers: Record<string, TablePrinter> = {
  Node: {
    columns: [
      nameColumn,
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      ageColumn,
      column('Version', 'Kubelet Version reported by the node.'),
      column('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).', 1),
      column('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node\'s address in its own status or consumers of the downward API (status.hostIP).', 1),
      column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
    ],
    cells(obj, now) {
      const node = obj as NodeLike;
      const info = node.status?.nodeInfo ?? {};
      return [
        obj.metadata.name,
        nodeStatus(node),
        nodeRoles(obj),
        age(obj, now),
        info.kubeletVersion ?? '',
        nodeAddress(node, 'InternalIP'),
        nodeAddress(node, 'ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  Namespace: {
    columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
    cells(obj, now) {
      const phase = (obj.status as { phase?: string } | undefined)?.phase ?? '';
      return [obj.metadata.name, phase, age(obj, now)];
    },
  },
};

const defaultPrinter: TablePrinter = {
  columns: [nameColumn, ageColumn],
  cells: (obj, now) => [obj.metadata.name, age(obj, now)],
};

export function tableColumns(kind: string): TableColumnDefinition[] {
  return (printers[kind] ?? defaultPrinter).columns;
}

export function tableRow(obj: KubeObject, now: number): TableRow {
  const printer = printers[obj.kind] ?? defaultPrinter;
  return {
    cells: printer.cells(obj, now),
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
  };
}
