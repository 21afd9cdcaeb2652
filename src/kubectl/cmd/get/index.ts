/** Reading objects: get and events. */
import type { Command } from '../types';
import { eventsCommand } from './events';
import { getCommand } from './get';

export const commands: Command[] = [getCommand(), eventsCommand()];
