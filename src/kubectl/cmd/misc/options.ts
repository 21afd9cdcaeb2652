import { formatFlagDefault } from '../../flags';
import { GLOBAL_FLAGS } from '../global-flags';
import type { Command } from '../types';

/** `kubectl options`: the global flags every command accepts. */
export function optionsCommand(): Command {
  return {
    name: 'options',
    short: 'Print the list of flags inherited by all commands',
    long: 'Print the flags that every kubectl command accepts.',
    example: '  # Print the flags every command accepts\n  kubectl options',
    use: 'options',
    flags: [],
    async run(_args, ctx) {
      const flags = [...GLOBAL_FLAGS]
        .filter((f) => !f.hidden)
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((f) => `    ${f.shorthand ? `-${f.shorthand}, ` : ''}--${f.name}=${formatFlagDefault(f)}:\n\t${f.usage}\n`)
        .join('\n');
      ctx.stdout(`The following options can be passed to any command:\n\n${flags}`);
      return 0;
    },
  };
}
