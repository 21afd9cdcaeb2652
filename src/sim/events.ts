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
  type: string;
  reason: string;
  first: number;
  /** The distinct messages so far: the first one alone, then a set once there are two. */
  one: string | undefined;
  many: Set<string> | undefined;
}

/** The event last recorded for an identity (type, reason, and message or "combined"). */
interface Recent {
  type: string;
  reason: string;
  message: string;
  name: string;
}

/** What the recorder remembers about one involved object: few entries, so kept in arrays. */
interface ObjectHistory {
  aggregates: Aggregate[];
  recent: Recent[];
}

function distinctMessages(agg: Aggregate): number {
  return agg.many ? agg.many.size : agg.one !== undefined ? 1 : 0;
}

function addMessage(agg: Aggregate, message: string): void {
  if (agg.many) agg.many.add(message);
  else if (agg.one === undefined) agg.one = message;
  else if (agg.one !== message) {
    agg.many = new Set([agg.one, message]);
    agg.one = undefined;
  }
}

/** Messages repeat across objects ("Started container nginx"): events share one string for each. */
let internYoung = new Map<string, string>();
let internOld = new Map<string, string>();

function intern(text: string): string {
  const known = internYoung.get(text) ?? internOld.get(text);
  if (known !== undefined) return known;
  if (internYoung.size >= 10_000) {
    internOld = internYoung;
    internYoung = new Map();
  }
  internYoung.set(text, text);
  return text;
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

/**
 * One sequence per API server for the sub-millisecond part of event names, shared by every
 * recorder: two components writing about the same object in the same millisecond get
 * different names (upstream's nanosecond clock makes collisions practically impossible).
 */
const sequences = new WeakMap<ApiServer, { next: number }>();

export class EventRecorder {
  /**
   * Per involved object: its aggregates (similar events by type and reason) and the last event
   * name per identical (type, reason, message). This recorder's source is the same for all.
   */
  private readonly objects = new Map<string, ObjectHistory>();
  /** The same, keyed as one string, for the odd object whose key parts contain "|". */
  private readonly recentByKey = new Map<string, string>();
  private readonly aggregatesByKey = new Map<string, Aggregate>();

  constructor(
    private readonly api: ApiServer,
    private readonly clock: VirtualClock,
    private readonly source: EventSource,
  ) {}

  /** Records an event about `involved`; returns the stored Event (new or updated). */
  event(involved: InvolvedObject, type: EventType, reason: string, message: string): KubeObject | undefined {
    const now = this.clock.now();
    const objectKey = [involved.kind, involved.namespace ?? '', involved.name, involved.uid ?? '', involved.fieldPath ?? ''].join('/');

    // Similar events (same object, type and reason) beyond the limit are combined into one.
    const split = objectKey.includes('|') || type.includes('|') || reason.includes('|');
    let history: ObjectHistory | undefined;
    let agg: Aggregate | undefined;
    let aggKey = '';
    if (split) {
      aggKey = `${this.source.component}/${this.source.host ?? ''}|${objectKey}|${type}|${reason}`;
      agg = this.aggregatesByKey.get(aggKey);
    } else {
      history = this.objects.get(objectKey);
      if (!history) this.objects.set(objectKey, (history = { aggregates: [], recent: [] }));
      agg = history.aggregates.find((a) => a.type === type && a.reason === reason);
    }
    if (!agg || now - agg.first > AGGREGATE_WINDOW_MS) {
      const fresh: Aggregate = { type, reason, first: now, one: undefined, many: undefined };
      if (split) this.aggregatesByKey.set(aggKey, fresh);
      else if (agg) history!.aggregates[history!.aggregates.indexOf(agg)] = fresh;
      else history!.aggregates.push(fresh);
      agg = fresh;
    }
    addMessage(agg, message);
    const combined = distinctMessages(agg) > AGGREGATE_MAX;
    const effective = combined ? `(combined from similar events): ${message}` : message;
    const identity = combined ? 'combined' : message;
    const entry = history?.recent.find((r) => r.type === type && r.reason === reason && r.message === identity);
    const existing = split ? this.recentByKey.get(`${aggKey}|${identity}`) : entry?.name;

    const namespace = involved.namespace || 'default';
    if (existing) {
      const current = this.api.getByResource('events', '', namespace, existing);
      if (current) {
        const res = this.api.handle({
          method: 'PATCH',
          path: `/api/v1/namespaces/${namespace}/events/${existing}`,
          contentType: 'application/strategic-merge-patch+json',
          body: { count: (current.count ?? 1) + 1, lastTimestamp: rfc3339(now), message: intern(effective) },
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
        involvedObject: involved.fieldPath ? { ...involved, fieldPath: intern(involved.fieldPath) } : involved,
        reason,
        message: intern(effective),
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
    if (split) this.recentByKey.set(`${aggKey}|${identity}`, name);
    else if (entry) entry.name = name;
    else history!.recent.push({ type, reason, message: identity, name });
    return res.body as KubeObject;
  }

  /** The hex of the event time in nanoseconds, unique per recorder even within one millisecond. */
  private nanoHex(ms: number): string {
    let seq = sequences.get(this.api);
    if (!seq) sequences.set(this.api, (seq = { next: 0 }));
    return nanosHex(ms, seq.next++ % 1_000_000);
  }
}

const TWO_24 = 2 ** 24;

/**
 * (ms * 1e6 + extra).toString(16) for a time in milliseconds, without BigInt: the product
 * passes 2^53, so it is worked out in two parts of 24 bits (ms < 2^41 keeps both exact).
 */
export function nanosHex(ms: number, extra: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 41) return (BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16);
  let lo = (ms % TWO_24) * 1_000_000 + extra;
  let hi = Math.floor(ms / TWO_24) * 1_000_000;
  hi += Math.floor(lo / TWO_24);
  lo %= TWO_24;
  return hi > 0 ? hi.toString(16) + lo.toString(16).padStart(6, '0') : lo.toString(16);
}
