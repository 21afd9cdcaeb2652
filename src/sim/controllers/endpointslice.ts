/**
 * The EndpointSlice controller (pkg/controller/endpointslice and the k8s.io/endpointslice
 * reconciler, 1.32): for every Service with a selector, EndpointSlices (generateName
 * "<service>-") listing the matching pods that have an IP, grouped by the ports each pod
 * resolves, at most 100 endpoints a slice, with ready/serving/terminating conditions, and a
 * placeholder slice when there is nothing to list. Existing slices are filled, updated or
 * deleted only when their endpoints or labels differ from what should be.
 *
 * Also the helpers the Endpoints controller shares with it (k8s.io/endpointslice/util): which
 * Services a pod change concerns, which pods belong in endpoints, port resolution, the
 * last-change-trigger-time tracker, and Go's deep hash (md5 of spew's "%#v") that orders ports.
 */
import { rfc3339 } from '../apiserver';
import { utf8Bytes } from '../bytes';
import { EventRecorder } from '../events';
import { isPodReady } from './podutil';
import { errorMessage } from './replicaset';
import { keyOf, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const ANNOTATION_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
const LABEL_ZONE = 'topology.kubernetes.io/zone';
/** The managed-by value of this controller's slices (controllerQualifiedName). */
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
/** kube-controller-manager's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** Slice changes made by others are looked at after this delay (endpointSliceChangeMinSyncDelay). */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;
/** Failed syncs back off from 1 s to 1000 s and are dropped after 15 retries. */
const SYNC_BACKOFF_MS = 1000;
const MAX_SYNC_BACKOFF_MS = 1000_000;
export const MAX_RETRIES = 15;

// ---------------------------------------------------------------------------------------------
// Shared with the Endpoints controller (k8s.io/endpointslice/util).

/** The Service's selector; nil and empty both select nothing (an empty map does not survive storage). */
export function serviceSelector(svc: Obj): Record<string, string> | undefined {
  const sel: Record<string, string> | undefined = svc.spec?.selector ?? undefined;
  return sel && Object.keys(sel).length > 0 ? sel : undefined;
}

function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const k in selector) if (labels?.[k] !== selector[k]) return false;
  return true;
}

/** The pods a Service selects, from the namespace's pods only. */
export function podsForService(pods: Informer, svc: Obj): Obj[] {
  const selector = serviceSelector(svc);
  if (!selector) return [];
  return pods.list(svc.metadata.namespace).filter((p) => selects(selector, p.metadata.labels));
}

/** Keys of the Services in a namespace whose selector matches the labels (getServicesForPod). */
function servicesMatching(services: Informer, namespace: string, labels: Record<string, string> | undefined): Set<string> {
  const out = new Set<string>();
  for (const svc of services.list(namespace)) {
    const selector = serviceSelector(svc);
    if (selector && selects(selector, labels)) out.add(keyOf(svc));
  }
  return out;
}

function sameStringMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  for (const k of ak) if (a![k] !== b?.[k]) return false;
  return true;
}

function podIPs(pod: Obj): string[] {
  return ((pod.status?.podIPs ?? []) as Obj[]).map((p) => p.ip as string);
}

/**
 * podEndpointsChanged: whether the change can move the pod's endpoint (deletion, readiness,
 * IPs), and whether it can change which Services select it (labels, hostname, subdomain).
 */
function podEndpointsChanged(old: Obj, cur: Obj): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameStringMap(old.metadata.labels, cur.metadata.labels) || old.spec?.hostname !== cur.spec?.hostname || old.spec?.subdomain !== cur.spec?.subdomain;
  // Go compares the deletionTimestamp pointers: two decoded objects never share one.
  if (old.metadata.deletionTimestamp || cur.metadata.deletionTimestamp) return { podChanged: true, labelsChanged };
  if (isPodReady(old) !== isPodReady(cur)) return { podChanged: true, labelsChanged };
  const a: Obj[] = old.status?.podIPs ?? [];
  const b: Obj[] = cur.status?.podIPs ?? [];
  if (a.length !== b.length) return { podChanged: true, labelsChanged };
  for (let i = 0; i < a.length; i++) if (a[i]!.ip !== b[i]!.ip) return { podChanged: true, labelsChanged };
  return { podChanged: false, labelsChanged };
}

