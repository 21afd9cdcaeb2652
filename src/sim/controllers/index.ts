export { ControllerManager, RetryableError } from './runtime/index';
export type { Controller, ControllerContext, ReconcileResult } from './runtime/index';
export { namespaceController, rootCACertPublisher, serviceAccountController } from './namespace';
export { resourceQuotaController } from './resourcequota';
export { NodeLifecycleController, NODE_MONITOR_GRACE_MS, NODE_MONITOR_PERIOD_MS } from './nodelifecycle';
export { PodGarbageCollector, POD_GC_PERIOD_MS } from './podgc';
export { replicaSetController, replicationControllerController, BURST_REPLICAS } from './replicaset';
export { deploymentController } from './deployment/index';
export { garbageCollector } from './garbagecollector';
