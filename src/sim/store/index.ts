export { Store, CompactedError } from './store';
export type { KeyValue, WatchEvent, StoreOptions, WatchIndex } from './store';
