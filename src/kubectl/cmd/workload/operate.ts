/** The verbs that operate workloads and nodes over time: rollout, wait, top, cordon, uncordon, drain, taint. */
import type { Command } from '../types';
import { nodeCommands } from './drain';
import { rolloutCommand } from './rollout';
import { taintCommand } from './taint';
import { topCommand } from './top';
import { waitCommand } from './wait';

export const operateCommands: Command[] = [rolloutCommand(), waitCommand(), topCommand(), ...nodeCommands(), taintCommand()];
