/**
 * A load-balancer pool for bare-metal clusters, as MetalLB in layer-2 mode provides it (a
 * kubeadm cluster has no cloud provider, so LoadBalancer Services stay `<pending>` without one).
 * The controller gives each LoadBalancer Service the lowest free address of the pool (or the one
 * it asks for with spec.loadBalancerIP or MetalLB's loadBalancerIPs annotation) in
 * status.loadBalancer, and the speaker announces it from one eligible node. Addresses return to
 * the pool when the Service is deleted or stops being a LoadBalancer. Events and wording follow
 * MetalLB 0.14: IPAllocated / nodeAssigned, AllocationFailed when the pool is exhausted.
 */
import type { ApiServer } from '../apiserver';
import type { VirtualClock } from '../clock';
import { ControllerManager, keyOf, type Controller, type ControllerContext, type Informer, type ReconcileResult } from '../controllers/index';
import { EventRecorder } from '../events';
import { utf8Bytes } from '../bytes';
import { intToIp, ipToInt, parseCIDR } from '../ip';
import { fnv32a } from '../names';
import type { Store } from '../store';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The pool a lab turns on with `loadBalancerPool: true`: on the nodes' segment, above their addresses. */
export const DEFAULT_LOAD_BALANCER_POOL = '172.30.255.200-172.30.255.250';
const IPS_ANNOTATION = 'metallb.universe.tf/loadBalancerIPs';
const EXCLUDE_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** The addresses of "A-B" or a CIDR (without its network and broadcast address), as numbers. */
export function parsePool(pool: string): { first: number; last: number } {
  const range = /^\s*(\d+\.\d+\.\d+\.\d+)\s*-\s*(\d+\.\d+\.\d+\.\d+)\s*$/.exec(pool);
  if (range) {
    const first = ipToInt(range[1]!);
    const last = ipToInt(range[2]!);
    if (last < first) throw new Error(`load-balancer pool ${pool}: the range ends before it starts`);
    return { first, last };
  }
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(pool.trim())) throw new Error(`load-balancer pool ${pool}: expected "A.B.C.D-E.F.G.H" or a CIDR`);
  const { base, prefix } = parseCIDR(pool.trim());
  const size = 2 ** (32 - prefix);
  return size <= 2 ? { first: base, last: base + size - 1 } : { first: base + 1, last: base + size - 2 };
}

function isLoadBalancer(svc: Obj): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.metadata?.deletionTimestamp;
}

