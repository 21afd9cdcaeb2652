/**
 * A tiny POSIX-ish shell for what course containers run with `sh -c` (busybox, alpine, ubuntu):
 * echo, printf, sleep, date, hostname, env, cat, ls, touch, rm, mkdir, cd, pwd, ps, tar, exit,
 * true/false, test, `;` `&&` `||`, `>`/`>>`/`2>`/`2>&1` redirects, while/until/for loops,
 * variables, $(( )) arithmetic and `i=$((i+1))`, with busybox's messages. It is a generator that
 * yields how long it sleeps, so the caller drives it on the virtual clock synchronously.
 */
import { utf8Bytes } from '../bytes';
import type { Tool } from '../network';
import { FsFailure, normalizePath, type Entry, type FsError } from './fs';
import { runTar } from './tar';

/** The file operations the shell needs (a container's view: ContainerFs). */
export interface ShellFs {
  stat(path: string): Entry | undefined;
  lstat(path: string): Entry | undefined;
  read(path: string): string;
  write(path: string, content: string, append?: boolean): void;
  mkdir(path: string, parents?: boolean): void;
  remove(path: string, recursive?: boolean): void;
  list(path: string): string[];
}

export interface ScriptHost {
  env: Record<string, string>;
  now(): number;
  hostname: string;
  /** Output as written: text with its newlines (an `echo -n` has none). */
  stdout(text: string): void;
  stderr(text: string): void;
  fs: ShellFs;
  /** The working directory (the container's workingDir). */
  cwd?: string;
  /** The container's processes for `ps` (PID 1 first). */
  processes?(): { pid: number; args: string }[];
  /** What the process reads on stdin (exec -i); empty when absent. */
  stdin?: string;
  /** The image's network tools (wget, nslookup, curl …) by name, bound to the pod's network. */
  tools?(name: string): Tool | undefined;
}

const SHELLS = ['sh', '/bin/sh', 'bash', '/bin/bash', 'ash', '/bin/ash'];

/**
 * The script a process's argv amounts to: the text after `sh -c`, nothing for a bare shell (it
 * reads a closed stdin and exits), else the words quoted so the shell sees them unchanged.
 */
