import type { KubectlContext } from '../context';
import type { FlagSpec, ParsedArgs } from '../flags';

/**
 * One kubectl command as cobra declares it: a verb (`get`) or a subcommand (`rollout status`,
 * `create deployment`, `config set-context`). A command with subcommands may also run itself
 * (`kubectl create -f`); one without `run` prints its help.
 */
export interface Command {
  name: string;
  /** Other names cobra accepts (`create deploy`, `create svc`). */
  aliases?: string[];
  /** One-line description, as in the parent's command list. */
  short: string;
  /** The help text's opening paragraph(s); `short` when absent. */
  long?: string;
  /** Commented examples, shown under "Examples:" (already indented two spaces). */
  example?: string;
  /** The usage line after `kubectl ` (e.g. `rollout status (TYPE NAME | TYPE/NAME) [flags]`). */
  use: string;
  flags: FlagSpec[];
  subcommands?: Command[];
  run?(args: ParsedArgs, ctx: KubectlContext): Promise<number>;
}
