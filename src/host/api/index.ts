export { startApiServer, MAX_REQUEST_BYTES } from './server';
export type { ApiServerOptions, RunningApiServer } from './server';
export type { ApiExtensions } from './extensions';
export { HttpApiClient, readKubeconfig } from './client';
export type { KubeconfigContext } from './client';
export { openApiResponse } from './openapi';
export type { OpenApiRequestHeaders, OpenApiResponse } from './openapi';
export { aggregatedDiscoveryResponse } from './discovery';
export { streamingApiExtension } from './exec';
