/** Table printers for networking, RBAC, storage, scheduling and the other cluster-level kinds. */
import { humanDuration } from '../duration';
import { age, ageCol, col, createdAt, createdAtCol, formatLabelSelector, listWithMore, nameCol, type Obj, type TablePrinter } from './helpers';

function ingressHosts(rules: Obj[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${(rules ?? []).length - max} more...` : list.join(',');
}

function loadBalancerAddresses(status: Obj | undefined): string {
  return ((status?.loadBalancer?.ingress ?? []) as Obj[])
    .map((i) => i.ip || i.hostname)
    .filter(Boolean)
    .join(',');
}

function subjects(o: Obj, kind: string): string {
  return ((o.subjects ?? []) as Obj[])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

const bindingPrinter: TablePrinter = {
  columns: [nameCol, col('Role'), ageCol, col('Users', 1), col('Groups', 1), col('ServiceAccounts', 1)],
  cells: (o, now) => [
    o.metadata.name,
    `${o.roleRef?.kind}/${o.roleRef?.name}`,
    age(o, now),
    subjects(o, 'User'),
    subjects(o, 'Group'),
    subjects(o, 'ServiceAccount'),
  ],
};

const createdAtPrinter: TablePrinter = {
  columns: [nameCol, createdAtCol],
  cells: (o) => [o.metadata.name, createdAt(o)],
};

const webhookPrinter: TablePrinter = {
  columns: [nameCol, col('Webhooks', 0, 'integer'), ageCol],
  cells: (o, now) => [o.metadata.name, (o.webhooks ?? []).length, age(o, now)],
};

function csrCondition(o: Obj): string {
  const conditions: Obj[] = o.status?.conditions ?? [];
  const names = conditions.map((c) => c.type as string);
  if (o.status?.certificate?.length) names.push('Issued');
  return names.length ? names.join(',') : 'Pending';
}

export const CLUSTER_PRINTERS: Record<string, TablePrinter> = {
  Ingress: {
    columns: [nameCol, col('Class'), col('Hosts'), col('Address'), col('Ports'), ageCol],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.ingressClassName ?? '<none>',
      ingressHosts(o.spec?.rules),
      loadBalancerAddresses(o.status),
      (o.spec?.tls ?? []).length ? '80, 443' : '80',
      age(o, now),
    ],
  },
  IngressClass: {
    columns: [nameCol, col('Controller'), col('Parameters'), ageCol],
    cells: (o, now) => {
      const p = o.spec?.parameters;
      const parameters = p ? `${String(p.kind).toLowerCase()}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
      return [o.metadata.name, o.spec?.controller ?? '', parameters, age(o, now)];
    },
  },
  NetworkPolicy: {
    columns: [nameCol, col('Pod-Selector'), ageCol],
    cells: (o, now) => [o.metadata.name, formatLabelSelector(o.spec?.podSelector), age(o, now)],
  },
  EndpointSlice: {
    columns: [nameCol, col('AddressType'), col('Ports'), col('Endpoints'), ageCol],
    cells: (o, now) => {
      const ports: Obj[] = o.ports ?? [];
      const portList = ports.slice(0, 3).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? String(p.name) : '*'));
      const addresses: string[] = ((o.endpoints ?? []) as Obj[]).flatMap((e) => e.addresses ?? []);
      return [
        o.metadata.name,
        o.addressType ?? '',
        listWithMore(portList, ports.length > 3, ports.length, 3, '<unset>'),
        listWithMore(addresses.slice(0, 3), addresses.length > 3, addresses.length, 3, '<unset>'),
        age(o, now),
      ];
    },
  },
  Role: createdAtPrinter,
  ClusterRole: createdAtPrinter,
  RoleBinding: bindingPrinter,
  ClusterRoleBinding: bindingPrinter,
  CustomResourceDefinition: createdAtPrinter,
  StorageClass: {
    columns: [nameCol, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), ageCol],
    cells: (o, now) => {
      const annotations = o.metadata.annotations ?? {};
      const isDefault =
        annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
        annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [
        isDefault ? `${o.metadata.name} (default)` : o.metadata.name,
        o.provisioner ?? '',
        o.reclaimPolicy ?? 'Delete',
        o.volumeBindingMode ?? 'Immediate',
        o.allowVolumeExpansion ?? false,
        age(o, now),
      ];
    },
  },
  CSIDriver: {
    columns: [
      nameCol,
      col('AttachRequired', 0, 'boolean'),
      col('PodInfoOnMount', 0, 'boolean'),
      col('StorageCapacity', 0, 'boolean'),
      col('TokenRequests'),
      col('RequiresRepublish', 0, 'boolean'),
      col('Modes'),
      ageCol,
    ],
    cells: (o, now) => [
      o.metadata.name,
      o.spec?.attachRequired ?? true,
      o.spec?.podInfoOnMount ?? false,
      o.spec?.storageCapacity ?? false,
      ((o.spec?.tokenRequests ?? []) as Obj[]).map((t) => t.audience).join(',') || '<unset>',
      o.spec?.requiresRepublish ?? false,
      ((o.spec?.volumeLifecycleModes ?? []) as string[]).join(',') || '<none>',
      age(o, now),
    ],
  },
  CSINode: {
    columns: [nameCol, col('Drivers', 0, 'integer'), ageCol],
    cells: (o, now) => [o.metadata.name, (o.spec?.drivers ?? []).length, age(o, now)],
  },
  VolumeAttachment: {
    columns: [nameCol, col('Attacher'), col('PV'), col('Node'), col('Attached', 0, 'boolean'), ageCol],
    cells: (o, now) => [o.metadata.name, o.spec?.attacher ?? '', o.spec?.source?.persistentVolumeName ?? '', o.spec?.nodeName ?? '', o.status?.attached ?? false, age(o, now)],
  },
  PriorityClass: {
    columns: [nameCol, col('Value', 0, 'integer'), col('Global-Default', 0, 'boolean'), ageCol, col('PreemptionPolicy')],
    cells: (o, now) => [o.metadata.name, o.value ?? 0, o.globalDefault ?? false, age(o, now), o.preemptionPolicy ?? '<unset>'],
  },
  RuntimeClass: {
    columns: [nameCol, col('Handler'), ageCol],
    cells: (o, now) => [o.metadata.name, o.handler ?? '', age(o, now)],
  },
  Lease: {
    columns: [nameCol, col('Holder'), ageCol],
    cells: (o, now) => [o.metadata.name, o.spec?.holderIdentity ?? '', age(o, now)],
  },
  CertificateSigningRequest: {
    columns: [nameCol, ageCol, col('SignerName'), col('Requestor'), col('RequestedDuration'), col('Condition')],
    cells: (o, now) => [
      o.metadata.name,
      age(o, now),
      o.spec?.signerName ?? '',
      o.spec?.username ?? '',
      o.spec?.expirationSeconds !== undefined ? humanDuration(o.spec.expirationSeconds * 1000) : '<none>',
      csrCondition(o),
    ],
  },
  MutatingWebhookConfiguration: webhookPrinter,
  ValidatingWebhookConfiguration: webhookPrinter,
  FlowSchema: {
    columns: [nameCol, col('PriorityLevel'), col('MatchingPrecedence', 0, 'string'), col('DistinguisherMethod'), ageCol, col('MissingPL')],
    cells: (o, now) => {
      const missing = ((o.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Dangling');
      return [
        o.metadata.name,
        o.spec?.priorityLevelConfiguration?.name ?? '',
        o.spec?.matchingPrecedence ?? 0,
        o.spec?.distinguisherMethod?.type ?? '<none>',
        age(o, now),
        missing ? missing.status : '?',
      ];
    },
  },
  PriorityLevelConfiguration: {
    columns: [nameCol, col('Type'), col('NominalConcurrencyShares', 0, 'string'), col('Queues', 0, 'string'), col('HandSize', 0, 'string'), col('QueueLengthLimit', 0, 'string'), ageCol],
    cells: (o, now) => {
      const limited = o.spec?.limited;
      const queuing = limited?.limitResponse?.queuing;
      return [
        o.metadata.name,
        o.spec?.type ?? '',
        limited ? String(limited.nominalConcurrencyShares ?? 30) : '<none>',
        queuing ? String(queuing.queues ?? 64) : '<none>',
        queuing ? String(queuing.handSize ?? 8) : '<none>',
        queuing ? String(queuing.queueLengthLimit ?? 50) : '<none>',
        age(o, now),
      ];
    },
  },
  ValidatingAdmissionPolicy: {
    columns: [nameCol, col('Validations', 0, 'integer'), col('ParamKind'), ageCol],
    cells: (o, now) => {
      const pk = o.spec?.paramKind;
      return [o.metadata.name, (o.spec?.validations ?? []).length, pk ? `${pk.apiVersion}/${pk.kind}` : '<unset>', age(o, now)];
    },
  },
  ValidatingAdmissionPolicyBinding: {
    columns: [nameCol, col('PolicyName'), col('ParamRef'), ageCol],
    cells: (o, now) => {
      const pr = o.spec?.paramRef;
      let paramRef = '<unset>';
      if (pr?.name) paramRef = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
      return [o.metadata.name, o.spec?.policyName ?? '', paramRef, age(o, now)];
    },
  },
  CSIStorageCapacity: {
    columns: [nameCol, col('StorageClassName'), col('Capacity'), ageCol],
    cells: (o, now) => [o.metadata.name, o.storageClassName ?? '', o.capacity ?? '', age(o, now)],
  },
  APIService: {
    columns: [nameCol, col('Service'), col('Available'), ageCol],
    cells: (o, now) => {
      const svc = o.spec?.service;
      const available = ((o.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Available');
      const availableText = !available ? 'Unknown' : available.status === 'True' ? 'True' : `${available.status} (${available.reason})`;
      return [o.metadata.name, svc ? `${svc.namespace}/${svc.name}` : 'Local', availableText, age(o, now)];
    },
  },
};
