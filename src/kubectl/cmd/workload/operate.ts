/** The verbs that operate workloads and nodes over time: rollout, wait, top, cordon, uncordon, drain, taint. */
import type { Command } from '../types';
import { rolloutCommand } from './rollout';

export const operateCommands: Command[] = [rolloutCommand()];
