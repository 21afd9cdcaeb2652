export { Scheduler, SCHEDULER_NAME, histogram } from './scheduler';
export type { Explanation, NodeExplanation } from './scheduler';
