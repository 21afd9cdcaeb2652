// Builds the app with electron-vite when the build output is missing or older than its sources.
// Build logs go to stderr so that stdout stays exactly what a command prints.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['out/main/cli.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const inputs = ['src', 'electron.vite.config.ts', 'package.json', 'package-lock.json'];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry.endsWith('.test.ts') || entry.endsWith('.test.tsx')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export function buildIfStale() {
  const outs = outputs.map((o) => join(repoRoot, o));
  const oldestOutput = outs.every(existsSync) ? Math.min(...outs.map((o) => statSync(o).mtimeMs)) : -1;
  const newestInput = Math.max(...inputs.map((i) => join(repoRoot, i)).filter(existsSync).map(newestMtime));
  if (oldestOutput >= newestInput) return;
  process.stderr.write(oldestOutput < 0 ? 'kubelab: building the app (first run)…\n' : 'kubelab: sources changed; rebuilding…\n');
  const bin = join(repoRoot, 'node_modules/.bin/electron-vite');
  if (!existsSync(bin)) {
    process.stderr.write("kubelab: dependencies are missing; run 'npm ci' first\n");
    process.exit(1);
  }
  const result = spawnSync(bin, ['build', '--logLevel', 'error'], { cwd: repoRoot, stdio: ['ignore', process.stderr, process.stderr] });
  if (result.status !== 0) {
    process.stderr.write('kubelab: the build failed\n');
    process.exit(result.status ?? 1);
  }
}
