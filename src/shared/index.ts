export type {
  EventName,
  HostEvents,
  HostMethods,
  HostNotifications,
  KubelabApi,
  MethodName,
  NotificationName,
  SessionInfo,
  TerminalSize,
} from './api';
export type { ClientMessage, HostMessage, RemoteErrorShape, Transport } from './protocol';
export { createKubelabApi, createMessageTransport, IPC_CHANNELS, RemoteError, WS_PATH } from './protocol';
