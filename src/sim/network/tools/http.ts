/**
 * The HTTP client half the tools share: URL parsing, name resolution, connecting over the
 * simulated network and asking the listening process, with the outcome each tool then words
 * in its own way.
 */
import type { HttpResponse } from '../types';
import type { ToolContext } from './types';

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path and query, at least "/". */
  path: string;
  /** Whether the URL named its port. */
  explicitPort: boolean;
}

/** Parses what a user types as curl and wget do (scheme optional, http by default). */
export function parseUrl(raw: string): ParsedUrl | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([^#]*)/.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const host = m[2] ?? '';
  if (!host) return undefined;
  const explicitPort = m[3] !== undefined && m[3] !== '';
  const port = explicitPort ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  let path = m[4] || '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { scheme, host, port, path, explicitPort };
}

export type HttpOutcome =
  | { kind: 'response'; ip: string; response: HttpResponse; /** The server spoke TLS. */ tls: boolean; selfSigned: boolean }
  | { kind: 'resolve-failed'; reason: 'nxdomain' | 'timeout' }
  | { kind: 'refused'; ip: string }
  | { kind: 'timeout'; ip: string }
  | { kind: 'unreachable'; ip: string }
  /** Connected, but the process does not speak HTTP on that port (or the TLS mismatch kind). */
  | { kind: 'no-http'; ip: string; tls: boolean; selfSigned: boolean }
  /** An https:// URL to a port without TLS. */
  | { kind: 'tls-mismatch'; ip: string };

/** The kernel gives up a connect() whose SYNs nobody answers after about this long (6 retries). */
export const KERNEL_CONNECT_TIMEOUT_MS = 127_000;
/** ARP gives up on an address on the local segment after about this long. */
export const HOST_UNREACHABLE_MS = 3_060;

export interface HttpRequestOptions {
  method: string;
  headers: [string, string][];
  userAgent: string;
}

/** Resolves, connects and asks: what one HTTP request to `url` meets. */
export function httpRequest(ctx: ToolContext, url: ParsedUrl, options: HttpRequestOptions): HttpOutcome {
  const lookup = ctx.resolver.lookupHost(url.host);
  if (!lookup.ok) return { kind: 'resolve-failed', reason: lookup.reason };
  const ip = lookup.addresses[0]!;
  const conn = ctx.network.connect(ctx.source, ip, url.port, 'TCP');
  if (conn.kind !== 'open') return { kind: conn.kind, ip };
  const tls = conn.listener.tlsPorts?.includes(conn.target.port) ?? false;
  const selfSigned = conn.listener.selfSignedPorts?.includes(conn.target.port) ?? false;
  if (url.scheme === 'https' && !tls) return { kind: 'tls-mismatch', ip };
  const hostHeader = options.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? (url.explicitPort ? `${url.host}:${url.port}` : url.host);
  const response = conn.listener.http?.(conn.target.port, url.path, {
    method: options.method,
    path: url.path,
    host: hostHeader,
    headers: options.headers,
    clientIP: conn.clientIP,
    userAgent: options.userAgent,
  });
  if (!response) return { kind: 'no-http', ip, tls, selfSigned };
  if (url.scheme === 'http' && tls) return { kind: 'no-http', ip, tls, selfSigned };
  return { kind: 'response', ip, response, tls, selfSigned };
}

export const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  308: 'Permanent Redirect',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};
