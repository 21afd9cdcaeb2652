/** kubeconfig and authorization: config, auth, certificate. */
import type { Command } from '../types';

export const commands: Command[] = [];
