/** The verbs that stream to and from containers. */
import type { Command } from '../types';
import { attachCommand } from './attach';
import { cpCommand } from './cp';
import { debugCommand } from './debug';
import { execCommand } from './exec';
import { logsCommand } from './logs';
import { portForwardCommand } from './port-forward';
import { proxyCommand } from './proxy';

export const streamCommands: Command[] = [logsCommand, execCommand, attachCommand, cpCommand, portForwardCommand, proxyCommand, debugCommand];
