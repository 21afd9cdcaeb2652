/**
 * The VolumeBinding plugin (kube-scheduler 1.32): PreFilter rejects a pod whose claims are
 * missing, being deleted, lost, or unbound with Immediate binding (the PV controller binds
 * those); Filter checks bound volumes' node affinity and, for WaitForFirstConsumer claims,
 * that the node has a matching available PersistentVolume or the class can provision one.
 */
import { parseQuantity } from '../apiserver/quantity';
import { matchesNodeSelectorTerm } from './affinity';
import type { NodeInfo } from './nodeinfo';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What the plugin reads from the API: claims, volumes and classes. */
export interface VolumeLister {
  claim(namespace: string, name: string): Obj | undefined;
  volume(name: string): Obj | undefined;
  volumes(): Obj[];
  storageClass(name: string): Obj | undefined;
}

export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';

export const CONFLICT_NODE_AFFINITY = 'node(s) had volume node affinity conflict';
export const CONFLICT_NO_VOLUME = "node(s) didn't find available persistent volumes to bind";
export const UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

/** The pod's claims, split by what the Filter has to check. */
export interface ClaimsState {
  bound: Obj[];
  /** Unbound WaitForFirstConsumer claims: the node must offer a volume for each. */
  delayed: Obj[];
}

function claimNames(pod: Obj): string[] {
  return ((pod.spec?.volumes ?? []) as Obj[]).flatMap((v) => {
    if (v.persistentVolumeClaim) return [v.persistentVolumeClaim.claimName as string];
    // A generic ephemeral volume's claim is named <pod>-<volume>.
    if (v.ephemeral) return [`${pod.metadata.name}-${v.name}`];
    return [];
  });
}

export function hasClaims(pod: Obj): boolean {
  return ((pod.spec?.volumes ?? []) as Obj[]).some((v) => v.persistentVolumeClaim || v.ephemeral);
}

/** PreFilter: the claims' state, or the message that makes every node unschedulable. */
export function preFilterVolumes(pod: Obj, lister: VolumeLister): ClaimsState | { message: string } {
  const ns = pod.metadata.namespace;
  const state: ClaimsState = { bound: [], delayed: [] };
  let unboundImmediate = false;
  for (const name of claimNames(pod)) {
    const pvc = lister.claim(ns, name);
    const ephemeral = ((pod.spec?.volumes ?? []) as Obj[]).some((v) => v.ephemeral && `${pod.metadata.name}-${v.name}` === name);
    if (!pvc) return { message: ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found` };
    if (pvc.metadata.deletionTimestamp) return { message: `persistentvolumeclaim "${name}" is being deleted` };
    if (pvc.status?.phase === 'Lost' || (pvc.spec?.volumeName && !lister.volume(pvc.spec.volumeName)))
      return { message: `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName}"` };
    if (pvc.spec?.volumeName) {
      state.bound.push(pvc);
      continue;
    }
    const className: string = pvc.spec?.storageClassName ?? '';
    const cls = className ? lister.storageClass(className) : undefined;
    if (cls?.volumeBindingMode === 'WaitForFirstConsumer') state.delayed.push(pvc);
    else unboundImmediate = true;
  }
  if (unboundImmediate) return { message: UNBOUND_IMMEDIATE };
  return state;
}

function nodeAffinityAllows(pv: Obj, node: Obj): boolean {
  const terms: Obj[] | undefined = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms || terms.some((t) => matchesNodeSelectorTerm(node, t));
}

/** Whether an available volume could be bound to `pvc` on `node` (a simplified FindMatchingVolume). */
function matchingVolume(pvc: Obj, node: Obj, lister: VolumeLister, taken: Set<string>): Obj | undefined {
  const want = parseQuantity(String(pvc.spec?.resources?.requests?.storage ?? '0')) ?? 0;
  const modes: string[] = pvc.spec?.accessModes ?? [];
  let best: Obj | undefined;
  for (const pv of lister.volumes()) {
    if (taken.has(pv.metadata.name) || pv.status?.phase !== 'Available' || pv.spec?.claimRef) continue;
    if ((pv.spec?.storageClassName ?? '') !== (pvc.spec?.storageClassName ?? '')) continue;
    if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) continue;
    const size = parseQuantity(String(pv.spec?.capacity?.storage ?? '0')) ?? 0;
    if (size < want || !nodeAffinityAllows(pv, node)) continue;
    if (!best || size < (parseQuantity(String(best.spec.capacity.storage)) ?? 0)) best = pv;
  }
  return best;
}

/** What PreBind does for a pod's delayed claims on a node (PodVolumes): volumes to bind, claims to provision. */
export interface PodVolumes {
  bindings: { pvc: Obj; pv: Obj }[];
  provisions: Obj[];
}

/**
 * FindPodVolumes for one node: a claim the scheduler already sent to a node (selected-node) is
 * provisioned there and nowhere else; the others take the smallest matching available volume
 * on the node, or are provisioned there when their class has a provisioner.
 */
