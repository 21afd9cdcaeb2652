/**
 * The Endpoints controller (pkg/controller/endpoint, 1.32): the legacy Endpoints object named
 * as each Service with a selector — ready pods under addresses, pods not ready under
 * notReadyAddresses (terminating pods left out unless not-ready addresses are published),
 * repacked into subsets of addresses sharing ports (endpoints.RepackSubsets), truncated to
 * 1000 addresses with the over-capacity annotation, labelled as the Service, and deleted with
 * the Service. It writes only when the subsets, the labels or the capacity annotation differ.
 */
import { isPodReady } from './podutil';
import { errorMessage } from './replicaset';
import {
  ANNOTATION_TRIGGER_TIME,
  findPort,
  goPtr,
  goSlice,
  isIPv6,
  isServiceIPSet,
  LABEL_HEADLESS,
  podsForService,
  Retries,
  serviceSelector,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  sortByGoHash,
  TriggerTimeTracker,
  triggerTimeText,
  watchPodsForServices,
} from './endpointslice';
import { keyOf, splitKey, type Controller, type ControllerContext, type Informer, type ReconcileResult } from './runtime/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
/** Addresses an Endpoints object holds at most (maxCapacity). */
export const MAX_ENDPOINTS_CAPACITY = 1000;
/** Endpoints that record a leader election have no Service and are not cleaned up. */
const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
/** DefaultControllerRateLimiter's first back-off. */
const SYNC_BACKOFF_MS = 5;

interface Subset {
  addresses?: Obj[];
  notReadyAddresses?: Obj[];
  ports?: Obj[];
}

export function endpointsController(): Controller {
  return new EndpointsController();
}

class EndpointsController implements Controller {
  readonly name = 'endpoint-controller';
  private ctx!: ControllerContext;
  private services!: Informer;
  private pods!: Informer;
  private endpoints!: Informer;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly retries = new Retries(SYNC_BACKOFF_MS);

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.services = ctx.informers.for('services');
    this.pods = ctx.informers.for('pods');
    this.endpoints = ctx.informers.for('endpoints');
    this.services.on({ add: (s) => ctx.queue.add(keyOf(s)), update: (_, s) => ctx.queue.add(keyOf(s)), delete: (s) => ctx.queue.add(keyOf(s)) });
    watchPodsForServices(this.services, this.pods, (k) => ctx.queue.add(k));
    this.endpoints.on({ delete: (e) => ctx.queue.add(keyOf(e)) }, false);
    // checkLeftoverEndpoints: Endpoints left from Services deleted while the controller was down.
    for (const e of this.endpoints.list()) if (e.metadata.annotations?.[LEADER_ANNOTATION] === undefined) ctx.queue.add(keyOf(e));
  }

  reconcile(key: string): ReconcileResult {
    return this.retries.reconcile(key, () => this.syncService(key));
  }

  private syncService(key: string): string | undefined {
    const { namespace, name } = splitKey(key);
    const svc = this.services.get(key);
    if (!svc) {
      // The Service is gone: so are its Endpoints.
      const res = this.ctx.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}/endpoints/${name}` });
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) return errorMessage(res);
      this.triggerTimes.delete(key);
      return undefined;
    }
    // ExternalName Services get no endpoints; Services without a selector get theirs from elsewhere.
    if (svc.spec?.type === 'ExternalName' || !serviceSelector(svc)) return undefined;

    const pods = podsForService(this.pods, svc);
    const triggerTime = this.triggerTimes.compute(key, svc, pods);
    const publish = Boolean(svc.spec?.publishNotReadyAddresses);
    const ports: Obj[] = svc.spec?.ports ?? [];
    const subsets: Subset[] = [];
    for (const pod of pods) {
      if (!shouldPodBeInEndpoints(pod, publish)) continue;
      const address = podAddress(svc, pod);
      if (!address) continue;
      const ready = publish || isPodReady(pod);
      const add = (port: Obj | undefined) =>
        subsets.push({ [ready ? 'addresses' : 'notReadyAddresses']: [address], ports: port ? [port] : [] });
      // A headless Service may have no ports.
      if (ports.length === 0) {
        if (svc.spec?.clusterIP === 'None') add(undefined);
        continue;
      }
      for (const sp of ports) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        add({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol !== undefined ? { appProtocol: sp.appProtocol } : {}) });
      }
    }
    const packed = repackSubsets(subsets);

    const current = this.endpoints.get(key);
    const currentLabels: Record<string, string> = { ...(current?.metadata.labels ?? {}) };
    delete currentLabels[LABEL_HEADLESS];
    if (
      current &&
      sameSubsets(current.subsets ?? [], packed) &&
      sameMap(currentLabels, svc.metadata.labels) &&
      capacityAnnotationSetCorrectly(current.metadata.annotations, current.subsets ?? [])
    )
      return undefined;

    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (!isServiceIPSet(svc)) labels[LABEL_HEADLESS] = '';
    else delete labels[LABEL_HEADLESS];
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (triggerTime !== undefined) annotations[ANNOTATION_TRIGGER_TIME] = triggerTimeText(triggerTime);
    else delete annotations[ANNOTATION_TRIGGER_TIME];
    if (truncateEndpoints(packed)) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
    else delete annotations[ANNOTATION_OVER_CAPACITY];
    const meta: Obj = current ? { ...this.endpoints.versioned(current).metadata } : { name };
    meta.labels = labels;
    meta.annotations = annotations;
    const body: Obj = current ? { ...current, metadata: meta } : { apiVersion: 'v1', kind: 'Endpoints', metadata: meta };
    if (packed.length) body.subsets = packed;
    else delete body.subsets;

    const res = current
      ? this.ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${namespace}/endpoints/${name}`, body })
      : this.ctx.request({ method: 'POST', path: `/api/v1/namespaces/${namespace}/endpoints`, body });
    if (res.status === 200 || res.status === 201) return undefined;
    const message = errorMessage(res);
    // A namespace being deleted takes no new objects: nothing to retry.
    if (!current && res.status === 403 && /because it is being terminated/.test(message)) return undefined;
    // The event names the Endpoints as sent: on creation it has no namespace or UID yet.
    const involved = current
      ? { kind: 'Endpoints', apiVersion: 'v1', name, namespace, uid: current.metadata.uid, resourceVersion: meta.resourceVersion }
      : { kind: 'Endpoints', apiVersion: 'v1', name };
    if (current) this.ctx.recorder.event(involved, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${namespace}/${name}: ${message}`);
    else this.ctx.recorder.event(involved, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${namespace}/${name}: ${message}`);
    return message;
  }
}