export function scriptFromArgv(argv: string[]): string {
  const shell = SHELLS.includes(argv[0] ?? '');
  if (shell && argv[1] === '-c') return argv[2] ?? '';
  if (shell && argv.length === 1) return '';
  return argv.map((a) => (a === '' || /[\s'"$;&|<>\\`(){}*?[\]#~!]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}

/** Programs of the image that `kubectl exec` can start directly (cd and exit are shell built-ins). */
export const EXECUTABLES: ReadonlySet<string> = new Set([
  ...SHELLS,
  ...['echo', 'printf', 'sleep', 'date', 'hostname', 'env', 'printenv', 'cat', 'touch', 'rm', 'mkdir', 'ls', 'pwd', 'ps', 'true', 'false', 'test', '[', 'tar', 'tail'],
]);

const ERRNO: Record<FsError, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EEXIST: 'File exists',
  EROFS: 'Read-only file system',
  ENOTEMPTY: 'Directory not empty',
  EBUSY: 'Resource busy',
};

function errno(err: unknown): string {
  if (err instanceof FsFailure) return ERRNO[err.code];
  throw err;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(e: Entry): string {
  if (e.kind === 'link') return 'lrwxrwxrwx';
  const bits = 'rwxrwxrwx'
    .split('')
    .map((ch, i) => ((e.mode >> (8 - i)) & 1 ? ch : '-'))
    .join('');
  const sticky = e.mode & 0o1000 ? `${bits.slice(0, 8)}${bits[8] === 'x' ? 't' : 'T'}` : bits;
  return `${e.kind === 'dir' ? 'd' : '-'}${sticky}`;
}

function entrySize(e: Entry): number {
  if (e.kind === 'dir') return 4096;
  if (e.kind === 'link') return e.target.length;
  return utf8Bytes(e.content).length;
}

/** busybox `ls -l` time: "Jun  2 09:30" within six months of now, else "Jun  2  2024". */
function lsTime(ms: number, now: number): string {
  const d = new Date(ms);
  const recent = Math.abs(now - ms) < 182 * 86_400_000;
  const tail = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${tail}`;
}

class ExitSignal {
  constructor(readonly code: number) {}
}

type Node =
  | { t: 'cmd'; words: string[] }
  | { t: 'and' | 'or'; left: Node; right: Node }
  | { t: 'pipe'; items: Node[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'while' | 'until'; cond: Node; body: Node }
  | { t: 'for'; name: string; items: string[]; body: Node }
  | { t: 'if'; cond: Node; then: Node; else?: Node };

/** Splits on unquoted separators, keeping quotes for later expansion. */
function tokenize(src: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '\\' && i + 1 < src.length) {
      // A backslash keeps the next character as it is (expand() drops the backslash).
      cur += c + src[++i]!;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      cur += c;
      continue;
    }
    if (c === '$' && src[i + 1] === '(') depth++;
    if (c === ')' && depth > 0) {
      depth--;
      cur += c;
      continue;
    }
    if (depth > 0) {
      cur += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (cur) tokens.push(cur);
      cur = '';
    } else if (c === ';' || c === '\n') {
      if (cur) tokens.push(cur);
      cur = '';
      tokens.push(';');
    } else if ((c === '&' || c === '|') && src[i + 1] === c) {
      if (cur) tokens.push(cur);
      cur = '';
      tokens.push(c + c);
      i++;
    } else if (c === '|') {
      if (cur) tokens.push(cur);
      cur = '';
      tokens.push('|');
    } else {
      cur += c;
    }
  }
  if (cur) tokens.push(cur);
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: string[]) {}

  parse(): Node {
    return this.list([]);
  }

  private peek(): string | undefined {
    return this.toks[this.i];
  }

  private list(stop: string[]): Node {
    const items: Node[] = [];
    while (this.i < this.toks.length && !stop.includes(this.peek()!)) {
      if (this.peek() === ';') {
        this.i++;
        continue;
      }
      items.push(this.andOr(stop));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private andOr(stop: string[]): Node {
    let left = this.pipeline(stop);
    while (this.peek() === '&&' || this.peek() === '||') {
      const op = this.toks[this.i++] === '&&' ? 'and' : 'or';
      left = { t: op, left, right: this.pipeline(stop) };
    }
    return left;
  }

  private pipeline(stop: string[]): Node {
    const items = [this.command(stop)];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.command(stop));
    }
    return items.length === 1 ? items[0]! : { t: 'pipe', items };
  }

  private expect(word: string): void {
    while (this.peek() === ';') this.i++;
    if (this.toks[this.i] !== word) throw new Error(`syntax error: expected "${word}"`);
    this.i++;
  }

  private command(stop: string[]): Node {
    const w = this.peek();
    if (w === 'while' || w === 'until') {
      this.i++;
      const cond = this.list(['do']);
      this.expect('do');
      const body = this.list(['done']);
      this.expect('done');
      return { t: w, cond, body };
    }
    if (w === 'for') {
      this.i++;
      const name = this.toks[this.i++]!;
      const items: string[] = [];
      if (this.peek() === 'in') {
        this.i++;
        while (this.peek() !== ';' && this.peek() !== 'do' && this.i < this.toks.length) items.push(this.toks[this.i++]!);
      }
      this.expect('do');
      const body = this.list(['done']);
      this.expect('done');
      return { t: 'for', name, items, body };
    }
    if (w === 'if') {
      this.i++;
      const cond = this.list(['then']);
      this.expect('then');
      const then = this.list(['else', 'fi']);
      let otherwise: Node | undefined;
      if (this.peek() === 'else') {
        this.i++;
        otherwise = this.list(['fi']);
      }
      this.expect('fi');
      return { t: 'if', cond, then, ...(otherwise ? { else: otherwise } : {}) };
    }
    const words: string[] = [];
    while (this.i < this.toks.length && ![';', '&&', '||', '|', ...stop].includes(this.peek()!)) words.push(this.toks[this.i++]!);
    return { t: 'cmd', words };
  }
}

export class MiniShell {
  private status = 0;
  private readonly vars: Record<string, string>;
  private cwd: string;
  /** Where output goes: raw text, newlines included (redirects swap these). */
  private out: (text: string) => void;
  private err: (text: string) => void;
  /** What the running command reads on stdin (the previous stage's output in a pipeline). */
  private input: string | undefined;

  constructor(private readonly host: ScriptHost) {
    this.vars = { ...host.env };
    this.cwd = host.cwd ?? '/';
    this.out = host.stdout;
    this.input = host.stdin;
    this.err = (text) => host.stderr(text);
  }

  private path(p: string): string {
    return normalizePath(p, this.cwd);
  }

  /** Runs `script`: yields each sleep in ms (Infinity for ever) and returns the exit status. */
  *run(script: string): Generator<number, number, void> {
    let tree: Node;
    try {
      tree = new Parser(tokenize(script)).parse();
    } catch (err) {
      this.err(`sh: ${(err as Error).message}\n`);
      return 2;
    }
    try {
      yield* this.exec(tree);
    } catch (err) {
      if (err instanceof ExitSignal) return err.code;
      throw err;
    }
    return this.status;
  }

  private *exec(n: Node): Generator<number, number, void> {
    switch (n.t) {
      case 'seq':
        for (const item of n.items) yield* this.exec(item);
        return this.status;
      case 'and':
        if ((yield* this.exec(n.left)) === 0) yield* this.exec(n.right);
        return this.status;
      case 'or':
        if ((yield* this.exec(n.left)) !== 0) yield* this.exec(n.right);
        return this.status;
      case 'while':
      case 'until':
        for (let guard = 0; guard < 1_000_000; guard++) {
          const ok = (yield* this.exec(n.cond)) === 0;
          if (ok !== (n.t === 'while')) break;
          yield* this.exec(n.body);
          // A loop that never sleeps would spin forever; yield a little virtual time.
          if (guard % 1000 === 999) yield 1;
        }
        return this.status;
      case 'for':
        for (const item of n.items.flatMap((w) => this.expand(w).split(/\s+/).filter(Boolean))) {
          this.vars[n.name] = item;
          yield* this.exec(n.body);
        }
        return this.status;
      case 'if':
        if ((yield* this.exec(n.cond)) === 0) yield* this.exec(n.then);
        else if (n.else) yield* this.exec(n.else);
        return this.status;
      case 'cmd':
        this.status = yield* this.command(n.words);
        return this.status;
      case 'pipe': {
        // Stages run one after another, each reading what the one before wrote.
        const [out, input] = [this.out, this.input];
        try {
          for (let k = 0; k < n.items.length; k++) {
            let buffer = '';
            if (k < n.items.length - 1) this.out = (t) => (buffer += t);
            else this.out = out;
            yield* this.exec(n.items[k]!);
            this.input = buffer;
          }
        } finally {
          [this.out, this.input] = [out, input];
        }
        return this.status;
      }
    }
  }

  private expand(word: string): string {
    let out = '';
    let i = 0;
    let quote: string | null = null;
    while (i < word.length) {
      const c = word[i]!;
      if (quote === "'") {
        if (c === "'") quote = null;
        else out += c;
        i++;
        continue;
      }
      if (c === '\\' && i + 1 < word.length && (!quote || '"\\$`'.includes(word[i + 1]!))) {
        out += word[i + 1];
        i += 2;
        continue;
      }
      if (c === "'" && !quote) {
        quote = "'";
        i++;
        continue;
      }
      if (c === '"') {
        quote = quote === '"' ? null : '"';
        i++;
        continue;
      }
      if (c === '$' && word.startsWith('$((', i)) {
        const end = word.indexOf('))', i);
        out += String(this.arith(word.slice(i + 3, end)));
        i = end + 2;
        continue;
      }
      if (c === '$' && word[i + 1] === '(') {
        const end = word.indexOf(')', i);
        const cmd = word.slice(i + 2, end).trim();
        out += cmd === 'date' ? this.date() : cmd === 'hostname' ? this.host.hostname : '';
        i = end + 1;
        continue;
      }
      if (c === '$') {
        const m = /^\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|\?)/.exec(word.slice(i));
        if (m) {
          const name = m[2] ?? m[3];
          out += name ? (this.vars[name] ?? '') : String(this.status);
          i += m[0].length;
          continue;
        }
      }
      out += c;
      i++;
    }
    return out;
  }

  private arith(expr: string): number {
    const replaced = expr.replace(/\$?([A-Za-z_][A-Za-z0-9_]*)/g, (_, v: string) => String(Number(this.vars[v] ?? 0)));
    if (!/^[\d\s+\-*/%()]+$/.test(replaced)) return 0;
    // Integer arithmetic as the shell does it.
    const tokens = replaced.match(/\d+|[+\-*/%()]/g) ?? [];
    let pos = 0;
    const factor = (): number => {
      const t = tokens[pos++];
      if (t === '(') {
        const v = sum();
        pos++;
        return v;
      }
      if (t === '-') return -factor();
      return Number(t);
    };
    const product = (): number => {
      let v = factor();
      while (tokens[pos] === '*' || tokens[pos] === '/' || tokens[pos] === '%') {
        const op = tokens[pos++];
        const r = factor();
        v = op === '*' ? v * r : op === '/' ? Math.trunc(v / r) : v % r;
      }
      return v;
    };
    const sum = (): number => {
      let v = product();
      while (tokens[pos] === '+' || tokens[pos] === '-') v = tokens[pos++] === '+' ? v + product() : v - product();
      return v;
    };
    return sum();
  }

  /** printf with %s, %d and the usual escapes; the format is reused while arguments remain. */
  private printf(args: string[]): string {
    const [format = '', ...rest] = args;
    let out = '';
    let i = 0;
    do {
      out += format.replace(/%([sd%])|\\([nt\\])/g, (_m, conv: string | undefined, esc: string | undefined) => {
        if (esc) return esc === 'n' ? '\n' : esc === 't' ? '\t' : '\\';
        if (conv === '%') return '%';
        const v = rest[i++] ?? '';
        return conv === 'd' ? String(Number.parseInt(v, 10) || 0) : v;
      });
    } while (i < rest.length && /%[sd]/.test(format));
    return out;
  }

  private date(): string {
    const d = new Date(this.host.now());
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
  }

  /** Runs one simple command with its redirects applied around it. */
  private *command(all: string[]): Generator<number, number, void> {
    const raw: string[] = [];
    const redirects: { fd: 1 | 2; target: string; append: boolean }[] = [];
    for (let i = 0; i < all.length; i++) {
      const m = /^([12]?)(>>?)(&[12])?(.*)$/.exec(all[i]!);
      if (!m || /^['"]/.test(all[i]!)) {
        raw.push(all[i]!);
        continue;
      }
      const fd = m[1] === '2' ? 2 : 1;
      if (m[3]) {
        redirects.push({ fd, target: m[3], append: true });
        continue;
      }
      const target = m[4] || all[++i];
      if (target === undefined) {
        this.err(`sh: syntax error: unexpected newline\n`);
        return 2;
      }
      redirects.push({ fd, target: this.expand(target), append: m[2] === '>>' });
    }
    const saved = [this.out, this.err] as const;
    try {
      for (const r of redirects) {
        if (r.target === '&1' || r.target === '&2') {
          const to = r.target === '&1' ? this.out : this.err;
          if (r.fd === 1) this.out = to;
          else this.err = to;
          continue;
        }
        if (r.target === '/dev/null') {
          if (r.fd === 1) this.out = () => {};
          else this.err = () => {};
          continue;
        }
        const path = this.path(r.target);
        try {
          this.host.fs.write(path, '', r.append);
        } catch (e) {
          const why = e instanceof FsFailure && e.code === 'ENOENT' ? 'nonexistent directory' : errno(e);
          saved[1](`sh: can't create ${r.target}: ${why}\n`);
          return 1;
        }
        const sink = (text: string) => this.host.fs.write(path, text, true);
        if (r.fd === 1) this.out = sink;
        else this.err = sink;
      }
      return yield* this.simple(raw);
    } finally {
      [this.out, this.err] = saved;
    }
  }

  private *simple(raw: string[]): Generator<number, number, void> {
    const assign = raw.length === 1 ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw[0]!) : null;
    if (assign) {
      this.vars[assign[1]!] = this.expand(assign[2]!);
      return 0;
    }
    const words = raw.map((w) => this.expand(w));
    const [cmd, ...args] = words;
    switch (cmd) {
      case undefined:
        return 0;
      case 'echo': {
        const noNewline = args[0] === '-n';
        this.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
        return 0;
      }
      case 'printf':
        this.out(this.printf(args));
        return 0;
      case 'sleep': {
        const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(args[0] ?? '');
        if (args[0] === 'infinity') {
          yield Infinity;
          return 0;
        }
        if (!m) {
          this.err(`sleep: invalid number '${args[0] ?? ''}'\n`);
          return 1;
        }
        const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
        yield Number(m[1]) * mult * 1000;
        return 0;
      }
      case 'date':
        this.out(`${this.date()}\n`);
        return 0;
      case 'hostname':
        this.out(`${this.host.hostname}\n`);
        return 0;
      case 'env':
      case 'printenv':
        for (const [k, v] of Object.entries(this.vars).sort(([a], [b]) => (a < b ? -1 : 1))) if (!args.length || args.includes(k)) this.out(args.length ? `${v}\n` : `${k}=${v}\n`);
        return 0;
      case 'pwd':
        this.out(`${this.cwd}\n`);
        return 0;
      case 'cd': {
        const target = this.path(args[0] ?? this.vars.HOME ?? '/');
        const e = this.host.fs.stat(target);
        if (!e || e.kind !== 'dir') {
          this.err(`sh: cd: can't cd to ${args[0]}: ${e ? 'Not a directory' : 'No such file or directory'}\n`);
          return 2;
        }
        this.cwd = target;
        return 0;
      }
      case 'cat': {
        let status = 0;
        if (args.length === 0) this.out(this.input ?? '');
        for (const path of args) {
          if (path === '-') {
            this.out(this.input ?? '');
            continue;
          }
          try {
            const content = this.host.fs.read(this.path(path));
            this.out(content);
          } catch (e) {
            status = 1;
            if (e instanceof FsFailure && e.code === 'EISDIR') this.err('cat: read error: Is a directory\n');
            else this.err(`cat: can't open '${path}': ${errno(e)}\n`);
          }
        }
        return status;
      }
      case 'touch': {
        let status = 0;
        for (const path of args.filter((a) => !a.startsWith('-'))) {
          try {
            if (!this.host.fs.stat(this.path(path))) this.host.fs.write(this.path(path), '');
          } catch (e) {
            this.err(`touch: ${path}: ${errno(e)}\n`);
            status = 1;
          }
        }
        return status;
      }
      case 'rm': {
        const flags = args.filter((a) => a.startsWith('-')).join('');
        const force = flags.includes('f');
        const recursive = /[rR]/.test(flags);
        let status = 0;
        for (const path of args.filter((a) => !a.startsWith('-'))) {
          const p = this.path(path);
          const e = this.host.fs.lstat(p);
          if (!e) {
            if (!force) {
              this.err(`rm: can't remove '${path}': No such file or directory\n`);
              status = 1;
            }
            continue;
          }
          if (e.kind === 'dir' && !recursive) {
            this.err(`rm: '${path}' is a directory\n`);
            status = 1;
            continue;
          }
          try {
            this.host.fs.remove(p, recursive);
          } catch (err) {
            this.err(`rm: can't remove '${path}': ${errno(err)}\n`);
            status = 1;
          }
        }
        return status;
      }
      case 'mkdir': {
        const parents = args.some((a) => /^-[a-z]*p/.test(a));
        let status = 0;
        for (const path of args.filter((a) => !a.startsWith('-'))) {
          try {
            this.host.fs.mkdir(this.path(path), parents);
          } catch (e) {
            this.err(`mkdir: can't create directory '${path}': ${errno(e)}\n`);
            status = 1;
          }
        }
        return status;
      }
      case 'ls':
        return this.ls(args);
      case 'tail':
        return this.tail(args);
      case 'tar':
        return runTar(args, { fs: this.host.fs, cwd: this.cwd, now: () => this.host.now(), ...(this.input !== undefined ? { stdin: this.input } : {}), out: (t) => this.out(t), err: (t) => this.err(t) });
      case 'ps': {
        const procs = this.host.processes?.() ?? [];
        this.out('PID   USER     TIME  COMMAND\n');
        const self = (procs.at(-1)?.pid ?? 1) + 6;
        for (const p of [...procs, { pid: self, args: ['ps', ...args].join(' ') }]) this.out(`${String(p.pid).padStart(5)} root      0:00 ${p.args}\n`);
        return 0;
      }
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case '[':
      case 'test':
        return this.test(args.filter((a) => a !== ']'));
      case 'exit':
        throw new ExitSignal(Number(args[0] ?? this.status) & 255);
      default: {
        const tool = this.host.tools?.(cmd);
        if (tool) {
          const io = { stdout: (t: string) => this.out(t), stderr: (t: string) => this.err(t), stdin: this.input ?? '', writeFile: (p: string, c: string) => this.host.fs.write(this.path(p), c) };
          return yield* tool(args, io);
        }
        this.err(`sh: ${cmd}: not found\n`);
        return 127;
      }
    }
  }

  /** busybox tail: the last -n N lines (10), or from -c +N bytes on, of files or stdin. */
  private tail(args: string[]): number {
    let lines = 10;
    let fromByte: number | undefined;
    let lastBytes: number | undefined;
    const files: string[] = [];
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      const m = /^-([nc])(.*)$/.exec(a);
      if (m) {
        const v = m[2] || args[++k] || '';
        if (m[1] === 'n') lines = Math.abs(parseInt(v, 10));
        else if (v.startsWith('+')) fromByte = parseInt(v.slice(1), 10);
        else lastBytes = parseInt(v, 10);
      } else if (/^-\d+$/.test(a)) lines = parseInt(a.slice(1), 10);
      else files.push(a);
    }
    const emit = (text: string) => {
      if (fromByte !== undefined) this.out(text.slice(Math.max(0, fromByte - 1)));
      else if (lastBytes !== undefined) this.out(lastBytes ? text.slice(-lastBytes) : '');
      else {
        const all = text.split('\n');
        if (all[all.length - 1] === '') all.pop();
        const kept = lines ? all.slice(-lines) : [];
        this.out(kept.length ? `${kept.join('\n')}${text.endsWith('\n') || kept.length < all.length ? '\n' : ''}` : '');
      }
    };
    if (files.length === 0) {
      emit(this.input ?? '');
      return 0;
    }
    let status = 0;
    for (const f of files) {
      try {
        emit(this.host.fs.read(this.path(f)));
      } catch (e) {
        this.err(`tail: can't open '${f}': ${errno(e)}\n`);
        status = 1;
      }
    }
    return status;
  }

  /** busybox ls without a terminal: one name per line; -l long format, -a dot files, -d the directory itself. */
  private ls(args: string[]): number {
    const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('');
    const long = flags.includes('l');
    const all = flags.includes('a');
    const dirOnly = flags.includes('d');
    const paths = args.filter((a) => !a.startsWith('-') || a === '-');
    const fs = this.host.fs;
    const now = this.host.now();
    const print = (line: string) => this.out(`${line}\n`);
    const line = (name: string, e: Entry) =>
      long ? `${modeString(e)} ${String(e.kind === 'dir' ? 2 : 1).padStart(4)} root     root     ${String(entrySize(e)).padStart(9)} ${lsTime(e.mtime, now)} ${name}${e.kind === 'link' ? ` -> ${e.target}` : ''}` : name;
    let status = 0;
    const targets = paths.length ? paths : ['.'];
    const files: string[] = [];
    const dirs: string[] = [];
    for (const t of targets) {
      const e = fs.stat(this.path(t));
      if (!e) {
        this.err(`ls: ${t}: No such file or directory\n`);
        status = 1;
      } else if (e.kind === 'dir' && !dirOnly) dirs.push(t);
      else files.push(t);
    }
    for (const f of files) print(line(f, fs.lstat(this.path(f)) ?? fs.stat(this.path(f))!));
    dirs.forEach((d, i) => {
      if (targets.length > 1) {
        if (files.length || i > 0) print('');
        print(`${d}:`);
      }
      const base = this.path(d);
      const names = fs.list(base).filter((n) => all || !n.startsWith('.'));
      const entries = names.map((n) => [n, fs.lstat(`${base === '/' ? '' : base}/${n}`)!] as const);
      if (all) entries.unshift(['.', fs.stat(base)!], ['..', fs.stat(normalizePath('..', base))!]);
      if (long) print(`total ${entries.reduce((sum, [, e]) => sum + (e.kind === 'link' ? 0 : Math.ceil(entrySize(e) / 4096) * 4), 0)}`);
      for (const [n, e] of entries) print(line(n, e));
    });
    return status;
  }

  private test(args: string[]): number {
    if (args.length === 3) {
      const [a, op, b] = args as [string, string, string];
      const na = Number(a);
      const nb = Number(b);
      const r =
        op === '=' || op === '==' ? a === b : op === '!=' ? a !== b : op === '-lt' ? na < nb : op === '-le' ? na <= nb : op === '-gt' ? na > nb : op === '-ge' ? na >= nb : op === '-eq' ? na === nb : op === '-ne' ? na !== nb : false;
      return r ? 0 : 1;
    }
    if (args.length === 2 && args[0] === '-f') return this.host.fs.stat(this.path(args[1]!))?.kind === 'file' ? 0 : 1;
    if (args.length === 2 && args[0] === '-d') return this.host.fs.stat(this.path(args[1]!))?.kind === 'dir' ? 0 : 1;
    if (args.length === 2 && args[0] === '-e') return this.host.fs.stat(this.path(args[1]!)) ? 0 : 1;
    if (args.length === 2 && args[0] === '-s') {
      const e = this.host.fs.stat(this.path(args[1]!));
      return e?.kind === 'file' && e.content.length > 0 ? 0 : 1;
    }
    if (args.length === 2 && args[0] === '-z') return args[1] === '' ? 0 : 1;
    if (args.length === 2 && args[0] === '-n') return args[1] !== '' ? 0 : 1;
    return args.length === 1 && args[0] !== '' ? 0 : 1;
  }
}
