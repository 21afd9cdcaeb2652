/** Making objects from flags: create, run, expose, autoscale, scale, set. */
import type { Command } from '../types';

export const commands: Command[] = [];
