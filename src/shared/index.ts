export type {
  EventName,
  ExposedApi,
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
export { CONTENT_SECURITY_POLICY, createKubelabApi, createMessageTransport, IPC_CHANNELS, RemoteError, WS_PATH } from './protocol';