export function findPodVolumes(state: ClaimsState, node: Obj, lister: VolumeLister): PodVolumes | string {
  const out: PodVolumes = { bindings: [], provisions: [] };
  const taken = new Set<string>();
  for (const pvc of state.delayed) {
    const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
    if (selected !== undefined) {
      if (selected !== node.metadata.name) return CONFLICT_NO_VOLUME;
      out.provisions.push(pvc);
      continue;
    }
    const pv = matchingVolume(pvc, node, lister, taken);
    if (pv) {
      taken.add(pv.metadata.name);
      out.bindings.push({ pvc, pv });
      continue;
    }
    const cls = lister.storageClass(pvc.spec?.storageClassName ?? '');
    // A class with a real provisioner creates a volume for whichever node is picked.
    if (cls && cls.provisioner !== 'kubernetes.io/no-provisioner') {
      out.provisions.push(pvc);
      continue;
    }
    return CONFLICT_NO_VOLUME;
  }
  return out;
}

/** Filter: a node fails when a bound volume's affinity excludes it or a delayed claim finds no volume there. */
export function filterVolumes(state: ClaimsState, node: NodeInfo, lister: VolumeLister): string | undefined {
  for (const pvc of state.bound) {
    const pv = lister.volume(pvc.spec.volumeName);
    if (pv && !nodeAffinityAllows(pv, node.node)) return CONFLICT_NODE_AFFINITY;
  }
  const found = findPodVolumes(state, node.node, lister);
  return typeof found === 'string' ? found : undefined;
}

/**
 * BindPodVolumes' API writes (bindAPIUpdate): each chosen volume gets the claim in its claimRef
 * (bound-by-controller), each claim to provision the node in volume.kubernetes.io/selected-node.
 * The PV controller and the provisioner do the rest.
 */
export function bindAPIUpdates(volumes: PodVolumes, nodeName: string): { path: string; body: Obj }[] {
  const writes: { path: string; body: Obj }[] = [];
  for (const { pvc, pv } of volumes.bindings) {
    const ref = pv.spec?.claimRef;
    const boundToClaim = ref && ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace && (!ref.uid || ref.uid === pvc.metadata.uid);
    const annotations = { ...(pv.metadata.annotations ?? {}) };
    if (!boundToClaim) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    const claimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
    writes.push({ path: `/api/v1/persistentvolumes/${pv.metadata.name}`, body: { ...pv, metadata: { ...pv.metadata, annotations }, spec: { ...pv.spec, claimRef } } });
  }
  for (const pvc of volumes.provisions) {
    if (pvc.metadata.annotations?.[ANN_SELECTED_NODE] === nodeName) continue;
    const annotations = { ...(pvc.metadata.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName };
    writes.push({ path: `/api/v1/namespaces/${pvc.metadata.namespace}/persistentvolumeclaims/${pvc.metadata.name}`, body: { ...pvc, metadata: { ...pvc.metadata, annotations } } });
  }
  return writes;
}

const fullyBound = (pvc: Obj) => Boolean(pvc.spec?.volumeName) && pvc.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;

/**
 * checkBindings: true once every claim is bound (volumeName and bind-completed), false while
 * waiting, or why binding cannot succeed any more (the error BindPodVolumes returns).
 */
export function checkBindings(volumes: PodVolumes, node: Obj, lister: VolumeLister): boolean | string {
  for (const { pvc, pv: chosen } of volumes.bindings) {
    const pv = lister.volume(chosen.metadata.name);
    const claim = lister.claim(pvc.metadata.namespace, pvc.metadata.name);
    if (!pv) return `failed to check binding: persistentvolume "${chosen.metadata.name}" not found`;
    if (!claim) return `failed to check binding: persistentvolumeclaim "${pvc.metadata.name}" not found`;
    if (!nodeAffinityAllows(pv, node)) return `pv "${pv.metadata.name}" node affinity doesn't match node "${node.metadata.name}": no matching NodeSelectorTerms`;
    if (!pv.spec?.claimRef?.uid) return `ClaimRef got reset for pv "${pv.metadata.name}"`;
    if (!fullyBound(claim)) return false;
  }
  for (const pvc of volumes.provisions) {
    const claim = lister.claim(pvc.metadata.namespace, pvc.metadata.name);
    if (!claim) return `failed to check provisioning pvc: persistentvolumeclaim "${pvc.metadata.name}" not found`;
    const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (selected === undefined) return `selectedNode annotation reset for PVC "${claim.metadata.name}"`;
    if (selected !== node.metadata.name) return `selectedNode annotation value "${selected}" not set to scheduled node "${node.metadata.name}"`;
    if (claim.spec?.volumeName) {
      const pv = lister.volume(claim.spec.volumeName);
      if (!pv) return false;
      if (!nodeAffinityAllows(pv, node)) return `pv "${pv.metadata.name}" node affinity doesn't match node "${node.metadata.name}": no matching NodeSelectorTerms`;
    }
    if (!fullyBound(claim)) return false;
  }
  return true;
}
