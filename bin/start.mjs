// `npm start`: the desktop app when Electron's binary is present, otherwise browser mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, repoRoot } from './build-if-stale.mjs';

function electronBinary() {
  const dir = join(repoRoot, 'node_modules/electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

buildIfStale();
const electron = electronBinary();
if (electron) {
  const child = spawn(electron, [repoRoot], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log("Electron's binary is not installed on this machine, so Kubelab opens in browser mode instead.");
  const child = spawn(process.execPath, [join(repoRoot, 'bin/kubelab.mjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
