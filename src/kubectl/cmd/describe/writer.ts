/**
 * What every describer shares: kubectl's indented "Key:\tvalue" writer (two spaces a level, aligned
 * by a tabwriter when the description is done), the label / annotation / taint / toleration
 * blocks, the events table, and how describe prints times, ages, selectors and quantities.
 */
import { humanDuration, type ApiClient, type KubeObject } from '../../../sim';
import { isStatus, serverErrorMessage } from '../../errors';
import { goSort } from '../../gosort';
import { tabAlign } from './tabwriter';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** An error a describer met (a failed GET): kubectl prints its message, describes nothing. */
export class DescribeError extends Error {
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

export interface DescriberSettings {
  showEvents: boolean;
  chunkSize: number;
}

/** What a describer reads with: the API, the settings, and "now" for ages. */
export interface DescribeEnv {
  client: ApiClient;
  settings: DescriberSettings;
  now: number;
}

export type Describer = (env: DescribeEnv, namespace: string, name: string) => Promise<string>;

/** The describe output under construction: text written in levels, aligned on flush. */
export class PrefixWriter {
  private done = '';
  private pending = '';

  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  /** fmt.Println of one value: the value and a newline. */
  line(text: string): void {
    this.pending += `${text}\n`;
  }

  /** Ends the current column blocks (kubectl flushes before the events table). */
  flush(): void {
    this.done += tabAlign(this.pending);
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}

// ---- API access -----------------------------------------------------------------------------

export async function getObject(env: DescribeEnv, path: string): Promise<Obj> {
  const res = await env.client.request({ method: 'GET', path });
  if (res.status >= 400) throw apiError(res.body);
  return res.body as Obj;
}

export function apiError(body: unknown): DescribeError {
  if (isStatus(body)) return new DescribeError(serverErrorMessage(body), body.code === 404);
  return new DescribeError(`Error from server: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
}

/** Every item of a list, following `continue` in pages of the chunk size, as kubectl does. */
export async function listAll(env: DescribeEnv, path: string, query: Record<string, string> = {}): Promise<Obj[]> {
  const items: Obj[] = [];
  let cont = '';
  for (;;) {
    const q: Record<string, string> = { ...query };
    if (env.settings.chunkSize > 0) q.limit = String(env.settings.chunkSize);
    if (cont) q.continue = cont;
    const res = await env.client.request({ method: 'GET', path, query: q });
    if (res.status >= 400) throw apiError(res.body);
    const body = res.body as { items?: Obj[]; metadata?: { continue?: string } };
    items.push(...(body.items ?? []));
    cont = body.metadata?.continue ?? '';
    if (!cont) return items;
  }
}

/** A reference to an object for the events search (kind empty for pods, as kubectl sends it). */
export interface EventRef {
  kind?: string;
  namespace: string;
  name: string;
  uid?: string;
}

/** Events about an object, by kubectl's involvedObject field selector; undefined when not shown. */
export async function searchEvents(env: DescribeEnv, ref: EventRef): Promise<Obj[] | undefined> {
  if (!env.settings.showEvents) return undefined;
  const fields: [string, string][] = [
    ['involvedObject.name', ref.name],
    ['involvedObject.namespace', ref.namespace],
  ];
  if (ref.kind) fields.push(['involvedObject.kind', ref.kind]);
  if (ref.uid) fields.push(['involvedObject.uid', ref.uid]);
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const path = ref.namespace ? `/api/v1/namespaces/${ref.namespace}/events` : '/api/v1/events';
  try {
    return await listAll(env, path, { fieldSelector: fields.map(([k, v]) => `${k}=${v}`).join(',') });
  } catch {
    return [];
  }
}

export function refOf(obj: Obj, kind: string): EventRef {
  return { kind, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', uid: obj.metadata?.uid };
}

// ---- Blocks ---------------------------------------------------------------------------------

function sortStrings(list: string[]): string[] {
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function labelsBlock(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = '', innerIndent = '\t'): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const keys = sortStrings(Object.keys(labels ?? {}));
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}${innerIndent}`);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION = 140;

export function annotationsBlock(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = sortStrings(Object.keys(annotations ?? {}).filter((k) => !SKIPPED_ANNOTATIONS.has(k)));
  if (keys.length === 0) return w.line('<none>');
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![k]!.replace(/\n$/, '');
    if (utf8Length(value) + utf8Length(k) + 2 > MAX_ANNOTATION || value.includes('\n')) {
      w.write(0, `${k}:\n`);
      for (const s of value.split('\n')) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION - 2)}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

/** The string's UTF-8 bytes, one character each (Go's len and byte slicing count bytes). */
function utf8Bytes(s: string): string {
  return unescape(encodeURIComponent(s));
}

function utf8Length(s: string): number {
  return utf8Bytes(s).length;
}

function shorten(s: string, max: number): string {
  const bytes = utf8Bytes(s);
  if (bytes.length <= max) return s;
  let cut = bytes.slice(0, max);
  // Go slices bytes; a split character would print as replacement bytes — keep whole characters.
  for (;;) {
    try {
      return `${decodeURIComponent(escape(cut))}...`;
    } catch {
      cut = cut.slice(0, -1);
    }
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 data as text (UTF-8). */
export function decodeBase64(b64: string): string {
  const clean = String(b64 ?? '').replace(/[^A-Za-z0-9+/]/g, '');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const c of clean) {
    value = (value << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  try {
    return decodeURIComponent(escape(out));
  } catch {
    return out;
  }
}

export function taintString(t: Obj): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export function taintsBlock(w: PrefixWriter, title: string, taints: Obj[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!taints?.length) return w.line('<none>');
  const key = (t: Obj) => `${t.effect ?? ''},${t.key ?? ''}`;
  [...taints]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .forEach((t, i) => {
      if (i !== 0) w.write(0, '\t');
      w.write(0, `${taintString(t)}\n`);
    });
}

export function tolerationsBlock(w: PrefixWriter, title: string, tolerations: Obj[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!tolerations?.length) return w.line('<none>');
  const sorted = [...tolerations].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${text}\n`);
  });
}

export function namesBlock(w: PrefixWriter, title: string, names: string[]): void {
  w.write(0, `${title}:\t`);
  if (names.length === 0) return w.line('<none>');
  sortStrings([...names]).forEach((n, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${n}\n`);
  });
}

/** The events table, oldest last-seen first, with kubectl's "2m (x3 over 5m)" ages. */
export function eventsBlock(w: PrefixWriter, events: Obj[] | undefined, now: number): void {
  if (!events) return;
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const last = (e: Obj) => (e.lastTimestamp ? Date.parse(e.lastTimestamp) : -Infinity);
  // kubectl sorts with sort.Sort (pdqsort): ties land where Go's algorithm leaves them.
  const sorted = goSort([...events], (a, b) => last(a) < last(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`);
  }
}

// ---- Values ---------------------------------------------------------------------------------

/** translateTimestampSince: the age of a timestamp, "<unknown>" when unset. */
export function since(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z in UTC ("Mon, 02 Jan 2006 15:04:05 +0000"); the zero time when unset. */
export function rfc1123z(timestamp: string | undefined | null): string {
  if (!timestamp) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(timestamp);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** Go's time.Time String() in UTC ("2006-01-02 15:04:05 +0000 UTC"). */
export function goTimeString(timestamp: string | undefined | null): string {
  if (!timestamp) return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(timestamp);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000 UTC`;
}

/** labels.FormatLabels: sorted k=v, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = sortStrings(Object.keys(labels ?? {}));
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** LabelSelectorAsSelector(...).String(): requirements sorted by key; empty for no selector. */
export function selectorString(selector: Obj | undefined | null): string {
  if (!selector) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of (selector.matchExpressions ?? []) as Obj[]) {
    const values = sortStrings([...((e.values ?? []) as string[])]).join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: "<none>" for an empty selector. */
export function formatLabelSelector(selector: Obj | undefined | null): string {
  return selectorString(selector) || '<none>';
}

/** Go's %v of a []string: "[a b]". */
export function goList(list: unknown[] | undefined | null): string {
  return `[${(list ?? []).join(' ')}]`;
}

export function printBool(v: boolean | undefined): string {
  return v ? 'True' : 'False';
}

export function printBoolPtr(v: boolean | undefined | null): string {
  return v === undefined || v === null ? '<unset>' : printBool(v);
}

export function controllerOf(obj: Obj): string {
  const ref = ((obj.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function accessModes(modes: string[] | undefined): string {
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  const set = new Set(modes ?? []);
  return short
    .filter(([m]) => set.has(m))
    .map(([, s]) => s)
    .join(',');
}

export function sortedKeys(map: Record<string, unknown> | undefined): string[] {
  return sortStrings(Object.keys(map ?? {}));
}

export type { KubeObject };
