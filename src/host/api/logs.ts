/**
 * GET pods/NAME/log?follow=true for the HTTP facade: the simulated API server's log stream
 * (sim/streams.ts, on the cluster's clock) written as a chunked text response.
 */
import type { ServerResponse } from 'node:http';
import { openStream, type ApiServer, type StreamHandle, type VirtualClock } from '../../sim';

function logPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${namespace}/pods/${pod}/log`;
}

function writeStatus(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Streams GET .../pods/NAME/log with follow=true as the simulated API server's own stream does
 * (`openStream`: the answer without follow, then what the container writes until it stops);
 * errors answer as a Status with their code. limitBytes bounds the whole stream in bytes.
 */
export function streamPodLogs(api: ApiServer, clock: VirtualClock, res: ServerResponse, target: { namespace: string; pod: string; query: URLSearchParams }): void {
  const query: Record<string, string> = {};
  for (const [k, v] of target.query) if (!(k in query)) query[k] = v;
  let left = query.limitBytes !== undefined ? Number(query.limitBytes) : Infinity;
  delete query.limitBytes;
  const start = () => {
    if (res.headersSent) return;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders();
  };
  let handle: StreamHandle | undefined;
  const end = () => {
    handle?.stop();
    start();
    if (!res.writableEnded) res.end();
  };
  const opened = openStream(api, clock, { path: logPath(target.namespace, target.pod), query }, (text) => {
    start();
    if (left <= 0) return;
    const bytes = Buffer.from(text);
    const part = bytes.length > left ? bytes.subarray(0, left) : bytes;
    left -= part.length;
    if (part.length) res.write(part);
    if (left <= 0) end();
  }, end);
  if (!('stop' in opened)) return writeStatus(res, opened.status, opened.body);
  handle = opened;
  if (res.writableEnded) handle.stop();
  res.on('close', () => handle?.stop());
}
