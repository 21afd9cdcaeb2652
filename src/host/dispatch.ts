/**
 * Serves the renderer contract (src/shared) for one session, independent of transport.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostEvents, HostMethods, HostNotifications, MethodName, NotificationName, TerminalSize } from '../shared';
import type { Session } from './session';

export type EventSink = <E extends keyof HostEvents>(event: E, payload: HostEvents[E]) => void;

export class UnknownMethodError extends Error {
  readonly code = 'UnknownMethod';
}

function isSize(v: unknown): v is TerminalSize {
  const s = v as TerminalSize;
  return !!s && Number.isInteger(s.cols) && Number.isInteger(s.rows) && s.cols > 0 && s.rows > 0;
}

function requireString(params: unknown, key: string): string {
  const v = (params as Record<string, unknown> | undefined)?.[key];
  if (typeof v !== 'string') throw new TypeError(`"${key}" must be a string`);
  return v;
}

export async function handleCall<M extends MethodName>(
  session: Session,
  method: M,
  params: unknown,
  emit: EventSink,
): Promise<HostMethods[M]['result']> {
  type R = HostMethods[M]['result'];
  switch (method as MethodName) {
    case 'session.info':
      return session.info() as R;
    case 'terminal.open': {
      if (!isSize(params)) throw new TypeError('terminal size must have positive integer cols and rows');
      session.openTerminal(params, (data) => emit('terminal.output', { data }));
      return { opened: true } as R;
    }
    case 'files.read':
      return { content: session.readFile(requireString(params, 'path')) } as R;
    case 'files.write':
      session.writeFile(requireString(params, 'path'), requireString(params, 'content'));
      return { saved: true } as R;
    case 'api.expose':
      return (await session.exposeApi(join(tmpdir(), 'kubelab'))) as R;
    default:
      throw new UnknownMethodError(`unknown method "${String(method)}"`);
  }
}

export function handleNotification<N extends NotificationName>(session: Session, method: N, params: HostNotifications[N] | unknown): void {
  switch (method as NotificationName) {
    case 'terminal.input':
      session.terminalInput(requireString(params, 'data'));
      return;
    case 'terminal.resize':
      if (isSize(params)) session.terminalResize(params);
      return;
  }
}
