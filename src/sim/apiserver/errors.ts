import { aggregate, errorBody, type FieldError } from './field-errors';
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

/** "pods" or "deployments.apps", as qualified resource names appear in messages. */
export function qualifiedResource(type: Pick<ResourceType, 'name' | 'group'>): string {
  return type.group ? `${type.name}.${type.group}` : type.name;
}

/** "Pod" or "Deployment.apps", as qualified kinds appear in Invalid messages. */
export function qualifiedKind(type: Pick<ResourceType, 'kind' | 'group'>): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

function resourceDetails(type: Pick<ResourceType, 'name' | 'group'>, name: string): Status['details'] {
  return { name, ...(type.group ? { group: type.group } : {}), kind: type.name };
}

export function notFound(type: Pick<ResourceType, 'name' | 'group'>, name: string): ApiError {
  return failure(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, resourceDetails(type, name));
}

export function alreadyExists(type: Pick<ResourceType, 'name' | 'group'>, name: string): ApiError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(type)} "${name}" already exists`, resourceDetails(type, name));
}

/** Optimistic-concurrency conflict on update. */
export function conflict(type: Pick<ResourceType, 'name' | 'group'>, name: string, detail: string): ApiError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${detail}`, resourceDetails(type, name));
}

export function invalid(type: Pick<ResourceType, 'kind' | 'group'>, name: string, errors: readonly FieldError[]): ApiError {
  return failure(422, 'Invalid', `${qualifiedKind(type)} "${name}" is invalid: ${aggregate(errors)}`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.kind,
    causes: errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  });
}

export function forbidden(type: Pick<ResourceType, 'name' | 'group'>, name: string, reason: string): ApiError {
  return failure(403, 'Forbidden', `${qualifiedResource(type)} "${name}" is forbidden: ${reason}`, resourceDetails(type, name));
}

/** The server's answer to a path it does not serve. */
export function pathNotFound(): ApiError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): ApiError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export function badRequest(message: string): ApiError {
  return failure(400, 'BadRequest', message);
}

export function gone(message: string): ApiError {
  return failure(410, 'Expired', message);
}

export function unsupportedMediaType(): ApiError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, {});
}

export function internalError(message: string): ApiError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message }] });
}
