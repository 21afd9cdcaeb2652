/** describe: human-readable detail of objects with their events. */
import type { Command } from '../types';

export const commands: Command[] = [];
