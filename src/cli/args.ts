/** A small argument reader for `bin/kubelab` subcommands. */
export class UsageError extends Error {}

export interface CliArgs {
  positional: string[];
  options: Map<string, string | true>;
}

/** Reads `--name value`, `--name=value` and `--flag` (for names in `booleans`). */
export function readArgs(argv: readonly string[], valued: readonly string[], booleans: readonly string[] = []): CliArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    if (booleans.includes(name)) {
      options.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option ${a.slice(0, eq >= 0 ? eq : undefined)}`);
    }
  }
  return { positional, options };
}

export function intOption(args: CliArgs, name: string): number | undefined {
  const v = args.options.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new UsageError(`option --${name} needs a whole number, got "${String(v)}"`);
  return Number(v);
}
