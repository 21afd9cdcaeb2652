import type { Status } from '../sim';

/** Formats an API Status the way kubectl's StandardErrorMessage does. */
export function serverErrorMessage(status: Status): string {
  if (status.reason && status.reason !== 'Unknown') return `Error from server (${status.reason}): ${status.message}`;
  return `Error from server: ${status.message}`;
}

export function isStatus(body: unknown): body is Status {
  return !!body && typeof body === 'object' && (body as { kind?: unknown }).kind === 'Status';
}
