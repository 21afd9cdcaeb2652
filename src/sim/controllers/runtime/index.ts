export { ControllerManager, RetryableError } from './manager';
export type { Controller, ControllerContext, ReconcileResult } from './manager';
export { Informer, InformerFactory, controllerOf, indexByController, keyOf, splitKey } from './informer';
export type { IndexFn, InformerHandler } from './informer';
export { WorkQueue } from './workqueue';
export { DeletionTracker, Expectations, EXPECTATIONS_TIMEOUT_MS } from './expectations';
