/** Making objects from flags: create, run, expose, autoscale, scale, set. */
import type { Command } from '../types';
import { autoscale } from './autoscale';
import { create } from './create';
import { expose } from './expose';
import { run } from './run';
import { scale } from './scale';
import { set } from './set';

export const commands: Command[] = [create, run, expose, scale, autoscale, set];
