import { CommandError } from '../../context';
import { commandHelp } from '../help';
import type { Command } from '../types';

/**
 * `kubectl plugin list`: plugins are executables named kubectl-* on PATH. The simulated hosts
 * have none, so the answer is kubectl's own for an empty PATH search.
 */
export function pluginCommand(): Command {
  const list: Command = {
    name: 'list',
    short: "List all visible plugin executables on a user's PATH",
    long: 'List every executable on PATH whose name starts with "kubectl-": kubectl runs those as plugins.',
    example: '  # List the plugins kubectl can find\n  kubectl plugin list\n  \n  # Only their names, without paths\n  kubectl plugin list --name-only',
    use: 'plugin list [flags]',
    flags: [{ name: 'name-only', type: 'bool', default: false, usage: 'If true, display only the binary name of each plugin, rather than its full path' }],
    async run() {
      throw new CommandError('error: unable to find any kubectl plugins in your PATH');
    },
  };
  const plugin: Command = {
    name: 'plugin',
    short: 'Provides utilities for interacting with plugins',
    long: 'Work with kubectl plugins: executables named kubectl-NAME on PATH that kubectl runs as `kubectl NAME`.',
    example: '  # List the plugins kubectl can find\n  kubectl plugin list',
    use: 'plugin [flags]',
    flags: [],
    subcommands: [list],
    // Unlike most parents, plugin answers an unknown subcommand with cobra's capitalised "Error:".
    async run(args, ctx) {
      const [word] = args.positional;
      if (word !== undefined) throw new CommandError(`Error: unknown command "${word}"\nSee 'kubectl plugin -h' for help and examples`);
      ctx.stdout(commandHelp(plugin, 'plugin'));
      return 0;
    },
  };
  return plugin;
}
