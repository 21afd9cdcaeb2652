/**
 * busybox `tar` for the container shell: `tar cf - PATH...` writes a real archive (GNU-style
 * ustar headers, 512-byte blocks, two zero blocks at the end) to stdout or a file, and
 * `tar xf - [-C DIR]` extracts one read from stdin or a file, as `kubectl cp` runs them.
 *
 * Streams are text: a header is ASCII, a file's content is its text, and sizes, padding and
 * checksums count the UTF-8 bytes the text is sent as, so the archive's bytes on the wire are
 * those a real tar reads and writes (for text files).
 */
import { utf8Advance, utf8Bytes, utf8Length } from '../bytes';
import { FsFailure, normalizePath, type Entry } from './fs';

/** The file operations tar needs (the shell's ShellFs). */
export interface TarFs {
  stat(path: string): Entry | undefined;
  lstat(path: string): Entry | undefined;
  read(path: string): string;
  write(path: string, content: string, append?: boolean): void;
  mkdir(path: string, parents?: boolean): void;
  list(path: string): string[];
}

export interface TarHost {
  fs: TarFs;
  cwd: string;
  now(): number;
  stdin?: string;
  out(text: string): void;
  err(text: string): void;
}

const BLOCK = 512;
const ZEROS = '\0'.repeat(BLOCK);


function field(value: string, width: number): string {
  return value.length >= width ? value.slice(0, width) : value + '\0'.repeat(width - value.length);
}

function octal(n: number, width: number): string {
  return `${Math.max(0, Math.floor(n)).toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, type: string, o: { mode: number; size: number; mtime: number; linkname?: string }): string {
  let h =
    field(name, 100) +
    octal(o.mode, 8) +
    octal(0, 8) +
    octal(0, 8) +
    octal(o.size, 12) +
    octal(o.mtime, 12) +
    '        ' +
    type +
    field(o.linkname ?? '', 100) +
    'ustar  \0' +
    field('root', 32) +
    field('root', 32) +
    field('', 8) +
    field('', 8);
  h = field(h, BLOCK);
  let sum = 0;
  for (const b of utf8Bytes(h)) sum += b;
  const chk = `${sum.toString(8).padStart(6, '0')}\0 `;
  return h.slice(0, 148) + chk + h.slice(156);
}

function padding(size: number): string {
  return '\0'.repeat((BLOCK - (size % BLOCK)) % BLOCK);
}

/** One member: a GNU long-name record first when the name does not fit. */
function member(name: string, type: string, o: { mode: number; mtime: number; linkname?: string }, content = ''): string {
  const size = utf8Length(content);
  let out = '';
  if (utf8Length(name) > 99) {
    const long = `${name}\0`;
    out += header('././@LongLink', 'L', { mode: 0, size: utf8Length(long), mtime: 0 }) + long + padding(utf8Length(long));
  }
  return out + header(name, type, { ...o, size }) + content + padding(size);
}

function errnoText(err: unknown): string {
  if (err instanceof FsFailure) return { ENOENT: 'No such file or directory', ENOTDIR: 'Not a directory', EISDIR: 'Is a directory', EEXIST: 'File exists', EROFS: 'Read-only file system', ENOTEMPTY: 'Directory not empty', EBUSY: 'Resource busy' }[err.code];
  throw err;
}

interface ParsedArgs {
  mode: 'c' | 'x' | 't' | '';
  file?: string;
  dir?: string;
  verbose: boolean;
  paths: string[];
  bad?: string;
}

function parseArgs(args: string[]): ParsedArgs {
  const o: ParsedArgs = { mode: '', verbose: false, paths: [] };
  const rest = [...args];
  // The first word is a bundle of letters even without a dash (`tar cf - x`).
  if (rest[0] && !rest[0].startsWith('-')) rest[0] = `-${rest[0]}`;
  while (rest.length) {
    const a = rest.shift()!;
    if (a.startsWith('--')) {
      if (a === '--directory' || a === '--file') {
        const v = rest.shift();
        if (a === '--file') o.file = v;
        else o.dir = v;
      } else if (a.startsWith('--directory=')) o.dir = a.slice(12);
      else if (a.startsWith('--file=')) o.file = a.slice(7);
      else if (!['--no-same-permissions', '--no-same-owner', '--touch', '--same-owner', '--preserve-permissions'].includes(a)) o.bad = a;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let i = 1; i < a.length; i++) {
        const c = a[i]!;
        if (c === 'c' || c === 'x' || c === 't') o.mode = c;
        else if (c === 'v') o.verbose = true;
        else if (c === 'f' || c === 'C') {
          const v = i < a.length - 1 ? a.slice(i + 1) : rest.shift();
          if (c === 'f') o.file = v;
          else o.dir = v;
          break;
        } else if (!'mopzhO'.includes(c)) o.bad = `-${c}`;
      }
      continue;
    }
    o.paths.push(a);
  }
  return o;
}

/** Runs `tar ARGS`; returns the exit status. */
export function runTar(args: string[], host: TarHost): number {
  const o = parseArgs(args);
  if (o.bad) {
    host.err(`tar: unrecognized option '${o.bad.replace(/^-(?!-)/, '')}'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: tar c|x|t [-ZzJjahmvokO] [-f TARFILE] [-C DIR] [-T FILE] [-X FILE] [LONGOPT]... [FILE]...\n`);
    return 1;
  }
  let cwd = host.cwd;
  if (o.dir !== undefined) {
    const d = normalizePath(o.dir, host.cwd);
    if (host.fs.stat(d)?.kind !== 'dir') {
      host.err(`tar: can't change directory to '${o.dir}': ${host.fs.stat(d) ? 'Not a directory' : 'No such file or directory'}\n`);
      return 1;
    }
    cwd = d;
  }
  if (o.mode === 'c') return create(o, host, cwd);
  if (o.mode === 'x' || o.mode === 't') return extract(o, host, cwd);
  host.err('tar: need to specify one of -c, -x or -t\n');
  return 1;
}

