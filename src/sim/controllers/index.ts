export { ControllerManager } from './runtime';
export type { Controller, ControllerContext } from './runtime';
export { namespaceController, rootCACertPublisher, serviceAccountController } from './namespace';
export { resourceQuotaController } from './resourcequota';
export { NodeLifecycleController, NODE_MONITOR_GRACE_MS, NODE_MONITOR_PERIOD_MS } from './nodelifecycle';
export { PodGarbageCollector, POD_GC_PERIOD_MS } from './podgc';
