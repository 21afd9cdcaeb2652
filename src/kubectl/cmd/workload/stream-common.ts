/**
 * What the streaming verbs (logs, exec, attach, cp, port-forward, debug) share: choosing the pod
 * for TYPE/NAME as kubectl's polymorphic helpers do, the default container, and waiting for a
 * session to end on the clock kubectl runs with.
 */
import type { KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { resourcePath, type ApiResource } from '../../discovery';
import { responseError } from '../../cmdutil';
import { resolveType } from '../../resource';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `error: MESSAGE` + "See 'kubectl VERB -h' for help and examples", as cmdutil.UsageErrorf. */
export function usageError(verb: string, message: string): CommandError {
  return new CommandError(`error: ${message}\nSee 'kubectl ${verb} -h' for help and examples`);
}

/** The containers of a pod as podcmd.AllContainerNames lists them. */
export function allContainerNames(pod: Obj): string {
  const spec = pod.spec ?? {};
  return [
    ...(spec.containers ?? []).map((c: Obj) => c.name),
    ...(spec.ephemeralContainers ?? []).map((c: Obj) => `${c.name} (ephem)`),
    ...(spec.initContainers ?? []).map((c: Obj) => `${c.name} (init)`),
  ].join(', ');
}

/** Finds a container of any kind by name. */
export function findContainer(pod: Obj, name: string): Obj | undefined {
  const spec = pod.spec ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].find((c: Obj) => c.name === name);
}

/**
 * The container a command uses when none is named (podcmd.FindOrDefaultContainerByName): the
 * kubectl.kubernetes.io/default-container annotation, else the first, saying so on stderr when
 * the pod has others.
 */
export function defaultContainer(ctx: KubectlContext, pod: Obj, quiet = false): string {
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated) {
    if (findContainer(pod, annotated)) return annotated;
    ctx.stderr(`Default container name "${annotated}" not found in pod ${pod.metadata.name}\n`);
  }
  const spec = pod.spec ?? {};
  const first = spec.containers?.[0]?.name as string;
  if (!quiet && ((spec.containers ?? []).length > 1 || (spec.initContainers ?? []).length > 0 || (spec.ephemeralContainers ?? []).length > 0))
    ctx.stderr(`Defaulted container "${first}" out of: ${allContainerNames(pod)}\n`);
  return first;
}

/** labels.Selector's String() of a LabelSelector (matchLabels, then matchExpressions), sorted by key. */
export function selectorString(selector: Obj | undefined): string {
  const parts: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) parts.push({ key: k, text: `${k}=${v as string}` });
  for (const e of (selector?.matchExpressions ?? []) as Obj[]) {
    const values = [...((e.values ?? []) as string[])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    parts.push({ key: e.key, text });
  }
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}

/** A set selector (Service spec.selector) as a string. */
function setSelector(set: Record<string, string> | undefined): string {
  return Object.keys(set ?? {})
    .sort()
    .map((k) => `${k}=${set![k]}`)
    .join(',');
}

/** An object kubectl cannot select pods of; callers say what they could not do with it. */
export class SelectorError extends Error {
  constructor(
    readonly goType: string,
    message: string,
  ) {
    super(message);
  }
}

/** The Go type kubectl names in "cannot ... from *v1.X" messages. */
function goType(r: ApiResource): string {
  return `*${r.version}.${r.kind}`;
}

/** SelectorsForObject: the label selector of the pods an object owns or selects. */
export function selectorForObject(resource: ApiResource, obj: Obj): string {
  const key = `${resource.group}/${resource.kind}`;
  switch (key) {
    case '/ReplicationController':
      return setSelector(obj.spec?.selector);
    case '/Service':
      if (!obj.spec?.selector || Object.keys(obj.spec.selector).length === 0) throw new CommandError(`error: invalid service '${obj.metadata.name}': Service is defined without a selector`);
      return setSelector(obj.spec.selector);
    case 'apps/ReplicaSet':
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
    case 'batch/Job':
      return selectorString(obj.spec?.selector);
    default:
      throw new SelectorError(goType(resource), `selector for ${goType(resource)} not implemented`);
  }
}

