/**
 * `kubectl logs`: options → complete → validate → run, as kubectl's logs command. A pod, a
 * TYPE/NAME whose pods are chosen as polymorphichelpers.LogsForObject does, or -l; one request
 * per container, consumed one after another, or side by side when following several.
 */
import { isStreamHandle, type StreamHandle } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { isStatus, serverErrorMessage } from '../../errors';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { defaultContainer, findContainer, podForArgument, SelectorError, usageError, waitSettled } from './stream-common';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const USE = 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]';
const USAGE_ERR = `expected '${USE}'.\nPOD or TYPE/NAME is a required argument for the logs command`;

interface LogsOptions {
  resourceArg: string;
  container: string;
  containerFlag: boolean;
  selector: string;
  allContainers: boolean;
  allPods: boolean;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  prefix: boolean;
  ignoreErrors: boolean;
  limitBytes: number;
  tail: number;
  tailSpecified: boolean;
  sinceMs: number;
  sinceTime: string;
  maxFollow: number;
  podTimeoutMs: number;
  insecureBackend: boolean;
  namespace: string;
  resourceCount: number;
}

/** One log request: a container of a pod. */
interface LogRequest {
  pod: string;
  namespace: string;
  container: string;
}

function complete(args: ParsedArgs, ctx: KubectlContext): LogsOptions {
  const f = args.flags;
  const pos = args.positional;
  const selector = f.get('selector') as string;
  let resourceArg = '';
  let container = f.get('container') as string;
  switch (pos.length) {
    case 0:
      if (!selector) throw usageError('logs', USAGE_ERR);
      break;
    case 1:
      resourceArg = pos[0]!;
      if (selector) throw usageError('logs', 'only a selector (-l) or a POD name is allowed');
      break;
    case 2:
      resourceArg = pos[0]!;
      container = pos[1]!;
      break;
    default:
      throw usageError('logs', USAGE_ERR);
  }
  const allPods = f.get('all-pods') as boolean;
  const timeout = parseGoDuration(f.get('pod-running-timeout') as string) ?? 20_000;
  if (timeout <= 0) throw new CommandError('error: --pod-running-timeout must be higher than zero');
  return {
    resourceArg,
    container,
    containerFlag: args.changed.has('container'),
    selector,
    allContainers: f.get('all-containers') as boolean,
    allPods,
    follow: f.get('follow') as boolean,
    previous: f.get('previous') as boolean,
    timestamps: f.get('timestamps') as boolean,
    prefix: (f.get('prefix') as boolean) || allPods,
    ignoreErrors: f.get('ignore-errors') as boolean,
    limitBytes: f.get('limit-bytes') as number,
    tail: f.get('tail') as number,
    tailSpecified: args.changed.has('tail'),
    sinceMs: parseGoDuration(f.get('since') as string) ?? 0,
    sinceTime: f.get('since-time') as string,
    maxFollow: f.get('max-log-requests') as number,
    podTimeoutMs: timeout,
    insecureBackend: f.get('insecure-skip-tls-verify-backend') as boolean,
    namespace: ctx.namespace,
    resourceCount: pos.length,
  };
}

/** metav1 RFC3339 parsing as util.ParseRFC3339 accepts it (RFC3339 or RFC3339Nano). */
function parseSinceTime(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text)))
    throw new CommandError(`error: parsing time "${text}" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "${text}" as "2006"`);
  return new Date(Date.parse(text)).toISOString().replace(/\.000Z$/, 'Z');
}

function validate(o: LogsOptions): void {
  if (o.sinceTime && o.sinceMs !== 0) throw new CommandError('error: at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (o.sinceTime) parseSinceTime(o.sinceTime);
  if (o.allContainers && o.container) throw new CommandError(`error: --all-containers=true should not be specified with container name ${o.container}`);
  if (o.containerFlag && o.resourceCount === 2) throw new CommandError('error: only one of -c or an inline [CONTAINER] arg is allowed');
  if (o.limitBytes < 0) throw new CommandError('error: --limit-bytes must be greater than 0');
  if (o.sinceMs < 0) throw new CommandError('error: --since must be greater than 0');
  if (o.tail < -1) throw new CommandError('error: --tail must be greater than or equal to -1');
}

/** The PodLogOptions query kubectl sends. */
function logQuery(o: LogsOptions, container: string): Record<string, string> {
  const q: Record<string, string> = { container };
  if (o.follow) q.follow = 'true';
  if (o.insecureBackend) q.insecureSkipTLSVerifyBackend = 'true';
  if (o.limitBytes) q.limitBytes = String(o.limitBytes);
  if (o.previous) q.previous = 'true';
  if (o.sinceMs) q.sinceSeconds = String(Math.round(o.sinceMs / 1000));
  if (o.sinceTime) q.sinceTime = parseSinceTime(o.sinceTime);
  if (o.selector && o.tail === -1 && !o.tailSpecified) q.tailLines = '10';
  else if (o.tail !== -1) q.tailLines = String(o.tail);
  if (o.timestamps) q.timestamps = 'true';
  return q;
}

/** LogsForObject for one pod: its requests, the default container said on stderr. */
function requestsForPod(ctx: KubectlContext, o: LogsOptions, pod: Obj, allContainers: boolean, quiet: boolean, container = o.container): LogRequest[] {
  const base = { pod: pod.metadata.name as string, namespace: pod.metadata.namespace as string };
  if (allContainers) {
    const spec = pod.spec ?? {};
    return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].flatMap((c: Obj) => requestsForPod(ctx, o, pod, false, quiet, c.name));
  }
  const name = container || defaultContainer(ctx, pod, quiet);
  if (!findContainer(pod, name)) throw new CommandError(`error: container ${name} is not valid for pod ${pod.metadata.name}`);
  return [{ ...base, container: name }];
}

