/**
 * In-memory file systems for containers and nodes: a tree of files, directories and symlinks
 * (configMap volumes use the kubelet's `..data` symlink layout), an optional read-only lower
 * tree (an image's root file system under the container's writable layer, as overlayfs does),
 * and a container view that resolves paths through its volume mounts.
 */

export type Entry =
  | { kind: 'file'; content: string; mode: number; mtime: number }
  | { kind: 'dir'; mode: number; mtime: number }
  | { kind: 'link'; target: string; mtime: number };

/** Why a file operation failed, as errno names; the shell turns them into messages. */
export type FsError = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'EROFS' | 'ENOTEMPTY' | 'EBUSY';

export class FsFailure extends Error {
  constructor(
    readonly code: FsError,
    readonly path: string,
  ) {
    super(`${code}: ${path}`);
  }
}

/** Normalises an absolute or relative path: no `.`, `..`, repeated or trailing slashes. */
export function normalizePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const WHITEOUT = { kind: 'whiteout' } as const;

/**
 * A directory tree. Paths are absolute within the tree. With a `lower` tree, reads fall through
 * to it and writes stay here (copy-up); removing a lower entry leaves a whiteout.
 */
export class FileTree {
  private readonly entries = new Map<string, Entry | typeof WHITEOUT>();

  constructor(
    private readonly now: () => number,
    private readonly lower?: FileTree,
  ) {
    if (!lower) this.entries.set('/', { kind: 'dir', mode: 0o755, mtime: now() });
  }

  /** The entry at `path` without following a final symlink. */
  lstat(path: string): Entry | undefined {
    const own = this.entries.get(path);
    if (own) return own.kind === 'whiteout' ? undefined : own;
    return this.lower?.lstat(path);
  }

  /** Resolves symlinks in every component of `path` (relative targets are relative to the link). */
  resolve(path: string, depth = 0): string {
    if (depth > 16) throw new FsFailure('ENOENT', path);
    const parts = path.split('/').filter(Boolean);
    let cur = '/';
    for (let i = 0; i < parts.length; i++) {
      const next = cur === '/' ? `/${parts[i]}` : `${cur}/${parts[i]}`;
      const e = this.lstat(next);
      if (e?.kind === 'link') {
        const target = normalizePath(e.target, cur);
        cur = this.resolve(target, depth + 1);
      } else {
        cur = next;
      }
    }
    return cur;
  }

  stat(path: string): Entry | undefined {
    try {
      return this.lstat(this.resolve(path));
    } catch {
      return undefined;
    }
  }

  read(path: string): string {
    const e = this.stat(path);
    if (!e) throw new FsFailure('ENOENT', path);
    if (e.kind === 'dir') throw new FsFailure('EISDIR', path);
    return (e as Extract<Entry, { kind: 'file' }>).content;
  }

  private parentDir(path: string): string {
    const real = this.resolve(dirname(path));
    const parent = this.lstat(real);
    if (!parent) throw new FsFailure('ENOENT', path);
    if (parent.kind !== 'dir') throw new FsFailure('ENOTDIR', path);
    return real;
  }

  write(path: string, content: string, options: { append?: boolean; mode?: number } = {}): void {
    const parent = this.parentDir(path);
    const real = parent === '/' ? `/${basename(path)}` : `${parent}/${basename(path)}`;
    const target = this.lstat(real)?.kind === 'link' ? this.resolve(real) : real;
    const existing = this.lstat(target);
    if (existing?.kind === 'dir') throw new FsFailure('EISDIR', path);
    const prev = existing?.kind === 'file' ? existing : undefined;
    this.entries.set(target, {
      kind: 'file',
      content: options.append && prev ? prev.content + content : content,
      mode: options.mode ?? prev?.mode ?? 0o644,
      mtime: this.now(),
    });
  }

  mkdir(path: string, options: { parents?: boolean; mode?: number } = {}): void {
    if (options.parents) {
      const parts = path.split('/').filter(Boolean);
      let cur = '';
      for (const p of parts) {
        cur += `/${p}`;
        const e = this.stat(cur);
        if (!e) this.mkdir(cur, { mode: options.mode });
        else if (e.kind !== 'dir') throw new FsFailure('ENOTDIR', cur);
      }
      return;
    }
    const parent = this.parentDir(path);
    const real = parent === '/' ? `/${basename(path)}` : `${parent}/${basename(path)}`;
    if (this.lstat(real)) throw new FsFailure('EEXIST', path);
    this.entries.set(real, { kind: 'dir', mode: options.mode ?? 0o755, mtime: this.now() });
  }

  symlink(target: string, path: string): void {
    this.parentDir(path);
    this.entries.set(path, { kind: 'link', target, mtime: this.now() });
  }

