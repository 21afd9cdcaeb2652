/** Making objects from flags: create, run, expose, autoscale, scale, set. */
import type { Command } from '../types';
import { autoscale } from './autoscale';
import { create } from './create';
import { expose } from './expose';
import { run } from './run';
import { scale } from './scale';
import { set } from './set';

/** Blank lines inside examples keep their two-space indent, as kubectl's templates print them. */
function indentBlankExampleLines(c: Command): Command {
  return { ...c, ...(c.example ? { example: c.example.replace(/\n\n/g, '\n  \n') } : {}), ...(c.subcommands ? { subcommands: c.subcommands.map(indentBlankExampleLines) } : {}) };
}

export const commands: Command[] = [create, run, expose, scale, autoscale, set].map(indentBlankExampleLines);
