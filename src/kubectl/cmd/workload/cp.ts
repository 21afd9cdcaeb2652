/**
 * `kubectl cp`: files and directories to and from containers, as kubectl does it: a tar archive
 * written by kubectl and extracted by `tar -xmf - -C DIR` run in the container through exec, or
 * created there by `tar cf - PATH` and read back by kubectl into local files.
 */
import { isExecSession, utf8Advance, utf8Length, type StreamStatus } from '../../../sim';
import { CommandError, type KubectlContext, type KubectlFiles } from '../../context';
import { responseError } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { exitFor } from './session';
import { defaultContainer, waitSettled } from './stream-common';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface FileSpec {
  namespace: string;
  pod: string;
  file: string;
}

const FORMAT_ERROR = 'error: filespec must match the canonical format: [[namespace/]pod:]file/path';

function stripTrailingSlash(f: string): string {
  return f.length > 1 && f.endsWith('/') ? f.slice(0, -1) : f;
}

function extractFileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new CommandError(FORMAT_ERROR);
  if (i < 0) return { namespace: '', pod: '', file: stripTrailingSlash(arg) };
  const pieces = arg.slice(0, i).split('/');
  const file = stripTrailingSlash(arg.slice(i + 1).replace(/\\/g, '/'));
  if (pieces.length === 1) return { namespace: '', pod: pieces[0]!, file };
  if (pieces.length === 2) return { namespace: pieces[0]!, pod: pieces[1]!, file };
  throw new CommandError(FORMAT_ERROR);
}

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s || (rooted ? '/' : '.');
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  if (i < 0) return '.';
  return cleanPath(p.slice(0, i + 1));
}

function baseOf(p: string): string {
  const s = p.replace(/\/+$/, '');
  if (s === '') return p ? '/' : '.';
  return s.slice(s.lastIndexOf('/') + 1);
}

function joinPath(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== '');
  return nonEmpty.length ? cleanPath(nonEmpty.join('/')) : '';
}

function stripPathShortcuts(p: string): string {
  let s = p;
  while (s.startsWith('../')) s = s.slice(3);
  if (s === '.' || s === '..') s = '';
  return s.startsWith('/') ? s.slice(1) : s;
}

// ---- the archive, as Go's archive/tar writes and reads it -----------------------------------

const BLOCK = 512;



const pad = (n: number) => '\0'.repeat((BLOCK - (n % BLOCK)) % BLOCK);
const field = (v: string, w: number) => (v.length >= w ? v.slice(0, w) : v + '\0'.repeat(w - v.length));
const octal = (n: number, w: number) => `${Math.floor(n).toString(8).padStart(w - 1, '0')}\0`;

function tarHeader(name: string, type: string, mode: number, size: number, mtime: number): string {
  let h = field(name, 100) + octal(mode, 8) + octal(0, 8) + octal(0, 8) + octal(size, 12) + octal(mtime, 12) + '        ' + type + field('', 100) + 'ustar\x0000' + field('root', 32) + field('root', 32);
  h = field(h, BLOCK);
  let sum = 0;
  for (let i = 0; i < h.length; i++) sum += h.charCodeAt(i) & 0xff;
  return h.slice(0, 148) + `${sum.toString(8).padStart(6, '0')}\0 ` + h.slice(156);
}

function tarMember(name: string, type: string, mode: number, mtime: number, content = ''): string {
  let out = '';
  if (name.length > 100) {
    const rec = (k: string, v: string) => {
      let len = k.length + utf8Length(v) + 3;
      len += String(len).length;
      if (String(len).length !== String(len - String(len).length).length) len++;
      return `${len} ${k}=${v}\n`;
    };
    const pax = rec('path', name);
    out += tarHeader('PaxHeaders.0/' + name.slice(0, 80), 'x', 0o644, utf8Length(pax), mtime) + pax + pad(utf8Length(pax));
  }
  const size = utf8Length(content);
  return out + tarHeader(name.slice(0, 100), type, mode, size, mtime) + content + pad(size);
}

interface TarEntry {
  name: string;
  type: string;
  linkname: string;
  content: string;
}

