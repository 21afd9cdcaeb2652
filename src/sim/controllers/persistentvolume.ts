/**
 * The PersistentVolume binder of kube-controller-manager 1.32 (pkg/controller/volume/persistentvolume)
 * and a rancher local-path style dynamic provisioner.
 *
 * The binder binds Pending claims to the smallest Available volume that fits them (class, access
 * modes, capacity, selector, volume mode), in two steps as upstream: pv.spec.claimRef first, then
 * pvc.spec.volumeName, each followed by its status; it leaves WaitForFirstConsumer claims to the
 * scheduler until it picks a node (volume.kubernetes.io/selected-node), hands claims of classes
 * with an external provisioner to that provisioner (the storage-provisioner annotations and an
 * ExternalProvisioning event), releases volumes whose claim is gone and reclaims them (Retain
 * keeps them Released, Delete deletes them or leaves them to their external provisioner,
 * Recycle scrubs them back to Available). Everything is synced again every 15 s, as the real
 * controller's resync does, so waiting claims repeat their events.
 *
 * The provisioner answers claims annotated for rancher.io/local-path: it creates a hostPath
 * volume pvc-<uid> under /opt/local-path-provisioner on the selected node, pre-bound to the
 * claim (the binder completes the binding), and deletes the directory and the volume when a
 * Delete volume is released.
 */
import { rfc3339, type ApiRequest } from '../apiserver';
import { parseQuantity } from '../apiserver/quantity';
import { EventRecorder, type EventType, type InvolvedObject } from '../events';
import { matchesLabelSelector } from '../labels';
import { errorMessage } from './replicaset';
import { keyOf, RetryableError, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

/** --pvclaimbinder-sync-period: every claim and volume is synced again this often. */
export const PV_RESYNC_MS = 15_000;

/** The class a claim asks for: the beta annotation wins over spec.storageClassName (GetPersistentVolumeClaimClass). */
export function claimClass(claim: Obj): string {
  return claim.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
}

/** The class of a volume (GetPersistentVolumeClass). */
export function volumeClass(pv: Obj): string {
  return pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';
}

function storageOf(resources: Obj | undefined): number {
  const v = resources?.storage;
  return v === undefined ? 0 : (parseQuantity(String(v)) ?? 0);
}

/** IsVolumeBoundToClaim: the volume's claimRef names the claim (and its UID, once set). */
export function isVolumeBoundToClaim(pv: Obj, claim: Obj): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

function volumeModeMismatch(claim: Obj, pv: Obj): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

const MODE_ORDER = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** GetAccessModesAsString: the access-mode index key of a volume. */
function accessModesKey(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return MODE_ORDER.filter((m) => set.has(m)).join(',');
}

function containsAllModes(have: string[], want: string[]): boolean {
  return want.every((m) => have.includes(m));
}

/** A reference to a claim as pv.spec.claimRef holds it (reference.GetReference). */
function claimReference(claim: Obj, resourceVersion: string | undefined): Obj {
  return {
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace,
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    apiVersion: 'v1',
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}

/**
 * FindMatchingVolume without a node (the controller's path): a volume pre-bound to the claim
 * wins; else the smallest Available volume of the claim's class that fits. Delayed-binding
 * claims only take volumes pre-bound to them.
 */
function findMatchingVolume(claim: Obj, volumes: Obj[], delayBinding: boolean): Obj | undefined {
  const requested = storageOf(claim.spec?.resources?.requests);
  const className = claimClass(claim);
  const selector = claim.spec?.selector;
  let smallest: Obj | undefined;
  let smallestSize = 0;
  for (const pv of volumes) {
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    const size = storageOf(pv.spec?.capacity);
    if (size < requested) continue;
    if (volumeModeMismatch(claim, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(pv, claim)) return pv;
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !matchesLabelSelector(selector, pv.metadata.labels)) continue;
    if (volumeClass(pv) !== className) continue;
    if (!smallest || smallestSize > size) {
      smallest = pv;
      smallestSize = size;
    }
  }
  return smallest;
}

/** checkVolumeSatisfyClaim: why a volume a claim names cannot be bound to it. */
function volumeUnsatisfied(pv: Obj, claim: Obj): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (storageOf(pv.spec?.capacity) < storageOf(claim.spec?.resources?.requests)) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!containsAllModes(pv.spec?.accessModes ?? [], claim.spec?.accessModes ?? [])) return 'incompatible accessMode';
  return undefined;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function withAnnotation(obj: Obj, key: string, value: string): Obj {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [key]: value } } };
}

