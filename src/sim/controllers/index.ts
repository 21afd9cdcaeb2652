export { ControllerManager } from './runtime';
export type { Controller, ControllerContext } from './runtime';
export { namespaceController, rootCACertPublisher, serviceAccountController } from './namespace';
export { resourceQuotaController } from './resourcequota';
