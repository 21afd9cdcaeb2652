/**
 * The shell interpreter: expands words, wires pipes and redirects, and runs commands from the
 * builtin table. Everything happens inside the simulation; nothing runs on the host.
 */
import type { AndOr, Line, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast';
import { BUILTINS, type CommandIO } from './builtins';
import { FsError, VirtualFs } from './fs';
import { BadSubstitution, IncompleteInput, parse, ShellSyntaxError } from './parser';
import type { HostProgram, ShellServices } from './services';
import type { ShellState, ShellTerminal } from './state';
import { InterruptedError, type Interrupt } from './interrupt';


export interface OutputSink {
  stdout(text: string): void;
  stderr(text: string): void;
}

export class Shell implements ShellState {
  readonly fs: VirtualFs;
  readonly env = new Map<string, string>();
  cwd = '/root';
  lastStatus = 0;
  /** Lines the user ran, for `history` and for labs that check command use. */
  readonly history: string[] = [];
  /**
   * The interactive terminal while a command typed into it runs (set by TerminalSession); the
   * first command of a pipeline without an input redirect reads it (`kubectl exec -it`).
   */
  terminal: ShellTerminal | undefined;

  constructor(readonly services: ShellServices, fs?: VirtualFs) {
    this.fs = fs ?? new VirtualFs();
    for (const [k, v] of Object.entries({
      HOME: '/root',
      USER: 'root',
      SHELL: '/bin/bash',
      HOSTNAME: 'controlplane',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      TERM: 'xterm-256color',
      KUBECONFIG: '/root/.kube/config',
    }))
      this.env.set(k, v);
  }

  /** `~` when in the home directory, as bash's \w shows it. */
  displayCwd(): string {
    const home = this.env.get('HOME') ?? '/root';
    if (this.cwd === home) return '~';
    if (this.cwd.startsWith(`${home}/`)) return `~${this.cwd.slice(home.length)}`;
    return this.cwd;
  }

  prompt(): string {
    return `root@controlplane:${this.displayCwd()}# `;
  }

  /** Parses and runs `src`; returns the last status. Parse errors are reported like bash's. */
  async run(src: string, out: OutputSink, signal?: Interrupt): Promise<number> {
    let lines: Line[];
    try {
      lines = parse(src);
    } catch (err) {
      if (err instanceof ShellSyntaxError || err instanceof BadSubstitution || err instanceof IncompleteInput) {
        out.stderr(err instanceof IncompleteInput ? 'bash: syntax error: unexpected end of file\n' : `bash: ${err.message}\n`);
        // bash reports a bad substitution when it expands (status 1), other syntax errors with 2.
        this.lastStatus = err instanceof BadSubstitution ? 1 : 2;
        return this.lastStatus;
      }
      throw err;
    }
    for (const line of lines) await this.runLine(line, out, signal);
    return this.lastStatus;
  }

  async runLine(line: Line, out: OutputSink, signal?: Interrupt): Promise<number> {
    this.history.push(line.source);
    for (const andOr of line.list) {
      if (signal?.aborted) break;
      await this.runAndOr(andOr, out, signal);
    }
    return this.lastStatus;
  }

  private async runAndOr(andOr: AndOr, out: OutputSink, signal?: Interrupt): Promise<void> {
    this.lastStatus = await this.runPipeline(andOr.first, out, signal);
    for (const { op, pipeline } of andOr.rest) {
      if (signal?.aborted) return;
      if ((op === '&&') === (this.lastStatus === 0)) this.lastStatus = await this.runPipeline(pipeline, out, signal);
    }
  }

  private async runPipeline(p: Pipeline, out: OutputSink, signal?: Interrupt): Promise<number> {
    let stdin = '';
    let status = 0;
    for (let i = 0; i < p.commands.length; i++) {
      const last = i === p.commands.length - 1;
      let captured = '';
      const sink: OutputSink = last ? out : { stdout: (t) => (captured += t), stderr: out.stderr };
      status = await this.runSimple(p.commands[i]!, stdin, sink, signal, i === 0);
      stdin = captured;
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  private async runSimple(cmd: SimpleCommand, stdin: string, out: OutputSink, signal?: Interrupt, firstInPipeline = false): Promise<number> {
    let fromTerminal = firstInPipeline;
    let words: string[];
    try {
      words = (await Promise.all(cmd.words.map((w) => this.expandWord(w)))).flat();
    } catch (err) {
      if (err instanceof BadSubstitution) {
        out.stderr(`bash: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const assigns = cmd.assigns.map((a) => [a.name, this.expandString(a.value)] as const);
    if (words.length === 0) {
      for (const [k, v] of assigns) this.env.set(k, v);
    }

    // Redirects, applied left to right as bash does.
    const targets: { 1: OutputSink['stdout']; 2: OutputSink['stderr'] } = { 1: out.stdout, 2: out.stderr };
    const files: { path: string; text: string; append: boolean }[] = [];
    for (const r of cmd.redirects) {
      const result = this.applyRedirect(r, targets, files);
      if (typeof result === 'string') {
        if (r.op === '<' || r.op === '<<') {
          stdin = result;
          fromTerminal = false;
        }
      } else if (result === false) {
        return 1;
      }
    }
    const flush = () => {
      for (const f of files) this.fs.write(f.path, f.text, f.append);
    };
    if (words.length === 0) {
      flush();
      return 0;
    }

    const terminal = fromTerminal ? this.terminal : undefined;
    const io: CommandIO = { stdin, stdout: targets[1], stderr: targets[2], signal, ...(terminal ? { terminal } : {}) };
    const [name, ...args] = words as [string, ...string[]];
    const builtin = BUILTINS[name];
    let status: number;
    try {
      const program = builtin ? undefined : this.services.hostProgram?.(name);
      if (program) status = await this.runHostProgram(program, args, io);
      else if (!builtin) {
        io.stderr(`bash: ${name}: command not found\n`);
        status = 127;
      } else {
        const saved = assigns.map(([k]) => [k, this.env.get(k)] as const);
        for (const [k, v] of assigns) this.env.set(k, v);
        try {
          status = await builtin(args, io, this);
        } finally {
          for (const [k, v] of saved) (v === undefined ? this.env.delete(k) : this.env.set(k, v));
        }
      }
    } finally {
      flush();
    }
    return status;
  }

  /** Drives a host program on the virtual clock; Ctrl-C stops it with status 130, as bash reports. */
  private async runHostProgram(program: HostProgram, args: string[], io: CommandIO): Promise<number> {
    const steps = program(args, {
      stdout: io.stdout,
      stderr: io.stderr,
      stdin: io.stdin,
      writeFile: (path, content) => this.fs.write(VirtualFs.resolve(this.cwd, path), content),
    });
    try {
      for (let r = steps.next(); ; r = steps.next()) {
        if (r.done) return r.value;
        await this.services.sleep(r.value, io.signal);
      }
    } catch (err) {
      if (err instanceof InterruptedError) return 130;
      throw err;
    }
  }

  /** Returns stdin text for input redirects, true when done, false on error (already reported). */
  private applyRedirect(
    r: Redirect,
    targets: { 1: OutputSink['stdout']; 2: OutputSink['stderr'] },
    files: { path: string; text: string; append: boolean }[],
  ): string | boolean {
    if (r.op === '<<') return r.heredoc!.expand ? this.expandHeredoc(r.heredoc!.body) : r.heredoc!.body;
    const target = this.expandString(r.target);
    if (r.op === '>&') {
      if (target === '1' || target === '2') {
        targets[r.fd as 1 | 2] = targets[Number(target) as 1 | 2];
        return true;
      }
    }
    const path = VirtualFs.resolve(this.cwd, target);
    if (r.op === '<') {
      try {
        return this.fs.read(path);
      } catch (err) {
        if (err instanceof FsError) {
          targets[2](`bash: ${target}: ${err.reason}\n`);
          return false;
        }
        throw err;
      }
    }
    if (this.fs.isDir(path)) {
      targets[2](`bash: ${target}: Is a directory\n`);
      return false;
    }
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (path !== '/dev/null' && !this.fs.isDir(parent)) {
      targets[2](`bash: ${target}: No such file or directory\n`);
      return false;
    }
    const file = { path, text: '', append: r.op === '>>' };
    // Truncate now, as bash does before the command runs.
    if (r.op === '>') this.fs.write(path, '');
    file.append = true;
    files.push(file);
    const write = (t: string) => {
      file.text += t;
    };
    if (r.fd === 1 || r.fd === 2) targets[r.fd] = write;
    return true;
  }

  private param(name: string): string | undefined {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return '4242';
    if (name === '0') return 'bash';
    if (name === '#') return '0';
    return this.env.get(name);
  }

  private expandParam(p: Extract<WordPart, { t: 'param' }>): string {
    const value = this.param(p.name);
    const arg = () => this.expandString(p.arg ?? []);
    switch (p.op) {
      case ':-':
        return value ? value : arg();
      case '-':
        return value !== undefined ? value : arg();
      case ':=':
        if (!value) this.env.set(p.name, arg());
        return this.param(p.name) ?? '';
      case ':+':
        return value ? arg() : '';
      default:
        return value ?? '';
    }
  }

  /** Expands a word into fields: quotes keep text together, unquoted expansions split on blanks. */
  async expandWord(word: Word): Promise<string[]> {
    const fields: string[] = [];
    let current = '';
    let hasContent = false;
    word.forEach((part, index) => {
      if (part.t === 'lit') {
        let v = part.v;
        if (index === 0 && (v === '~' || v.startsWith('~/'))) v = (this.env.get('HOME') ?? '/root') + v.slice(1);
        current += v;
        hasContent = true;
      } else if (part.t === 'sq') {
        current += part.v;
        hasContent = true;
      } else if (part.t === 'dq') {
        current += this.expandString(part.parts);
        hasContent = true;
      } else {
        const value = this.expandParam(part);
        const pieces = value.split(/[ \t\n]+/);
        pieces.forEach((piece, i) => {
          if (i > 0) {
            if (hasContent || current) fields.push(current);
            current = '';
            hasContent = false;
          }
          if (piece) {
            current += piece;
            hasContent = true;
          }
        });
      }
    });
    if (hasContent || current) fields.push(current);
    return fields;
  }

  /** Expands a word into one string without field splitting (assignments, redirect targets, quotes). */
  expandString(parts: Word): string {
    return parts
      .map((p) => {
        if (p.t === 'lit' || p.t === 'sq') return p.v;
        if (p.t === 'dq') return this.expandString(p.parts);
        return this.expandParam(p);
      })
      .join('');
  }

  /** Heredoc bodies with an unquoted delimiter expand `$VAR` and `${…}` and honour `\$`. */
  private expandHeredoc(body: string): string {
    return body.replace(/\\([$`\\])|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*|[?$#0])/g, (m, esc, braced, plain) => {
      if (esc) return esc;
      if (plain) return this.param(plain) ?? '';
      const dm = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(braced);
      if (!dm) throw new BadSubstitution(m);
      const v = this.param(dm[1]!);
      return dm[2] !== undefined && !v ? dm[2] : (v ?? '');
    });
  }
}