async function collectRequests(ctx: KubectlContext, o: LogsOptions): Promise<LogRequest[]> {
  if (o.selector) {
    const res = await ctx.client.request({ method: 'GET', path: `/api/v1/namespaces/${o.namespace}/pods`, query: { labelSelector: o.selector } });
    if (res.status >= 400) throw new CommandError(isStatus(res.body) ? serverErrorMessage(res.body) : String(res.body));
    const pods = (res.body as { items: Obj[] }).items;
    if (pods.length === 0) ctx.stderr(`No resources found in ${o.namespace} namespace.\n`);
    return pods.flatMap((p) => requestsForPod(ctx, o, p, o.allContainers, false));
  }
  let found;
  try {
    found = await podForArgument(ctx, o.resourceArg, o.namespace, o.podTimeoutMs);
  } catch (err) {
    if (err instanceof SelectorError) throw new CommandError(`error: cannot get the logs from ${err.goType}: ${err.message}`);
    if (err instanceof CommandError && /^Error from server \(NotFound\): /.test(err.message))
      throw new CommandError(`error: error from server (NotFound): ${err.message.replace(/^Error from server \(NotFound\): /, '')} in namespace "${o.namespace}"`);
    throw err;
  }
  const { choice } = found;
  if (choice.count > 1) {
    if (o.allPods) return choice.all.flatMap((p) => requestsForPod(ctx, o, p, o.allContainers, true));
    ctx.stderr(`Found ${choice.count} pods, using pod/${choice.pod.metadata.name}\n`);
  }
  return requestsForPod(ctx, o, choice.pod, o.allContainers, o.allPods);
}

/** Writes log text, prefixed line by line when asked. */
function writer(ctx: KubectlContext, o: LogsOptions, r: LogRequest): (text: string) => void {
  if (!o.prefix) return (t) => ctx.stdout(t);
  const prefix = `[pod/${r.pod}/${r.container}] `;
  let pending = '';
  return (t) => {
    pending += t;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      ctx.stdout(prefix + pending.slice(0, nl + 1));
      pending = pending.slice(nl + 1);
    }
  };
}

function logPath(r: LogRequest): string {
  return `/api/v1/namespaces/${r.namespace}/pods/${r.pod}/log`;
}