/** The Services to sync after a pod update (GetServicesToUpdateOnPodChange). */
function servicesToUpdateOnPodChange(services: Informer, old: Obj, cur: Obj): Set<string> {
  const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return new Set();
  const now = servicesMatching(services, cur.metadata.namespace, cur.metadata.labels);
  if (!labelsChanged) return now;
  const before = servicesMatching(services, old.metadata.namespace, old.metadata.labels);
  const out = new Set<string>();
  if (podChanged) {
    for (const k of now) out.add(k);
    for (const k of before) out.add(k);
  } else {
    // Only labels changed: the Services the pod joined or left.
    for (const k of now) if (!before.has(k)) out.add(k);
    for (const k of before) if (!now.has(k)) out.add(k);
  }
  return out;
}

/** Queues the Services a pod event concerns, as both endpoint controllers do. */
export function watchPodsForServices(services: Informer, pods: Informer, queue: (key: string) => void): void {
  const added = (p: Obj) => {
    for (const k of servicesMatching(services, p.metadata.namespace, p.metadata.labels)) queue(k);
  };
  pods.on({ add: added, update: (old, p) => servicesToUpdateOnPodChange(services, old, p).forEach(queue), delete: added }, false);
}

/** Whether a pod belongs in endpoints at all: not finished, has an IP, and not terminating unless asked. */
export function shouldPodBeInEndpoints(pod: Obj, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && !(pod.status?.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

/** A pod with spec.hostname whose spec.subdomain names the Service gets a hostname in its endpoint. */
export function shouldSetHostname(pod: Obj, svc: Obj): boolean {
  return Boolean(pod.spec?.hostname) && pod.spec?.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** A ClusterIP that is neither empty nor None. */
export function isServiceIPSet(svc: Obj): boolean {
  const ip = svc.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}

/**
 * FindPort: the pod's port for a Service port — the target port number, or the container port
 * (of a container or a sidecar init container) with the target port's name and the protocol.
 */
export function findPort(pod: Obj, svcPort: Obj): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  const search = (containers: Obj[]) => {
    for (const c of containers) for (const p of (c.ports ?? []) as Obj[]) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort as number;
    return undefined;
  };
  return search(pod.spec?.containers ?? []) ?? search(((pod.spec?.initContainers ?? []) as Obj[]).filter((c) => c.restartPolicy === 'Always'));
}

export function isIPv6(ip: string): boolean {
  return ip.includes(':');
}

function readyTransition(pod: Obj): number | undefined {
  for (const c of (pod.status?.conditions ?? []) as Obj[]) if (c.type === 'Ready') return c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
  return undefined;
}

/**
 * TriggerTimeTracker: the time of the earliest change (a pod's Ready transition, or the
 * Service's creation) not yet exported for a Service; the Service's creation when it is new.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, { service: number; pods: Map<string, number> }>();

  /** Updates the state and returns the trigger time to write, or undefined for none. */
  compute(key: string, svc: Obj, pods: Obj[]): number | undefined {
    const state = this.states.get(key);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = readyTransition(pod);
      if (t === undefined || Number.isNaN(t)) continue;
      podTimes.set(pod.metadata.name, t);
      if (t > (state?.pods.get(pod.metadata.name) ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const created = Date.parse(svc.metadata.creationTimestamp);
    if (created > (state?.service ?? -Infinity)) min = min === undefined ? created : Math.min(min, created);
    this.states.set(key, { service: created, pods: podTimes });
    return state ? min : created;
  }

  delete(key: string): void {
    this.states.delete(key);
  }
}

/** time.Time.UTC().Format(time.RFC3339Nano) of a timestamp with whole seconds. */
export function triggerTimeText(ms: number): string {
  return rfc3339(ms);
}

/** The per-key retry policy of both controllers' queues: exponential from 1 s, dropped after 15 tries. */
export class Retries {
  private readonly failures = new Map<string, number>();
  constructor(private readonly baseMs: number) {}
  /** After a failure: when to try again, or undefined when the key is dropped. */
  private failed(key: string): number | undefined {
    const n = this.failures.get(key) ?? 0;
    if (n >= MAX_RETRIES) {
      this.failures.delete(key);
      return undefined;
    }
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, MAX_SYNC_BACKOFF_MS);
  }
  private succeeded(key: string): void {
    this.failures.delete(key);
  }
  /** Runs one sync (which returns its error, if any) and says when to look at the key again. */
  reconcile(key: string, sync: () => string | undefined): ReconcileResult {
    if (sync() === undefined) {
      this.succeeded(key);
      return;
    }
    const after = this.failed(key);
    return after === undefined ? undefined : { requeueAfter: after };
  }
}

// ---------------------------------------------------------------------------------------------
// Go's deep hash: hash.DeepHashObject prints with spew ("%#v", types shown, pointers followed)
// and the controllers take the md5 of that text. Ports and subsets are sorted by it.

const MD5_SHIFT = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** MD5 of a string's UTF-8 bytes, in hex. */
export function md5Hex(text: string): string {
  const bytes = utf8Bytes(text);
  const n = bytes.length;
  const blocks = ((n + 8) >>> 6) + 1;
  const words = new Uint32Array(blocks * 16);
  for (let i = 0; i < n; i++) words[i >>> 2] = words[i >>> 2]! | (bytes[i]! << ((i % 4) * 8));
  words[n >>> 2] = words[n >>> 2]! | (0x80 << ((n % 4) * 8));
  words[blocks * 16 - 2] = (n * 8) >>> 0;
  words[blocks * 16 - 1] = Math.floor(n / 0x20000000);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let off = 0; off < words.length; off += 16) {
    let [a, b, c, d] = h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) [f, g] = [(b & c) | (~b & d), i];
      else if (i < 32) [f, g] = [(d & b) | (~d & c), (5 * i + 1) % 16];
      else if (i < 48) [f, g] = [b ^ c ^ d, (3 * i + 5) % 16];
      else [f, g] = [c ^ (b | ~d), (7 * i) % 16];
      const x = (a + f + MD5_K[i]! + words[off + g]!) | 0;
      const s = MD5_SHIFT[(i >>> 4) * 4 + (i % 4)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
  }
  let out = '';
  for (const w of h) for (let i = 0; i < 4; i++) out += ((w >>> (i * 8)) & 0xff).toString(16).padStart(2, '0');
  return out;
}

/** spew's "%#v" of a pointer field: its type, then the value or <nil>. */
export function goPtr(type: string, v: string | number | undefined): string {
  return `(*${type})${v === undefined || v === null ? '<nil>' : v}`;
}

/** spew's "%#v" of a slice field: its type, then the elements (printed without type) or <nil>. */
export function goSlice<T>(type: string, items: readonly T[] | undefined, element: (x: T) => string): string {
  return items ? `([]${type})[${items.map(element).join(' ')}]` : `([]${type})<nil>`;
}

/**
 * spew's "%#v" of a discovery/v1 EndpointPort value: reflect names the type by its package,
 * v1 (kube-dns's slice lists 9153,53,53 this way, as real clusters show).
 */
function goSlicePort(p: Obj): string {
  return `(v1.EndpointPort){Name:${goPtr('string', p.name)} Protocol:${goPtr('v1.Protocol', p.protocol)} Port:${goPtr('int32', p.port)} AppProtocol:${goPtr('string', p.appProtocol)}}`;
}

/** Sorts items by the md5 of their spew text, as sort.Sort with a hash Less does. */
export function sortByGoHash<T>(items: readonly T[], text: (x: T) => string): T[] {
  if (items.length < 2) return [...items];
  return items
    .map((x) => ({ x, h: md5Hex(text(x)) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .map((e) => e.x);
}

/** NewPortMapKey: the ports in hash order, and the key identifying that set of ports. */
function portMap(ports: readonly Obj[] | undefined): { ports: Obj[]; key: string } {
  const sorted = sortByGoHash(ports ?? [], goSlicePort);
  return { ports: sorted, key: sorted.map((p) => `${p.name}\u0000${p.protocol}\u0000${p.port}\u0000${p.appProtocol ?? ''}\u0001${p.appProtocol === undefined}`).join('\u0002') };
}

// ---------------------------------------------------------------------------------------------
// The controller.

/** What the reconciler tracks of the slices it wrote (EndpointSliceTracker): their generations. */
class SliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private gens(slice: Obj, create = false): Map<string, number> | undefined {
    const key = `${slice.metadata.namespace}/${slice.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
    let m = this.byService.get(key);
    if (!m && create) this.byService.set(key, (m = new Map()));
    return m;
  }

  update(slice: Obj): void {
    this.gens(slice, true)!.set(slice.metadata.uid, slice.metadata.generation ?? 0);
  }

  forget(slice: Obj): void {
    this.gens(slice)?.delete(slice.metadata.uid);
  }

  has(slice: Obj): boolean {
    return this.gens(slice)?.has(slice.metadata.uid) ?? false;
  }

  /** A slice changed by someone else (or not seen before) needs its Service synced. */
  shouldSync(slice: Obj): boolean {
    const g = this.gens(slice)?.get(slice.metadata.uid);
    return g === undefined || (slice.metadata.generation ?? 0) > g;
  }

  deleteService(key: string): void {
    this.byService.delete(key);
  }
}

interface EndpointMeta {
  ports: Obj[];
  addressType: string;
}

export function endpointSliceController(): Controller {
  return new EndpointSliceController();
}

class EndpointSliceController implements Controller {
  readonly name = 'endpointslice-controller';
  private ctx!: ControllerContext;
  private services!: Informer;
  private pods!: Informer;
  private nodes!: Informer;
  private slices!: Informer;
  private recorder!: EventRecorder;
  private readonly tracker = new SliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly retries = new Retries(SYNC_BACKOFF_MS);
  /** True while this controller's own write is in flight: its watch event is not news. */
  private writing = false;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    // The events of this controller name their source as upstream does.
    this.recorder = new EventRecorder(ctx.api, ctx.clock, { component: 'endpoint-slice-controller' });
    this.services = ctx.informers.for('services');
    this.pods = ctx.informers.for('pods');
    this.nodes = ctx.informers.for('nodes');
    this.slices = ctx.informers.for('endpointslices', 'discovery.k8s.io');
    this.slices.addIndex('service', (s) => (s.metadata.labels?.[LABEL_SERVICE_NAME] !== undefined ? `${s.metadata.namespace}/${s.metadata.labels[LABEL_SERVICE_NAME]}` : undefined));
    this.services.on({ add: (s) => ctx.queue.add(keyOf(s)), update: (_, s) => ctx.queue.add(keyOf(s)), delete: (s) => ctx.queue.add(keyOf(s)) });
    watchPodsForServices(this.services, this.pods, (k) => ctx.queue.add(k));
    const managed = (s: Obj) => s.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER;
    this.slices.on(
      {
        add: (s) => {
          if (!this.writing && managed(s) && this.tracker.shouldSync(s)) this.queueForSlice(s);
        },
        update: (old, s) => {
          if (this.writing) return;
          if (old.metadata.labels?.[LABEL_SERVICE_NAME] !== s.metadata.labels?.[LABEL_SERVICE_NAME]) {
            this.queueForSlice(s);
            this.queueForSlice(old);
            return;
          }
          if (managed(old) !== managed(s) || (managed(s) && this.tracker.shouldSync(s))) this.queueForSlice(s);
        },
        delete: (s) => {
          if (this.writing || !managed(s) || !this.tracker.has(s)) return;
          // Someone else deleted a slice this controller wrote: put it back.
          this.tracker.forget(s);
          this.queueForSlice(s);
        },
      },
      false,
    );
  }

  private queueForSlice(slice: Obj): void {
    const service = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!service) return;
    this.ctx.queue.addAfter(`${slice.metadata.namespace}/${service}`, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  reconcile(key: string): ReconcileResult {
    return this.retries.reconcile(key, () => this.syncService(key));
  }

  /** Syncs one Service's slices; returns the error, if any. */
  private syncService(key: string): string | undefined {
    const svc = this.services.get(key);
    if (!svc) {
      this.triggerTimes.delete(key);
      this.tracker.deleteService(key);
      return undefined;
    }
    // ExternalName Services get no endpoints; Services without a selector get theirs from elsewhere.
    if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return undefined;
    const pods = podsForService(this.pods, svc);
    const slices = this.slices
      .byIndex('service', key)
      .filter((s) => s.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER && !s.metadata.deletionTimestamp);
    const triggerTime = this.triggerTimes.compute(key, svc, pods);
    const error = this.reconcileService(svc, pods, slices, triggerTime);
    if (error !== undefined) {
      const { namespace, name } = splitKey(key);
      this.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${error}`);
    }
    return error;
  }

  /** Reconciler.Reconcile: slices of address types the Service no longer has go; the rest are reconciled per type. */
  private reconcileService(svc: Obj, pods: Obj[], existing: Obj[], triggerTime: number | undefined): string | undefined {
    const types = addressTypesFor(svc);
    const errs: string[] = [];
    const toDelete: Obj[] = [];
    const byType = new Map<string, Obj[]>();
    for (const slice of existing) {
      if (!types.includes(slice.addressType)) {
        toDelete.push(slice);
        continue;
      }
      byType.set(slice.addressType, [...(byType.get(slice.addressType) ?? []), slice]);
    }
    for (const t of types) {
      const err = this.reconcileByAddressType(svc, pods, byType.get(t) ?? [], triggerTime, t);
      if (err !== undefined) errs.push(err);
    }
    for (const slice of toDelete) {
      const err = this.deleteSlice(svc, slice);
      if (err !== undefined) errs.push(`error deleting ${slice.metadata.name} EndpointSlice for Service ${svc.metadata.namespace}/${svc.metadata.name}: ${err}`);
    }
    return aggregate(errs);
  }

  private reconcileByAddressType(svc: Obj, pods: Obj[], existing: Obj[], triggerTime: number | undefined, addressType: string): string | undefined {
    const errs: string[] = [];
    const toCreate: Obj[] = [];
    const toUpdate: Obj[] = [];
    let toDelete: Obj[] = [];

    const existingByPortMap = new Map<string, Obj[]>();
    for (const slice of existing) {
      if (ownedBy(slice, svc)) {
        const { key } = portMap(slice.ports);
        existingByPortMap.set(key, [...(existingByPortMap.get(key) ?? []), slice]);
      } else toDelete.push(slice);
    }

    const desiredMeta = new Map<string, EndpointMeta>();
    const desired = new Map<string, Map<string, Obj>>();
    // Go's lister returns pods in no particular order; name order keeps new slices readable.
    const sorted = [...pods].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    for (const pod of sorted) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const { ports, key } = portMap(endpointPorts(svc, pod));
      if (!desired.has(key)) desired.set(key, new Map());
      if (!desiredMeta.has(key)) desiredMeta.set(key, { addressType, ports });
      const node = this.nodes.get(pod.spec?.nodeName ?? '');
      if (!node && !svc.spec?.publishNotReadyAddresses) {
        // The pod's node is gone: leave the pod out and retry later (PodGC will remove it).
        errs.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${pod.spec?.nodeName ?? ''} Not Found`);
        continue;
      }
      const ep = podToEndpoint(pod, node, svc, addressType);
      if (ep.addresses.length > 0) desired.get(key)!.set(endpointHash(ep), ep);
    }

    for (const [key, set] of desired) {
      const r = this.reconcileByPortMapping(svc, existingByPortMap.get(key) ?? [], set, desiredMeta.get(key)!);
      toCreate.push(...r.create);
      toUpdate.push(...r.update);
      toDelete.push(...r.del);
    }
    for (const [key, slices] of existingByPortMap) if (!desired.has(key)) toDelete.push(...slices);

    // With nothing to list, a placeholder slice without ports or endpoints stands for the Service.
    if (existing.length === toDelete.length && toCreate.length < 1) {
      const placeholder = newEndpointSlice(svc, { ports: [], addressType });
      if (toDelete.length === 1 && samePlaceholder(toDelete[0]!, placeholder)) toDelete = [];
      else toCreate.push(placeholder);
    }

    const err = this.finalize(svc, toCreate, toUpdate, toDelete, triggerTime);
    if (err !== undefined) errs.push(err);
    return aggregate(errs);
  }

  /**
   * reconcileByPortMapping: keep existing slices' endpoints that are still desired (updating
   * those that changed), delete slices left empty, fill the changed slices, then the one
   * unchanged slice the remainder fits best, then new slices.
   */
  private reconcileByPortMapping(svc: Obj, existing: Obj[], desired: Map<string, Obj>, meta: EndpointMeta): { create: Obj[]; update: Obj[]; del: Obj[] } {
    const byName = new Map<string, Obj>();
    const unchanged = new Set<string>();
    const toUpdate = new Set<string>();
    const toDelete = new Set<string>();

    for (const slice of existing) {
      byName.set(slice.metadata.name, slice);
      const kept: Obj[] = [];
      let updated = false;
      for (const ep of (slice.endpoints ?? []) as Obj[]) {
        const h = endpointHash(ep);
        const want = desired.get(h);
        if (!want) continue;
        kept.push(want);
        if (!endpointsEqualBeyondHash(want, ep)) updated = true;
        desired.delete(h);
      }
      const { labels, changed } = sliceLabels(slice, svc);
      const count = (slice.endpoints ?? []).length;
      if (updated || count !== kept.length) {
        if (kept.length === 0) toDelete.add(slice.metadata.name);
        else {
          const v = this.slices.versioned(slice);
          byName.set(slice.metadata.name, { ...v, metadata: { ...v.metadata, labels }, endpoints: kept });
          toUpdate.add(slice.metadata.name);
        }
      } else if (changed) {
        const v = this.slices.versioned(slice);
        byName.set(slice.metadata.name, { ...v, metadata: { ...v.metadata, labels } });
        toUpdate.add(slice.metadata.name);
      } else unchanged.add(slice.metadata.name);
    }

    const pop = (): Obj => {
      const [h, ep] = desired.entries().next().value as [string, Obj];
      desired.delete(h);
      return ep;
    };

    // Fill the slices being updated anyway, fullest first.
    if (desired.size > 0 && toUpdate.size > 0) {
      const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
      for (const slice of slices) {
        const eps: Obj[] = [...(slice.endpoints ?? [])];
        while (desired.size > 0 && eps.length < MAX_ENDPOINTS_PER_SLICE) eps.push(pop());
        byName.set(slice.metadata.name, { ...slice, endpoints: eps });
      }
    }

    const create: Obj[] = [];
    while (desired.size > 0) {
      let fill: Obj | undefined;
      if (desired.size < MAX_ENDPOINTS_PER_SLICE && unchanged.size > 0) fill = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size);
      const slice = fill ? { ...this.slices.versioned(fill) } : newEndpointSlice(svc, meta);
      const eps: Obj[] = [...(slice.endpoints ?? [])];
      while (desired.size > 0 && eps.length < MAX_ENDPOINTS_PER_SLICE) eps.push(pop());
      slice.endpoints = eps;
      if (fill) {
        byName.set(fill.metadata.name, slice);
        toUpdate.add(fill.metadata.name);
        unchanged.delete(fill.metadata.name);
      } else create.push(slice);
    }
    return { create, update: [...toUpdate].map((n) => byName.get(n)!), del: [...toDelete].map((n) => byName.get(n)!) };
  }

  /** Creates, updates and deletes; a slice to create takes the place of one to delete when it can. */
  private finalize(svc: Obj, toCreate: Obj[], toUpdate: Obj[], toDelete: Obj[], triggerTime: number | undefined): string | undefined {
    const ns = svc.metadata.namespace;
    const where = `Service ${ns}/${svc.metadata.name}`;
    toCreate = [...toCreate];
    toUpdate = [...toUpdate];
    toDelete = [...toDelete];
    for (let i = 0; i < toDelete.length && toCreate.length > 0; ) {
      const old = toDelete[i]!;
      const slice = toCreate[toCreate.length - 1]!;
      if (old.addressType === slice.addressType && ownedBy(old, svc)) {
        slice.metadata = { ...slice.metadata, name: old.metadata.name };
        toCreate.pop();
        toUpdate.push(slice);
        toDelete.splice(i, 1);
      } else i++;
    }
    const base = `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`;
    // No new slices for a Service being deleted: the garbage collector is removing them.
    if (!svc.metadata.deletionTimestamp) {
      for (const slice of toCreate) {
        const res = this.write({ method: 'POST', path: base, body: withTriggerTime(slice, triggerTime) });
        if (res.status !== 201) {
          if (/because it is being terminated/.test(errorMessage(res))) return undefined;
          return `failed to create EndpointSlice for ${where}: ${errorMessage(res)}`;
        }
        this.tracker.update(res.body as Obj);
      }
    }
    for (const slice of toUpdate) {
      const res = this.write({ method: 'PUT', path: `${base}/${slice.metadata.name}`, body: withTriggerTime(slice, triggerTime) });
      if (res.status !== 200) return `failed to update ${slice.metadata.name} EndpointSlice for ${where}: ${errorMessage(res)}`;
      this.tracker.update(res.body as Obj);
    }
    for (const slice of toDelete) {
      const err = this.deleteSlice(svc, slice);
      if (err !== undefined) return `failed to delete ${slice.metadata.name} EndpointSlice for ${where}: ${err}`;
    }
    return undefined;
  }

  /** Deletes a slice; one already gone is fine. */
  private deleteSlice(svc: Obj, slice: Obj): string | undefined {
    const res = this.write({ method: 'DELETE', path: `/apis/discovery.k8s.io/v1/namespaces/${svc.metadata.namespace}/endpointslices/${slice.metadata.name}` });
    this.tracker.forget(slice);
    if (res.status === 200 || res.status === 202 || res.status === 404) return undefined;
    return errorMessage(res);
  }

  private write(req: Parameters<ControllerContext['request']>[0]): { status: number; body: unknown } {
    this.writing = true;
    try {
      return this.ctx.request(req);
    } finally {
      this.writing = false;
    }
  }

  private event(svc: Obj, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(this.services.reference({ ...svc, kind: 'Service', apiVersion: 'v1' }), type, reason, message);
  }
}

/** The address types a Service's IP families call for (getAddressTypesForService). */
function addressTypesFor(svc: Obj): string[] {
  const out: string[] = [];
  for (const f of (svc.spec?.ipFamilies ?? []) as string[]) {
    if (f === 'IPv4' && !out.includes('IPv4')) out.push('IPv4');
    if (f === 'IPv6' && !out.includes('IPv6')) out.push('IPv6');
  }
  if (out.length) return out;
  if (isServiceIPSet(svc)) return [isIPv6(svc.spec.clusterIP) ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

function ownedBy(slice: Obj, svc: Obj): boolean {
  return ((slice.metadata.ownerReferences ?? []) as Obj[]).some((o) => o.uid === svc.metadata.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** utilerrors.NewAggregate's message: one error alone, several in brackets. */
function aggregate(errs: string[]): string | undefined {
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

/** The ports a pod offers for the Service (getEndpointPorts); a headless Service may have none. */
function endpointPorts(svc: Obj, pod: Obj): Obj[] {
  const out: Obj[] = [];
  for (const sp of (svc.spec?.ports ?? []) as Obj[]) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', protocol: sp.protocol ?? 'TCP', port, ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** The pod's endpoint in a slice (podToEndpoint). */
function podToEndpoint(pod: Obj, node: Obj | undefined, svc: Obj, addressType: string): Obj {
  const serving = isPodReady(pod);
  const terminating = Boolean(pod.metadata.deletionTimestamp);
  // Ready is never true for a terminating pod, unless not-ready addresses are published.
  const ready = Boolean(svc.spec?.publishNotReadyAddresses) || (serving && !terminating);
  const ep: Obj = {
    addresses: podIPs(pod).filter((ip) => isIPv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** An endpoint's identity: its addresses, hostname and pod (hashEndpoint). */
function endpointHash(ep: Obj): string {
  return JSON.stringify([[...(ep.addresses ?? [])].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: node, zone, conditions and pod reference (its resourceVersion aside). */
function endpointsEqualBeyondHash(a: Obj, b: Obj): boolean {
  if (a.nodeName !== b.nodeName || a.zone !== b.zone) return false;
  for (const c of ['ready', 'serving', 'terminating']) if (a.conditions?.[c] !== b.conditions?.[c]) return false;
  const ra = a.targetRef;
  const rb = b.targetRef;
  if (!ra || !rb) return !ra && !rb;
  for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'fieldPath']) if ((ra[f] ?? '') !== (rb[f] ?? '')) return false;
  return true;
}

/**
 * setEndpointSliceLabels: the Service's labels (reserved keys aside), the headless label for a
 * Service without a cluster IP, and the service-name and managed-by labels; `changed` when the
 * Service's labels differ from the slice's (the headless label does not count, as upstream).
 */
function sliceLabels(slice: Obj, svc: Obj): { labels: Record<string, string>; changed: boolean } {
  const reserved = (k: string) => k === LABEL_SERVICE_NAME || k === LABEL_MANAGED_BY || k === LABEL_HEADLESS;
  const have: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(slice.metadata.labels ?? {})) if (!reserved(k)) have[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(svc.metadata.labels ?? {})) if (!reserved(k)) labels[k] = v;
  const changed = !sameStringMap(have, labels);
  if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name;
  labels[LABEL_MANAGED_BY] = ENDPOINTSLICE_CONTROLLER;
  return { labels, changed };
}

/** A new slice for the Service, owned by it (newEndpointSlice). */
function newEndpointSlice(svc: Obj, meta: EndpointMeta): Obj {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels({ metadata: {} }, svc).labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    addressType: meta.addressType,
    endpoints: [],
    ports: meta.ports,
  };
}

/**
 * placeholderSliceCompare: the slice to delete is as good as a new placeholder. Upstream's
 * equality compares only namespace and labels of the metadata (owners included in it are not
 * looked at), then the address type, endpoints and ports.
 */
function samePlaceholder(slice: Obj, placeholder: Obj): boolean {
  return (
    slice.metadata.namespace === placeholder.metadata.namespace &&
    sameStringMap(slice.metadata.labels, placeholder.metadata.labels) &&
    slice.addressType === placeholder.addressType &&
    (slice.endpoints ?? []).length === 0 &&
    (slice.ports ?? []).length === 0
  );
}

/** The unchanged slice that the remaining endpoints would fill most closely (getSliceToFill). */
function sliceToFill(slices: Obj[], count: number): Obj | undefined {
  let closestDiff = MAX_ENDPOINTS_PER_SLICE;
  let closest: Obj | undefined;
  for (const s of slices) {
    const diff = MAX_ENDPOINTS_PER_SLICE - (count + (s.endpoints ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return closest;
    }
  }
  return closest;
}

/**
 * The slice as sent: the trigger-time annotation set (or cleared), and empty endpoint and
 * port lists written as null, as they read back from storage.
 */
function withTriggerTime(slice: Obj, triggerTime: number | undefined): Obj {
  const annotations: Record<string, string> = { ...(slice.metadata.annotations ?? {}) };
  if (triggerTime !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = triggerTimeText(triggerTime);
  else delete annotations[ANNOTATION_TRIGGER_TIME];
  const metadata: Obj = { ...slice.metadata, annotations };
  if (!Object.keys(annotations).length) delete metadata.annotations;
  return {
    ...slice,
    metadata,
    endpoints: (slice.endpoints ?? []).length ? slice.endpoints : null,
    ports: (slice.ports ?? []).length ? slice.ports : null,
  };
}
