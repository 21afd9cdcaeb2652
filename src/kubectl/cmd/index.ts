/** Every implemented kubectl verb, gathered from the folders that own them. */
import { commands as apply } from './apply';
import { commands as config } from './config';
import { commands as describe } from './describe';
import { commands as generate } from './generate';
import { commands as get } from './get';
import { commands as info } from './info';
import { commands as misc } from './misc';
import type { Command } from './types';
import { commands as workload } from './workload';

export const COMMANDS: readonly Command[] = [...get, ...describe, ...apply, ...generate, ...workload, ...info, ...config, ...misc];
export type { Command } from './types';
