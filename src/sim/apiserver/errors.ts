import type { ResourceType } from './registry';
import type { Status } from './types';

/** An API error carrying the metav1.Status the server answers with. */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'ApiError';
  }
}

function failure(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

/** `nodes "x" not found`, as the registry's NotFound error. */
export function notFound(type: ResourceType, name: string): ApiError {
  const qualified = type.group ? `${type.name}.${type.group}` : type.name;
  return failure(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.name,
  });
}

export function alreadyExists(type: ResourceType, name: string): ApiError {
  const qualified = type.group ? `${type.name}.${type.group}` : type.name;
  return failure(409, 'AlreadyExists', `${qualified} "${name}" already exists`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.name,
  });
}

/** The server's answer to a path it does not serve. */
export function pathNotFound(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}
