/** Making objects from flags: create, run, expose, autoscale, scale, set. */
import type { Command } from '../types';
import { create } from './create';

export const commands: Command[] = [create];