function statusText(body: unknown): string {
  return isStatus(body) ? serverErrorMessage(body) : `Error from server: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
}

/** One request without follow; an error message when it fails. */
async function consumeOnce(ctx: KubectlContext, o: LogsOptions, r: LogRequest): Promise<string | undefined> {
  const res = await ctx.client.request({ method: 'GET', path: logPath(r), query: logQuery(o, r.container) });
  if (res.status >= 400) return statusText(res.body);
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  const out = writer(ctx, o, r);
  out(text);
  if (o.prefix && text && !text.endsWith('\n')) ctx.stdout(`[pod/${r.pod}/${r.container}] ${text.slice(text.lastIndexOf('\n') + 1)}`);
  return undefined;
}

/**
 * One followed request: retried every second while the server answers with an error (each
 * written to stderr), up to --pod-running-timeout, as consumeWithRetry does.
 */
async function consumeFollow(ctx: KubectlContext, o: LogsOptions, r: LogRequest, handles: Set<StreamHandle>): Promise<string | undefined | 'interrupted'> {
  const deadline = (ctx.clock?.now() ?? 0) + o.podTimeoutMs;
  for (;;) {
    let closed = false;
    const out = writer(ctx, o, r);
    const h = await ctx.client.stream({ method: 'GET', path: logPath(r), query: logQuery(o, r.container) }, out, () => (closed = true));
    if (isStreamHandle(h)) {
      handles.add(h);
      const result = await waitSettled(ctx, () => closed, Infinity);
      handles.delete(h);
      if (result === 'interrupted') {
        h.stop();
        return 'interrupted';
      }
      return undefined;
    }
    const message = statusText(h.body);
    if (o.ignoreErrors) {
      ctx.stdout(`error: ${message}\n`);
      return undefined;
    }
    ctx.stderr(`${message}\n`);
    if (!isStatus(h.body)) return message;
    if (!ctx.clock) return 'timed out waiting for the condition';
    const next = Math.min(ctx.clock.now() + 1000, deadline);
    const waited = await ctx.clock.waitUntil(() => false, next - ctx.clock.now(), ctx.signal);
    if (waited === 'interrupted') return 'interrupted';
    if (ctx.clock.now() >= deadline) return 'timed out waiting for the condition';
  }
}

async function run(o: LogsOptions, ctx: KubectlContext): Promise<number> {
  const requests = await collectRequests(ctx, o);
  if (o.follow && requests.length > 1 && requests.length > o.maxFollow)
    throw new CommandError(`error: you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${o.maxFollow}, use --max-log-requests to increase the limit`);
  if (!o.follow) {
    for (const r of requests) {
      const err = await consumeOnce(ctx, o, r);
      if (err === undefined) continue;
      if (o.ignoreErrors) {
        ctx.stdout(`error: ${err}\n`);
        continue;
      }
      throw new CommandError(err);
    }
    return 0;
  }
  const handles = new Set<StreamHandle>();
  const fail = (err: string | undefined) => {
    if (err === 'interrupted') return 130;
    if (err === undefined) return 0;
    throw new CommandError(err.startsWith('Error from server') ? err : `error: ${err}`);
  };
  if (requests.length <= 1) {
    for (const r of requests) {
      const code = fail(await consumeFollow(ctx, o, r, handles));
      if (code) return code;
    }
    return 0;
  }
  const results = await Promise.all(requests.map((r) => consumeFollow(ctx, o, r, handles)));
  for (const h of handles) h.stop();
  for (const err of results) {
    const code = fail(err);
    if (code) return code;
  }
  return 0;
}

export const logsCommand: Command = {
  name: 'logs',
  short: 'Print the logs for a container in a pod',
  long: 'Show what a container has written to its standard output and error. Name a pod, or an object with pods (one pod is picked); add -c for the container when the pod has more than one.',
  use: USE,
  example: `  # Print the logs of pod nginx (its only container)
  kubectl logs nginx

  # Print the logs of every container of pod nginx, each line prefixed with its source
  kubectl logs nginx --all-containers=true --prefix

  # Print the logs of the pods labelled app=nginx (the last 10 lines of each)
  kubectl logs -l app=nginx --all-containers=true

  # Print the logs of the previous, terminated instance of container ruby in pod web-1
  kubectl logs -p -c ruby web-1

  # Stream the logs of container ruby in pod web-1 until it stops
  kubectl logs -f -c ruby web-1

  # Print the last 20 lines, or what was written in the last hour
  kubectl logs --tail=20 nginx
  kubectl logs --since=1h nginx

  # Print the logs of a pod of deployment nginx, or of job hello
  kubectl logs deployment/nginx -c nginx-1
  kubectl logs job/hello`,
  flags: [
    { name: 'all-containers', type: 'bool', default: false, usage: "Get all containers' logs in the pod(s)." },
    { name: 'all-pods', type: 'bool', default: false, usage: 'Get logs from all pod(s). Sets prefix to true.' },
    { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Print the logs of this container' },
    { name: 'follow', shorthand: 'f', type: 'bool', default: false, usage: 'Specify if the logs should be streamed.' },
    { name: 'ignore-errors', type: 'bool', default: false, usage: 'If watching / following pod logs, allow for any errors that occur to be non-fatal' },
    { name: 'insecure-skip-tls-verify-backend', type: 'bool', default: false, usage: 'Skip verifying the identity of the kubelet that logs are requested from.  In theory, an attacker could provide invalid log content back. You might want to use this if your kubelet serving certificates have expired.' },
    { name: 'limit-bytes', type: 'int', default: 0, usage: 'Maximum bytes of logs to return. Defaults to no limit.' },
    { name: 'max-log-requests', type: 'int', default: 5, usage: 'Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5.' },
    { name: 'pod-running-timeout', type: 'duration', default: '20s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    { name: 'prefix', type: 'bool', default: false, usage: 'Prefix each log line with the log source (pod name and container name)' },
    { name: 'previous', shorthand: 'p', type: 'bool', default: false, usage: 'If true, print the logs for the previous instance of the container in a pod if it exists.' },
    { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    { name: 'since', type: 'duration', default: '0s', usage: 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'since-time', type: 'string', default: '', usage: 'Only return logs after a specific date (RFC3339). Defaults to all logs. Only one of since-time / since may be used.' },
    { name: 'tail', type: 'int', default: -1, usage: 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.' },
    { name: 'timestamps', type: 'bool', default: false, usage: 'Include timestamps on each line in the log output' },
  ],
  async run(args, ctx) {
    const o = complete(args, ctx);
    validate(o);
    return run(o, ctx);
  },
};
