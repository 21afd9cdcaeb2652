export { startApiServer, MAX_REQUEST_BYTES } from './server';
export type { ApiExtensions, ApiServerOptions, RunningApiServer } from './server';
export { HttpApiClient, readKubeconfig } from './client';
export type { KubeconfigContext } from './client';
export { openApiResponse } from './openapi';
export type { OpenApiRequestHeaders, OpenApiResponse } from './openapi';
export { aggregatedDiscoveryResponse } from './discovery';
