/** How the HTTP facade is extended with what the simulated API server does not serve itself. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Hooks that answer a request, or take over an upgrade, before the simulated API server sees it. */
export interface ApiExtensions {
  /** Answers a request before the simulated API server sees it (undefined: not handled). */
  handle?(req: { method: string; path: string; query: URLSearchParams; accept: string | undefined }, res: ServerResponse): boolean;
  /** Takes over an HTTP upgrade (exec and attach over WebSocket); false when it is not its own. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, query: URLSearchParams): boolean;
}
