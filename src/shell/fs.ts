/**
 * The in-memory file system of the simulated controlplane host: the learner's home directory
 * and whatever they create. Nothing here touches the real disk.
 */

export class FsError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'No such file or directory' | 'Is a directory' | 'Not a directory' | 'File exists',
  ) {
    super(`${path}: ${reason}`);
  }
}

export interface FsSnapshot {
  files: Record<string, string>;
  dirs: string[];
}

export class VirtualFs {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);

  constructor(initialDirs: readonly string[] = ['/root', '/tmp', '/etc', '/etc/kubernetes', '/etc/kubernetes/manifests']) {
    for (const d of initialDirs) this.mkdirp(d);
  }

  /** Absolute, normalised form of `path` seen from `cwd`. */
  static resolve(cwd: string, path: string): string {
    const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
    const out: string[] = [];
    for (const p of parts) {
      if (!p || p === '.') continue;
      if (p === '..') out.pop();
      else out.push(p);
    }
    return `/${out.join('/')}`;
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  isFile(path: string): boolean {
    return this.files.has(path) || path === '/dev/null';
  }

  read(path: string): string {
    if (path === '/dev/null') return '';
    if (this.dirs.has(path)) throw new FsError(path, 'Is a directory');
    const content = this.files.get(path);
    if (content === undefined) throw new FsError(path, 'No such file or directory');
    return content;
  }

  write(path: string, content: string, append = false): void {
    if (path === '/dev/null') return;
    if (this.dirs.has(path)) throw new FsError(path, 'Is a directory');
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (!this.dirs.has(parent)) throw new FsError(path, 'No such file or directory');
    this.files.set(path, append ? (this.files.get(path) ?? '') + content : content);
  }

  mkdirp(path: string): void {
    let current = '';
    for (const part of path.split('/').filter(Boolean)) {
      current += `/${part}`;
      if (this.files.has(current)) throw new FsError(current, 'Not a directory');
      this.dirs.add(current);
    }
  }

  /** Names directly inside `dir`, sorted as `ls` sorts them. */
  list(dir: string): string[] {
    if (!this.dirs.has(dir)) {
      if (this.files.has(dir)) return [dir.slice(dir.lastIndexOf('/') + 1)];
      throw new FsError(dir, 'No such file or directory');
    }
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p !== dir) {
        const rest = p.slice(prefix.length);
        if (rest && !rest.includes('/')) names.add(rest);
      }
    }
    return [...names].sort((a, b) => a.localeCompare(b, 'en'));
  }

  snapshot(): FsSnapshot {
    return { files: Object.fromEntries(this.files), dirs: [...this.dirs] };
  }

  static fromSnapshot(s: FsSnapshot): VirtualFs {
    const fs = new VirtualFs([]);
    for (const d of s.dirs) fs.dirs.add(d);
    for (const [p, c] of Object.entries(s.files)) fs.files.set(p, c);
    return fs;
  }
}
