/** kubeconfig and authorization: config, auth, certificate. */
import type { Command } from '../types';
import { authCommand } from './auth';
import { certificateCommand } from './certificate';
import { configCommand } from './config';

export const commands: Command[] = [configCommand(), authCommand(), certificateCommand()];
