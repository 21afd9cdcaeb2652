import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags, type FlagSpec } from './flags';

const specs: FlagSpec[] = [
  { name: 'namespace', shorthand: 'n', type: 'string', default: '', usage: '' },
  { name: 'output', shorthand: 'o', type: 'string', default: '', usage: '' },
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: '' },
  { name: 'stdin', shorthand: 'i', type: 'bool', default: false, usage: '' },
  { name: 'tty', shorthand: 't', type: 'bool', default: false, usage: '' },
  { name: 'replicas', type: 'int', default: 1, usage: '' },
  { name: 'env', type: 'stringArray', default: [], usage: '' },
];

describe('parseFlags (pflag semantics)', () => {
  it('accepts flags before, between and after arguments in every spelling', () => {
    const p = parseFlags(['-n', 'kube-system', 'get', '--output=wide', 'pods', '-Ao', 'yaml', '--replicas', '3'], specs);
    expect(p.positional).toEqual(['get', 'pods']);
    expect(p.flags.get('namespace')).toBe('kube-system');
    expect(p.flags.get('output')).toBe('yaml');
    expect(p.flags.get('all-namespaces')).toBe(true);
    expect(p.flags.get('replicas')).toBe(3);
    expect([...p.changed].sort()).toEqual(['all-namespaces', 'namespace', 'output', 'replicas']);
  });

  it('reads -nvalue, -n=value and grouped booleans', () => {
    expect(parseFlags(['-nkube-system'], specs).flags.get('namespace')).toBe('kube-system');
    expect(parseFlags(['-n=dev'], specs).flags.get('namespace')).toBe('dev');
    const it = parseFlags(['-it'], specs);
    expect(it.flags.get('stdin')).toBe(true);
    expect(it.flags.get('tty')).toBe(true);
  });

  it('collects repeated array flags and stops at --', () => {
    const p = parseFlags(['--env', 'A=1', '--env=B=2', '--', 'sh', '-c', 'echo hi'], specs);
    expect(p.flags.get('env')).toEqual(['A=1', 'B=2']);
    expect(p.positional).toEqual(['sh', '-c', 'echo hi']);
    expect(p.afterDash).toEqual(['sh', '-c', 'echo hi']);
  });

  it.each([
    [['--bogus'], 'unknown flag: --bogus'],
    [['-z'], "unknown shorthand flag: 'z' in -z"],
    [['-o'], "flag needs an argument: 'o' in -o"],
    [['--output'], 'flag needs an argument: --output'],
    [['--replicas=x'], 'invalid argument "x" for "--replicas" flag: strconv.ParseInt: parsing "x": invalid syntax'],
    [['--stdin=maybe'], 'invalid argument "maybe" for "--stdin" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
  ])('rejects %j with pflag message', (args, message) => {
    expect(() => parseFlags(args, specs)).toThrow(new FlagError(message));
  });
});
