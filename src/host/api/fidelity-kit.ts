/**
 * The fidelity suite's harness: one simulated cluster served over HTTPS, the real kubectl 1.32
 * and our kubectl run against it with the same kubeconfig, working directory and stdin. Each
 * `fidelity-*.test.ts` file makes its own harness (its own cluster) with `useFidelity`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runKubectl } from '../../kubectl';
import { createCluster, type Cluster, type ClusterOptions } from '../../sim';
import { hostFiles, wallClock } from '../kubectl-host';
import { HttpApiClient, readKubeconfig } from './client';
import { startApiServer, type RunningApiServer } from './server';

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  stdin?: string;
}

export interface FidelityHarness {
  readonly cluster: Cluster;
  /** Whether the real kubectl is installed (the suite skips, saying so, where it is not). */
  available(): boolean;
  /** The working directory both run in: write manifests here. */
  dir(): string;
  /** Writes a file into the working directory. */
  file(name: string, content: string): void;
  real(args: string[], options?: RunOptions): Promise<Outcome>;
  ours(args: string[], options?: RunOptions): Promise<Outcome>;
  /** Runs both and expects identical stdout, stderr (klog headers aside) and exit code. */
  compare(args: string[], options?: RunOptions): Promise<void>;
}

/**
 * klog's `W1124 00:15:38.914612   24759 ` header differs in time and pid by nature. client-go's
 * "very short watch" warning races with a command's own timeout (whether the reflector logs it
 * before the process exits varies from run to run), so it is not compared.
 */
export function normalizeKlog(text: string): string {
  return text
    .replace(/^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ /gm, '$1 ')
    .replace(/^W reflector\.go:\d+\] .*Unexpected watch close - watch lasted less than a second and no items received\n/gm, '');
}

export function useFidelity(setup?: (cluster: Cluster) => void, options: ClusterOptions = {}): FidelityHarness {
  const cluster = createCluster(options);
  let server: RunningApiServer;
  let kubeconfig = '';
  let workdir = '';
  let installed = false;

  beforeAll(async () => {
    installed = (await realKubectl(['version', '--client'], '/dev/null', tmpdir())).code === 0;
    server = await startApiServer({ cluster });
    workdir = mkdtempSync(join(tmpdir(), 'kubelab-fidelity-'));
    kubeconfig = join(workdir, '.kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfig(), { mode: 0o600 });
    setup?.(cluster);
  });
  afterAll(() => server.close());

  const harness: FidelityHarness = {
    cluster,
    available: () => {
      if (!installed) console.warn('fidelity suite skipped: the real kubectl is not installed here');
      return installed;
    },
    dir: () => workdir,
    file: (name, content) => writeFileSync(join(workdir, name), content),
    real: (args, o = {}) => realKubectl(args, kubeconfig, workdir, o.stdin),
    async ours(args, o = {}) {
      const context = readKubeconfig(server.kubeconfig());
      let stdout = '';
      let stderr = '';
      const code = await runKubectl(args, {
        client: new HttpApiClient(context),
        namespace: context.namespace,
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        files: hostFiles(workdir),
        env: new Map([['KUBECONFIG', kubeconfig], ['HOME', workdir]]),
        clock: wallClock(),
        ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
      });
      return { stdout, stderr, code };
    },
    async compare(args, o) {
      if (!harness.available()) return;
      const real = await harness.real(args, o);
      const ours = await harness.ours(args, o);
      expect({ ...ours, stderr: normalizeKlog(ours.stderr) }).toEqual({ ...real, stderr: normalizeKlog(real.stderr) });
    },
  };
  return harness;
}

function realKubectl(args: string[], kubeconfig: string, cwd: string, stdin?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', args, { cwd, env: { ...process.env, KUBECONFIG: kubeconfig, HOME: cwd } }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? Number((err as { code?: number }).code ?? 1) : 0 });
    });
    child.stdin?.end(stdin ?? '');
  });
}
