/**
 * One learner session: a simulated cluster, the controlplane host's shell and files, and the
 * terminal the renderer shows. Electron main and the web host both serve sessions through
 * {@link handleCall} and {@link handleNotification}.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExposedApi, SessionInfo, TerminalSize } from '../shared';
import { openApiResponse, startApiServer, type RunningApiServer } from './api/index';
import { createCluster, type ApiClient, type Cluster, type ClusterOptions } from '../sim';
import { kubeadmAdminKubeconfig } from '../kubectl';
import { FsError, Shell, TerminalSession, VirtualFs, type HostProgram, type Interrupt, InterruptedError } from '../shell';
import { ClockPacer } from './pacer';

export interface SessionOptions extends ClusterOptions {
  /**
   * 'paced': virtual time follows the wall clock (the app).
   * 'manual': time moves only when told to; `sleep` advances it at once (scripts, tests).
   */
  timing: 'paced' | 'manual';
}

export class Session {
  readonly cluster: Cluster;
  readonly shell: Shell;
  readonly pacer: ClockPacer | undefined;
  private terminal: TerminalSession | undefined;
  private output: ((data: string) => void) | undefined;
  private size: TerminalSize = { cols: 80, rows: 24 };

  constructor(options: SessionOptions) {
    // A paced cluster lives in real time, so that real clients (kubectl through the exposed
    // API) read the same ages: it starts far enough back to catch up with the wall clock.
    const realTime = options.timing === 'paced' && options.epoch === undefined;
    this.cluster = createCluster(realTime ? { ...options, epoch: Date.now() - 40 * 60_000 } : options);
    const clock = this.cluster.clock;
    if (realTime && clock.now() < Date.now()) clock.advance(Date.now() - clock.now());
    const pacer = options.timing === 'paced' ? new ClockPacer(clock) : undefined;
    this.pacer = pacer;
    this.shell = new Shell({
      client: withOpenApi(this.cluster),
      now: () => clock.now(),
      sleep: (ms: number, interrupt?: Interrupt) => {
        if (pacer) return pacer.sleep(ms, interrupt);
        if (interrupt?.aborted) return Promise.reject(new InterruptedError());
        clock.advance(ms);
        return Promise.resolve();
      },
      waitUntil: (done: () => boolean, timeoutMs: number | undefined, interrupt?: Interrupt) => {
        if (pacer) return pacer.waitUntil(done, timeoutMs, interrupt);
        if (interrupt?.aborted) return Promise.resolve('interrupted' as const);
        // A script cannot wait forever: a wait without a timeout gives up after an hour of virtual time.
        return Promise.resolve(clock.runUntil(done, timeoutMs ?? 60 * 60_000) ? ('done' as const) : ('timeout' as const));
      },
      hostProgram: (name: string) => this.hostTools()(name),
    });
    this.seedKubeconfig();
    pacer?.start();
  }

  /** The controlplane host's network tools (curl, ping, nslookup, dig, nc), reading its /etc files. */
  private hostTools(): (name: string) => HostProgram | undefined {
    const host = this.cluster.nodes.find((n) => n.role === 'control-plane')?.name ?? 'controlplane';
    const hostFs = this.cluster.kubelets.get(host)?.hostFs;
    const read = (path: string) => {
      try {
        return hostFs?.read(path);
      } catch {
        return undefined;
      }
    };
    return this.cluster.networkTools.forNode(host, { read }) ?? (() => undefined);
  }

