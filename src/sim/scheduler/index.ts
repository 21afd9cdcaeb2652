export { Scheduler, SCHEDULER_NAME, histogram } from './scheduler';
export type { Explanation, NodeExplanation } from './scheduler';
export { matchesNodeAffinity } from './affinity';
export { untoleratedTaint } from './plugins';
