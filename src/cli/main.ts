/**
 * `bin/kubelab`: run scripts against a simulated cluster, serve browser mode, and (in later
 * issues) test labs, serve the Kubernetes API, and benchmark.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { hostEnv, hostFiles, HttpApiClient, readKubeconfig, runKubectlBenchmark, wallClock, runBenchmarks, runDeploymentBenchmark, runKubectl, runScaleBenchmark, runScriptInSession, Session, startApiServer, type ApiClient, type Figure } from '../host';
import { startWebHost } from '../web';
import { intOption, readArgs, UsageError } from './args';

const USAGE = `Usage: kubelab <command> [options]

Commands:
  run [--seed N] [--echo] [--addons LIST] [FILE|-]
                                     Run a shell script in a fresh session on the default cluster
                                     (LIST: ingress-nginx,load-balancer,metrics-server)
                                     and print what the terminal shows (without prompts).
  serve [--port N]                   Start browser mode on 127.0.0.1 and print its URL.
  lab test [PATH...]                 Validate and prove labs (not implemented yet).
  api [--port N] [--kubeconfig FILE] Serve a fresh cluster (with metrics-server, for kubectl top) as a Kubernetes
                                     API on 127.0.0.1 (the clock runs in real time) and write a kubeconfig for it,
                                     so kubectl and client libraries can use it (0 picks a free port; the
                                     kubeconfig is readable by you only).
  kubectl [--kubeconfig FILE] ARGS...
                                     Run our kubectl: against the cluster of the kubeconfig (--kubeconfig,
                                     else $KUBECONFIG), or against a fresh simulated cluster when there is none.
  bench [--pods N] [--replicas N] [--nodes N] [--scale-pods N] [--only api|deployment|kubectl|scale]
                                     Measure the simulated control plane (one "name value unit" line each):
                                     API figures at N pods (10,000), a Deployment of N replicas (1,000) on
                                     10 workers, then N nodes (1,000) running N pods (30,000).
  help                               Show this help.
`;

const RESERVED: Record<string, string> = {
  lab: 'lab test arrives with the lab engine (issue #11)',
};

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

function rendererDir(): string {
  // The CLI is built to out/main/cli.js; the renderer sits in out/renderer.
  return resolve(dirname(fileURLToPath(import.meta.url)), '../renderer');
}

/** Runs the CLI; resolves to the exit code, or to 'serving' while a server keeps running. */
export async function main(argv: readonly string[], io: CliIO): Promise<number | 'serving'> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      case 'run': {
        const args = readArgs(rest, ['seed', 'addons'], ['echo']);
        if (args.positional.length > 1) throw new UsageError('run takes at most one FILE');
        const addons = String(args.options.get('addons') ?? '').split(',').filter(Boolean);
        const known = ['ingress-nginx', 'load-balancer', 'metrics-server'];
        const unknown = addons.find((a) => !known.includes(a));
        if (unknown) throw new UsageError(`--addons: unknown add-on "${unknown}" (known: ${known.join(', ')})`);
        const file = args.positional[0] ?? '-';
        const src = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
        const seed = intOption(args, 'seed');
        return await runScriptInSession(src, io, {
          ...(seed !== undefined ? { seed } : {}),
          echo: args.options.has('echo'),
          cluster: { ingressNginx: addons.includes('ingress-nginx'), loadBalancerPool: addons.includes('load-balancer'), metricsServer: addons.includes('metrics-server') },
        });
      }
      case 'bench': {
        const args = readArgs(rest, ['pods', 'nodes', 'scale-pods', 'replicas', 'only']);
        if (args.positional.length) throw new UsageError('bench takes no arguments');
        const only = args.options.get('only');
        if (only !== undefined && (typeof only !== 'string' || !['api', 'scale', 'deployment', 'kubectl'].includes(only))) throw new UsageError(`--only must be "api", "deployment", "kubectl" or "scale", not "${only}"`);
        const pods = intOption(args, 'pods');
        // Memory figures need a real garbage collection between measurements.
        setFlagsFromString('--expose_gc');
        const gc = runInNewContext('gc') as () => void;
        const heapUsed = () => process.memoryUsage().heapUsed;
        const print = (figures: Figure[]) => {
          for (const f of figures) io.stdout(`${f.name} ${f.value} ${f.unit}\n`);
        };
        if (only === undefined || only === 'api') print(runBenchmarks({ ...(pods !== undefined ? { pods } : {}), gc, heapUsed }));
        if (only === undefined || only === 'deployment') print(runDeploymentBenchmark({ replicas: intOption(args, 'replicas') ?? 1000, nodes: 10 }));
        if (only === undefined || only === 'kubectl') print(await runKubectlBenchmark({ pods: pods ?? 10_000 }));
        if (only === undefined || only === 'scale') print(runScaleBenchmark({ nodes: intOption(args, 'nodes') ?? 1000, pods: intOption(args, 'scale-pods') ?? 30_000, gc, heapUsed }));
        return 0;
      }
      case 'serve': {
        const args = readArgs(rest, ['port']);
        if (args.positional.length) throw new UsageError(`serve takes no arguments`);
        const host = await startWebHost({ port: intOption(args, 'port') ?? 0, rendererDir: rendererDir() });
        io.stdout(`Kubelab is running in browser mode at ${host.url}\n`);
        return 'serving';
      }
      case 'kubectl': {
        const file = globalFlag(rest, 'kubeconfig') ?? process.env.KUBECONFIG?.split(':')[0];
        let client: ApiClient;
        let namespace = 'default';
        if (file) {
          const context = readKubeconfig(await readFile(file, 'utf8'), globalFlag(rest, 'context'));
          client = new HttpApiClient(context);
          namespace = context.namespace;
        } else client = new Session({ timing: 'manual' }).cluster.client;
        // Standard input is read only when a -f names it, so an interactive terminal never blocks.
        const wantsStdin = rest.some((a, i) => a === '-' && /^(-f|--filename)$/.test(rest[i - 1] ?? '')) || rest.some((a) => /^(-f|--filename=)-$/.test(a));
        const stdin = wantsStdin ? await readAll(process.stdin) : undefined;
        return await runKubectl(rest, { client, namespace, stdout: io.stdout, stderr: io.stderr, files: hostFiles(), env: hostEnv(), clock: wallClock(), ...(stdin !== undefined ? { stdin } : {}) });
      }
      case 'api': {
        const args = readArgs(rest, ['port', 'kubeconfig']);
        if (args.positional.length) throw new UsageError('api takes no arguments');
        // A paced session runs on the wall clock, so real clients read the ages it shows.
        const session = new Session({ timing: 'paced', metricsServer: true });
        const server = await startApiServer({ cluster: session.cluster, port: intOption(args, 'port') ?? 0 });
        const given = args.options.get('kubeconfig');
        const file = typeof given === 'string' ? resolve(given) : join(tmpdir(), 'kubelab', `kubeconfig-${server.port}`);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, server.kubeconfig(), { mode: 0o600 });
        await chmod(file, 0o600);
        io.stdout(`Kubernetes ${session.cluster.api.version.gitVersion} API of a simulated cluster at ${server.url}\nexport KUBECONFIG=${file}\n`);
        return 'serving';
      }
      default:
        if (RESERVED[command]) {
          io.stderr(`kubelab ${command}: not implemented yet (${RESERVED[command]})\n`);
          return 2;
        }
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`kubelab: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr(`kubelab: ${(err as NodeJS.ErrnoException).path}: No such file or directory\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      io.stderr(`kubelab: port is already in use: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

/** A kubectl global flag's value (--name VALUE or --name=VALUE), read before kubectl parses the rest. */
function globalFlag(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
