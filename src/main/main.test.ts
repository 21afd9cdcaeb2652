import { beforeEach, describe, expect, it, vi } from 'vitest';

// Electron's binary cannot be installed here; the main process is tested against a mock.
const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; handlers: Map<string, (...a: unknown[]) => unknown> }[] = [];
  class BrowserWindow {
    static getAllWindows = () => windows;
    webContents = {
      setWindowOpenHandler: vi.fn(),
      on: vi.fn(),
    };
    constructor(options: Record<string, unknown>) {
      windows.push({ options, handlers: new Map() });
    }
    once = vi.fn();
    loadFile = vi.fn(async () => {});
    loadURL = vi.fn(async () => {});
  }
  const ipcHandlers = new Map<string, unknown>();
  let ready: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  return {
    windows,
    ipcHandlers,
    ready: () => ready(),
    module: {
      app: { whenReady: () => whenReady, on: vi.fn(), quit: vi.fn() },
      BrowserWindow,
      ipcMain: {
        handle: (channel: string, fn: unknown) => ipcHandlers.set(channel, fn),
        on: (channel: string, fn: unknown) => ipcHandlers.set(channel, fn),
      },
      session: {
        defaultSession: { webRequest: { onHeadersReceived: vi.fn() }, setPermissionRequestHandler: vi.fn() },
      },
      shell: { openExternal: vi.fn() },
    },
  };
});
vi.mock('electron', () => electron.module);

describe('Electron main', () => {
  beforeEach(async () => {
    await import('./index');
    electron.ready();
    await new Promise((r) => setTimeout(r, 0));
  });

  it('opens one hardened window with the preload as the only bridge', () => {
    expect(electron.windows).toHaveLength(1);
    const prefs = electron.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('sets a strict Content Security Policy and denies permission requests', () => {
    const { session } = electron.module;
    const onHeaders = session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]![0] as (
      d: { responseHeaders: Record<string, string[]> },
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    let headers: Record<string, string[]> = {};
    onHeaders({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy']![0]).toContain("object-src 'none'");
    const onPermission = session.defaultSession.setPermissionRequestHandler.mock.calls[0]![0] as (
      wc: unknown,
      p: string,
      cb: (ok: boolean) => void,
    ) => void;
    let granted: boolean | undefined;
    onPermission({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('serves the renderer contract over IPC', async () => {
    const call = electron.ipcHandlers.get('kubelab:call') as (e: unknown, m: string, p: unknown) => Promise<unknown>;
    const sender = { isDestroyed: () => false, send: vi.fn() };
    const info = (await call({ sender }, 'session.info', {})) as { kubernetesVersion: string };
    expect(info.kubernetesVersion).toBe('v1.32.4');
  });
});
