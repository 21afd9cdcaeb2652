export { ApiServer } from './server';
export type { ServerVersion, RequestObserver } from './server';
export { ApiError } from './errors';
export { humanDuration, rfc3339 } from './duration';
export { ResourceRegistry, apiVersionOf, GROUP_ORDER } from './registry';
export type { ResourceType } from './registry';
export { parseLabelSelector, matchesLabels } from './selector';
export type * from './types';
export type { ExecOptions, ExecStreams, LogOptions, NodeAgent } from './node-agent';
