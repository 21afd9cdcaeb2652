/**
 * Commands the simulated controlplane host provides. Each behaves as its GNU/bash
 * counterpart for the options a course uses, with the same messages.
 */
import { CommandError, FileAccessError, runKubectl, type KubectlFiles } from '../kubectl';
import { FsError, VirtualFs } from './fs';
import { InterruptedError, type Interrupt } from './interrupt';
import { ExitRequest, type ShellState, type ShellTerminal } from './state';

export interface CommandIO {
  stdin: string;
  stdout(text: string): void;
  stderr(text: string): void;
  signal?: Interrupt;
  /** The terminal, when this command's stdin is the interactive terminal. */
  terminal?: ShellTerminal;
}

export type Builtin = (args: string[], io: CommandIO, shell: ShellState) => Promise<number>;

const echo: Builtin = async (args, io) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const c of args[i]!.slice(1)) {
      if (c === 'n') newline = false;
      else if (c === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes) text = text.replace(/\\([ntr\\])/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]!);
  io.stdout(newline ? `${text}\n` : text);
  return 0;
};

const cat: Builtin = async (args, io, shell) => {
  const paths = args.filter((a) => a !== '--');
  if (paths.length === 0) {
    io.stdout(io.stdin);
    return 0;
  }
  let status = 0;
  for (const p of paths) {
    if (p === '-') {
      io.stdout(io.stdin);
      continue;
    }
    try {
      io.stdout(shell.fs.read(VirtualFs.resolve(shell.cwd, p)));
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      io.stderr(`cat: ${p}: ${err.reason}\n`);
      status = 1;
    }
  }
  return status;
};

const ls: Builtin = async (args, io, shell) => {
  const all = args.some((a) => /^-[a-zA-Z]*a/.test(a));
  const targets = args.filter((a) => !a.startsWith('-'));
  let status = 0;
  const show = targets.length ? targets : ['.'];
  for (const t of show) {
    try {
      const names = shell.fs.list(VirtualFs.resolve(shell.cwd, t)).filter((n) => all || !n.startsWith('.'));
      if (show.length > 1) io.stdout(`${t}:\n`);
      if (names.length) io.stdout(`${names.join('  ')}\n`);
    } catch (err) {
      if (!(err instanceof FsError)) throw err;
      io.stderr(`ls: cannot access '${t}': No such file or directory\n`);
      status = 2;
    }
  }
  return status;
};

const cd: Builtin = async (args, io, shell) => {
  const target = args[0] ?? shell.env.get('HOME') ?? '/root';
  const path = VirtualFs.resolve(shell.cwd, target);
  if (!shell.fs.isDir(path)) {
    io.stderr(`bash: cd: ${target}: ${shell.fs.isFile(path) ? 'Not a directory' : 'No such file or directory'}\n`);
    return 1;
  }
  shell.cwd = path;
  return 0;
};

/** GNU sleep: numbers with an optional s/m/h/d suffix, summed. */
const sleep: Builtin = async (args, io, shell) => {
  if (args.length === 0) {
    io.stderr("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      io.stderr(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
    total += Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  }
  try {
    await shell.services.sleep(Math.round(total * 1000), io.signal);
  } catch (err) {
    if (err instanceof InterruptedError) return 130;
    throw err;
  }
  return 0;
};

const exportCmd: Builtin = async (args, io, shell) => {
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      io.stderr(`bash: export: \`${a}': not a valid identifier\n`);
      return 1;
    }
    if (eq >= 0) shell.env.set(name, a.slice(eq + 1));
  }
  return 0;
};

const kubectl: Builtin = async (args, io, shell) => {
  return runKubectl(args, {
    client: shell.services.client,
    namespace: 'default',
    stdout: io.stdout,
    stderr: io.stderr,
    // Input from the terminal is read as keystrokes (ctx.terminal), not as piped text.
    ...(io.terminal ? {} : { stdin: io.stdin }),
    files: kubectlFiles(shell),
    env: shell.env,
    clock: { now: () => shell.services.now(), waitUntil: (done, timeoutMs, signal) => shell.services.waitUntil(done, timeoutMs, signal as Interrupt | undefined) },
    ...(io.signal ? { signal: io.signal } : {}),
    ...(io.terminal ? { terminal: io.terminal } : {}),
    ...(editorOf(shell) ? { edit: (path: string, text: string) => runEditor(shell, io, editorOf(shell)!, path, text) } : {}),
  });
};

function editorOf(shell: ShellState): string | undefined {
  return shell.env.get('KUBE_EDITOR') || shell.env.get('EDITOR') || undefined;
}

/**
 * kubectl edit's editor, as kubectl runs it: the command line in $KUBE_EDITOR (else $EDITOR)
 * with the file's path appended, run by the shell; the file as the editor left it.
 */
async function runEditor(shell: ShellState, io: CommandIO, editor: string, path: string, text: string): Promise<string> {
  const file = VirtualFs.resolve(shell.cwd, path);
  shell.fs.mkdirp(file.slice(0, file.lastIndexOf('/')) || '/');
  shell.fs.write(file, text);
  let errors = '';
  const status = await shell.run(`${editor} ${file}`, { stdout: io.stdout, stderr: (t) => (errors += t) }, io.signal);
  // A command the shell cannot find is one kubectl could not launch.
  if (status === 127) throw new CommandError(`error: unable to launch the editor "${editor}"`);
  io.stderr(errors);
  if (status !== 0) throw new CommandError(`error: there was a problem with the editor "${editor}"`);
  return shell.fs.read(file);
}

/** The shell's files as kubectl sees them: paths relative to the working directory. */
function kubectlFiles(shell: ShellState): KubectlFiles {
  const abs = (path: string) => VirtualFs.resolve(shell.cwd, path.replace(/^~(?=\/|$)/, shell.env.get('HOME') ?? '/root'));
  return {
    read(path) {
      const p = abs(path);
      if (shell.fs.isDir(p)) throw new FileAccessError(path, 'is a directory');
      if (!shell.fs.isFile(p)) throw new FileAccessError(path, 'not found');
      return shell.fs.read(p);
    },
    write(path, content) {
      const p = abs(path);
      shell.fs.mkdirp(p.slice(0, p.lastIndexOf('/')) || '/');
      shell.fs.write(p, content);
    },
    stat(path) {
      const p = abs(path);
      return shell.fs.isDir(p) ? 'dir' : shell.fs.isFile(p) ? 'file' : undefined;
    },
    list: (path) => shell.fs.list(abs(path)),
    resolve: abs,
  };
}

const history: Builtin = async (_args, io, shell) => {
  io.stdout(shell.history.map((h, i) => `${String(i + 1).padStart(5)}  ${h}\n`).join(''));
  return 0;
};

export const BUILTINS: Record<string, Builtin> = {
  echo,
  cat,
  ls,
  cd,
  pwd: async (_a, io, shell) => {
    io.stdout(`${shell.cwd}\n`);
    return 0;
  },
  sleep,
  export: exportCmd,
  true: async () => 0,
  false: async () => 1,
  exit: async (args, _io, shell) => {
    throw new ExitRequest(args[0] !== undefined ? Number.parseInt(args[0], 10) & 255 : shell.lastStatus);
  },
  clear: async (_a, io) => {
    io.stdout('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
  history,
  kubectl,
};
