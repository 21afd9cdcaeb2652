/**
 * Our kubectl run on the host, as `bin/kubelab kubectl` and the fidelity suite run it: the host's
 * files (relative to a working directory), its environment, and the wall clock.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FileAccessError, type KubectlClock, type KubectlFiles, type Signal } from '../kubectl';

export function hostFiles(cwd = process.cwd()): KubectlFiles {
  const abs = (path: string) => resolve(cwd, path.replace(/^~(?=\/|$)/, process.env.HOME ?? '/root'));
  return {
    read(path) {
      try {
        return readFileSync(abs(path), 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new FileAccessError(path, code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'not found');
      }
    },
    write(path, content) {
      mkdirSync(dirname(abs(path)), { recursive: true });
      writeFileSync(abs(path), content, { mode: 0o600 });
    },
    stat(path) {
      try {
        return statSync(abs(path)).isDirectory() ? 'dir' : 'file';
      } catch {
        return undefined;
      }
    },
    list: (path) => readdirSync(abs(path)).sort(),
    resolve: abs,
  };
}

/** The wall clock: waits poll their condition every 50 ms. */
export function wallClock(): KubectlClock {
  return {
    now: () => Date.now(),
    waitUntil(done, timeoutMs, signal?: Signal) {
      const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
      return new Promise((resolvePromise) => {
        const check = () => {
          if (signal?.aborted) return resolvePromise('interrupted');
          if (done()) return resolvePromise('done');
          if (Date.now() >= deadline) return resolvePromise('timeout');
          setTimeout(check, 50);
        };
        check();
      });
    },
  };
}

export function hostEnv(): ReadonlyMap<string, string> {
  return new Map(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}
