/**
 * The events API as every component uses it (client-go's EventRecorder with its
 * EventCorrelator): an Event per occurrence, repeats of the same event folded into one with a
 * growing count and lastTimestamp, and bursts of similar events (same object and reason,
 * different messages) combined after ten, as upstream aggregates them.
 */
import type { ApiServer, KubeObject } from './apiserver';
import { rfc3339 } from './apiserver';
import type { VirtualClock } from './clock';

export type EventType = 'Normal' | 'Warning';

export interface InvolvedObject {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  /** e.g. "default-scheduler", "kubelet", "deployment-controller" */
  component: string;
  /** The node for kubelet events. */
  host?: string;
}

/** How many similar events within the window before they are combined (EventAggregatorByReasonFunc). */
const AGGREGATE_MAX = 10;
const AGGREGATE_WINDOW_MS = 10 * 60_000;

interface Aggregate {
  messages: Set<string>;
  first: number;
}

/** A reference to an object, as events and controllers carry it. */
export function referenceTo(obj: KubeObject, fieldPath?: string): InvolvedObject {
  return {
    kind: obj.kind,
    apiVersion: obj.apiVersion,
    name: obj.metadata.name ?? '',
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
    ...(obj.metadata.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    ...(fieldPath ? { fieldPath } : {}),
  };
}

export class EventRecorder {
  private seq = 0;
  /** Last event name per identical (object, type, reason, message, source). */
  private readonly recent = new Map<string, string>();
  private readonly aggregates = new Map<string, Aggregate>();

  constructor(
    private readonly api: ApiServer,
    private readonly clock: VirtualClock,
    private readonly source: EventSource,
  ) {}

  /** Records an event about `involved`; returns the stored Event (new or updated). */
  event(involved: InvolvedObject, type: EventType, reason: string, message: string): KubeObject | undefined {
    const now = this.clock.now();
    const objectKey = [involved.kind, involved.namespace ?? '', involved.name, involved.uid ?? '', involved.fieldPath ?? ''].join('/');
    const sourceKey = `${this.source.component}/${this.source.host ?? ''}`;

    // Similar events (same object, type and reason) beyond the limit are combined into one.
    const aggKey = `${sourceKey}|${objectKey}|${type}|${reason}`;
    let agg = this.aggregates.get(aggKey);
    if (!agg || now - agg.first > AGGREGATE_WINDOW_MS) {
      agg = { messages: new Set(), first: now };
      this.aggregates.set(aggKey, agg);
    }
    agg.messages.add(message);
    const effective = agg.messages.size > AGGREGATE_MAX ? `(combined from similar events): ${message}` : message;
    const identityKey = agg.messages.size > AGGREGATE_MAX ? `${aggKey}|combined` : `${aggKey}|${message}`;

    const namespace = involved.namespace || 'default';
    const existing = this.recent.get(identityKey);
    if (existing) {
      const current = this.api.getByResource('events', '', namespace, existing);
      if (current) {
        const res = this.api.handle({
          method: 'PATCH',
          path: `/api/v1/namespaces/${namespace}/events/${existing}`,
          contentType: 'application/strategic-merge-patch+json',
          body: { count: (current.count ?? 1) + 1, lastTimestamp: rfc3339(now), message: effective },
          userAgent: this.source.component,
        });
        if (res.status === 200) return res.body as KubeObject;
      }
    }
    const name = `${involved.name}.${this.nanoHex(now)}`;
    const res = this.api.handle({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/events`,
      userAgent: this.source.component,
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: involved,
        reason,
        message: effective,
        source: { component: this.source.component, ...(this.source.host ? { host: this.source.host } : {}) },
        firstTimestamp: rfc3339(now),
        lastTimestamp: rfc3339(now),
        count: 1,
        type,
        eventTime: null,
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
      },
    });
    if (res.status !== 201) return undefined;
    this.recent.set(identityKey, name);
    return res.body as KubeObject;
  }

  /** The hex of the event time in nanoseconds, unique per recorder even within one millisecond. */
  private nanoHex(ms: number): string {
    const nanos = BigInt(ms) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return nanos.toString(16);
  }
}