function isReady(pod: Obj): boolean {
  return ((pod.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

function readyTime(pod: Obj): number | undefined {
  const t = ((pod.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
  return t ? Date.parse(t) : undefined;
}

function maxRestarts(pod: Obj): number {
  return Math.max(0, ...((pod.status?.containerStatuses ?? []) as Obj[]).map((s) => s.restartCount ?? 0));
}

/** podutils.ByLogging: the best pod to read logs of (or attach to) comes first. */
export function byLogging(a: Obj, b: Obj): number {
  const an = a.spec?.nodeName ?? '';
  const bn = b.spec?.nodeName ?? '';
  if (an !== bn && (!an || !bn)) return an ? -1 : 1;
  const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const ra = rank[a.status?.phase] ?? 0;
  const rb = rank[b.status?.phase] ?? 0;
  if (ra !== rb) return ra - rb;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  const ta = readyTime(a);
  const tb = readyTime(b);
  if (isReady(a) && isReady(b) && ta !== tb) return (ta ?? Infinity) - (tb ?? Infinity);
  const ma = maxRestarts(a);
  const mb = maxRestarts(b);
  if (ma !== mb) return mb - ma;
  const ca = Date.parse(a.metadata?.creationTimestamp ?? '') || Infinity;
  const cb = Date.parse(b.metadata?.creationTimestamp ?? '') || Infinity;
  return ca - cb;
}

export interface PodChoice {
  pod: Obj;
  /** How many pods matched (several: kubectl says which it used). */
  count: number;
  all: Obj[];
}

/**
 * A pod for a TYPE/NAME argument (or a bare pod name): the pod itself, or the best of the pods
 * the object selects (GetFirstPod), waiting up to `timeoutMs` for one to appear.
 */
export async function podForArgument(ctx: KubectlContext, arg: string, namespace: string, timeoutMs: number): Promise<{ choice: PodChoice; resource: ApiResource; object: Obj }> {
  let typed = 'pods';
  let name = arg;
  const slash = arg.indexOf('/');
  if (slash >= 0) {
    typed = arg.slice(0, slash);
    name = arg.slice(slash + 1);
  }
  const resource = await resolveType(ctx, typed);
  const res = await ctx.client.request({ method: 'GET', path: resourcePath(resource, resource.namespaced ? namespace : undefined, name) });
  if (res.status >= 400) throw new CommandError(responseError(res));
  const object = res.body as Obj;
  if (resource.group === '' && resource.kind === 'Pod') return { choice: { pod: object, count: 1, all: [object] }, resource, object };
  const selector = selectorForObject(resource, object);
  const all = await podsForSelector(ctx, object.metadata?.namespace ?? namespace, selector, timeoutMs);
  return { choice: { pod: all[0]!, count: all.length, all }, resource, object };
}

/** GetPodList: the pods a selector matches, best first; waits for one when there are none. */
export async function podsForSelector(ctx: KubectlContext, namespace: string, selector: string, timeoutMs: number): Promise<Obj[]> {
  const path = `/api/v1/namespaces/${namespace}/pods`;
  const res = await ctx.client.request({ method: 'GET', path, query: selector ? { labelSelector: selector } : {} });
  if (res.status >= 400) throw new CommandError(responseError(res));
  const list = res.body as { items: KubeObject[]; metadata: { resourceVersion: string } };
  if (list.items.length > 0) return [...(list.items as Obj[])].sort(byLogging);
  let found: Obj | undefined;
  const handle = await ctx.client.watch({ method: 'GET', path, query: { ...(selector ? { labelSelector: selector } : {}), resourceVersion: list.metadata.resourceVersion } }, (e) => {
    if (!found && (e.type === 'ADDED' || e.type === 'MODIFIED')) found = e.object as Obj;
  });
  if (!('stop' in handle)) throw new CommandError(responseError(handle));
  const result = ctx.clock ? await ctx.clock.waitUntil(() => found !== undefined, timeoutMs, ctx.signal) : 'timeout';
  handle.stop();
  if (result !== 'done' || !found) throw new CommandError('error: timed out waiting for the condition');
  return [found];
}

/**
 * Waits until `done()` holds: a session ends through promises, which settle between the clock's
 * events, so the wait goes in short steps with the promises settled in between. Without a timeout
 * it gives up after an hour of the clock (a script cannot wait for ever).
 */
export async function waitSettled(ctx: KubectlContext, done: () => boolean, timeoutMs = 60 * 60_000): Promise<'done' | 'timeout' | 'interrupted'> {
  const clock = ctx.clock;
  const settle = async () => {
    for (let i = 0; i < 50 && !done(); i++) await Promise.resolve();
  };
  await settle();
  if (!clock) return done() ? 'done' : 'timeout';
  const start = clock.now();
  for (;;) {
    if (done()) return 'done';
    if (ctx.signal?.aborted) return 'interrupted';
    const left = start + timeoutMs - clock.now();
    if (left <= 0) return 'timeout';
    const r = await clock.waitUntil(done, Math.min(STEP_MS, left), ctx.signal);
    if (r === 'interrupted') return r;
    await settle();
  }
}

const STEP_MS = 250;
