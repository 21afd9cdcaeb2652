import type { KubectlContext } from '../context';
import type { FlagSpec, ParsedArgs } from '../flags';

/** One kubectl verb: its flags and how it runs once they are parsed. */
export interface Command {
  name: string;
  /** One-line description, as in `kubectl --help`. */
  short: string;
  flags: FlagSpec[];
  run(args: ParsedArgs, ctx: KubectlContext): Promise<number>;
}
