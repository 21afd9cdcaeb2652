import { formatFlagDefault, type FlagSpec } from '../flags';
import type { Command } from './types';

export const HELP_FLAG = (name: string): FlagSpec => ({ name: 'help', shorthand: 'h', type: 'bool', default: false, usage: `help for ${name}` });

/** `kubectl <command> --help`, laid out as kubectl's templates lay it out. */
export function commandHelp(command: Command, name: string): string {
  const sections: string[] = [`${(command.long ?? `${command.short}.`).replace(/\n+$/, '')}\n`];
  if (command.aliases?.length) sections.push(`Aliases:\n${[command.name, ...command.aliases].join(', ')}\n`);
  if (command.example) sections.push(`Examples:\n${command.example.replace(/\n+$/, '')}\n`);
  if (command.subcommands?.length) {
    const width = Math.max(11, ...command.subcommands.map((c) => c.name.length)) + 3;
    const subs = [...command.subcommands].sort((a, b) => (a.name < b.name ? -1 : 1));
    sections.push(`Available Commands:\n${subs.map((c) => `  ${c.name.padEnd(width)}${c.short}\n`).join('')}`);
  }
  const flags = [...command.flags, HELP_FLAG(command.name)]
    .filter((f) => !f.hidden && f.name !== 'help')
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((f) => `    ${f.shorthand ? `-${f.shorthand}, ` : ''}--${f.name}=${formatFlagDefault(f)}:\n\t${f.usage}\n`)
    .join('\n');
  if (flags) sections.push(`Options:\n${flags}`);
  sections.push(`Usage:\n  kubectl ${command.use} [options]\n`);
  const footer = command.subcommands?.length ? `Use "kubectl ${name} <command> --help" for more information about a given command.\n` : '';
  return `${sections.join('\n')}\n${footer}Use "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}