function hasAnnotation(obj: Obj, key: string): boolean {
  return obj.metadata?.annotations?.[key] !== undefined;
}

/** The path of a hostPath volume, the node its affinity names (for a local-path volume). */
function hostPathAndNode(pv: Obj): { path: string; node: string } | undefined {
  const path: string | undefined = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) return undefined;
  for (const term of (pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) as Obj[])
    for (const e of (term.matchExpressions ?? []) as Obj[])
      if (e.key === 'kubernetes.io/hostname' && e.operator === 'In' && e.values?.length === 1) return { path, node: e.values[0] };
  return undefined;
}

const PV_PATH = '/api/v1/persistentvolumes';
const claimPath = (ns: string, name: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`;

/** Key prefixes in the binder's one work queue: claims and volumes. */
const CLAIM = 'pvc:';
const VOLUME = 'pv:';

class PersistentVolumeBinder implements Controller {
  /** The service account kube-controller-manager runs this controller as. */
  readonly name = 'persistent-volume-binder';
  private ctx!: ControllerContext;
  private claims!: Informer;
  private volumes!: Informer;
  private classes!: Informer;
  private recorder!: EventRecorder;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    // Events come from "persistentvolume-controller", as upstream's recorder names itself.
    this.recorder = new EventRecorder(ctx.api, ctx.clock, { component: 'persistentvolume-controller' });
    this.claims = ctx.informers.for('persistentvolumeclaims');
    this.volumes = ctx.informers.for('persistentvolumes');
    this.classes = ctx.informers.for('storageclasses', 'storage.k8s.io');
    this.volumes.addIndex('claimRef', (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : undefined));
    this.claims.on({
      add: (c) => ctx.queue.add(CLAIM + keyOf(c)),
      update: (_, c) => ctx.queue.add(CLAIM + keyOf(c)),
      delete: (c) => {
        // The volume of a deleted claim is released now, not at the next resync.
        if (c.spec?.volumeName) ctx.queue.add(VOLUME + c.spec.volumeName);
        for (const pv of this.volumes.byIndex('claimRef', keyOf(c))) ctx.queue.add(VOLUME + pv.metadata.name);
      },
    });
    this.volumes.on({
      add: (pv) => ctx.queue.add(VOLUME + pv.metadata.name),
      update: (_, pv) => ctx.queue.add(VOLUME + pv.metadata.name),
      delete: (pv) => {
        // Its claim becomes Lost now rather than at the next resync.
        const ref = pv.spec?.claimRef;
        if (ref) ctx.queue.add(`${CLAIM}${ref.namespace}/${ref.name}`);
      },
    });
    this.scheduleResync();
  }

  private scheduleResync(): void {
    this.ctx.clock.schedule(PV_RESYNC_MS, () => {
      for (const c of this.claims.list()) this.ctx.queue.add(CLAIM + keyOf(c));
      for (const pv of this.volumes.list()) this.ctx.queue.add(VOLUME + pv.metadata.name);
      this.scheduleResync();
    });
  }

  reconcile(key: string): ReconcileResult {
    if (key.startsWith(CLAIM)) {
      const claim = this.claims.get(key.slice(CLAIM.length));
      if (claim) this.syncClaim(claim);
      return;
    }
    const volume = this.volumes.get(key.slice(VOLUME.length));
    if (volume) this.syncVolume(volume);
  }

  // ---- claims

  private syncClaim(claim: Obj): void {
    if (!hasAnnotation(claim, ANN_BIND_COMPLETED)) this.syncUnboundClaim(claim);
    else this.syncBoundClaim(claim);
  }

  private isDelayBinding(claim: Obj): boolean {
    const name = claimClass(claim);
    if (!name) return false;
    const cls = this.classes.get(name);
    return cls?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  /** findBestMatchForClaim: volumes grouped by access modes, the groups with the fewest modes first. */
  private findBestMatch(claim: Obj, delayBinding: boolean): Obj | undefined {
    const groups = new Map<string, Obj[]>();
    for (const pv of this.volumes.list()) {
      const k = accessModesKey(pv.spec?.accessModes);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(pv);
    }
    const wanted: string[] = claim.spec?.accessModes ?? [];
    const keys = [...groups.keys()]
      .filter((k) => containsAllModes(k ? k.split(',') : [], wanted))
      .sort((a, b) => (a ? a.split(',').length : 0) - (b ? b.split(',').length : 0) || (a < b ? -1 : a > b ? 1 : 0));
    for (const k of keys) {
      const pv = findMatchingVolume(claim, groups.get(k)!, delayBinding);
      if (pv) return pv;
    }
    return undefined;
  }

  private syncUnboundClaim(claim: Obj): void {
    if (!claim.spec?.volumeName) {
      const delayBinding = this.isDelayBinding(claim);
      const volume = this.findBestMatch(claim, delayBinding);
      if (volume) {
        this.bind(volume, claim);
        return;
      }
      if (delayBinding && !hasAnnotation(claim, ANN_SELECTED_NODE)) {
        this.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      } else if (claimClass(claim) !== '') {
        this.provisionClaim(claim);
        return;
      } else {
        this.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      this.updateClaimStatus(claim, 'Pending', undefined);
      return;
    }
    // The user asked for a specific volume.
    const volume = this.volumes.get(claim.spec.volumeName);
    if (!volume) {
      this.updateClaimStatus(claim, 'Pending', undefined);
      return;
    }
    if (!volume.spec?.claimRef) {
      const why = volumeUnsatisfied(volume, claim);
      if (why) {
        this.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volume.metadata.name}": ${why}`);
        this.updateClaimStatus(claim, 'Pending', undefined);
        return;
      }
      this.bind(volume, claim);
      return;
    }
    if (isVolumeBoundToClaim(volume, claim)) {
      this.bind(volume, claim);
      return;
    }
    // Bound to another claim: a user's request waits; a controller's binding cannot be.
    if (!hasAnnotation(claim, ANN_BOUND_BY_CONTROLLER)) this.updateClaimStatus(claim, 'Pending', undefined);
  }

  private syncBoundClaim(claim: Obj): void {
    if (!claim.spec?.volumeName) {
      this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.volumes.get(claim.spec.volumeName);
    if (!volume) {
      this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    if (!volume.spec?.claimRef || volume.spec.claimRef.uid === claim.metadata.uid) {
      // Unbound volume (or our update not seen yet), or all is well: bind() fixes what is missing.
      this.bind(volume, claim);
      return;
    }
    this.updateClaimStatusWithEvent(claim, 'Lost', 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  /** provisionClaim: an external provisioner gets the claim through annotations; in-tree ones fail here. */
  private provisionClaim(claim: Obj): void {
    const name = claimClass(claim);
    const cls = this.classes.get(name);
    if (!cls) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${name}" not found`);
      return;
    }
    const provisioner: string = cls.provisioner ?? '';
    if (provisioner === 'kubernetes.io/host-path') {
      // The hostPath plugin is registered but kube-controller-manager runs without --enable-hostpath-provisioner.
      this.event(claim, 'Warning', 'ProvisioningFailed', 'Failed to create provisioner: provisioning in volume plugin "kubernetes.io/host-path" is disabled');
      return;
    }
    if (provisioner.startsWith('kubernetes.io/')) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
      return;
    }
    let current = claim;
    if (claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] !== provisioner) {
      const annotated = withAnnotation(withAnnotation(this.claims.versioned(claim), ANN_BETA_STORAGE_PROVISIONER, provisioner), ANN_STORAGE_PROVISIONER, provisioner);
      const res = this.ctx.request({ method: 'PUT', path: claimPath(claim.metadata.namespace, claim.metadata.name), body: annotated });
      if (res.status !== 200) {
        this.event(claim, 'Warning', 'ProvisioningFailed', `Error saving claim: ${errorMessage(res)}`);
        throw new RetryableError(errorMessage(res));
      }
      current = res.body as Obj;
    }
    this.event(
      current,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /** bind: volume claimRef, volume phase, claim volumeName, claim status — in that order. */
  private bind(volume: Obj, claim: Obj): void {
    const pv = this.updateVolumePhase(this.bindVolumeToClaim(volume, claim), 'Bound', '');
    this.updateClaimStatus(this.bindClaimToVolume(claim, pv), 'Bound', pv);
  }

  private bindVolumeToClaim(volume: Obj, claim: Obj): Obj {
    const setBoundByController = !isVolumeBoundToClaim(volume, claim);
    let clone = this.volumes.versioned(volume);
    let dirty = false;
    const ref = volume.spec?.claimRef;
    if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
      clone = { ...clone, spec: { ...clone.spec, claimRef: claimReference(claim, this.claims.resourceVersion(keyOf(claim)) ?? claim.metadata.resourceVersion) } };
      dirty = true;
    }
    if (setBoundByController && !hasAnnotation(clone, ANN_BOUND_BY_CONTROLLER)) {
      clone = withAnnotation(clone, ANN_BOUND_BY_CONTROLLER, 'yes');
      dirty = true;
    }
    if (!dirty) return volume;
    return this.write('PUT', `${PV_PATH}/${volume.metadata.name}`, clone);
  }

  private bindClaimToVolume(claim: Obj, volume: Obj): Obj {
    const byController = claim.spec?.volumeName !== volume.metadata.name;
    let clone = this.claims.versioned(claim);
    let dirty = false;
    if (clone.spec?.volumeName !== volume.metadata.name) {
      clone = { ...clone, spec: { ...clone.spec, volumeName: volume.metadata.name } };
      dirty = true;
    }
    if (byController && !hasAnnotation(clone, ANN_BOUND_BY_CONTROLLER)) {
      clone = withAnnotation(clone, ANN_BOUND_BY_CONTROLLER, 'yes');
      dirty = true;
    }
    if (!hasAnnotation(clone, ANN_BIND_COMPLETED)) {
      clone = withAnnotation(clone, ANN_BIND_COMPLETED, 'yes');
      dirty = true;
    }
    if (!dirty) return claim;
    return this.write('PUT', claimPath(claim.metadata.namespace, claim.metadata.name), clone);
  }

  /** updateClaimStatus: phase, and access modes and capacity from the volume (reset without one). */
  private updateClaimStatus(claim: Obj, phase: string, volume: Obj | undefined): Obj {
    const status: Obj = { ...(claim.status ?? {}) };
    let dirty = false;
    if (status.phase !== phase) {
      status.phase = phase;
      dirty = true;
    }
    if (!volume) {
      if (status.accessModes !== undefined) {
        delete status.accessModes;
        dirty = true;
      }
      if (status.capacity !== undefined) {
        delete status.capacity;
        dirty = true;
      }
    } else {
      if (!sameJSON(status.accessModes, volume.spec?.accessModes)) {
        status.accessModes = volume.spec?.accessModes;
        dirty = true;
      }
      // Capacity is set when the claim becomes Bound, not changed afterwards.
      if (claim.status?.phase !== phase && (claim.status?.capacity?.storage === undefined || storageOf(claim.status.capacity) !== storageOf(volume.spec?.capacity))) {
        status.capacity = volume.spec?.capacity;
        dirty = true;
      }
    }
    if (!dirty) return claim;
    return this.write('PUT', `${claimPath(claim.metadata.namespace, claim.metadata.name)}/status`, { ...this.claims.versioned(claim), status });
  }

  private updateClaimStatusWithEvent(claim: Obj, phase: string, type: EventType, reason: string, message: string): void {
    if (claim.status?.phase === phase) return;
    const updated = this.updateClaimStatus(claim, phase, undefined);
    this.event(updated, type, reason, message);
  }

  // ---- volumes

  private syncVolume(volume: Obj): void {
    const ref = volume.spec?.claimRef;
    if (!ref || !ref.uid) {
      // Unused, or reserved for a claim that has not bound yet (its sync will).
      this.updateVolumePhase(volume, 'Available', '');
      return;
    }
    let claim = this.claims.get(`${ref.namespace}/${ref.name}`);
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined; // deleted, and another made with the same name
    if (!claim) {
      let pv = volume;
      if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') pv = this.updateVolumePhase(pv, 'Released', '');
      this.reclaimVolume(pv);
      return;
    }
    if (!claim.spec?.volumeName) {
      if (volumeModeMismatch(claim, volume)) {
        this.event(volume, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name}" due to incompatible volumeMode.`);
        this.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume "${volume.metadata.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
        return;
      }
      // Bound to a claim that is not bound yet: its sync completes the binding, now.
      this.ctx.queue.add(CLAIM + keyOf(claim));
      return;
    }
    if (claim.spec.volumeName === volume.metadata.name) {
      this.updateVolumePhase(volume, 'Bound', '');
      return;
    }
    // The claim got bound to another volume.
    if (hasAnnotation(volume, ANN_PROVISIONED_BY) && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      let pv = volume;
      if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') pv = this.updateVolumePhase(pv, 'Released', '');
      this.reclaimVolume(pv);
      return;
    }
    this.unbindVolume(volume);
  }

  private unbindVolume(volume: Obj): void {
    let clone = this.volumes.versioned(volume);
    if (hasAnnotation(volume, ANN_BOUND_BY_CONTROLLER)) {
      const annotations = { ...(clone.metadata.annotations ?? {}) };
      delete annotations[ANN_BOUND_BY_CONTROLLER];
      const spec = { ...clone.spec };
      delete spec.claimRef;
      const metadata = { ...clone.metadata };
      if (Object.keys(annotations).length) metadata.annotations = annotations;
      else delete metadata.annotations;
      clone = { ...clone, metadata, spec };
    } else {
      // Pre-bound by the user: only the claim's UID goes.
      const claimRef = { ...clone.spec.claimRef };
      delete claimRef.uid;
      clone = { ...clone, spec: { ...clone.spec, claimRef } };
    }
    const updated = this.write('PUT', `${PV_PATH}/${volume.metadata.name}`, clone);
    this.updateVolumePhase(updated, 'Available', '');
  }

  /** reclaimVolume: what the reclaim policy says to do with a Released volume. */
  private reclaimVolume(volume: Obj): void {
    switch (volume.spec?.persistentVolumeReclaimPolicy) {
      case 'Retain':
        return;
      case 'Recycle':
        this.recycleVolume(volume);
        return;
      case 'Delete':
        this.deleteVolume(volume);
        return;
      default:
        this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy');
    }
  }

  /** The in-tree recyclers (hostPath, NFS) scrub the volume with a pod and make it Available again. */
  private recycleVolume(volume: Obj): void {
    if (volume.status?.phase !== 'Released') return;
    if (!volume.spec?.hostPath && !volume.spec?.nfs) {
      this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
      return;
    }
    this.event(volume, 'Normal', 'VolumeRecycled', 'Volume recycled');
    this.unbindVolume(volume);
  }

  /**
   * deleteVolumeOperation: a volume from an external provisioner is left to it; the in-tree
   * hostPath deleter removes only volumes under /tmp; other volumes have no deleter.
   */
  private deleteVolume(volume: Obj): void {
    const provisionedBy: string | undefined = volume.metadata.annotations?.[ANN_PROVISIONED_BY];
    if (provisionedBy && !provisionedBy.startsWith('kubernetes.io/')) return; // the external deleter's job
    let failure: string | undefined;
    if (volume.spec?.hostPath) {
      const path: string = volume.spec.hostPath.path ?? '';
      if (!/\/tmp\/.+/.test(path)) failure = `host_path deleter only supports /tmp/.+ but received provided ${path}`;
    } else if (volume.spec?.nfs) {
      failure = `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`;
    } else {
      failure = `error getting deleter volume plugin for volume "${volume.metadata.name}": no volume plugin matched`;
    }
    if (failure) {
      // Failed, with the reason in status.message; deletion is tried again at every sync.
      this.updateVolumePhaseWithEvent(volume, 'Failed', 'Warning', 'VolumeFailedDelete', failure);
      return;
    }
    const res = this.ctx.request({ method: 'DELETE', path: `${PV_PATH}/${volume.metadata.name}` });
    if (res.status >= 400 && res.status !== 404) throw new RetryableError(errorMessage(res));
  }

  /** updateVolumePhase: status.phase and message; the phase's transition time when it changes. */
  private updateVolumePhase(volume: Obj, phase: string, message: string): Obj {
    if (volume.status?.phase === phase && (volume.status?.message ?? '') === message) return volume;
    const status: Obj = { ...(volume.status ?? {}), phase };
    if (message) status.message = message;
    else delete status.message;
    if (volume.status?.phase !== phase) status.lastPhaseTransitionTime = rfc3339(this.ctx.clock.now());
    return this.write('PUT', `${PV_PATH}/${volume.metadata.name}/status`, { ...this.volumes.versioned(volume), status });
  }

  private updateVolumePhaseWithEvent(volume: Obj, phase: string, type: EventType, reason: string, message: string): void {
    if (volume.status?.phase === phase) return;
    const updated = this.updateVolumePhase(volume, phase, message);
    this.event(updated, type, reason, message);
  }

  // ---- plumbing

  /** Sends a write; returns the stored object, or throws so the key is retried with back-off. */
  private write(method: 'PUT', path: string, body: Obj): Obj {
    const res = this.ctx.request({ method, path, body });
    if (res.status === 200 || res.status === 201) return res.body as Obj;
    throw new RetryableError(errorMessage(res));
  }

  private event(obj: Obj, type: EventType, reason: string, message: string): void {
    const informer = obj.kind === 'PersistentVolume' || !obj.metadata.namespace ? this.volumes : this.claims;
    this.recorder.event(reference(obj, informer), type, reason, message);
  }
}

function reference(obj: Obj, informer: Informer): InvolvedObject {
  const rv = obj.metadata.resourceVersion ?? informer.resourceVersion(keyOf(obj));
  const kind = obj.metadata.namespace ? 'PersistentVolumeClaim' : 'PersistentVolume';
  return {
    kind,
    apiVersion: 'v1',
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    uid: obj.metadata.uid,
    ...(rv ? { resourceVersion: rv } : {}),
  };
}

export function persistentVolumeBinder(): Controller {
  return new PersistentVolumeBinder();
}

// ---------------------------------------------------------------- local-path provisioner

export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const LOCAL_PATH_BASE = '/opt/local-path-provisioner';

/** The default StorageClass the local-path provisioner ships with (deploy/local-path-storage.yaml), marked default. */
export function localPathStorageClass(): Obj {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** What the provisioner needs of a node's filesystem (the helper pods' mkdir and rm -rf). */
export interface NodeDirectories {
  mkdir(path: string, options?: { parents?: boolean; mode?: number }): void;
  remove(path: string, options?: { recursive?: boolean }): void;
  stat(path: string): unknown;
}

export interface LocalPathOptions {
  /** A node's filesystem, to create and remove volume directories; without it, directories are left to the kubelet (DirectoryOrCreate). */
  nodeFs?: (node: string) => NodeDirectories | undefined;
  /** The event source: rancher.io/local-path_<provisioner pod>_<uuid>. */
  identity?: string;
  /** How long a helper pod takes to create or remove a directory (default 3 s). */
  helperDelayMs?: number;
}

const DEFAULT_IDENTITY = 'rancher.io/local-path_local-path-provisioner-7599fd788b-2jkqd_4c0b7bd8-9a5e-4d53-8f4e-0e1f0c8a6d21';
const LOCAL_PATH_USER_AGENT = 'local-path-provisioner/v0.0.31 (linux/amd64) kubernetes/$Format';
const FAILED_PROVISION_BASE_MS = 1000;
const FAILED_PROVISION_MAX_MS = 5 * 60_000;

class LocalPathProvisioner implements Controller {
  readonly name = 'local-path-provisioner';
  private ctx!: ControllerContext;
  private claims!: Informer;
  private volumes!: Informer;
  private classes!: Informer;
  private nodes!: Informer;
  private recorder!: EventRecorder;
  /** Claims (by UID) and volumes (by name) whose helper pod is running. */
  private readonly inProgress = new Set<string>();
  private readonly failures = new Map<string, number>();

  constructor(private readonly options: LocalPathOptions) {}

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.recorder = new EventRecorder(ctx.api, ctx.clock, { component: this.options.identity ?? DEFAULT_IDENTITY });
    this.claims = ctx.informers.for('persistentvolumeclaims');
    this.volumes = ctx.informers.for('persistentvolumes');
    this.classes = ctx.informers.for('storageclasses', 'storage.k8s.io');
    this.nodes = ctx.informers.for('nodes');
    this.claims.on({ add: (c) => ctx.queue.add(CLAIM + keyOf(c)), update: (_, c) => ctx.queue.add(CLAIM + keyOf(c)) });
    this.volumes.on({ add: (pv) => ctx.queue.add(VOLUME + pv.metadata.name), update: (_, pv) => ctx.queue.add(VOLUME + pv.metadata.name) });
  }

  /** Requests go out as the provisioner's own client (its managedFields manager is local-path-provisioner). */
  private request(req: Omit<ApiRequest, 'userAgent'>) {
    return this.ctx.api.handle({ ...req, userAgent: LOCAL_PATH_USER_AGENT });
  }

  reconcile(key: string): ReconcileResult {
    if (key.startsWith(VOLUME)) return this.syncVolume(key.slice(VOLUME.length));
    const claim = this.claims.get(key.slice(CLAIM.length));
    if (!claim) {
      this.failures.delete(key);
      return;
    }
    const result = this.syncClaim(claim);
    if (result === 'retry') {
      const n = this.failures.get(key) ?? 0;
      this.failures.set(key, n + 1);
      return { requeueAfter: Math.min(FAILED_PROVISION_BASE_MS * 2 ** n, FAILED_PROVISION_MAX_MS) };
    }
    this.failures.delete(key);
  }

  /** shouldProvision: annotated for this provisioner, not bound, and (WaitForFirstConsumer) a node chosen. */
  private shouldProvision(claim: Obj): boolean {
    if (claim.spec?.volumeName) return false;
    const annotations = claim.metadata.annotations ?? {};
    const provisioner = annotations[ANN_STORAGE_PROVISIONER] ?? annotations[ANN_BETA_STORAGE_PROVISIONER];
    if (provisioner !== LOCAL_PATH_PROVISIONER) return false;
    const cls = this.classes.get(claimClass(claim));
    if (cls?.volumeBindingMode === 'WaitForFirstConsumer') return Boolean(annotations[ANN_SELECTED_NODE]);
    return true;
  }

  private syncClaim(claim: Obj): 'retry' | undefined {
    if (!this.shouldProvision(claim)) return undefined;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (this.volumes.get(pvName) || this.inProgress.has(claim.metadata.uid)) return undefined;
    const className = claimClass(claim);
    if ((claim.spec?.volumeMode ?? 'Filesystem') === 'Block') {
      this.event(claim, 'Warning', 'ProvisioningFailed', `${LOCAL_PATH_PROVISIONER} does not support block volume provisioning`);
      return undefined;
    }
    const cls = this.classes.get(className);
    if (!cls || cls.provisioner !== LOCAL_PATH_PROVISIONER) return cls ? undefined : 'retry';
    const nodeName: string | undefined = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    let node: Obj | undefined;
    if (nodeName) {
      node = this.nodes.get(nodeName);
      if (!node) {
        // The node is gone: the scheduler is asked to choose again.
        this.event(claim, 'Warning', 'ProvisioningFailed', `nodes "${nodeName}" not found`);
        const annotations = { ...claim.metadata.annotations };
        delete annotations[ANN_SELECTED_NODE];
        const res = this.request({ method: 'PUT', path: claimPath(claim.metadata.namespace, claim.metadata.name), body: { ...this.claims.versioned(claim), metadata: { ...this.claims.versioned(claim).metadata, annotations } } });
        return res.status === 200 ? undefined : 'retry';
      }
    }
    this.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`);
    const refusal = this.refusal(claim, node);
    if (refusal) {
      this.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${className}": ${refusal}`);
      return 'retry';
    }
    const node0 = node!;
    const path = `${LOCAL_PATH_BASE}/${pvName}_${claim.metadata.namespace}_${claim.metadata.name}`;
    const uid = claim.metadata.uid;
    this.inProgress.add(uid);
    // The helper pod runs `mkdir -m 0777 -p <path>` on the node; the volume is created once it succeeds.
    this.ctx.clock.schedule(this.options.helperDelayMs ?? 3000, () => {
      this.inProgress.delete(uid);
      const current = this.claims.get(keyOf(claim));
      if (!current || current.metadata.uid !== uid || !this.shouldProvision(current)) return;
      const fs = this.options.nodeFs?.(node0.metadata.name);
      if (fs) {
        // The helper pod mounts the base directory (DirectoryOrCreate) and runs mkdir -m 0777 -p.
        fs.mkdir(LOCAL_PATH_BASE, { parents: true });
        fs.mkdir(path, { parents: true, mode: 0o777 });
      }
      this.createVolume(current, cls, node0, pvName, path);
    });
    return undefined;
  }

  /** What Provision refuses: selectors, access modes other than RWO/RWOP, no node. */
  private refusal(claim: Obj, node: Obj | undefined): string | undefined {
    if (claim.spec?.selector) return 'claim.Spec.Selector is not supported';
    for (const m of (claim.spec?.accessModes ?? []) as string[])
      if (m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod') return 'NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes';
    if (!node) return 'configuration error, no node was specified';
    return undefined;
  }

  private createVolume(claim: Obj, cls: Obj, node: Obj, name: string, path: string): void {
    const hostname: string = node.metadata.labels?.['kubernetes.io/hostname'] ?? node.metadata.name;
    const pv: Obj = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: { 'local.path.provisioner/selected-node': node.metadata.name, [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER },
      },
      spec: {
        accessModes: claim.spec?.accessModes,
        capacity: { storage: claim.spec?.resources?.requests?.storage },
        claimRef: claimReference(claim, this.claims.resourceVersion(keyOf(claim))),
        hostPath: { path, type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] }] } },
        persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
        storageClassName: claimClass(claim),
        volumeMode: 'Filesystem',
      },
    };
    const res = this.request({ method: 'POST', path: PV_PATH, body: pv });
    if (res.status === 201 || res.status === 409) {
      if (res.status === 201) this.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
      return;
    }
    this.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${claimClass(claim)}": ${errorMessage(res)}`);
    this.ctx.queue.addAfter(CLAIM + keyOf(claim), FAILED_PROVISION_BASE_MS);
  }

  /** shouldDelete: a Released Delete volume of ours; the helper pod removes its directory, then the volume goes. */
  private syncVolume(name: string): ReconcileResult {
    const pv = this.volumes.get(name);
    if (!pv || this.inProgress.has(name)) return;
    if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return;
    if (pv.metadata.deletionTimestamp || pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const where = hostPathAndNode(pv);
    if (!where) {
      this.event(pv, 'Warning', 'VolumeFailedDelete', `failed to delete volume ${name}: no NodeAffinity set`);
      return;
    }
    this.inProgress.add(name);
    this.ctx.clock.schedule(this.options.helperDelayMs ?? 3000, () => {
      this.inProgress.delete(name);
      const current = this.volumes.get(name);
      if (!current || current.metadata.uid !== pv.metadata.uid) return;
      const fs = this.options.nodeFs?.(where.node);
      if (fs?.stat(where.path)) fs.remove(where.path, { recursive: true });
      const res = this.request({ method: 'DELETE', path: `${PV_PATH}/${name}` });
      if (res.status >= 400 && res.status !== 404) this.ctx.queue.addAfter(VOLUME + name, FAILED_PROVISION_BASE_MS);
    });
  }

  private event(obj: Obj, type: EventType, reason: string, message: string): void {
    const informer = obj.metadata.namespace ? this.claims : this.volumes;
    this.recorder.event(reference(obj, informer), type, reason, message);
  }
}

export function localPathProvisioner(options: LocalPathOptions = {}): Controller {
  return new LocalPathProvisioner(options);
}
