/**
 * GET pods/NAME/log?follow=true for the HTTP facade, and the log follower that attach shares.
 *
 * The simulated API server answers a log request with the container's whole log at that moment
 * (`api.handle`, as `kubectl logs` without -f); it has no stream. Following is done here: the
 * first answer is the request itself (tail, since, timestamps and its errors, exactly as without
 * follow), then the log is read again every POLL_MS and what it gained is written, until the
 * container stops (or restarts), the pod goes away or the client hangs up — as the kubelet's
 * ReadLogs follows a container's log file until the container is no longer running.
 */
import type { ServerResponse } from 'node:http';
import type { ApiServer } from '../../sim';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** How often (wall clock) a followed log is read again. */
export const POLL_MS = 100;

/** The pod as stored (read only), or undefined when it is gone; a read inside the API server, not a request. */
export function readPod(api: ApiServer, namespace: string, name: string): Obj | undefined {
  return api.getByResource('pods', '', namespace, name);
}

/** A container's status in the pod's status, whatever kind of container it is. */
export function containerStatus(pod: Obj, container: string): Obj | undefined {
  const s = pod.status ?? {};
  return [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])].find((c: Obj) => c.name === container);
}

function logPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
}

export interface FollowOptions {
  container: string;
  timestamps: boolean;
}

export interface LogFollower {
  stop(): void;
}

/**
 * Follows a running container's log from now on (reading it with GET requests the API server
 * makes to itself, user agent "kube-apiserver", as the sim has no log stream): `onText` gets each new piece as it is
 * written, `onEnd` is called once when the container stops, restarts or its pod is gone
 * (not after `stop()`). A container not running now ends at once.
 */
export function followContainerLog(api: ApiServer, namespace: string, pod: string, options: FollowOptions, onText: (text: string) => void, onEnd: () => void): LogFollower {
  const read = (previous: boolean): string | undefined => {
    const query: Record<string, string> = { container: options.container };
    if (options.timestamps) query.timestamps = 'true';
    if (previous) query.previous = 'true';
    const res = api.handle({ method: 'GET', path: logPath(namespace, pod), query, userAgent: 'kube-apiserver' });
    return res.status === 200 && typeof res.body === 'string' ? res.body : undefined;
  };
  const first = readPod(api, namespace, pod);
  const uid = first?.metadata?.uid;
  const initial = first && containerStatus(first, options.container);
  const containerID = initial?.containerID;
  let seen = read(false);
  let timer: ReturnType<typeof setInterval> | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    if (timer) clearInterval(timer);
    onEnd();
  };
  // Writes what `text` adds to what was seen; false when it is not the same log any more.
  const emit = (text: string | undefined): boolean => {
    if (text === undefined || seen === undefined || !text.startsWith(seen)) return false;
    if (text.length > seen.length) onText(text.slice(seen.length));
    seen = text;
    return true;
  };
  const poll = () => {
    if (done) return;
    const now = readPod(api, namespace, pod);
    if (!now || now.metadata?.uid !== uid) return finish();
    const status = containerStatus(now, options.container);
    if (!emit(read(false)) || status?.containerID !== containerID) {
      // The container restarted: what its last instance wrote before it stopped is now its
      // previous log.
      emit(read(true));
      return finish();
    }
    if (!status?.state?.running) finish();
  };
  if (!initial?.state?.running || seen === undefined) {
    queueMicrotask(finish);
  } else {
    timer = setInterval(poll, POLL_MS);
  }
  return {
    stop() {
      done = true;
      if (timer) clearInterval(timer);
    },
  };
}

function writeStatus(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Streams GET .../pods/NAME/log with follow=true: the answer the request gets without follow
 * (its errors as a Status with their code), then what the container writes until it stops.
 * limitBytes bounds the whole stream.
 */
export function streamPodLogs(api: ApiServer, res: ServerResponse, target: { namespace: string; pod: string; query: URLSearchParams }): void {
  const query: Record<string, string> = {};
  for (const [k, v] of target.query) if (k !== 'follow' && !(k in query)) query[k] = v;
  const first = api.handle({ method: 'GET', path: logPath(target.namespace, target.pod), query });
  if (first.status !== 200 || typeof first.body !== 'string') {
    writeStatus(res, first.status, first.body);
    return;
  }
  let left = query.limitBytes !== undefined ? Number(query.limitBytes) : Infinity;
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.flushHeaders();
  let follower: LogFollower | undefined;
  const write = (text: string): boolean => {
    if (left <= 0) return false;
    const bytes = Buffer.from(text);
    const part = bytes.length > left ? bytes.subarray(0, left) : bytes;
    left -= part.length;
    if (part.length) res.write(part);
    return left > 0;
  };
  const end = () => {
    follower?.stop();
    if (!res.writableEnded) res.end();
  };
  if (!write(first.body)) return end();
  // previous=true reads a container that has stopped: there is nothing to follow.
  if (query.previous === 'true') return end();
  const pod = readPod(api, target.namespace, target.pod);
  const container = query.container ?? pod?.spec?.containers?.[0]?.name;
  if (!container) return end();
  follower = followContainerLog(api, target.namespace, target.pod, { container, timestamps: query.timestamps === 'true' }, (text) => {
    if (!write(text)) end();
  }, end);
  res.on('close', () => follower?.stop());
}