/** The pod's address for the Service, in the Service's first IP family (podToEndpointAddressForService). */
function podAddress(svc: Obj, pod: Obj): Obj | undefined {
  let v6: boolean;
  const families: string[] = svc.spec?.ipFamilies ?? [];
  if (families.length) v6 = families[0] === 'IPv6';
  else if (isServiceIPSet(svc)) v6 = isIPv6(svc.spec.clusterIP);
  else v6 = isIPv6(pod.status?.podIP ?? '');
  const ip = ((pod.status?.podIPs ?? []) as Obj[]).map((p) => p.ip as string).find((x) => isIPv6(x) === v6);
  if (!ip) return undefined;
  return {
    ip,
    ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
    nodeName: pod.spec?.nodeName ?? '',
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

// ---------------------------------------------------------------------------------------------
// endpoints.RepackSubsets and SortSubsets.

function addressKey(a: Obj): string {
  return `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
}

/** LessEndpointAddress: by IP (bytewise), then by pod UID. */
function compareAddresses(a: Obj, b: Obj): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  if (!b.targetRef) return a.targetRef ? 1 : 0;
  if (!a.targetRef) return -1;
  const ua: string = a.targetRef.uid ?? '';
  const ub: string = b.targetRef.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * Regroups single-address subsets into subsets of addresses that offer the same ports, an
 * address not ready on a port counting as not ready there, and sorts them as Go does:
 * addresses by IP and UID, ports and subsets by the md5 of their spew text.
 */
export function repackSubsets(subsets: Subset[]): Subset[] {
  const all = new Map<string, Obj>();
  // Port (or the "no ports" sentinel) -> address key -> ready.
  const byPort = new Map<string, { port: Obj | undefined; ready: Map<string, boolean> }>();
  const map = (addr: Obj, port: Obj | undefined, ready: boolean) => {
    const key = addressKey(addr);
    if (!all.has(key)) all.set(key, addr);
    const pk = port ? JSON.stringify([port.name ?? '', port.port, port.protocol, port.appProtocol ?? null]) : '';
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
    const was = entry.ready.get(key);
    if (was === undefined || was) entry.ready.set(key, ready);
  };
  for (const ss of subsets) {
    const ports: (Obj | undefined)[] = ss.ports?.length ? ss.ports : [undefined];
    for (const port of ports) {
      for (const a of ss.addresses ?? []) map(a, port, true);
      for (const a of ss.notReadyAddresses ?? []) map(a, port, false);
    }
  }
  // Ports whose addresses (and readiness) are the same share a subset.
  const groups = new Map<string, { ready: Map<string, boolean>; ports: Obj[] | undefined }>();
  for (const { port, ready } of byPort.values()) {
    const key = [...ready.entries()].map(([k, r]) => `${k}\u0000${r}`).sort().join('\u0001');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ready, ports: undefined }));
    if (port) g.ports = [...(g.ports ?? []), port];
  }
  const out: Subset[] = [];
  for (const g of groups.values()) {
    const ready: Obj[] = [];
    const notReady: Obj[] = [];
    for (const [k, r] of g.ready) (r ? ready : notReady).push(all.get(k)!);
    out.push({
      ...(ready.length ? { addresses: ready.sort(compareAddresses) } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady.sort(compareAddresses) } : {}),
      ...(g.ports ? { ports: sortByGoHash(g.ports, (p) => `(v1.EndpointPort)${goPort(p)}`) } : {}),
    });
  }
  return sortByGoHash(out, goSubset);
}

/** spew's "%#v" of a v1.ObjectReference reached through a pointer. */
function goObjectReference(r: Obj | undefined): string {
  if (!r) return '(*v1.ObjectReference)<nil>';
  const s = (v: unknown) => (v === undefined ? '' : String(v));
  return `(*v1.ObjectReference){Kind:(string)${s(r.kind)} Namespace:(string)${s(r.namespace)} Name:(string)${s(r.name)} UID:(types.UID)${s(r.uid)} APIVersion:(string)${s(r.apiVersion)} ResourceVersion:(string)${s(r.resourceVersion)} FieldPath:(string)${s(r.fieldPath)}}`;
}

function goAddress(a: Obj): string {
  return `{IP:(string)${a.ip} Hostname:(string)${a.hostname ?? ''} NodeName:${goPtr('string', a.nodeName)} TargetRef:${goObjectReference(a.targetRef)}}`;
}

function goPort(p: Obj): string {
  return `{Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol ?? ''} AppProtocol:${goPtr('string', p.appProtocol)}}`;
}

function goSubset(s: Subset): string {
  return `(v1.EndpointSubset){Addresses:${goSlice('v1.EndpointAddress', s.addresses, goAddress)} NotReadyAddresses:${goSlice('v1.EndpointAddress', s.notReadyAddresses, goAddress)} Ports:${goSlice('v1.EndpointPort', s.ports, goPort)}}`;
}

// ---------------------------------------------------------------------------------------------
// Comparison and capacity.

function canonicalAddress(a: Obj): unknown {
  const r = a.targetRef;
  // The pod's resourceVersion does not count (endpointSubsetsEqualIgnoreResourceVersion).
  return [a.ip, a.hostname ?? '', a.nodeName ?? null, r ? [r.kind ?? '', r.namespace ?? '', r.name ?? '', r.uid ?? '', r.apiVersion ?? '', r.fieldPath ?? ''] : null];
}

function canonicalSubsets(subsets: Subset[]): string {
  return JSON.stringify(
    subsets.map((s) => [
      (s.addresses ?? []).map(canonicalAddress),
      (s.notReadyAddresses ?? []).map(canonicalAddress),
      (s.ports ?? []).map((p) => [p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]),
    ]),
  );
}

function sameSubsets(a: Subset[], b: Subset[]): boolean {
  return canonicalSubsets(a) === canonicalSubsets(b);
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  for (const k of ak) if (a![k] !== b?.[k]) return false;
  return true;
}

function addressCount(subsets: Subset[]): number {
  let n = 0;
  for (const s of subsets) n += (s.addresses ?? []).length + (s.notReadyAddresses ?? []).length;
  return n;
}

/** Over capacity the annotation is never "correct" (the stored subsets are truncated); under it, it must be absent. */
function capacityAnnotationSetCorrectly(annotations: Record<string, string> | undefined, subsets: Subset[]): boolean {
  if (addressCount(subsets) > MAX_ENDPOINTS_CAPACITY) return false;
  return annotations?.[ANNOTATION_OVER_CAPACITY] === undefined;
}

/**
 * truncateEndpoints: above 1000 addresses, keeps ready addresses first, each subset its
 * (rounded up) share of what fits; returns whether anything was cut.
 */
function truncateEndpoints(subsets: Subset[]): boolean {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const s of subsets) {
    totalReady += (s.addresses ?? []).length;
    totalNotReady += (s.notReadyAddresses ?? []).length;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const truncateReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? (s.addresses ?? []).length : (s.notReadyAddresses ?? []).length;
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= (s.addresses ?? []).length;
    } else {
      if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, toBeAdded);
      canBeAdded -= (s.notReadyAddresses ?? []).length;
    }
    if (s.addresses?.length === 0) delete s.addresses;
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
  }
  return true;
}
