export { deploymentController } from './controller';
