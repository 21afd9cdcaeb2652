import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options: renderer isolated from Node and Electron (context isolation,
 * sandbox, no Node integration), so the only door to the host is the preload's API.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1280,
    minHeight: 720,
    title: 'Kubelab',
    backgroundColor: '#0f1419',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

export { CONTENT_SECURITY_POLICY } from '../shared';
