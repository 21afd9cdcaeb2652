/** Operating workloads and nodes: rollout, wait, logs, exec, attach, cp, port-forward, proxy, top, cordon, uncordon, drain, taint, debug. */
import type { Command } from '../types';
import { operateCommands } from './operate';
import { streamCommands } from './stream-commands';

export const commands: Command[] = [];
commands.push(...operateCommands);
commands.push(...streamCommands);
