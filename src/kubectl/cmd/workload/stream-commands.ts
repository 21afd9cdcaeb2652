/** The verbs that stream to and from containers. */
import type { Command } from '../types';
import { logsCommand } from './logs';

export const streamCommands: Command[] = [logsCommand];
