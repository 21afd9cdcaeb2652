/**
 * Electron main process: one hardened window, one simulated-cluster session, and IPC that
 * carries the renderer contract from src/shared.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, session as electronSession, shell } from 'electron';
import { handleCall, handleNotification, Session } from '../host';
import { IPC_CHANNELS, type HostMessage, type MethodName, type NotificationName } from '../shared';
import { CONTENT_SECURITY_POLICY, mainWindowOptions } from './window-options';

const here = dirname(fileURLToPath(import.meta.url));
let session: Session | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(join(here, '../preload/index.cjs')));
  win.once('ready-to-show', () => win.show());
  // No new windows and no navigation away from the app; links open in the system browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
}

function wireIpc(): void {
  ipcMain.handle(IPC_CHANNELS.call, async (event, method: MethodName, params: unknown) => {
    const s = (session ??= new Session({ timing: 'paced', epoch: Date.now() }));
    const emit = (name: string, payload: unknown) => {
      const message: HostMessage = { kind: 'event', event: name as 'terminal.output', payload };
      if (!event.sender.isDestroyed()) event.sender.send(IPC_CHANNELS.event, message);
    };
    return handleCall(s, method, params, emit);
  });
  ipcMain.on(IPC_CHANNELS.notify, (_event, method: NotificationName, params: unknown) => {
    if (session) handleNotification(session, method, params);
  });
}

void app.whenReady().then(() => {
  electronSession.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  electronSession.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  wireIpc();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  session?.dispose();
  if (process.platform !== 'darwin') app.quit();
});
