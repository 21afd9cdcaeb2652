import type { KubelabApi } from '../../shared';
import { connectWebSocket } from './websocket';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    kubelab?: KubelabApi;
  }
}

/** The host API: Electron's preload object when present, the web host's WebSocket otherwise. */
export function getKubelabApi(): KubelabApi {
  return window.kubelab ?? connectWebSocket();
}
