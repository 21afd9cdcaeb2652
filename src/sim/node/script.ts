/**
 * A tiny POSIX-ish shell for what course containers run with `sh -c` (busybox, alpine, ubuntu):
 * echo, printf, sleep, date, hostname, env, cat of a few files, exit, true/false, `;` `&&` `||`,
 * while/until/for loops, variables, $(( )) arithmetic and `i=$((i+1))`. It is a generator that
 * yields how long it sleeps, so the caller drives it on the virtual clock synchronously.
 */

export interface ScriptHost {
  env: Record<string, string>;
  now(): number;
  hostname: string;
  stdout(line: string): void;
  stderr(line: string): void;
  readFile(path: string): string | undefined;
  /** The container's writable layer (touch, rm); absent for read-only hosts. */
  writeFile?(path: string, content: string): void;
  removeFile?(path: string): boolean;
}

class ExitSignal {
  constructor(readonly code: number) {}
}

type Node =
  | { t: 'cmd'; words: string[] }
  | { t: 'and' | 'or'; left: Node; right: Node }
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
    let left = this.command(stop);
    while (this.peek() === '&&' || this.peek() === '||') {
      const op = this.toks[this.i++] === '&&' ? 'and' : 'or';
      left = { t: op, left, right: this.command(stop) };
    }
    return left;
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
    while (this.i < this.toks.length && ![';', '&&', '||', ...stop].includes(this.peek()!)) words.push(this.toks[this.i++]!);
    return { t: 'cmd', words };
  }
}

export class MiniShell {
  private status = 0;
  private readonly vars: Record<string, string>;

  constructor(private readonly host: ScriptHost) {
    this.vars = { ...host.env };
  }

  /** Runs `script`: yields each sleep in ms (Infinity for ever) and returns the exit status. */
  *run(script: string): Generator<number, number, void> {
    let tree: Node;
    try {
      tree = new Parser(tokenize(script)).parse();
    } catch (err) {
      this.host.stderr(`sh: ${(err as Error).message}`);
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

  private date(): string {
    const d = new Date(this.host.now());
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
  }

  private *command(raw: string[]): Generator<number, number, void> {
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
        this.host.stdout((noNewline ? args.slice(1) : args).join(' '));
        return 0;
      }
      case 'printf':
        this.host.stdout((args[0] ?? '').replace(/\\n$/, '').replace(/%s/g, () => args[1] ?? ''));
        return 0;
      case 'sleep': {
        const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(args[0] ?? '');
        if (args[0] === 'infinity') {
          yield Infinity;
          return 0;
        }
        if (!m) {
          this.host.stderr(`sleep: invalid number '${args[0] ?? ''}'`);
          return 1;
        }
        const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
        yield Number(m[1]) * mult * 1000;
        return 0;
      }
      case 'date':
        this.host.stdout(this.date());
        return 0;
      case 'hostname':
        this.host.stdout(this.host.hostname);
        return 0;
      case 'env':
      case 'printenv':
        for (const [k, v] of Object.entries(this.vars).sort(([a], [b]) => (a < b ? -1 : 1))) if (!args.length || args.includes(k)) this.host.stdout(args.length ? v : `${k}=${v}`);
        return 0;
      case 'cat': {
        let status = 0;
        for (const path of args) {
          const content = this.host.readFile(path);
          if (content === undefined) {
            this.host.stderr(`cat: can't open '${path}': No such file or directory`);
            status = 1;
          } else {
            for (const line of content.replace(/\n$/, '').split('\n')) this.host.stdout(line);
          }
        }
        return status;
      }
      case 'touch':
        for (const path of args) if (this.host.readFile(path) === undefined) this.host.writeFile?.(path, '');
        return 0;
      case 'rm': {
        const force = args.some((a) => /^-[a-z]*f/.test(a));
        let status = 0;
        for (const path of args.filter((a) => !a.startsWith('-'))) {
          if (!this.host.removeFile?.(path) && !force) {
            this.host.stderr(`rm: can't remove '${path}': No such file or directory`);
            status = 1;
          }
        }
        return status;
      }
      case 'mkdir':
        return 0;
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
      default:
        this.host.stderr(`sh: ${cmd}: not found`);
        return 127;
    }
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
    if (args.length === 2 && args[0] === '-f') return this.host.readFile(args[1]!) !== undefined ? 0 : 1;
    if (args.length === 2 && args[0] === '-z') return args[1] === '' ? 0 : 1;
    if (args.length === 2 && args[0] === '-n') return args[1] !== '' ? 0 : 1;
    return args.length === 1 && args[0] !== '' ? 0 : 1;
  }
}