function cstr(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** Reads the members of an archive; an error for a malformed one. */
function readTar(text: string): TarEntry[] {
  const out: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  while (pos + BLOCK <= text.length) {
    const h = text.slice(pos, pos + BLOCK);
    pos += BLOCK;
    if (/^\0*$/.test(h)) break;
    const type = h[156] === '\0' ? '0' : h[156]!;
    const size = parseInt(cstr(h.slice(124, 136)).trim() || '0', 8);
    if (Number.isNaN(size)) throw new CommandError('error: archive/tar: invalid tar header');
    const end = utf8Advance(text, pos, size);
    const content = text.slice(pos, end);
    pos = end + (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L') {
      longName = cstr(content);
      continue;
    }
    if (type === 'K') {
      longLink = cstr(content);
      continue;
    }
    if (type === 'x' || type === 'g') {
      for (const r of content.split('\n')) {
        const m = /^\d+ ([^=]+)=(.*)$/s.exec(r);
        if (type === 'x' && m?.[1] === 'path') longName = m[2];
        if (type === 'x' && m?.[1] === 'linkpath') longLink = m[2];
      }
      continue;
    }
    let name = cstr(h.slice(0, 100));
    const prefix = h.slice(257, 263) === 'ustar\0' ? cstr(h.slice(345, 500)) : '';
    if (prefix) name = `${prefix}/${name}`;
    out.push({ name: longName ?? name, type, linkname: longLink ?? cstr(h.slice(157, 257)), content });
    longName = longLink = undefined;
  }
  return out;
}

// ---- exec ----------------------------------------------------------------------------------

interface ExecIO {
  stdin?: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs `command` in the pod as kubectl's exec options do (the pod read first); its Status. */
async function execute(ctx: KubectlContext, o: { namespace: string; pod: string; container: string }, command: string[], io: ExecIO): Promise<StreamStatus | 130> {
  const res = await ctx.client.request({ method: 'GET', path: `/api/v1/namespaces/${o.namespace}/pods/${o.pod}` });
  if (res.status >= 400) throw new CommandError(responseError(res));
  const pod = res.body as Obj;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CommandError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = o.container || defaultContainer({ ...ctx, stderr: io.stderr }, pod);
  const opened = await ctx.client.exec({ namespace: o.namespace, pod: o.pod, container, command, stdin: io.stdin !== undefined, stdout: true, stderr: true, tty: false }, { stdout: io.stdout, stderr: io.stderr });
  if (!isExecSession(opened)) throw new CommandError(responseError(opened));
  let status: StreamStatus | undefined;
  void opened.done.then((s) => (status = s));
  if (io.stdin !== undefined) {
    if (io.stdin) opened.write(io.stdin);
    opened.closeStdin();
  }
  const r = await waitSettled(ctx, () => status !== undefined, Infinity);
  if (r === 'interrupted') {
    opened.close();
    return 130;
  }
  if (!status) {
    opened.close();
    status = await opened.done;
  }
  return status;
}

/** The error kubectl ends with for a failed exec (none for success). */
function finish(ctx: KubectlContext, status: StreamStatus | 130): number {
  if (status !== 130 && status.status === 'Success') return 0;
  if (status !== 130 && status.reason === 'NonZeroExitCode') {
    const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
    throw new CommandError(`command terminated with exit code ${code}`, code);
  }
  return exitFor(ctx, status);
}

// ---- the two directions --------------------------------------------------------------------

function localTar(ctx: KubectlContext, src: string, dest: string): string {
  const srcPath = cleanPath(src);
  const destPath = cleanPath(dest);
  const mtime = Math.floor((ctx.clock?.now() ?? Date.now()) / 1000);
  let archive = '';
  const walk = (local: string, name: string) => {
    const kind = files(ctx).stat(local);
    if (kind === 'dir') {
      const names = files(ctx).list(local);
      if (names.length === 0) archive += tarMember(name, '5', 0o755, mtime);
      for (const n of names) walk(joinPath(local, n), `${name}/${n}`);
      return;
    }
    if (kind === 'file') archive += tarMember(name, '0', 0o644, mtime, files(ctx).read(local));
  };
  walk(srcPath, baseOf(destPath));
  return archive + '\0'.repeat(2 * BLOCK);
}

async function copyToPod(ctx: KubectlContext, o: Options, src: FileSpec, dest: FileSpec): Promise<number> {
  if (!files(ctx).stat(src.file)) throw new CommandError(`error: ${src.file} doesn't exist in local filesystem`);
  const target = { namespace: dest.namespace || ctx.namespace, pod: dest.pod, container: o.container };
  let destFile = dest.file;
  const discard = { stdout: () => {}, stderr: () => {} };
  try {
    const isDir = await execute(ctx, target, ['test', '-d', dest.file], discard);
    if (isDir !== 130 && isDir.status === 'Success') destFile = joinPath(destFile, baseOf(cleanPath(src.file)));
  } catch {
    // Any failure but a timeout leaves the destination as given.
  }
  const archive = localTar(ctx, src.file, destFile);
  const command = o.noPreserve ? ['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-'] : ['tar', '-xmf', '-'];
  const destDir = dirOf(destFile);
  if (destDir) command.push('-C', destDir);
  const status = await execute(ctx, target, command, { stdin: archive, stdout: (t) => ctx.stdout(t), stderr: (t) => ctx.stderr(t) });
  return finish(ctx, status);
}

function files(ctx: KubectlContext): KubectlFiles {
  if (!ctx.files) throw new CommandError('error: no local files to copy to or from');
  return ctx.files;
}

function quoteGo(s: string): string {
  return JSON.stringify(s);
}

async function copyFromPod(ctx: KubectlContext, o: Options, src: FileSpec, dest: FileSpec): Promise<number> {
  const namespace = src.namespace || ctx.namespace;
  const target = { namespace, pod: src.pod, container: o.container };
  const prefix = stripPathShortcuts(cleanPath(src.file.replace(/^[/\\]+/, '')));
  let archive = '';
  const command = o.maxTries !== 0 ? ['sh', '-c', `tar cf - '${src.file.replace(/'/g, `'\\''`)}' | tail -c+1`] : ['tar', 'cf', '-', src.file];
  // The remote tar's errors go to kubectl's standard output.
  const status = await execute(ctx, target, command, { stdout: (t) => (archive += t), stderr: (t) => ctx.stdout(t) });
  const failed = status === 130 || status.status !== 'Success';
  if (failed && !archive) return finish(ctx, status);
  let warned = false;
  for (const h of readTar(archive)) {
    if (!h.name.startsWith(prefix)) throw new CommandError('error: tar contents corrupted');
    const destFile = joinPath(dest.file, h.name.slice(prefix.length).replace(/\\/g, '/'));
    const rel = relative(cleanPath(dest.file), destFile);
    if (rel !== '.' && rel !== stripPathShortcuts(rel)) {
      ctx.stderr(`warning: file ${quoteGo(destFile)} is outside target destination, skipping\n`);
      continue;
    }
    if (h.type === '5') continue;
    if (h.type === '2') {
      if (!warned) {
        ctx.stderr(`warning: skipping symlink: ${quoteGo(destFile)} -> ${quoteGo(h.linkname)} (consider using "kubectl exec -n ${quoteGo(namespace)} ${quoteGo(src.pod)} -- tar cf - ${quoteGo(src.file)} | tar xf -")\n`);
        warned = true;
        continue;
      }
      ctx.stderr(`warning: skipping symlink: ${quoteGo(destFile)} -> ${quoteGo(h.linkname)}\n`);
      continue;
    }
    files(ctx).write(destFile, h.content);
  }
  return failed ? finish(ctx, status) : 0;
}

function relative(base: string, target: string): string {
  if (base === target) return '.';
  if (base === '.') return target.startsWith('/') ? target : target;
  if (target.startsWith(`${base}/`)) return target.slice(base.length + 1);
  const b = base.split('/');
  const t = target.split('/');
  let i = 0;
  while (i < b.length && i < t.length && b[i] === t[i]) i++;
  return [...b.slice(i).map(() => '..'), ...t.slice(i)].join('/');
}

interface Options {
  container: string;
  noPreserve: boolean;
  maxTries: number;
}

async function run(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const f = args.flags;
  const o: Options = { container: f.get('container') as string, noPreserve: f.get('no-preserve') as boolean, maxTries: f.get('retries') as number };
  if (args.positional.length !== 2) throw new CommandError('error: source and destination are required');
  const src = extractFileSpec(args.positional[0]!);
  const dest = extractFileSpec(args.positional[1]!);
  if (src.pod && dest.pod) throw new CommandError('error: one of src or dest must be a local file specification');
  if (!src.file || !dest.file) throw new CommandError('error: filepath can not be empty');
  if (src.pod) return copyFromPod(ctx, o, src, dest);
  if (dest.pod) return copyToPod(ctx, o, src, dest);
  throw new CommandError('error: one of src or dest must be a remote file specification');
}

export const cpCommand: Command = {
  name: 'cp',
  short: 'Copy files and directories to and from containers',
  long: 'Copy files or directories between your computer and a container. A path in a container is written [NAMESPACE/]POD:PATH.',
  use: 'cp <file-spec-src> <file-spec-dest>',
  example: `  # The container must have a 'tar' program: kubectl cp runs it there through exec.
  # Use 'kubectl exec' directly for anything more (symlinks, wildcards, keeping file modes).
  
  # Copy local directory /tmp/foo_dir into /tmp/bar_dir of a pod in the current namespace
  kubectl cp /tmp/foo_dir <some-pod>:/tmp/bar_dir
  
  # Copy local file /tmp/foo into /tmp/bar of container <specific-container> of a pod
  kubectl cp /tmp/foo <some-pod>:/tmp/bar -c <specific-container>
  
  # Copy local file /tmp/foo into /tmp/bar of a pod in namespace <some-namespace>
  kubectl cp /tmp/foo <some-namespace>/<some-pod>:/tmp/bar
  
  # Copy /tmp/foo of a pod to local file /tmp/bar
  kubectl cp <some-namespace>/<some-pod>:/tmp/foo /tmp/bar`,
  flags: [
    { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'no-preserve', type: 'bool', default: false, usage: "The copied file/directory's ownership and permissions will not be preserved in the container" },
    { name: 'retries', type: 'int', default: 0, usage: 'Set number of retries to complete a copy operation from a container. Specify 0 to disable or any negative value for infinite retrying. The default is 0 (no retry).' },
  ],
  run,
};