function create(o: ParsedArgs, host: TarHost, cwd: string): number {
  if (o.paths.length === 0) {
    host.err('tar: empty archive\n');
    return 1;
  }
  const fs = host.fs;
  let archive = '';
  let failed = false;
  let warned = false;
  const add = (name: string, abs: string) => {
    const e: Entry | undefined = fs.lstat(abs);
    if (!e) {
      host.err(`tar: ${name}: No such file or directory\n`);
      failed = true;
      return;
    }
    let stored = name;
    if (stored.startsWith('/')) {
      if (!warned) host.err(`tar: removing leading '/' from member names\n`);
      warned = true;
      stored = stored.replace(/^\/+/, '');
    }
    if (o.verbose) host.err(`${name}\n`);
    const mtime = Math.floor(e.mtime / 1000);
    if (e.kind === 'link') {
      archive += member(stored, '2', { mode: 0o777, mtime, linkname: e.target });
      return;
    }
    if (e.kind === 'dir') {
      if (stored) archive += member(stored.endsWith('/') ? stored : `${stored}/`, '5', { mode: e.mode & 0o7777, mtime });
      let children: string[];
      try {
        children = fs.list(abs);
      } catch (err) {
        host.err(`tar: ${name}: ${errnoText(err)}\n`);
        failed = true;
        return;
      }
      for (const c of children) add(name.endsWith('/') ? `${name}${c}` : `${name}/${c}`, abs === '/' ? `/${c}` : `${abs}/${c}`);
      return;
    }
    archive += member(stored, '0', { mode: e.mode & 0o7777, mtime }, e.content);
  };
  for (const p of o.paths) add(p, normalizePath(p, cwd));
  if (archive || !failed) archive += ZEROS + ZEROS;
  // busybox writes nothing for an archive with no member it could read.
  if (failed && !archive.replace(/\0/g, '')) archive = '';
  if (archive) {
    if (o.file === undefined || o.file === '-') host.out(archive);
    else fs.write(normalizePath(o.file, host.cwd), archive);
  }
  if (failed) {
    host.err('tar: error exit delayed from previous errors\n');
    return 1;
  }
  return 0;
}

function cstring(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

function parseOctal(s: string): number {
  const t = cstring(s).trim();
  return t ? parseInt(t, 8) : 0;
}

/** Takes `bytes` UTF-8 bytes' worth of characters from `text` at `pos`; returns the end position. */

function extract(o: ParsedArgs, host: TarHost, cwd: string): number {
  const fs = host.fs;
  let text: string;
  if (o.file === undefined || o.file === '-') text = host.stdin ?? '';
  else {
    try {
      text = fs.read(normalizePath(o.file, host.cwd));
    } catch (err) {
      host.err(`tar: can't open '${o.file}': ${errnoText(err)}\n`);
      return 1;
    }
  }
  if (text.length === 0) {
    host.err('tar: short read\n');
    return 1;
  }
  let pos = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  let status = 0;
  while (pos + BLOCK <= text.length) {
    const h = text.slice(pos, pos + BLOCK);
    pos += BLOCK;
    if (h === ZEROS) break;
    const magic = h.slice(257, 263);
    let name = cstring(h.slice(0, 100));
    const prefix = magic === 'ustar\0' ? cstring(h.slice(345, 500)) : '';
    if (prefix) name = `${prefix}/${name}`;
    const type = h[156] === '\0' ? '0' : h[156]!;
    const size = parseOctal(h.slice(124, 136));
    let linkname = cstring(h.slice(157, 257));
    const end = utf8Advance(text, pos, size);
    const content = text.slice(pos, end);
    pos = end + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === 'L') {
      longName = cstring(content);
      continue;
    }
    if (type === 'x' || type === 'g') {
      if (type === 'x') {
        for (const rec of content.split('\n')) {
          const m = /^\d+ ([^=]+)=(.*)$/s.exec(rec);
          if (m?.[1] === 'path') paxPath = m[2];
          if (m?.[1] === 'linkpath') paxLink = m[2];
        }
      }
      continue;
    }
    if (longName !== undefined) name = longName;
    if (paxPath !== undefined) name = paxPath;
    if (paxLink !== undefined) linkname = paxLink;
    longName = paxPath = paxLink = undefined;
    if (name.startsWith('/')) name = name.replace(/^\/+/, '');
    if (o.mode === 't') {
      host.out(`${name}\n`);
      continue;
    }
    if (o.verbose) host.out(`${name}\n`);
    const target = normalizePath(name, cwd);
    try {
      const parent = target.slice(0, target.lastIndexOf('/')) || '/';
      if (!fs.stat(parent)) fs.mkdir(parent, true);
      if (type === '5') {
        const e = fs.stat(target);
        if (!e) fs.mkdir(target, true);
        continue;
      }
      if (type === '2' || type === '1') {
        // Links cannot be made through the shell's file view: the link's target's content is copied.
        const src = normalizePath(linkname, type === '1' ? cwd : parent);
        const e = fs.stat(src);
        if (e?.kind === 'file') fs.write(target, e.content);
        continue;
      }
      if (fs.lstat(target)?.kind === 'dir') {
        host.err(`tar: can't remove old file ${name}: Is a directory\n`);
        status = 1;
        continue;
      }
      fs.write(target, content);
    } catch (err) {
      host.err(`tar: can't open '${name}': ${errnoText(err)}\n`);
      status = 1;
    }
  }
  return status;
}
