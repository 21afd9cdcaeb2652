/**
 * The pod garbage collector (kube-controller-manager's podgc): every 20 s it finds pods bound to
 * a node that no longer exists and, once the node has been gone for the 40 s quarantine, marks
 * them Failed with a DisruptionTarget condition and deletes them at once.
 */
import { rfc3339, type ApiServer } from '../apiserver';
import type { VirtualClock } from '../clock';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const POD_GC_PERIOD_MS = 20_000;
const QUARANTINE_MS = 40_000;

export class PodGarbageCollector {
  private running = false;
  /** Node names first seen missing, and when. */
  private readonly missingSince = new Map<string, number>();

  constructor(
    private readonly api: ApiServer,
    private readonly clock: VirtualClock,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = () => {
      if (!this.running) return;
      this.collectOrphans();
      this.clock.schedule(POD_GC_PERIOD_MS, loop);
    };
    this.clock.schedule(POD_GC_PERIOD_MS, loop);
  }

  stop(): void {
    this.running = false;
  }

  private collectOrphans(): void {
    const now = this.clock.now();
    const nodes = new Set((this.api.listByResource('nodes', '', undefined) as Obj[]).map((n) => n.metadata.name as string));
    const seen = new Set<string>();
    for (const pod of this.api.listByResource('pods', '', undefined) as Obj[]) {
      const node = pod.spec?.nodeName as string | undefined;
      if (!node || nodes.has(node)) continue;
      seen.add(node);
      const since = this.missingSince.get(node) ?? now;
      this.missingSince.set(node, since);
      if (now - since < QUARANTINE_MS) continue;
      this.deleteOrphan(pod, now);
    }
    for (const name of [...this.missingSince.keys()]) if (!seen.has(name)) this.missingSince.delete(name);
  }

  private deleteOrphan(pod: Obj, now: number): void {
    const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`;
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!terminal) {
      const conditions = [
        ...((pod.status?.conditions ?? []) as Obj[]).filter((c) => c.type !== 'DisruptionTarget'),
        { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now), reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' },
      ];
      this.api.handle({ method: 'PUT', path: `${path}/status`, body: { ...pod, status: { ...pod.status, phase: 'Failed', conditions } }, userAgent: 'pod-garbage-collector' });
    }
    this.api.handle({ method: 'DELETE', path, body: { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }, userAgent: 'pod-garbage-collector' });
  }
}
