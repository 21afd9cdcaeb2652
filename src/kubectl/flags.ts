/**
 * Command-line flags parsed the way cobra and pflag parse them: flags anywhere among the
 * arguments, `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, grouped boolean
 * shorthands (`-it`), and `--` ending flag parsing. Error texts are pflag's.
 */

/**
 * pflag's value kinds: `stringArray` repeats without splitting, `stringSlice` also splits on commas
 * (`-f a.yaml,b.yaml`), `duration` is a Go duration kept as its text once it parses.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice' | 'duration';

export interface FlagSpec {
  name: string;
  shorthand?: string;
  type: FlagType;
  default?: string | boolean | number | string[];
  usage: string;
  /** Accepted but left out of --help, as cobra's hidden and deprecated flags. */
  hidden?: boolean;
  /** A bool-like flag that may also take a value after `=` only (`--dry-run` = `--dry-run=client`). */
  noOptDefault?: string;
}

export type FlagValue = string | boolean | number | string[];

export class FlagError extends Error {}

export interface ParsedArgs {
  flags: Map<string, FlagValue>;
  /** Flags the user set explicitly. */
  changed: Set<string>;
  positional: string[];
  /** Positional arguments that came after `--`. */
  afterDash: string[];
}

export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.shorthand).map((s) => [s.shorthand!, s]));
  const flags = new Map<string, FlagValue>();
  const changed = new Set<string>();
  const positional: string[] = [];
  const afterDash: string[] = [];
  for (const s of specs) if (s.default !== undefined) flags.set(s.name, s.default);

  const set = (spec: FlagSpec, raw: string, display: string) => {
    switch (spec.type) {
      case 'bool': {
        if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(raw))
          throw new FlagError(`invalid argument "${raw}" for "${display}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
        flags.set(spec.name, ['true', '1', 't', 'TRUE', 'True', 'T'].includes(raw));
        break;
      }
      case 'int': {
        if (!/^[+-]?\d+$/.test(raw))
          throw new FlagError(`invalid argument "${raw}" for "${display}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
        flags.set(spec.name, Number.parseInt(raw, 10));
        break;
      }
      case 'stringArray': {
        const prev = changed.has(spec.name) ? (flags.get(spec.name) as string[]) : [];
        flags.set(spec.name, [...prev, raw]);
        break;
      }
      case 'stringSlice': {
        const prev = changed.has(spec.name) ? (flags.get(spec.name) as string[]) : [];
        flags.set(spec.name, [...prev, ...(raw === '' ? [] : raw.split(','))]);
        break;
      }
      case 'duration': {
        if (parseGoDuration(raw) === undefined)
          throw new FlagError(`invalid argument "${raw}" for "${display}" flag: time: invalid duration "${raw}"`);
        flags.set(spec.name, raw);
        break;
      }
      default:
        flags.set(spec.name, raw);
    }
    changed.add(spec.name);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      afterDash.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) set(spec, arg.slice(eq + 1), `--${name}`);
      else if (spec.type === 'bool') set(spec, 'true', `--${name}`);
      else if (spec.noOptDefault !== undefined) set(spec, spec.noOptDefault, `--${name}`);
      else if (i + 1 < args.length) set(spec, args[++i]!, `--${name}`);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A run of shorthands: booleans may be grouped; the first non-boolean takes the rest or the next argument.
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${arg}`);
        const rest = arg.slice(j + 1);
        if (spec.type === 'bool' || (spec.noOptDefault !== undefined && !rest.startsWith('='))) {
          if (spec.type !== 'bool') {
            set(spec, spec.noOptDefault!, `-${c}, --${spec.name}`);
            continue;
          }
          if (rest.startsWith('=')) {
            set(spec, rest.slice(1), `-${c}, --${spec.name}`);
            break;
          }
          set(spec, 'true', `-${c}, --${spec.name}`);
          continue;
        }
        if (rest.length > 0) set(spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${c}, --${spec.name}`);
        else if (i + 1 < args.length) set(spec, args[++i]!, `-${c}, --${spec.name}`);
        else throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    positional.push(arg);
  }
  return { flags, changed, positional: [...positional, ...afterDash], afterDash };
}

/**
 * Go's time.ParseDuration, in milliseconds: "300ms", "1.5h", "2h45m", "-1s", "0". Undefined when
 * the text is not a duration.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const part of text.slice(m[1]!.length).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * unitMs[part[2]!]!;
  return m[1] === '-' ? -total : total;
}

/** A flag's default as `--help` shows it: `''`, `false`, `0`, `[]`, `0s`. */
export function formatFlagDefault(spec: FlagSpec): string {
  const d = spec.default;
  switch (spec.type) {
    case 'bool':
      return String(d ?? false);
    case 'int':
      return String(d ?? 0);
    case 'stringArray':
    case 'stringSlice':
      return `[${((d as string[] | undefined) ?? []).join(',')}]`;
    case 'duration':
      return String(d ?? '0s');
    default:
      return `'${String(d ?? '')}'`;
  }
}
