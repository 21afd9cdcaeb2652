/** describe: human-readable detail of objects with their events. */
import type { Command } from '../types';
import { describeCommand } from './describe';

export const commands: Command[] = [describeCommand()];
