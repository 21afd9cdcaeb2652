/**
 * Browser mode: the same `KubelabApi` as Electron's preload provides, carried over the web
 * host's WebSocket.
 */
import { createKubelabApi, createMessageTransport, WS_PATH, type ClientMessage, type HostMessage, type KubelabApi } from '../../shared';

export function connectWebSocket(): KubelabApi {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
  const socket = new WebSocket(url);
  const queue: ClientMessage[] = [];
  const send = (message: ClientMessage) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    else queue.push(message);
  };
  const { transport, receive, failAll } = createMessageTransport('websocket', send);
  socket.addEventListener('open', () => {
    for (const m of queue.splice(0)) socket.send(JSON.stringify(m));
  });
  socket.addEventListener('message', (event) => receive(JSON.parse(String(event.data)) as HostMessage));
  socket.addEventListener('close', () => failAll('the connection to Kubelab was closed'));
  return createKubelabApi(transport);
}
