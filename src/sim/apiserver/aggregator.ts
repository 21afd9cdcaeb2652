/**
 * API aggregation (kube-aggregator): an extension API server such as metrics-server registers a
 * group/version, and the API server serves it while an APIService object for it exists. While
 * that APIService is not Available, requests fail with 503 as on a real cluster whose
 * metrics-server is down.
 */
import { ApiError } from './errors';
import type { ApiRequest, ApiResponse } from './types';

export interface AggregatedResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** The part of a request path below /apis/<group>/<version>. */
export interface AggregatedTarget {
  namespace?: string;
  resource: string;
  name?: string;
}

export interface AggregatedApi {
  group: string;
  version: string;
  resources: AggregatedResource[];
  handle(req: ApiRequest, target: AggregatedTarget): ApiResponse;
}

/** The APIService name for a group/version: v1beta1.metrics.k8s.io */
export function apiServiceName(api: { group: string; version: string }): string {
  return `${api.version}.${api.group}`;
}

export function serviceUnavailable(): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server is currently unable to handle the request',
    reason: 'ServiceUnavailable',
    details: { causes: [{ reason: 'UnexpectedServerResponse', message: 'service unavailable' }] },
    code: 503,
  });
}

/** Splits the path below /apis/<group>/<version>; undefined when it names no resource. */
export function aggregatedTarget(rest: string[]): AggregatedTarget | undefined {
  if (rest[0] === 'namespaces' && rest.length >= 3 && rest.length <= 4) return { namespace: rest[1]!, resource: rest[2]!, ...(rest[3] ? { name: rest[3] } : {}) };
  if (rest.length >= 1 && rest.length <= 2) return { resource: rest[0]!, ...(rest[1] ? { name: rest[1] } : {}) };
  return undefined;
}
