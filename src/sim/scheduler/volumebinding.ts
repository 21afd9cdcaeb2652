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

/** Filter: a node fails when a bound volume's affinity excludes it or a delayed claim finds no volume there. */
export function filterVolumes(state: ClaimsState, node: NodeInfo, lister: VolumeLister): string | undefined {
  for (const pvc of state.bound) {
    const pv = lister.volume(pvc.spec.volumeName);
    if (pv && !nodeAffinityAllows(pv, node.node)) return CONFLICT_NODE_AFFINITY;
  }
  const taken = new Set<string>();
  for (const pvc of state.delayed) {
    const pv = matchingVolume(pvc, node.node, lister, taken);
    if (pv) {
      taken.add(pv.metadata.name);
      continue;
    }
    const cls = lister.storageClass(pvc.spec?.storageClassName ?? '');
    // A class with a real provisioner creates a volume for whichever node is picked.
    if (cls && cls.provisioner !== 'kubernetes.io/no-provisioner') continue;
    return CONFLICT_NO_VOLUME;
  }
  return undefined;
}
