import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKubelabApi, createMessageTransport, WS_PATH, type ClientMessage, type HostMessage } from '../shared';
import { startWebHost, type WebHost } from './server';

let host: WebHost;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubelab-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Kubelab</title>');
  host = await startWebHost({ rendererDir: dir, session: { timing: 'manual' } });
});

afterEach(async () => {
  await host.close();
});

function connect(origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('web host', () => {
  it('listens on loopback and serves the renderer with a CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Kubelab</title>');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/missing.js']) {
      const res = await fetch(`http://127.0.0.1:${host.port}${path}`);
      expect(res.status).toBe(404);
    }
  });

  it('refuses WebSocket connections from other origins', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow();
  });

  it('carries the renderer contract: session info and a terminal running kubectl', async () => {
    const ws = await connect(`http://127.0.0.1:${host.port}`);
    const { transport, receive } = createMessageTransport('websocket', (m: ClientMessage) => ws.send(JSON.stringify(m)));
    ws.on('message', (raw) => receive(JSON.parse(raw.toString()) as HostMessage));
    const api = createKubelabApi(transport);

    const info = await api.session.info();
    expect(info.kubernetesVersion).toBe('v1.32.4');
    expect(info.nodes.map((n) => `${n.name}:${n.role}`)).toEqual(['controlplane:control-plane', 'node01:worker', 'node02:worker']);

    let screen = '';
    api.terminal.onOutput((d) => (screen += d));
    await api.terminal.open({ cols: 120, rows: 30 });
    api.terminal.input('kubectl get nodes -o name\r');
    await expect.poll(() => screen, { timeout: 5000 }).toContain('node/node02\r\n');
    expect(screen.startsWith('root@controlplane:~# kubectl get nodes -o name\r\nnode/controlplane\r\n')).toBe(true);

    await api.files.write('notes.txt', 'hello\n');
    expect(await api.files.read('notes.txt')).toBe('hello\n');
    expect(host.session.shell.fs.read('/root/notes.txt')).toBe('hello\n');
    ws.close();
  });

  it('answers bad calls with an error instead of crashing', async () => {
    const ws = await connect(`http://127.0.0.1:${host.port}`);
    const { transport, receive } = createMessageTransport('websocket', (m: ClientMessage) => ws.send(JSON.stringify(m)));
    ws.on('message', (raw) => receive(JSON.parse(raw.toString()) as HostMessage));
    await expect(transport.call('files.read', { path: 42 as unknown as string })).rejects.toThrow('"path" must be a string');
    await expect(transport.call('nope' as 'session.info', {})).rejects.toThrow('unknown method "nope"');
    ws.close();
  });
});
