/** kubeconfig and authorization: config, auth, certificate. */
import type { Command } from '../types';
import { configCommand } from './config';

export const commands: Command[] = [configCommand()];