  /** kubeadm init's admin kubeconfig, at /etc/kubernetes/admin.conf and copied to ~/.kube/config. */
  private seedKubeconfig(): void {
    const api = this.cluster.api;
    const controlPlane = this.cluster.nodes.find((n) => n.role === 'control-plane')?.name ?? 'controlplane';
    const node = api.handle({ method: 'GET', path: `/api/v1/nodes/${controlPlane}` }).body as { status?: { addresses?: { type: string; address: string }[] } };
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '172.30.1.2';
    const ca = api.handle({ method: 'GET', path: '/api/v1/namespaces/kube-system/configmaps/kube-root-ca.crt' }).body as { data?: Record<string, string> };
    const text = kubeadmAdminKubeconfig({ server: `https://${ip}:6443`, caPem: ca.data?.['ca.crt'] ?? '' });
    const fs = this.shell.fs;
    fs.mkdirp('/root/.kube');
    fs.write('/root/.kube/config', text);
    fs.mkdirp('/etc/kubernetes');
    fs.write('/etc/kubernetes/admin.conf', text);
  }

  info(): SessionInfo {
    return {
      kubernetesVersion: this.cluster.api.version.gitVersion,
      nodes: this.cluster.nodes.map((n) => ({ name: n.name, role: n.role })),
      home: this.shell.env.get('HOME') ?? '/root',
    };
  }

  /**
   * Attaches the renderer's terminal. The shell session lives on across reconnects; a new
   * attachment gets a fresh prompt.
   */
  openTerminal(size: TerminalSize, output: (data: string) => void): void {
    this.size = size;
    this.output = output;
    if (!this.terminal) this.terminal = new TerminalSession(this.shell, (d) => this.output?.(d), () => this.size);
    this.terminal.start();
  }

  terminalInput(data: string): void {
    this.terminal?.input(data);
  }

  terminalResize(size: TerminalSize): void {
    this.size = size;
  }

  terminalSize(): TerminalSize {
    return this.size;
  }

  /** Waits until the terminal has no command running (for tests). */
  async terminalIdle(): Promise<void> {
    await this.terminal?.whenIdle();
  }

  private homePath(path: string): string {
    return VirtualFs.resolve(this.shell.env.get('HOME') ?? '/root', path);
  }

  readFile(path: string): string {
    try {
      return this.shell.fs.read(this.homePath(path));
    } catch (err) {
      if (err instanceof FsError && err.reason === 'No such file or directory') return '';
      throw err;
    }
  }

  writeFile(path: string, content: string): void {
    this.shell.fs.write(this.homePath(path), content);
  }

  /**
   * "Use your own kubectl": serves this session's cluster as a Kubernetes API on 127.0.0.1 (once)
   * and writes a kubeconfig for it; later calls return the same.
   */
  async exposeApi(kubeconfigDir: string): Promise<ExposedApi> {
    this.exposed ??= (async () => {
      const server = await startApiServer({ cluster: this.cluster });
      await mkdir(kubeconfigDir, { recursive: true });
      const kubeconfig = join(kubeconfigDir, `kubeconfig-${server.port}`);
      await writeFile(kubeconfig, server.kubeconfig(), { mode: 0o600 });
      return { server, info: { url: server.url, kubeconfig, command: `export KUBECONFIG=${kubeconfig}` } };
    })();
    return (await this.exposed).info;
  }

  private exposed: Promise<{ server: RunningApiServer; info: ExposedApi }> | undefined;

  dispose(): void {
    this.pacer?.stop();
    void this.exposed?.then((e) => e.server.close());
  }
}

/**
 * The in-process client, also answering /openapi/v3 as the HTTP facade does (the documents are
 * the host's), so `kubectl explain` works in the terminal.
 */
function withOpenApi(cluster: Cluster): ApiClient {
  const base = cluster.client;
  const client = Object.create(base) as ApiClient;
  client.request = async (req) => {
    if (req.method === 'GET' && (req.path === '/openapi/v3' || req.path.startsWith('/openapi/v3/'))) {
      const res = openApiResponse(cluster.api, req.path, new URLSearchParams(req.query ?? {}), 'application/json');
      if (res) {
        const text = res.body.toString();
        return { status: res.status, body: res.status === 200 ? JSON.parse(text) : text };
      }
    }
    return base.request(req);
  };
  return client;
}
