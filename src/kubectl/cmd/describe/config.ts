/** Describers for ConfigMap, Secret, ServiceAccount, PersistentVolume(Claim), StorageClass and RBAC objects. */
import { csiAttributes } from './pod';
import { canonical } from './quantity';
import {
  accessModes,
  decodeBase64,
  annotationsBlock,
  eventsBlock,
  formatLabels,
  getObject,
  goList,
  labelsBlock,
  listAll,
  PrefixWriter,
  printBoolPtr,
  refOf,
  rfc1123z,
  searchEvents,
  since,
  sortedKeys,
  type Describer,
  type Obj,
} from './writer';

export const describeConfigMap: Describer = async (env, namespace, name) => {
  const cm = await getObject(env, `/api/v1/namespaces/${namespace}/configmaps/${name}`);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${cm.metadata.name}\n`);
  w.write(0, `Namespace:\t${cm.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', cm.metadata.labels);
  annotationsBlock(w, 'Annotations', cm.metadata.annotations);
  w.write(0, '\nData\n====\n');
  // kubectl walks a Go map (random order); sorted keys are one of its orders.
  for (const k of sortedKeys(cm.data)) {
    w.write(0, `${k}:\n----\n`);
    w.write(0, `${cm.data[k]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  for (const k of sortedKeys(cm.binaryData)) w.write(0, `${k}: ${base64Length(cm.binaryData[k])} bytes\n`);
  w.write(0, '\n');
  eventsBlock(w, await searchEvents(env, refOf(cm, 'ConfigMap')), env.now);
  return w.toString();
};

function base64Length(b64: string): number {
  const clean = String(b64 ?? '').replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

export const describeSecret: Describer = async (env, namespace, name) => {
  const secret = await getObject(env, `/api/v1/namespaces/${namespace}/secrets/${name}`);
  const w = new PrefixWriter();
  w.write(0, `Name:\t${secret.metadata.name}\n`);
  w.write(0, `Namespace:\t${secret.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', secret.metadata.labels);
  annotationsBlock(w, 'Annotations', secret.metadata.annotations);
  w.write(0, `\nType:\t${secret.type ?? ''}\n`);
  w.write(0, '\nData\n====\n');
  for (const k of sortedKeys(secret.data)) {
    if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(0, `${k}:\t${decodeBase64(secret.data[k])}\n`);
    else w.write(0, `${k}:\t${base64Length(secret.data[k])} bytes\n`);
  }
  return w.toString();
};


export const describeServiceAccount: Describer = async (env, namespace, name) => {
  const sa = await getObject(env, `/api/v1/namespaces/${namespace}/serviceaccounts/${name}`);
  const tokens: string[] = [];
  const missing = new Set<string>();
  try {
    const secrets = await listAll(env, `/api/v1/namespaces/${namespace}/secrets`);
    const existing = new Set<string>();
    for (const s of secrets) {
      if (s.type === 'kubernetes.io/service-account-token') {
        const a = s.metadata?.annotations ?? {};
        if (a['kubernetes.io/service-account.name'] === sa.metadata.name && a['kubernetes.io/service-account.uid'] === sa.metadata.uid) tokens.push(s.metadata.name);
      }
      existing.add(s.metadata.name);
    }
    for (const s of [...(sa.secrets ?? []), ...(sa.imagePullSecrets ?? [])] as Obj[]) if (!existing.has(s.name)) missing.add(s.name);
  } catch {
    // Tolerated: the account is described with the secrets it names.
  }
  const events = await searchEvents(env, refOf(sa, 'ServiceAccount'));
  const w = new PrefixWriter();
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace}\n`);
  labelsBlock(w, 'Labels', sa.metadata.labels);
  annotationsBlock(w, 'Annotations', sa.metadata.annotations);
  const groups: [string, string[]][] = [
    ['Image pull secrets:', ((sa.imagePullSecrets ?? []) as Obj[]).map((s) => s.name)],
    ['Mountable secrets: ', ((sa.secrets ?? []) as Obj[]).map((s) => s.name)],
    ['Tokens:            ', tokens],
  ];
  for (const [header, names] of groups) {
    if (names.length === 0) {
      w.write(0, `${header}\t<none>\n`);
      continue;
    }
    let prefix = header;
    for (const n of names) {
      w.write(0, `${prefix}\t${n}${missing.has(n) ? ' (not found)' : ''}\n`);
      prefix = '                   ';
    }
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

function nodeAffinityBlock(w: PrefixWriter, affinity: Obj | undefined): void {
  w.write(0, 'Node Affinity:\t');
  if (!affinity?.required) return w.line('<none>');
  w.line('');
  w.write(1, 'Required Terms:\t');
  const terms: Obj[] = affinity.required.nodeSelectorTerms ?? [];
  if (terms.length === 0) return w.line('<none>');
  w.line('');
  terms.forEach((term, i) => {
    w.write(2, `Term ${i}:\t`);
    const reqs: Obj[] = term.matchExpressions ?? [];
    if (reqs.length === 0) return w.line('<none>');
    reqs.forEach((r, j) => {
      if (j !== 0) w.write(2, '\t');
      let expr = `${r.key} ${String(r.operator).toLowerCase()}`;
      if (r.values?.length) expr += ` [${r.values.join(', ')}]`;
      w.write(0, `${expr}\n`);
    });
  });
}

export const describePersistentVolume: Describer = async (env, _namespace, name) => {
  const pv = await getObject(env, `/api/v1/persistentvolumes/${name}`);
  const events = await searchEvents(env, refOf(pv, 'PersistentVolume'));
  const spec = pv.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pv.metadata.name}\n`);
  labelsBlock(w, 'Labels', pv.metadata.labels);
  annotationsBlock(w, 'Annotations', pv.metadata.annotations);
  w.write(0, `Finalizers:\t${goList(pv.metadata.finalizers)}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`);
  if (pv.metadata.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts ${since(pv.metadata.deletionTimestamp, env.now)})\n`);
  else w.write(0, `Status:\t${pv.status?.phase ?? ''}\n`);
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
  w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${canonical(spec.capacity?.storage ?? '0')}\n`);
  nodeAffinityBlock(w, spec.nodeAffinity);
  w.write(0, `Message:\t${pv.status?.message ?? ''}\n`);
  w.write(0, 'Source:\n');
  if (spec.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type ?? '<none>'}\n`);
  else if (spec.nfs) w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server}\n    Path:\t${spec.nfs.path}\n    ReadOnly:\t${!!spec.nfs.readOnly}\n`);
  else if (spec.local) w.write(2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
  else if (spec.csi) {
    w.write(2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${spec.csi.driver}\n    FSType:\t${spec.csi.fsType ?? ''}\n    VolumeHandle:\t${spec.csi.volumeHandle}\n    ReadOnly:\t${!!spec.csi.readOnly}\n`);
    csiAttributes(w, spec.csi.volumeAttributes);
  } else w.write(1, '<unknown>\n');
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describePersistentVolumeClaim: Describer = async (env, namespace, name) => {
  const pvc = await getObject(env, `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${name}`);
  const pods = await listAll(env, `/api/v1/namespaces/${namespace}/pods`);
  const users: Obj[] = [];
  for (const pod of pods) for (const v of (pod.spec?.volumes ?? []) as Obj[]) if (v.persistentVolumeClaim?.claimName === name) users.push(pod);
  for (const ref of (pvc.metadata.ownerReferences ?? []) as Obj[]) {
    if (ref.kind !== 'Pod') continue;
    const owner = pods.find((p) => p.metadata.uid === ref.uid);
    if (owner && !users.some((p) => p.metadata.uid === owner.metadata.uid)) users.push(owner);
  }
  const events = await searchEvents(env, refOf(pvc, 'PersistentVolumeClaim'));
  const spec = pvc.spec ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pvc.metadata.name}\n`);
  w.write(0, `Namespace:\t${pvc.metadata.namespace}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''}\n`);
  if (pvc.metadata.deletionTimestamp) w.write(0, `Status:\tTerminating (lasts ${since(pvc.metadata.deletionTimestamp, env.now)})\n`);
  else w.write(0, `Status:\t${pvc.status?.phase ?? ''}\n`);
  w.write(0, `Volume:\t${spec.volumeName ?? ''}\n`);
  labelsBlock(w, 'Labels', pvc.metadata.labels);
  annotationsBlock(w, 'Annotations', pvc.metadata.annotations);
  w.write(0, `Finalizers:\t${goList(pvc.metadata.finalizers)}\n`);
  const bound = !!spec.volumeName;
  w.write(0, `Capacity:\t${bound ? canonical(pvc.status?.capacity?.storage ?? '0') : ''}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModes(pvc.status?.accessModes) : ''}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(0, 'DataSource:\n');
    if (spec.dataSource.apiGroup !== undefined) w.write(1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(1, `Kind:\t${spec.dataSource.kind}\n`);
    w.write(1, `Name:\t${spec.dataSource.name}\n`);
  }
  w.write(0, 'Used By:\t');
  if (users.length === 0) w.line('<none>');
  else
    [...users]
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
      .forEach((p, i) => {
        if (i !== 0) w.write(0, '\t');
        w.write(0, `${p.metadata.name}\n`);
      });
  const conditions: Obj[] = pvc.status?.conditions ?? [];
  if (conditions.length) {
    w.write(0, 'Conditions:\n');
    w.write(1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions)
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

export const describeStorageClass: Describer = async (env, _namespace, name) => {
  const sc = await getObject(env, `/apis/storage.k8s.io/v1/storageclasses/${name}`);
  const events = await searchEvents(env, refOf(sc, 'StorageClass'));
  const a = sc.metadata.annotations ?? {};
  const isDefault = a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  const w = new PrefixWriter();
  w.write(0, `Name:\t${sc.metadata.name}\n`);
  w.write(0, `IsDefaultClass:\t${isDefault ? 'Yes' : 'No'}\n`);
  w.write(0, `Annotations:\t${formatLabels(sc.metadata.annotations)}\n`);
  w.write(0, `Provisioner:\t${sc.provisioner ?? ''}\n`);
  w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
  w.write(0, `AllowVolumeExpansion:\t${printBoolPtr(sc.allowVolumeExpansion)}\n`);
  if (!sc.mountOptions?.length) w.write(0, 'MountOptions:\t<none>\n');
  else {
    w.write(0, 'MountOptions:\n');
    for (const o of sc.mountOptions as string[]) w.write(1, `${o}\n`);
  }
  if (sc.reclaimPolicy) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
  if (sc.volumeBindingMode) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
  if (sc.allowedTopologies) {
    w.write(0, 'AllowedTopologies:\t');
    const terms: Obj[] = sc.allowedTopologies;
    if (terms.length === 0) w.line('<none>');
    else {
      w.line('');
      terms.forEach((term, i) => {
        w.write(1, `Term ${i}:\t`);
        const reqs: Obj[] = term.matchLabelExpressions ?? [];
        if (reqs.length === 0) return w.line('<none>');
        reqs.forEach((r, j) => {
          if (j !== 0) w.write(1, '\t');
          w.write(0, `${r.key} in${r.values?.length ? ` [${r.values.join(', ')}]` : ''}\n`);
        });
      });
    }
  }
  eventsBlock(w, events, env.now);
  return w.toString();
};

// ---- RBAC ------------------------------------------------------------------------------------

interface Rule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** rbac.BreakdownRule then CompactRules, sorted by the rule's String() as kubectl sorts them. */
function compactRules(rules: Obj[]): Rule[] {
  const broken: Rule[] = [];
  for (const r of rules) {
    const verbs: string[] = r.verbs ?? [];
    for (const g of (r.apiGroups ?? []) as string[])
      for (const res of (r.resources ?? []) as string[])
        for (const v of verbs) {
          if (r.resourceNames?.length) for (const n of r.resourceNames as string[]) broken.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [n], nonResourceURLs: [] });
          else broken.push({ verbs: [v], apiGroups: [g], resources: [res], resourceNames: [], nonResourceURLs: [] });
        }
    for (const url of (r.nonResourceURLs ?? []) as string[]) for (const v of verbs) broken.push({ verbs: [v], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [url] });
  }
  const compacted: Rule[] = [];
  const simple = new Map<string, Rule>();
  for (const r of broken) {
    if (r.nonResourceURLs.length || r.resourceNames.length > 1 || r.apiGroups.length !== 1 || r.resources.length !== 1) {
      compacted.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames.length > 0, r.resourceNames[0] ?? '']);
    const existing = simple.get(key);
    if (existing) {
      for (const v of r.verbs) if (!existing.verbs.includes(v)) existing.verbs.push(v);
    } else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  compacted.push(...simple.values());
  const str = (r: Rule) =>
    `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
  return compacted.map((r) => ({ r, s: str(r) })).sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0)).map((x) => x.r);
}

function combineResourceGroup(resources: string[], groups: string[]): string {
  if (resources.length === 0) return '';
  const [head, ...rest] = resources[0]!.split('/');
  let out = head!;
  if (groups.length > 0 && groups[0] !== '') out += `.${groups[0]}`;
  if (rest.length) out += `/${rest.join('/')}`;
  return out;
}

function roleText(role: Obj): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${role.metadata.name}\n`);
  labelsBlock(w, 'Labels', role.metadata.labels);
  annotationsBlock(w, 'Annotations', role.metadata.annotations);
  w.write(0, 'PolicyRule:\n');
  w.write(1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
  w.write(1, '---------\t-----------------\t--------------\t-----\n');
  for (const r of compactRules(role.rules ?? []))
    w.write(1, `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
  return w.toString();
}

function bindingText(b: Obj): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${b.metadata.name}\n`);
  labelsBlock(w, 'Labels', b.metadata.labels);
  annotationsBlock(w, 'Annotations', b.metadata.annotations);
  w.write(0, 'Role:\n');
  w.write(1, `Kind:\t${b.roleRef?.kind ?? ''}\n`);
  w.write(1, `Name:\t${b.roleRef?.name ?? ''}\n`);
  w.write(0, 'Subjects:\n');
  w.write(1, 'Kind\tName\tNamespace\n');
  w.write(1, '----\t----\t---------\n');
  for (const s of (b.subjects ?? []) as Obj[]) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ''}\n`);
  return w.toString();
}

export const describeRole: Describer = async (env, namespace, name) => roleText(await getObject(env, `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles/${name}`));
export const describeClusterRole: Describer = async (env, _namespace, name) => roleText(await getObject(env, `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`));
export const describeRoleBinding: Describer = async (env, namespace, name) =>
  bindingText(await getObject(env, `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/${name}`));
export const describeClusterRoleBinding: Describer = async (env, _namespace, name) =>
  bindingText(await getObject(env, `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${name}`));
