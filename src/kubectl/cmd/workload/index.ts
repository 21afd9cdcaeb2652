/** Operating workloads and nodes: rollout, wait, logs, exec, attach, cp, port-forward, proxy, top, cordon, uncordon, drain, taint, debug. */
import type { Command } from '../types';
import { operateCommands } from './operate';

export const commands: Command[] = [];
commands.push(...operateCommands);
