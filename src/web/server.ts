/**
 * The web host: serves the built renderer and carries the renderer contract over WebSocket,
 * on 127.0.0.1 only. It is browser mode and the target of the end-to-end tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleCall, handleNotification, Session, type SessionOptions } from '../host';
import { CONTENT_SECURITY_POLICY, WS_PATH, type ClientMessage, type HostMessage } from '../shared';
import { readStatic } from './static';

export interface WebHostOptions {
  port?: number;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  session?: Partial<SessionOptions>;
}

export interface WebHost {
  url: string;
  port: number;
  session: Session;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

const CSP = CONTENT_SECURITY_POLICY;

/** Only pages served by this host may open its WebSocket (no drive-by sites). */
function allowedOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const session = new Session({ timing: 'paced', epoch: Date.now(), ...options.session });
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    void readStatic(options.rendererDir, req.url ?? '/').then((file) => {
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const port = (server.address() as AddressInfo).port;
    if (req.url !== WS_PATH || !allowedOrigin(req, port)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, session));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    session,
    close: async () => {
      session.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveConnection(ws: WebSocket, session: Session): void {
  const send = (message: HostMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const emit = (event: string, payload: unknown) => send({ kind: 'event', event: event as 'terminal.output', payload });
  ws.on('message', (raw) => {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw.toString()) as ClientMessage;
    } catch {
      ws.close(1003, 'malformed message');
      return;
    }
    if (message.kind === 'notify') {
      handleNotification(session, message.method, message.params);
      return;
    }
    if (message.kind !== 'call' || typeof message.id !== 'number') return;
    handleCall(session, message.method, message.params, emit).then(
      (value) => send({ kind: 'result', id: message.id, ok: true, value }),
      (err: Error & { code?: string }) =>
        send({ kind: 'result', id: message.id, ok: false, error: { message: err.message, code: err.code ?? err.name } }),
    );
  });
}