  /** Renames `from` over `to` (used for the atomic `..data` swap). */
  rename(from: string, to: string): void {
    const e = this.lstat(from);
    if (!e) throw new FsFailure('ENOENT', from);
    this.entries.set(to, e);
    this.drop(from);
  }

  /** Removes a file, link or (with `recursive`) a directory and everything under it. */
  remove(path: string, options: { recursive?: boolean } = {}): void {
    const parent = this.parentDir(path);
    const real = parent === '/' ? `/${basename(path)}` : `${parent}/${basename(path)}`;
    const e = this.lstat(real);
    if (!e) throw new FsFailure('ENOENT', path);
    if (e.kind === 'dir') {
      const children = this.list(real);
      if (children.length && !options.recursive) throw new FsFailure('ENOTEMPTY', path);
      if (!options.recursive) throw new FsFailure('EISDIR', path);
      for (const c of children) this.remove(`${real === '/' ? '' : real}/${c}`, options);
    }
    this.drop(real);
  }

  private drop(path: string): void {
    if (this.lower?.lstat(path)) this.entries.set(path, WHITEOUT);
    else this.entries.delete(path);
  }

  /** Names directly inside directory `path` (after following links), sorted as `ls` does. */
  list(path: string): string[] {
    const real = this.resolve(path);
    const e = this.lstat(real);
    if (!e) throw new FsFailure('ENOENT', path);
    if (e.kind !== 'dir') throw new FsFailure('ENOTDIR', path);
    const prefix = real === '/' ? '/' : `${real}/`;
    const names = new Set(this.lower && this.lower.lstat(real)?.kind === 'dir' ? this.lower.list(real) : []);
    for (const [k, v] of this.entries) {
      if (k === real || !k.startsWith(prefix) || k.indexOf('/', prefix.length) !== -1) continue;
      const name = k.slice(prefix.length);
      if (v.kind === 'whiteout') names.delete(name);
      else names.add(name);
    }
    return [...names].sort();
  }
}

/** A mount inside a container: `path` shows `root` of `tree` (a directory or a single file). */
export interface Mount {
  path: string;
  tree: FileTree;
  root: string;
  readOnly: boolean;
}

/** What a process in a container sees: its root file system with volumes mounted over it. */
export class ContainerFs {
  private readonly mounts: Mount[];

  constructor(
    readonly rootfs: FileTree,
    mounts: Mount[],
  ) {
    // The longest mount path wins, as later mounts shadow earlier ones underneath.
    this.mounts = [...mounts].sort((a, b) => b.path.length - a.path.length);
    for (const m of mounts) {
      if (rootfs.stat(m.path)) continue;
      const isFile = m.tree.stat(m.root)?.kind === 'file';
      if (isFile) {
        rootfs.mkdir(dirname(m.path), { parents: true });
        rootfs.write(m.path, '');
      } else {
        rootfs.mkdir(m.path, { parents: true });
      }
    }
  }

  /** The tree and in-tree path for a container path, after following symlinks in the rootfs. */
  locate(path: string): { tree: FileTree; path: string; readOnly: boolean; mountPoint: boolean } {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p === m.path || p.startsWith(`${m.path}/`)) {
        const rest = p.slice(m.path.length);
        return { tree: m.tree, path: normalizePath(`${m.root}${rest}`), readOnly: m.readOnly, mountPoint: rest === '' };
      }
    }
    return { tree: this.rootfs, path: p, readOnly: false, mountPoint: false };
  }

  stat(path: string): Entry | undefined {
    const l = this.locate(path);
    return l.tree.stat(l.path);
  }

  lstat(path: string): Entry | undefined {
    const l = this.locate(path);
    return l.tree.lstat(l.path);
  }

  read(path: string): string {
    const l = this.locate(path);
    return l.tree.read(l.path);
  }

  write(path: string, content: string, append = false): void {
    const l = this.locate(path);
    if (l.readOnly) throw new FsFailure('EROFS', path);
    l.tree.write(l.path, content, { append });
  }

  mkdir(path: string, parents = false): void {
    const l = this.locate(path);
    if (l.readOnly) throw new FsFailure('EROFS', path);
    if (parents && l.tree.stat(l.path)?.kind === 'dir') return;
    l.tree.mkdir(l.path, { parents });
  }

  remove(path: string, recursive = false): void {
    const l = this.locate(path);
    if (l.mountPoint) throw new FsFailure('EBUSY', path);
    if (l.readOnly) throw new FsFailure('EROFS', path);
    l.tree.remove(l.path, { recursive });
  }

  list(path: string): string[] {
    const l = this.locate(path);
    return l.tree.list(l.path);
  }
}
