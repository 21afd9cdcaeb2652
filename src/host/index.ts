/** Node-side host: sessions, clock pacing, and the renderer contract's server side. */
export { Session } from './session';
export type { SessionOptions } from './session';
export { ClockPacer } from './pacer';
export type { Speed } from './pacer';
export { handleCall, handleNotification, UnknownMethodError } from './dispatch';
export type { EventSink } from './dispatch';
export { runScriptInSession } from './script';
export type { RunScriptOptions } from './script';
