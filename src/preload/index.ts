/**
 * The only bridge between the sandboxed renderer and the host: one typed `window.kubelab`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createKubelabApi, IPC_CHANNELS, type HostMessage, type Transport } from '../shared';

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(IPC_CHANNELS.event, (_event, message: HostMessage) => {
  if (message.kind !== 'event') return;
  for (const l of listeners.get(message.event) ?? []) l(message.payload);
});

const transport: Transport = {
  name: 'ipc',
  call: (method, params) => ipcRenderer.invoke(IPC_CHANNELS.call, method, params),
  notify: (method, params) => ipcRenderer.send(IPC_CHANNELS.notify, method, params),
  onEvent(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
};

contextBridge.exposeInMainWorld('kubelab', createKubelabApi(transport));