function assignedIPs(svc: Obj): string[] {
  return ((svc.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip).filter((ip): ip is string => typeof ip === 'string');
}

/** The address a Service asks for, if any. */
function requestedIP(svc: Obj): string | undefined {
  const annotated = (svc.metadata?.annotations?.[IPS_ANNOTATION] as string | undefined)?.split(',')[0]?.trim();
  return annotated || svc.spec?.loadBalancerIP || undefined;
}

/** The speaker's deterministic choice of announcing node: FNV-1a of node and address. */
const hash = (text: string): number => fnv32a(utf8Bytes(text));

class LoadBalancerPoolController implements Controller {
  readonly name = 'metallb-controller';
  private ctx!: ControllerContext;
  private services!: Informer;
  private nodes!: Informer;
  private slices!: Informer;
  private speaker!: EventRecorder;
  /** Address → the Service key holding it. */
  private readonly owners = new Map<number, string>();
  /** Service key → the node announcing its address. */
  private readonly announced = new Map<string, string>();

  constructor(private readonly pool: { first: number; last: number }) {}

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.speaker = new EventRecorder(ctx.api, ctx.clock, { component: 'metallb-speaker' });
    this.services = ctx.informers.for('services');
    this.nodes = ctx.informers.for('nodes');
    this.slices = ctx.informers.for('endpointslices', 'discovery.k8s.io');
    const enqueue = (svc: Obj) => ctx.queue.add(keyOf(svc));
    this.services.on({ add: enqueue, update: (_, svc) => enqueue(svc), delete: enqueue });
    // Announcements follow the nodes (and, under the Local policy, where endpoints are).
    const all = () => {
      for (const svc of this.services.list()) if (isLoadBalancer(svc)) enqueue(svc);
    };
    this.nodes.on({ add: all, update: all, delete: all }, false);
    const forSlice = (slice: Obj) => {
      const name = slice.metadata?.labels?.['kubernetes.io/service-name'];
      if (name) ctx.queue.add(`${slice.metadata.namespace}/${name}`);
    };
    this.slices.on({ add: forSlice, update: (_, s) => forSlice(s), delete: forSlice }, false);
  }

  reconcile(key: string): ReconcileResult {
    const svc = this.services.get(key);
    if (!svc || !isLoadBalancer(svc)) {
      this.release(key);
      this.announced.delete(key);
      if (svc && !svc.metadata.deletionTimestamp && assignedIPs(svc).length > 0) this.writeStatus(svc, undefined);
      return;
    }
    const held = this.heldBy(key);
    let ip = held;
    const wanted = requestedIP(svc);
    if (wanted !== undefined && (held === undefined || intToIp(held) !== wanted)) {
      const n = /^\d+\.\d+\.\d+\.\d+$/.test(wanted) ? ipToInt(wanted) : NaN;
      // The address it has is not the one asked for: it goes back to the pool before the request is tried.
      this.release(key);
      const owner = this.owners.get(n);
      const problem = !(n >= this.pool.first && n <= this.pool.last) ? `["${wanted}"] is not allowed in config` : owner !== undefined ? `can't change sharing key for "${key}", address also in use by ${owner}` : undefined;
      if (problem) {
        if (assignedIPs(svc).length > 0 && !this.writeStatus(svc, undefined)) return { requeue: true };
        this.announced.delete(key);
        this.ctx.recorder.event(this.services.reference(svc), 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": ${problem}`);
        return;
      }
      ip = n;
    }
    // An address it already has (a restored cluster) stays its own while no one else holds it.
    if (ip === undefined) ip = assignedIPs(svc).map(ipToInt).find((n) => n >= this.pool.first && n <= this.pool.last && !this.owners.has(n));
    if (ip === undefined) ip = this.free();
    if (ip === undefined) {
      if (assignedIPs(svc).length === 0) this.ctx.recorder.event(this.services.reference(svc), 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": no available IPs`);
      return;
    }
    this.owners.set(ip, key);
    const address = intToIp(ip);
    if (assignedIPs(svc).join() !== address) {
      if (!this.writeStatus(svc, address)) return { requeue: true };
      this.ctx.recorder.event(this.services.reference(svc), 'Normal', 'IPAllocated', `Assigned IP ["${address}"]`);
    }
    this.announce(key, svc, address);
  }

  private heldBy(key: string): number | undefined {
    for (const [ip, owner] of this.owners) if (owner === key) return ip;
    return undefined;
  }

  private release(key: string): void {
    for (const [ip, owner] of this.owners) if (owner === key) this.owners.delete(ip);
  }

  private free(): number | undefined {
    for (let ip = this.pool.first; ip <= this.pool.last; ip++) if (!this.owners.has(ip)) return ip;
    return undefined;
  }

  private writeStatus(svc: Obj, ip: string | undefined): boolean {
    const { namespace, name } = svc.metadata;
    const body = { ...svc, status: { ...svc.status, loadBalancer: ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {} } };
    const res = this.ctx.request({ method: 'PUT', path: `/api/v1/namespaces/${namespace}/services/${name}/status`, body });
    return res.status === 200;
  }

  /** The speaker on one eligible node answers ARP for the address (nodes with endpoints under the Local policy). */
  private announce(key: string, svc: Obj, address: string): void {
    let eligible = this.nodes
      .list()
      .filter((n) => !(EXCLUDE_LABEL in (n.metadata.labels ?? {})) && ((n.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((n) => n.metadata.name as string);
    if (svc.spec?.externalTrafficPolicy === 'Local') {
      const withEndpoints = new Set<string>();
      for (const slice of this.slices.list(svc.metadata.namespace))
        if (slice.metadata?.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
          for (const e of (slice.endpoints ?? []) as Obj[]) if (e.conditions?.ready !== false && e.nodeName) withEndpoints.add(e.nodeName);
      eligible = eligible.filter((n) => withEndpoints.has(n));
    }
    if (eligible.length === 0) {
      this.announced.delete(key);
      return;
    }
    const node = eligible.sort((a, b) => hash(`${a}#${address}`) - hash(`${b}#${address}`) || (a < b ? -1 : 1))[0]!;
    if (this.announced.get(key) === node) return;
    this.announced.set(key, node);
    this.speaker.event(this.services.reference(svc), 'Normal', 'nodeAssigned', `announcing from node "${node}" with protocol "layer2"`);
  }
}

/** Starts the pool's controller and speaker (their own manager: managedFields say "controller", as MetalLB's do). */
export function startLoadBalancerPool(api: ApiServer, store: Store, clock: VirtualClock, pool: string): ControllerManager {
  const manager = new ControllerManager(api, store, clock, 'controller');
  manager.add(new LoadBalancerPoolController(parsePool(pool)));
  manager.drain();
  return manager;
}
