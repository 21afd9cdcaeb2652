export { startApiServer, MAX_REQUEST_BYTES } from './server';
export type { ApiExtensions, ApiServerOptions, RunningApiServer } from './server';
