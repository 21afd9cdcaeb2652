export { Store } from './store';
export type { KeyValue, WatchEvent } from './store';
