/**
 * The control side of ingress-nginx (internal/ingress/controller/store and status): while a
 * controller pod runs, every Ingress of its class gets a `Sync` "Scheduled for sync" event when
 * it is added or changes (its own status writes included, hence "x2"), and the leader writes
 * status.loadBalancer every 60 s from its start: the node address (ExternalIP, else InternalIP)
 * of each Running and Ready controller pod, since the bare-metal install has no published
 * Service. The first sync finds the pod not yet Ready, so addresses appear a minute in. When the
 * last controller pod goes, it clears the addresses it wrote.
 */
import { isPodReady } from '../controllers/podutil';
import { keyOf, type Controller, type ControllerContext, type Informer, type ReconcileResult } from '../controllers/index';
import { servedByIngressNginx } from '../network/index';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller';
export const STATUS_SYNC_MS = 60_000;
const TICK = 'tick';
const SYNC = 'sync:';

function isControllerPod(pod: Obj): boolean {
  return ((pod.spec?.containers ?? []) as Obj[]).some((c) => typeof c.image === 'string' && c.image.startsWith(`${CONTROLLER_IMAGE}:`));
}

function startedAt(pod: Obj): number | undefined {
  for (const cs of (pod.status?.containerStatuses ?? []) as Obj[]) if (cs.state?.running?.startedAt) return Date.parse(cs.state.running.startedAt);
  return undefined;
}

class IngressNginxStatus implements Controller {
  readonly name = 'nginx-ingress-controller';
  readonly userAgent = 'nginx-ingress-controller/v1.12.0 (linux/amd64) ingress-nginx/ba73b2c24d355f1cdcf4b31ef7c5574059f12118';
  private ctx!: ControllerContext;
  private ingresses!: Informer;
  private pods!: Informer;
  private nodes!: Informer;
  private running = false;

  start(ctx: ControllerContext): void {
    this.ctx = ctx;
    this.ingresses = ctx.informers.for('ingresses', 'networking.k8s.io');
    this.pods = ctx.informers.for('pods');
    this.nodes = ctx.informers.for('nodes');
    const changed = (ing: Obj) => {
      if (this.running) ctx.queue.add(`${SYNC}${keyOf(ing)}`);
    };
    // Every write is a change (reflect.DeepEqual sees at least a new resourceVersion).
    this.ingresses.on({ add: changed, update: (_, ing) => changed(ing) });
    const podChanged = (pod: Obj) => {
      if (isControllerPod(pod)) ctx.queue.add(TICK);
    };
    this.pods.on({ add: podChanged, update: (_, p) => podChanged(p), delete: podChanged });
  }

  private controllerPods(): Obj[] {
    return this.pods.list().filter((p) => isControllerPod(p) && !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && startedAt(p) !== undefined);
  }

  reconcile(key: string): ReconcileResult {
    if (key.startsWith(SYNC)) {
      const ing = this.ingresses.get(key.slice(SYNC.length));
      if (ing && this.running && servedByIngressNginx(this.ctx.api, ing)) this.ctx.recorder.event(this.ingresses.reference(ing), 'Normal', 'Sync', 'Scheduled for sync');
      return;
    }
    const pods = this.controllerPods();
    const wasRunning = this.running;
    this.running = pods.length > 0;
    if (this.running && !wasRunning) for (const ing of this.ingresses.list()) this.ctx.queue.add(`${SYNC}${keyOf(ing)}`);
    if (!this.running) {
      // The last controller's shutdown takes its addresses off the Ingresses.
      if (wasRunning) this.writeAll([]);
      return;
    }
    // The leader (the oldest pod) syncs at its start and every 60 s after.
    const leader = [...pods].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || (a.metadata.name < b.metadata.name ? -1 : 1))[0]!;
    const since = this.ctx.clock.now() - startedAt(leader)!;
    const wait = since % STATUS_SYNC_MS === 0 ? 0 : STATUS_SYNC_MS - (since % STATUS_SYNC_MS);
    if (wait > 0) return { requeueAfter: wait };
    this.writeAll(this.addresses(pods));
    return { requeueAfter: STATUS_SYNC_MS };
  }

  /** Node addresses of Running and Ready controller pods, sorted. */
  private addresses(pods: Obj[]): string[] {
    const ips = new Set<string>();
    for (const pod of pods) {
      if (!isPodReady(pod)) continue;
      const node = this.nodes.get(pod.spec?.nodeName ?? '');
      const addresses = (node?.status?.addresses ?? []) as Obj[];
      const ip = addresses.find((a) => a.type === 'ExternalIP' && a.address)?.address ?? addresses.find((a) => a.type === 'InternalIP')?.address;
      if (ip) ips.add(ip);
    }
    return [...ips].sort();
  }

  private writeAll(ips: string[]): void {
    for (const ing of this.ingresses.list()) {
      if (!servedByIngressNginx(this.ctx.api, ing)) continue;
      const current = ((ing.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip ?? i.hostname).sort();
      if (current.join() === ips.join()) continue;
      const body = { ...ing, status: { loadBalancer: ips.length ? { ingress: ips.map((ip) => ({ ip })) } : {} } };
      this.ctx.request({ method: 'PUT', path: `/apis/networking.k8s.io/v1/namespaces/${ing.metadata.namespace}/ingresses/${ing.metadata.name}/status`, body });
    }
  }
}

export function ingressNginxStatusController(): Controller {
  return new IngressNginxStatus();
}
