/**
 * For tests of kubectl verbs: a fresh simulated cluster, in-memory files and a clock whose waits
 * run the virtual clock forward, and `kubectl('get pods -o wide')` returning what a user sees.
 */
import { createCluster, type Cluster, type ClusterOptions } from '../sim';
import { FileAccessError, type KubectlContext, type KubectlFiles } from './context';
import { runKubectl } from './cmd/root';

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlTestSession {
  cluster: Cluster;
  /** In-memory files, by absolute path (relative paths resolve against /root). */
  files: Map<string, string>;
  env: Map<string, string>;
  /** Runs one command line (split on spaces unless given as an array). */
  kubectl(line: string | string[], options?: { stdin?: string }): Promise<KubectlRun>;
}

export function memoryFiles(files: Map<string, string>, cwd = '/root'): KubectlFiles {
  const abs = (p: string) => {
    const parts = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/');
    const out: string[] = [];
    for (const part of parts) {
      if (!part || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    return `/${out.join('/')}`;
  };
  const isDir = (p: string) => p === '/' || [...files.keys()].some((k) => k.startsWith(`${p}/`));
  return {
    read(path) {
      const p = abs(path);
      const text = files.get(p);
      if (text !== undefined) return text;
      throw new FileAccessError(path, isDir(p) ? 'is a directory' : 'not found');
    },
    write: (path, content) => void files.set(abs(path), content),
    stat(path) {
      const p = abs(path);
      return files.has(p) ? 'file' : isDir(p) ? 'dir' : undefined;
    },
    list(path) {
      const prefix = `${abs(path).replace(/\/$/, '')}/`;
      const names = new Set<string>();
      for (const k of files.keys()) if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
      return [...names].sort();
    },
    resolve: abs,
  };
}

export function kubectlTestSession(options: ClusterOptions = { seed: 1 }): KubectlTestSession {
  const cluster = createCluster(options);
  const files = new Map<string, string>();
  const env = new Map<string, string>([['HOME', '/root']]);
  return {
    cluster,
    files,
    env,
    async kubectl(line, o = {}) {
      let stdout = '';
      let stderr = '';
      const ctx: KubectlContext = {
        client: cluster.client,
        namespace: 'default',
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        files: memoryFiles(files),
        env,
        clock: {
          now: () => cluster.clock.now(),
          waitUntil: async (done, timeoutMs) => (cluster.clock.runUntil(done, timeoutMs ?? 60 * 60_000) ? 'done' : 'timeout'),
        },
        ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
      };
      const args = Array.isArray(line) ? line : line.split(' ').filter(Boolean);
      const code = await runKubectl(args, ctx);
      return { code, stdout, stderr };
    },
  };
}
