/**
 * The kubelet of one node: admits the pods bound to it, pulls images, starts init containers in
 * order and then the app containers, runs them according to the behaviour catalog, restarts
 * them with crash back-off, reports every status field and event a user sees, stops containers
 * with their grace period, serves logs and exec, and renews the node's lease.
 */
import type { ApiServer, ExecOptions, ExecStreams, KubeObject, LogOptions, NodeAgent } from '../apiserver';
import { ApiError, goDuration, rfc3339 } from '../apiserver';
import { jsonEqual, shareEqual } from '../apiserver/json';
import { parseQuantity } from '../apiserver/quantity';
import type { VirtualClock } from '../clock';
import { base64Decode, utf8Bytes } from '../bytes';
import { fnv32a } from '../names';
import { EventRecorder, referenceTo } from '../events';
import { SeededRandom } from '../random';
import type { Store, WatchIndex } from '../store';
import { argvFor, behaviorFor, type ContainerContext, type InClusterAccess } from './behavior';
import { newContainer, type ContainerRuntime, type LogLine } from './container';
import { ContainerFs, FileTree } from './fs';
import type { ImageCatalog, ImageInfo } from './images';
import { normalizeReference } from './images';
import { NodeIPAM } from './ipam';
import { imageRootfs } from './rootfs';
import type { Listening, NetworkTools, PodAtIP, ToolLookup } from '../network';
import { EXECUTABLES, MiniShell, scriptFromArgv } from './script';
import { containerMounts, fieldRefValue, NetworkStorage, resourceFieldValue, setUpVolumes, type MountedVolume, type VolumeContext } from './volumes';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The pod conditions the kubelet owns (PodConditionsByKubelet); others are kept as they are. */
const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

const SANDBOX_MS = 600;
const CREATE_MS = 80;
const SYNC_MS = 1000;
const MAX_BACKOFF_MS = 300_000;
const INITIAL_BACKOFF_MS = 10_000;
const BACKOFF_RESET_MS = 10 * 60_000;
const LEASE_RENEW_MS = 10_000;
/** The kubelet's syncFrequency: how often running pods' configMap/secret volumes are refreshed. */
const POD_RESYNC_MS = 60_000;
const MOUNT_BACKOFF_INITIAL_MS = 500;
const MOUNT_BACKOFF_MAX_MS = 122_000;

/** Directories every node has (the host side of hostPath volumes). */
const HOST_DIRS = ['/etc/kubernetes/manifests', '/etc/kubernetes/pki', '/home', '/mnt', '/opt', '/root', '/srv', '/tmp', '/usr/local/bin', '/var/lib/kubelet', '/var/log/pods', '/var/log/containers', '/run/containerd'];

/** The node a pod change concerns (shared by every kubelet, so the store computes it once per change). */
const podNodeIndex: WatchIndex = (e) => ((e.type === 'delete' ? e.prev.value : e.kv.value) as Obj | undefined)?.spec?.nodeName;

/** What the node itself uses besides containers: the OS, containerd and the kubelet. */
const SYSTEM_USAGE = { cpuMillis: 45, memoryBytes: 640 * 1024 * 1024 };

export interface ContainerStats {
  name: string;
  cpuMillis: number;
  memoryBytes: number;
}

export interface PodStats {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerStats[];
}

export interface NodeStats {
  node: { cpuMillis: number; memoryBytes: number };
  pods: PodStats[];
}

interface PodWorker {
  uid: string;
  /** Volumes set up so far, by name. */
  volumes: Map<string, MountedVolume>;
  volumesReady: boolean;
  mountBackoffMs: number;
  /** Files the kubelet manages for the pod: etc-hosts, etc-hostname, resolv.conf (made on first use). */
  podFiles?: FileTree;
  pod: Obj;
  containers: Map<string, ContainerRuntime>;
  podIP?: string;
  startTime?: number;
  sandboxReady: boolean;
  terminating: boolean;
  removed: boolean;
  conditionTimes: Map<string, { status: string; time: number }>;
}

/** The kubelet's API port (HTTPS; anonymous requests are refused, as kubeadm configures it). */
const KUBELET_PORT = 10250;
const KUBELET_LISTENER: Listening = {
  ports: [KUBELET_PORT],
  tlsPorts: [KUBELET_PORT],
  http: () => ({ status: 401, body: 'Unauthorized', headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Content-Length', '12']] }),
};
/** sshd on the node (`ssh node01`, `nc -zv node01 22`); it does not speak HTTP. */
const SSHD_LISTENER: Listening = { ports: [22] };

function podRef(pod: Obj): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export class Kubelet implements NodeAgent {
  private readonly workers = new Map<string, PodWorker>();
  private readonly recorder: EventRecorder;
  private readonly images = new Map<string, ImageInfo>();
  private readonly ipam: NodeIPAM;
  private stops: (() => void)[] = [];
  private running = false;
  readonly nodeIP: string;
  /** The node's own file system: the host side of hostPath and local volumes. */
  readonly hostFs: FileTree;
  private readonly volumeContext: VolumeContext;
  /** The cluster network's tools, for containers' wget, nslookup, curl … (set by the cluster). */
  private networkTools?: NetworkTools;
  /** Randomness for processes' own use (request IDs), apart from the cluster's stream. */
  private processRandom?: SeededRandom;

  constructor(
    readonly nodeName: string,
    private readonly api: ApiServer,
    private readonly store: Store,
    private readonly clock: VirtualClock,
    private readonly random: SeededRandom,
    private readonly catalog: ImageCatalog,
    storage: NetworkStorage = new NetworkStorage(() => clock.now()),
  ) {
    const node = api.getByResource('nodes', '', undefined, nodeName);
    this.ipam = new NodeIPAM(node?.spec?.podCIDR ?? '10.244.0.0/24');
    this.nodeIP = (node?.status?.addresses ?? []).find((a: Obj) => a.type === 'InternalIP')?.address ?? '';
    this.recorder = new EventRecorder(api, clock, { component: 'kubelet', host: nodeName });
    this.hostFs = new FileTree(() => clock.now());
    for (const d of HOST_DIRS) this.hostFs.mkdir(d, { parents: true });
    this.volumeContext = { api, nodeName, nodeIP: this.nodeIP, hostFs: this.hostFs, storage, now: () => clock.now(), random };
  }

  /** Connects the node to the cluster network (the tools its containers run reach it). */
  setNetworkTools(tools: NetworkTools): void {
    this.networkTools = tools;
  }

  /** The pod (not on the host network) this node runs at `ip`, once its sandbox has the address. */
  podAt(ip: string): PodAtIP | undefined {
    for (const w of this.workers.values()) {
      if (w.podIP !== ip || w.removed || !w.sandboxReady || w.pod.spec?.hostNetwork) continue;
      return { pod: w.pod, node: this.nodeName, ip, listener: (port) => this.listenerIn(w, port) };
    }
    return undefined;
  }

  /** What listens on the node's own address: the kubelet's API and hostNetwork pods' processes. */
  hostListener(port: number): Listening | undefined {
    if (port === KUBELET_PORT && this.running) return KUBELET_LISTENER;
    if (port === 22) return SSHD_LISTENER;
    for (const w of this.workers.values()) {
      if (w.removed || !w.pod.spec?.hostNetwork) continue;
      const l = this.listenerIn(w, port);
      if (l) return l;
    }
    return undefined;
  }

  /** What a container's process reaches as an in-cluster client: the API as its service account, and the network. */
  private inClusterAccess(w: PodWorker, argv: string[]): InClusterAccess {
    const network = this.networkTools!.network;
    const ns = w.pod.metadata.namespace as string;
    const sa = (w.pod.spec?.serviceAccountName as string | undefined) ?? 'default';
    const userAgent = `${(argv.find((a) => a.startsWith('/') && !a.includes('dumb-init')) ?? argv[0] ?? 'app').replace(/^.*\//, '')}/v0.0.0 (linux/amd64) kubernetes/$Format`;
    const impersonate = { username: `system:serviceaccount:${ns}:${sa}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] };
    return {
      reader: network.reader,
      connect: (ip, port) => network.connect(network.podSource(w.pod), ip, port),
      request: (req) => {
        const res = this.api.handle({ ...req, userAgent, impersonate });
        // A client decodes its own copy of the answer (the server's may be shared with the store).
        return { status: res.status, body: res.body === undefined ? undefined : JSON.parse(JSON.stringify(res.body)) };
      },
      // Its own stream: request IDs must not shift the names the cluster generates.
      hex: (length) => (this.processRandom ??= new SeededRandom(fnv32a(utf8Bytes(this.nodeName)))).hex(length),
    };
  }

  private listenerIn(w: PodWorker, port: number): Listening | undefined {
    for (const rt of w.containers.values()) if (rt.state.kind === 'running' && rt.process?.ports.includes(port)) return rt.process;
    return undefined;
  }

  /** Whether the kubelet service is running (`systemctl stop kubelet` stops it). */
  get isRunning(): boolean {
    return this.running;
  }

  private staticPods: Obj[] = [];

  /**
   * Static pods from the node's manifest folder: the kubelet runs them and publishes a mirror
   * pod (named <name>-<node>) to the API server so they show up in kubectl.
   */
  setStaticPods(manifests: Obj[]): void {
    this.staticPods = manifests;
  }

  private createMirrorPods(): void {
    const node = this.api.getByResource('nodes', '', undefined, this.nodeName);
    for (const m of this.staticPods) {
      const name = `${m.metadata.name}-${this.nodeName}`;
      if (this.api.getByResource('pods', '', m.metadata.namespace, name)) continue;
      const hash = this.random.hex(32);
      this.api.handle({
        method: 'POST',
        path: `/api/v1/namespaces/${m.metadata.namespace}/pods`,
        userAgent: `kubelet/${this.nodeName}`,
        query: { fieldManager: 'kubelet' },
        body: {
          ...m,
          metadata: {
            ...m.metadata,
            name,
            annotations: {
              ...(m.metadata.annotations ?? {}),
              'kubernetes.io/config.hash': hash,
              'kubernetes.io/config.mirror': hash,
              'kubernetes.io/config.seen': new Date(this.clock.now()).toISOString().replace('Z', '000000Z').replace(/\.(\d{3})000000Z$/, '.$1000000Z'),
              'kubernetes.io/config.source': 'file',
            },
            ...(node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata.uid, controller: true }] } : {}),
          },
          spec: { ...m.spec, nodeName: this.nodeName, tolerations: [{ effect: 'NoExecute', operator: 'Exists' }] },
        },
      });
    }
  }

  /** Images already on the node (kubeadm pre-pulls the control-plane images). */
  preload(images: string[]): void {
    for (const i of images) {
      const r = this.catalog.resolve(i);
      if (r.ok) this.images.set(r.image.ref, r.image);
    }
  }

  /**
   * Starts the kubelet. With `deferHeartbeats`, lease renewals and node status reports wait for
   * startHeartbeats() (bootstrap fast-forwards the cluster's uptime without replaying them).
   */
  start(deferHeartbeats = false): void {
    if (this.running) return;
    this.running = true;
    const unregister = this.api.registerNodeAgent(this.nodeName, this);
    this.stops.push(unregister);
    this.stops.push(
      // Only this node's pods: the store hands each change to the kubelet of the pod's node.
      this.store.watchIndexed('/registry/pods/', podNodeIndex, this.nodeName, (e) => {
        const pod = (e.type === 'delete' ? e.prev.value : e.kv.value) as Obj;
        if (e.type === 'delete') this.forget(pod.metadata.uid);
        else this.clock.schedule(0, () => this.syncPod(e.kv.value as Obj));
      }),
    );
    for (const kv of this.store.range<KubeObject>('/registry/pods/')) {
      const pod = kv.value as Obj;
      if (pod.spec?.nodeName === this.nodeName) this.clock.schedule(0, () => this.syncPod(pod));
    }
    if (!deferHeartbeats) this.startHeartbeats();
    this.createMirrorPods();
    this.clock.schedule(this.random.between(0, POD_RESYNC_MS), () => this.resyncVolumes());
  }

  /**
   * The periodic pod sync: configMap, secret, downwardAPI and projected volumes pick up changes
   * to their sources (environment variables never do).
   */
  private resyncVolumes(): void {
    if (!this.running) return;
    for (const w of this.workers.values()) {
      if (w.terminating || !w.volumesReady) continue;
      for (const v of w.volumes.values()) {
        const failure = v.refresh?.(w.pod);
        if (failure) this.event(w, undefined, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : ${failure}`);
      }
    }
    this.clock.schedule(POD_RESYNC_MS, () => this.resyncVolumes());
  }

  startHeartbeats(): void {
    this.renewLease();
    this.postNodeStatus();
  }

  /** Node conditions as the kubelet reports them (heartbeat every 5 minutes, or now when it starts). */
  private postNodeStatus(): void {
    if (!this.running) return;
    const node = this.api.getByResource('nodes', '', undefined, this.nodeName);
    if (node) {
      const now = rfc3339(this.clock.now());
      const conditions = ((node.status?.conditions ?? []) as Obj[]).map((c) => {
        const healthy = c.type === 'Ready' ? { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' } : HEALTHY[c.type] ?? {};
        const changed = c.status !== (healthy as Obj).status || !c.lastTransitionTime;
        return { ...c, ...healthy, lastHeartbeatTime: now, lastTransitionTime: changed ? now : c.lastTransitionTime };
      });
      this.api.handle({
        method: 'PUT',
        path: `/api/v1/nodes/${this.nodeName}/status`,
        body: { ...node, status: { ...node.status, conditions } },
        userAgent: `kubelet/${this.nodeName}`,
        query: { fieldManager: 'kubelet' },
      });
    }
    this.clock.schedule(5 * 60_000, () => this.postNodeStatus());
  }

  stop(): void {
    this.running = false;
    for (const s of this.stops.splice(0)) s();
  }

  // ---- pod sync -------------------------------------------------------------------------

  private forget(uid: string): void {
    const w = this.workers.get(uid);
    if (!w) return;
    w.removed = true;
    if (w.podIP && !w.pod.spec?.hostNetwork) this.ipam.release(w.podIP);
    this.workers.delete(uid);
  }

  private syncPod(latest: Obj): void {
    if (!this.running) return;
    const current = this.api.getByResource('pods', '', latest.metadata.namespace, latest.metadata.name);
    if (!current || current.metadata.uid !== latest.metadata.uid) return;
    const pod = current;
    let w = this.workers.get(pod.metadata.uid);
    if (!w) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      w = this.admit(pod);
    }
    w.pod = pod;
    if (pod.metadata.deletionTimestamp && !w.terminating) this.terminate(w, pod.metadata.deletionGracePeriodSeconds ?? 30);
    if (!w.terminating) this.reconcileSpec(w);
    if (!w.terminating) this.syncEphemeral(w);
    // A readiness gate's condition is set by others: Ready follows it on the next sync.
    if (pod.spec?.readinessGates?.length && !w.terminating) this.writeStatus(w);
  }

  private admit(pod: Obj): PodWorker {
    const w: PodWorker = {
      uid: pod.metadata.uid,
      volumes: new Map(),
      volumesReady: false,
      mountBackoffMs: 0,
      pod,
      containers: new Map(),
      sandboxReady: false,
      terminating: false,
      removed: false,
      conditionTimes: new Map(),
      startTime: this.clock.now(),
    };
    for (const c of pod.spec?.initContainers ?? []) w.containers.set(c.name, newContainer(c.name, true, c.restartPolicy === 'Always'));
    for (const c of pod.spec?.containers ?? []) {
      const rt = newContainer(c.name, false, false);
      if ((pod.spec?.initContainers ?? []).length) rt.state = { kind: 'waiting', reason: 'PodInitializing' };
      w.containers.set(c.name, rt);
    }
    this.workers.set(w.uid, w);
    this.writeStatus(w);
    this.mountVolumes(w);
    return w;
  }

  /**
   * Waits for the pod's volumes (WaitForAttachAndMount), retrying failed ones with back-off from
   * 0.5 s doubling to 2 min 2 s, each failure a FailedMount event; then creates the sandbox.
   */
  private mountVolumes(w: PodWorker): void {
    if (w.removed || w.terminating) return;
    const { failures } = setUpVolumes(this.volumeContext, w.pod, w.podIP, w.volumes);
    if (failures.length) {
      for (const f of failures) this.event(w, undefined, 'Warning', 'FailedMount', f.message);
      w.mountBackoffMs = w.mountBackoffMs ? Math.min(MOUNT_BACKOFF_MAX_MS, w.mountBackoffMs * 2) : MOUNT_BACKOFF_INITIAL_MS;
      this.clock.schedule(w.mountBackoffMs, () => this.mountVolumes(w));
      return;
    }
    w.volumesReady = true;
    this.clock.schedule(SANDBOX_MS, () => {
      if (w.removed || w.terminating) return;
      w.podIP = w.pod.spec?.hostNetwork ? this.nodeIP : this.ipam.allocate();
      w.sandboxReady = true;
      this.writeStatus(w);
      this.advance(w);
    });
  }

  /**
   * /etc/hosts, /etc/hostname and /etc/resolv.conf as the kubelet writes them for the sandbox
   * (written when a container first needs them: they depend only on the pod and its IP).
   */
  private podFiles(w: PodWorker): FileTree {
    if (w.podFiles) return w.podFiles;
    w.podFiles = new FileTree(() => this.clock.now());
    const pod = w.pod;
    const hostname = pod.spec?.hostname ?? pod.metadata.name;
    const fqdn = pod.spec?.subdomain ? `${hostname}.${pod.spec.subdomain}.${pod.metadata.namespace}.svc.cluster.local\t${hostname}` : hostname;
    const aliases = ((pod.spec?.hostAliases ?? []) as Obj[]).map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('');
    w.podFiles.write(
      '/etc-hosts',
      `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${w.podIP ?? ''}\t${fqdn}\n${aliases ? `\n# Entries added by HostAliases.\n${aliases}` : ''}`,
    );
    w.podFiles.write('/etc-hostname', `${hostname}\n`);
    const dns = pod.spec?.dnsPolicy ?? 'ClusterFirst';
    const resolv =
      dns === 'Default' || (dns === 'ClusterFirst' && pod.spec?.hostNetwork)
        ? 'nameserver 172.30.0.1\n'
        : `search ${pod.metadata.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`;
    w.podFiles.write('/resolv.conf', resolv);
    return w.podFiles;
  }

  /** The container's file system, created on first use: its image's root file system under a writable layer, with its mounts. */
  private containerFs(w: PodWorker, rt: ContainerRuntime): ContainerFs {
    if (!rt.fs) {
      const spec = this.spec(w, rt.name);
      const rootfs = new FileTree(() => this.clock.now(), imageRootfs(rt.image?.repository ?? 'docker.io/library/busybox'));
      rt.fs = new ContainerFs(rootfs, containerMounts(spec ?? {}, w.volumes, this.podFiles(w)));
    }
    return rt.fs;
  }

  /** A shell in the container (exec, exec probes and hooks) writing to the given streams. */
  private shell(w: PodWorker, rt: ContainerRuntime, stdout: (text: string) => void, stderr: (text: string) => void, stdin?: string): MiniShell {
    const c = this.spec(w, rt.name);
    return new MiniShell({
      // The container's environment as it started: later ConfigMap or Service changes do not reach it.
      env: rt.env ?? {},
      now: () => this.clock.now(),
      hostname: w.pod.spec?.hostname ?? w.pod.metadata.name,
      stdout,
      stderr,
      fs: this.containerFs(w, rt),
      ...(c?.workingDir ? { cwd: c.workingDir } : {}),
      processes: () => [{ pid: 1, args: (rt.argv ?? []).join(' ') }],
      ...(stdin !== undefined ? { stdin } : {}),
      ...(this.networkTools ? { tools: this.containerTools(w, rt) } : {}),
    });
  }

  /** The network tools of the container's image, reading its /etc/resolv.conf and /etc/hosts. */
  private containerTools(w: PodWorker, rt: ContainerRuntime): ToolLookup {
    const fs = this.containerFs(w, rt);
    const read = (path: string) => {
      try {
        return fs.read(path);
      } catch {
        return undefined;
      }
    };
    return this.networkTools!.forContainer(w.pod, rt.image ? { repository: rt.image.repository, tag: rt.image.tag } : undefined, { read });
  }

  /** A changed container image restarts that container, as the kubelet does on a spec change. */
  private reconcileSpec(w: PodWorker): void {
    for (const c of w.pod.spec?.containers ?? []) {
      const rt = w.containers.get(c.name);
      if (!rt || !rt.image || rt.state.kind !== 'running') continue;
      const wanted = normalizeReference(c.image)?.ref;
      if (wanted && wanted !== rt.image.ref) {
        this.event(w, c.name, 'Normal', 'Killing', `Container ${c.name} definition changed, will be restarted`);
        this.stopContainer(w, rt, (w.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, () => this.restartSoon(w, rt, 0));
      }
    }
  }

  /**
   * Ephemeral containers added through the ephemeralcontainers subresource (kubectl debug) start
   * once the pod's sandbox runs; they are never restarted.
   */
  private syncEphemeral(w: PodWorker): void {
    for (const c of (w.pod.spec?.ephemeralContainers ?? []) as Obj[]) {
      if (w.containers.has(c.name)) continue;
      const rt = newContainer(c.name, false, false);
      rt.ephemeral = true;
      w.containers.set(c.name, rt);
      this.writeStatus(w);
      if (w.sandboxReady && !w.terminating) {
        rt.launched = true;
        this.startContainer(w, rt);
      }
    }
  }

  private spec(w: PodWorker, name: string): Obj {
    const spec = w.pod.spec;
    for (const c of (spec?.initContainers ?? []) as Obj[]) if (c.name === name) return c;
    for (const c of (spec?.containers ?? []) as Obj[]) if (c.name === name) return c;
    for (const c of (spec?.ephemeralContainers ?? []) as Obj[]) if (c.name === name) return c;
    return undefined as unknown as Obj;
  }

  /** Decides what to start next: init containers in order, then every app container. */
  private advance(w: PodWorker): void {
    if (w.removed || w.terminating || !w.sandboxReady) return;
    for (const c of (w.pod.spec?.initContainers ?? []) as Obj[]) {
      const rt = w.containers.get(c.name)!;
      if (rt.sidecar) {
        if (rt.state.kind === 'waiting' && !rt.backoffUntil && !rt.pullBackoffUntil && !rt.stopping) this.startContainer(w, rt);
        if (!rt.started) return;
        continue;
      }
      if (rt.state.kind === 'terminated' && rt.state.exitCode === 0) continue;
      if (rt.state.kind === 'waiting' && !rt.backoffUntil && !rt.pullBackoffUntil) this.startContainer(w, rt);
      return;
    }
    for (const c of (w.pod.spec?.containers ?? []) as Obj[]) {
      const rt = w.containers.get(c.name)!;
      if (rt.state.kind === 'waiting' && (rt.state.reason === 'PodInitializing' || rt.state.reason === 'ContainerCreating') && !rt.pullBackoffUntil)
        this.startContainer(w, rt);
      // Containers start one after another: a running postStart hook holds back the rest.
      if (rt.postStartPending) return;
    }
    for (const rt of w.containers.values())
      if (rt.ephemeral && !rt.launched) {
        rt.launched = true;
        this.startContainer(w, rt);
      }
  }

  private event(w: PodWorker, container: string | undefined, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const specList = this.spec(w, container ?? '');
    const isInit = (w.pod.spec?.initContainers ?? []).some((c: Obj) => c.name === container);
    const isEphemeral = !isInit && !(w.pod.spec?.containers ?? []).some((c: Obj) => c.name === container) && (w.pod.spec?.ephemeralContainers ?? []).some((c: Obj) => c.name === container);
    const fieldPath = container && specList ? `spec.${isInit ? 'initContainers' : isEphemeral ? 'ephemeralContainers' : 'containers'}{${container}}` : undefined;
    this.recorder.event(referenceTo(w.pod as KubeObject, fieldPath), type, reason, message);
  }

  private startContainer(w: PodWorker, rt: ContainerRuntime): void {
    const c = this.spec(w, rt.name);
    if (!c) return;
    // Image
    const resolution = this.catalog.resolve(c.image);
    const present = resolution.ok ? this.images.get(resolution.image.ref) : undefined;
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    if (policy === 'Never' && !present) {
      const msg = `Container image "${c.image}" is not present with pull policy of Never`;
      this.event(w, rt.name, 'Warning', 'ErrImageNeverPull', msg);
      rt.state = { kind: 'waiting', reason: 'ErrImageNeverPull', message: msg };
      this.writeStatus(w);
      return;
    }
    if (present && policy !== 'Always') {
      this.event(w, rt.name, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
      this.createAndStart(w, rt, present);
      return;
    }
    const now = this.clock.now();
    if (rt.pullBackoffUntil && now < rt.pullBackoffUntil) return;
    this.event(w, rt.name, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    const instance = rt.instance;
    const pullMs = resolution.ok ? (present ? 600 : this.catalog.pullMillis(resolution.image)) : 900;
    this.clock.schedule(pullMs, () => {
      if (w.removed || w.terminating || rt.instance !== instance) return;
      if (!resolution.ok) {
        this.event(w, rt.name, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${resolution.error}`);
        this.event(w, rt.name, 'Warning', 'Failed', 'Error: ErrImagePull');
        rt.state = { kind: 'waiting', reason: 'ErrImagePull', message: resolution.error };
        rt.pullBackoffMs = rt.pullBackoffMs ? Math.min(MAX_BACKOFF_MS, rt.pullBackoffMs * 2) : INITIAL_BACKOFF_MS;
        rt.pullBackoffUntil = this.clock.now() + rt.pullBackoffMs;
        this.writeStatus(w);
        // The next sync finds the image in back-off.
        this.clock.schedule(SYNC_MS * 2, () => {
          if (w.removed || w.terminating || rt.instance !== instance) return;
          this.event(w, rt.name, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
          this.event(w, rt.name, 'Warning', 'Failed', 'Error: ImagePullBackOff');
          rt.state = { kind: 'waiting', reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` };
          this.writeStatus(w);
        });
        this.clock.schedule(rt.pullBackoffMs, () => {
          if (w.removed || w.terminating || rt.instance !== instance) return;
          rt.pullBackoffUntil = undefined;
          this.startContainer(w, rt);
        });
        return;
      }
      const image = resolution.image;
      this.event(w, rt.name, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${goDuration(pullMs)} (${goDuration(pullMs)} including waiting). Image size: ${image.sizeBytes} bytes.`);
      rt.pullBackoffMs = 0;
      rt.pullBackoffUntil = undefined;
      if (!this.images.has(image.ref)) {
        this.images.set(image.ref, image);
        this.reportImages();
      }
      this.createAndStart(w, rt, image);
    });
  }

  private createAndStart(w: PodWorker, rt: ContainerRuntime, image: ImageInfo): void {
    const c = this.spec(w, rt.name);
    const env = this.resolveEnv(w, c);
    if ('error' in env) {
      this.event(w, rt.name, 'Warning', 'Failed', `Error: ${env.error}`);
      rt.state = { kind: 'waiting', reason: 'CreateContainerConfigError', message: env.error };
      this.writeStatus(w);
      // The kubelet retries on its next sync.
      this.clock.schedule(SYNC_MS * 10, () => {
        if (!w.removed && !w.terminating && rt.state.kind === 'waiting' && rt.state.reason === 'CreateContainerConfigError') this.startContainer(w, rt);
      });
      return;
    }
    rt.instance++;
    const instance = rt.instance;
    this.clock.schedule(CREATE_MS, () => {
      if (w.removed || w.terminating || rt.instance !== instance) return;
      rt.containerID = `containerd://${this.random.hex(64)}`;
      rt.image = image;
      this.event(w, rt.name, 'Normal', 'Created', `Created container ${rt.name}`);
      this.event(w, rt.name, 'Normal', 'Started', `Started container ${rt.name}`);
      const startedAt = this.clock.now();
      rt.state = { kind: 'running', startedAt };
      rt.started = true;
      rt.ready = !rt.isInit || rt.sidecar;
      rt.logs = [];
      rt.stopping = false;
      // A restarted container starts from its image again: files it wrote are gone.
      rt.fs = undefined;
      rt.argv = argvFor(image.repository, c.command, c.args, env.env);
      rt.env = env.env;
      const kubelet = this;
      const ctx: ContainerContext = {
        env: env.env,
        argv: rt.argv,
        hostname: w.pod.spec?.hostname ?? w.pod.metadata.name,
        now: () => this.clock.now(),
        log: (text, stream = 'stdout') => {
          if (rt.instance === instance) rt.logs.push({ time: this.clock.now(), stream, text });
        },
        exit: (code) => {
          if (rt.instance === instance && rt.state.kind === 'running' && !rt.stopping) this.containerExited(w, rt, code);
        },
        after: (ms, fn) => {
          if (ms === Infinity) return;
          this.clock.schedule(ms, () => {
            if (rt.instance === instance && !rt.stopping) fn();
          });
        },
        get fs() {
          return kubelet.containerFs(w, rt);
        },
        setMemory: (bytes) => {
          if (rt.instance !== instance || !rt.process) return;
          rt.process.memoryBytes = bytes;
          this.checkMemory(w, rt);
        },
        ...(c.workingDir ? { cwd: c.workingDir } : {}),
        processes: () => [{ pid: 1, args: (rt.argv ?? []).join(' ') }],
        ...(this.networkTools ? { cluster: this.inClusterAccess(w, rt.argv) } : {}),
      };
      // A bare shell with stdin open (kubectl run -it, debug -it) waits for its input while attached.
      rt.stdinShell = c.stdin === true && scriptFromArgv(rt.argv) === '';
      rt.process = rt.stdinShell ? { ports: [], stopMillis: 0, memoryBytes: 600 * 1024, cpuMillis: 0 } : behaviorFor(image.repository).start(ctx);
      this.checkMemory(w, rt);
      const postStart: Obj | undefined = c.lifecycle?.postStart;
      if (!postStart) {
        this.startProbes(w, rt, instance);
        this.writeStatus(w);
        this.advance(w);
        return;
      }
      // The kubelet's sync waits for the hook: the container shows ContainerCreating until it is done.
      rt.postStartPending = true;
      rt.started = false;
      rt.ready = false;
      this.writeStatus(w);
      this.runHook(w, rt, postStart, 'PostStart', Infinity, (failure) => {
        if (rt.instance !== instance || rt.state.kind !== 'running') return;
        rt.postStartPending = false;
        if (!failure) {
          rt.started = true;
          rt.ready = !rt.isInit || rt.sidecar;
          this.startProbes(w, rt, instance);
          this.writeStatus(w);
          this.advance(w);
          return;
        }
        this.event(w, rt.name, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
        this.event(w, rt.name, 'Normal', 'Killing', 'FailedPostStartHook');
        this.stopContainer(w, rt, (w.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, () => this.afterKill(w, rt));
      });
    });
  }

  /** A process over its memory limit is killed by the kernel's OOM killer (exit 137, OOMKilled). */
  private checkMemory(w: PodWorker, rt: ContainerRuntime): void {
    const limit = this.spec(w, rt.name)?.resources?.limits?.memory;
    if (!limit || !rt.process || rt.process.memoryBytes <= (parseQuantity(String(limit)) ?? Infinity)) return;
    const instance = rt.instance;
    this.clock.schedule(100, () => {
      if (rt.instance === instance && rt.state.kind === 'running') this.containerExited(w, rt, 137, 'OOMKilled');
    });
  }

  /**
   * Runs a lifecycle hook handler (exec, httpGet or sleep) in the container; `done` gets the
   * failure text (for the kubelet's log) or undefined. A hook still running after `timeoutMs` is
   * abandoned.
   */
  private runHook(w: PodWorker, rt: ContainerRuntime, handler: Obj, kind: 'PostStart' | 'PreStop', timeoutMs: number, done: (failure?: string) => void): void {
    let finished = false;
    const finish = (failure?: string) => {
      if (finished) return;
      finished = true;
      done(failure);
    };
    if (timeoutMs !== Infinity) this.clock.schedule(timeoutMs, () => finish(`${kind} hook not completed in grace period`));
    const c = this.spec(w, rt.name);
    if (handler.exec) {
      const command: string[] = handler.exec.command ?? [];
      let output = '';
      const shell = this.shell(
        w,
        rt,
        (t) => (output += t),
        (t) => (output += t),
      );
      const script = scriptFromArgv(command);
      const steps = shell.run(script);
      const step = () => {
        if (finished) return;
        const r = steps.next();
        if (!r.done) {
          if (r.value !== Infinity) this.clock.schedule(r.value, step);
          return;
        }
        if (r.value === 0) return finish();
        finish(`Exec lifecycle hook ([${command.join(' ')}]) for Container "${rt.name}" in Pod "${podRef(w.pod)}" failed - error: command '${command.join(' ')}' exited with ${r.value}: ${output}, message: ${JSON.stringify(output)}`);
      };
      step();
      return;
    }
    if (handler.httpGet) {
      const named = ((c?.ports ?? []) as Obj[]).find((p) => p.name === handler.httpGet.port);
      const port: number | undefined = typeof handler.httpGet.port === 'number' ? handler.httpGet.port : named?.containerPort;
      const path = handler.httpGet.path ?? '/';
      const host = handler.httpGet.host ?? w.podIP ?? '';
      // Only a failed connection fails the hook; any HTTP status is accepted.
      const res = port !== undefined && rt.process?.ports.includes(port) ? rt.process.http?.(port, path) : undefined;
      this.clock.schedule(10, () =>
        res
          ? finish()
          : finish(`HTTP lifecycle hook (${path}) for Container "${rt.name}" in Pod "${podRef(w.pod)}" failed - error: Get "http://${host}:${port}${path}": dial tcp ${host}:${port}: connect: connection refused`),
      );
      return;
    }
    if (handler.sleep) {
      this.clock.schedule((handler.sleep.seconds ?? 0) * 1000, () => finish());
      return;
    }
    finish();
  }

  // ---- probes ---------------------------------------------------------------------------

  /** One probe attempt: undefined on success, else the failure text kubelet reports. */
  private probeOnce(w: PodWorker, rt: ContainerRuntime, probe: Obj): string | undefined {
    const c = this.spec(w, rt.name);
    const ip = w.podIP ?? '';
    const portOf = (p: unknown) => {
      if (typeof p === 'number') return p;
      const named = ((c?.ports ?? []) as Obj[]).find((x) => x.name === p);
      return named?.containerPort as number | undefined;
    };
    const process = rt.process;
    if (probe.httpGet) {
      const port = portOf(probe.httpGet.port);
      const path = probe.httpGet.path ?? '/';
      const scheme = String(probe.httpGet.scheme ?? 'HTTP').toLowerCase();
      const url = `${scheme}://${probe.httpGet.host ?? ip}:${port}${path}`;
      if (!process || port === undefined || !process.ports.includes(port)) return `Get "${url}": dial tcp ${probe.httpGet.host ?? ip}:${port}: connect: connection refused`;
      const tls = process.tlsPorts?.includes(port) ?? false;
      // A TLS server answers a plain HTTP request with 400; a plain server cannot answer a TLS handshake.
      if (tls && scheme === 'http') return 'HTTP probe failed with statuscode: 400';
      if (!tls && scheme === 'https' && process.http) return `Get "${url}": http: server gave HTTP response to HTTPS client`;
      const res = process.http?.(port, path);
      if (!res) return `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused`;
      return res.status >= 200 && res.status < 400 ? undefined : `HTTP probe failed with statuscode: ${res.status}`;
    }
    if (probe.tcpSocket || probe.grpc) {
      const port = portOf((probe.tcpSocket ?? probe.grpc).port);
      if (!process || port === undefined || !process.ports.includes(port)) return `dial tcp ${ip}:${port}: connect: connection refused`;
      return undefined;
    }
    if (probe.exec) {
      let out = '';
      const shell = this.shell(
        w,
        rt,
        (t) => (out += t),
        (t) => (out += t),
      );
      const argv: string[] = probe.exec.command ?? [];
      const script = scriptFromArgv(argv);
      const steps = shell.run(script);
      let r = steps.next();
      while (!r.done) r = steps.next(); // probe commands are expected to be quick
      return r.value === 0 ? undefined : out.trim() || `command ${JSON.stringify(argv.join(' '))} exited with ${r.value}`;
    }
    return undefined;
  }

  private startProbes(w: PodWorker, rt: ContainerRuntime, instance: number): void {
    const c = this.spec(w, rt.name);
    if (!c) return;
    const startup: Obj | undefined = c.startupProbe;
    const liveness: Obj | undefined = c.livenessProbe;
    const readiness: Obj | undefined = c.readinessProbe;
    let startedOk = !startup;
    if (readiness) rt.ready = false;
    if (startup) rt.started = false;
    const alive = () => !w.removed && !w.terminating && rt.instance === instance && rt.state.kind === 'running';
    const run = (kind: 'Startup' | 'Liveness' | 'Readiness', probe: Obj, onResult: (ok: boolean, failures: number, successes: number) => boolean) => {
      let failures = 0;
      let successes = 0;
      const period = (probe.periodSeconds ?? 10) * 1000;
      const tick = () => {
        if (!alive()) return;
        if (kind !== 'Startup' && !startedOk) {
          this.clock.schedule(period, tick);
          return;
        }
        const failure = this.probeOnce(w, rt, probe);
        if (failure) {
          failures++;
          successes = 0;
          this.event(w, rt.name, 'Warning', 'Unhealthy', `${kind} probe failed: ${failure}`);
        } else {
          successes++;
          failures = 0;
        }
        if (onResult(!failure, failures, successes)) this.clock.schedule(period, tick);
      };
      this.clock.schedule((probe.initialDelaySeconds ?? 0) * 1000, tick);
    };
    const restartFor = (kind: string) => {
      this.event(w, rt.name, 'Normal', 'Killing', `Container ${rt.name} failed ${kind} probe, will be restarted`);
      this.stopContainer(w, rt, (w.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, () => this.afterKill(w, rt));
    };
    if (startup)
      run('Startup', startup, (ok, failures) => {
        if (ok) {
          startedOk = true;
          rt.started = true;
          if (!readiness) rt.ready = true;
          this.writeStatus(w);
          return false;
        }
        if (failures >= (startup.failureThreshold ?? 3)) {
          restartFor('startup');
          return false;
        }
        return true;
      });
    if (liveness)
      run('Liveness', liveness, (ok, failures) => {
        if (!ok && failures >= (liveness.failureThreshold ?? 3)) {
          restartFor('liveness');
          return false;
        }
        return true;
      });
    if (readiness)
      run('Readiness', readiness, (ok, failures, successes) => {
        const wasReady = rt.ready;
        if (ok && successes >= (readiness.successThreshold ?? 1)) rt.ready = true;
        if (!ok && failures >= (readiness.failureThreshold ?? 3)) rt.ready = false;
        if (rt.ready !== wasReady) this.writeStatus(w);
        return true;
      });
  }

  private resolveEnv(w: PodWorker, c: Obj): { env: Record<string, string> } | { error: string } {
    const ns = w.pod.metadata.namespace;
    const env: Record<string, string> = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: w.pod.spec?.hostname ?? w.pod.metadata.name,
    };
    if (w.pod.spec?.enableServiceLinks !== false) {
      for (const svc of this.api.listByResource('services', '', ns) as Obj[]) {
        if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') continue;
        const prefix = String(svc.metadata.name).toUpperCase().replace(/-/g, '_');
        const first = svc.spec.ports?.[0];
        if (!first) continue;
        env[`${prefix}_SERVICE_HOST`] = svc.spec.clusterIP;
        env[`${prefix}_SERVICE_PORT`] = String(first.port);
        for (const p of svc.spec.ports ?? []) if (p.name) env[`${prefix}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, '_')}`] = String(p.port);
        env[`${prefix}_PORT`] = `${String(first.protocol).toLowerCase()}://${svc.spec.clusterIP}:${first.port}`;
        for (const p of svc.spec.ports ?? []) {
          const base = `${prefix}_PORT_${p.port}_${p.protocol}`;
          env[base] = `${String(p.protocol).toLowerCase()}://${svc.spec.clusterIP}:${p.port}`;
          env[`${base}_PROTO`] = String(p.protocol).toLowerCase();
          env[`${base}_PORT`] = String(p.port);
          env[`${base}_ADDR`] = svc.spec.clusterIP;
        }
      }
    }
    if (ns !== 'default') {
      // The kubernetes service's variables are present in every namespace.
      env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
      env.KUBERNETES_SERVICE_PORT = '443';
      env.KUBERNETES_SERVICE_PORT_HTTPS = '443';
      env.KUBERNETES_PORT = 'tcp://10.96.0.1:443';
      env.KUBERNETES_PORT_443_TCP = 'tcp://10.96.0.1:443';
      env.KUBERNETES_PORT_443_TCP_PROTO = 'tcp';
      env.KUBERNETES_PORT_443_TCP_PORT = '443';
      env.KUBERNETES_PORT_443_TCP_ADDR = '10.96.0.1';
    }
    for (const from of (c.envFrom ?? []) as Obj[]) {
      const ref = from.configMapRef ?? from.secretRef;
      const kind = from.configMapRef ? 'configmap' : 'secret';
      const obj = this.api.getByResource(from.configMapRef ? 'configmaps' : 'secrets', '', ns, ref?.name);
      if (!obj) {
        if (ref?.optional) continue;
        return { error: `${kind} "${ref?.name}" not found` };
      }
      for (const [k, v] of Object.entries<string>(obj.data ?? {})) env[`${from.prefix ?? ''}${k}`] = kind === 'secret' ? base64Decode(v) : v;
    }
    for (const e of (c.env ?? []) as Obj[]) {
      if (e.value !== undefined) {
        env[e.name] = String(e.value).replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m);
        continue;
      }
      const vf = e.valueFrom ?? {};
      if (vf.configMapKeyRef || vf.secretKeyRef) {
        const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
        const isSecret = !!vf.secretKeyRef;
        const obj = this.api.getByResource(isSecret ? 'secrets' : 'configmaps', '', ns, ref.name);
        if (!obj) {
          if (ref.optional) continue;
          return { error: `${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found` };
        }
        const v = obj.data?.[ref.key];
        if (v === undefined) {
          if (ref.optional) continue;
          return { error: `couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}` };
        }
        env[e.name] = isSecret ? base64Decode(v) : v;
      } else if (vf.fieldRef) {
        env[e.name] = fieldRefValue(w.pod, vf.fieldRef.fieldPath, w.podIP, this.nodeIP);
      } else if (vf.resourceFieldRef) {
        env[e.name] = resourceFieldValue(this.volumeContext, w.pod, vf.resourceFieldRef, c.name);
      }
    }
    if (ns === 'default') {
      env.KUBERNETES_SERVICE_HOST ??= '10.96.0.1';
    }
    return { env };
  }

  private containerExited(w: PodWorker, rt: ContainerRuntime, exitCode: number, reason?: string): void {
    if (rt.state.kind !== 'running') return;
    const now = this.clock.now();
    const startedAt = rt.state.startedAt;
    const terminated = {
      kind: 'terminated' as const,
      exitCode,
      reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      startedAt,
      finishedAt: now,
    };
    rt.state = terminated;
    rt.ready = false;
    rt.process = undefined;
    const policy = w.pod.spec?.restartPolicy ?? 'Always';
    const restart = !rt.ephemeral && (rt.sidecar || policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    if (!restart) {
      this.writeStatus(w);
      this.advance(w);
      this.maybeFinish(w);
      return;
    }
    rt.lastTerminated = { ...terminated, containerID: rt.containerID ?? '' };
    rt.previousLogs = rt.logs;
    // Back-off: the first restart is immediate, then 10 s doubling to 5 min; reset after 10 min of running.
    if (now - startedAt >= BACKOFF_RESET_MS) rt.backoffMs = 0;
    const delay = rt.restartCount === 0 || rt.backoffMs === 0 ? 0 : rt.backoffMs;
    rt.backoffMs = rt.backoffMs === 0 ? INITIAL_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, rt.backoffMs * 2);
    this.writeStatus(w);
    this.restartSoon(w, rt, delay);
  }

  /** After the kubelet killed a container (failed probe or hook): restart it with back-off. */
  private afterKill(w: PodWorker, rt: ContainerRuntime): void {
    const t = rt.state;
    if (t.kind !== 'terminated' || w.terminating) return;
    rt.lastTerminated = { ...t, containerID: rt.containerID ?? '' };
    rt.previousLogs = rt.logs;
    this.restartSoon(w, rt, rt.backoffMs);
    rt.backoffMs = rt.backoffMs === 0 ? INITIAL_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, rt.backoffMs * 2);
    this.writeStatus(w);
  }

  private restartSoon(w: PodWorker, rt: ContainerRuntime, delay: number): void {
    const instance = rt.instance;
    if (delay > 0) {
      this.clock.schedule(SYNC_MS, () => {
        if (w.removed || w.terminating || rt.instance !== instance) return;
        rt.backoffUntil = this.clock.now() + delay - SYNC_MS;
        rt.state = { kind: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${rt.name} pod=${podRef(w.pod)}` };
        this.event(w, rt.name, 'Warning', 'BackOff', `Back-off restarting failed container ${rt.name} in pod ${podRef(w.pod)}`);
        this.writeStatus(w);
      });
    }
    this.clock.schedule(Math.max(SYNC_MS, delay), () => {
      if (w.removed || w.terminating || rt.instance !== instance) return;
      rt.backoffUntil = undefined;
      rt.restartCount++;
      rt.state = { kind: 'waiting', reason: 'ContainerCreating' };
      this.startContainer(w, rt);
    });
  }

  /** Pods whose containers all finished and will not restart reach Succeeded or Failed. */
  private maybeFinish(w: PodWorker): void {
    const all = [...w.containers.values()];
    const apps = all.filter((c) => !c.isInit && !c.ephemeral);
    const initFailed = all.some((c) => c.isInit && !c.sidecar && c.state.kind === 'terminated' && c.state.exitCode !== 0);
    if (!initFailed && !apps.every((c) => c.state.kind === 'terminated')) return;
    // Sidecars are stopped once the app containers are done.
    for (const c of all) if (c.sidecar && c.state.kind === 'running') this.containerExited(w, c, 0);
    this.writeStatus(w);
  }

  /**
   * Stops a running container: its preStop hook first (it counts against the grace period), then
   * SIGTERM, then SIGKILL when the grace period runs out (at least 2 s more after a hook).
   */
  private stopContainer(w: PodWorker, rt: ContainerRuntime, graceMs: number, done: () => void): void {
    if (rt.state.kind !== 'running' || !rt.process) {
      done();
      return;
    }
    const preStop: Obj | undefined = this.spec(w, rt.name)?.lifecycle?.preStop;
    if (!preStop || rt.stopping) {
      this.signalStop(rt, graceMs, done);
      return;
    }
    const started = this.clock.now();
    const instance = rt.instance;
    this.runHook(w, rt, preStop, 'PreStop', graceMs, (failure) => {
      if (rt.instance !== instance) return done();
      if (failure && !failure.endsWith('not completed in grace period')) this.event(w, rt.name, 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
      this.signalStop(rt, Math.max(2000, graceMs - (this.clock.now() - started)), done);
    });
  }

  private signalStop(rt: ContainerRuntime, graceMs: number, done: () => void): void {
    if (rt.state.kind !== 'running' || !rt.process) {
      done();
      return;
    }
    rt.stopping = true;
    const stopMs = rt.process.stopMillis;
    const killed = stopMs > graceMs;
    const instance = rt.instance;
    this.clock.schedule(Math.min(stopMs, graceMs), () => {
      if (rt.instance !== instance || rt.state.kind !== 'running') return done();
      rt.state = { kind: 'terminated', exitCode: killed ? 137 : 0, reason: killed ? 'Error' : 'Completed', startedAt: rt.state.startedAt, finishedAt: this.clock.now() };
      rt.ready = false;
      rt.process = undefined;
      rt.instance++;
      done();
    });
  }

  /** Graceful termination: SIGTERM to every container, SIGKILL after the grace period, then the final delete. */
  private terminate(w: PodWorker, graceSeconds: number): void {
    w.terminating = true;
    const running = [...w.containers.values()].filter((c) => c.state.kind === 'running');
    let remaining = running.length;
    const finish = () => {
      this.writeStatus(w);
      this.api.handle({
        method: 'DELETE',
        path: `/api/v1/namespaces/${w.pod.metadata.namespace}/pods/${w.pod.metadata.name}`,
        body: { gracePeriodSeconds: 0, preconditions: { uid: w.uid } },
        userAgent: `kubelet/${this.nodeName}`,
      });
    };
    if (remaining === 0) {
      this.clock.schedule(SYNC_MS / 2, finish);
      return;
    }
    for (const rt of running) {
      this.event(w, rt.name, 'Normal', 'Killing', `Stopping container ${rt.name}`);
      this.stopContainer(w, rt, graceSeconds * 1000, () => {
        remaining--;
        if (remaining === 0) finish();
      });
    }
  }

  // ---- status -------------------------------------------------------------------------

  private condition(w: PodWorker, type: string, status: boolean, reason?: string, message?: string): Obj {
    const s = status ? 'True' : 'False';
    const prev = w.conditionTimes.get(type);
    if (!prev || prev.status !== s) w.conditionTimes.set(type, { status: s, time: this.clock.now() });
    return {
      type,
      status: s,
      lastProbeTime: null,
      lastTransitionTime: rfc3339(w.conditionTimes.get(type)!.time),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  }

  private containerStatus(w: PodWorker, rt: ContainerRuntime): Obj {
    const c = this.spec(w, rt.name);
    const state: ContainerRuntime['state'] = rt.postStartPending ? { kind: 'waiting', reason: 'ContainerCreating' } : rt.state;
    const stateObj =
      state.kind === 'waiting'
        ? { waiting: { reason: state.reason, ...(state.message ? { message: state.message } : {}) } }
        : state.kind === 'running'
          ? { running: { startedAt: rfc3339(state.startedAt) } }
          : {
              terminated: {
                containerID: rt.containerID,
                exitCode: state.exitCode,
                finishedAt: rfc3339(state.finishedAt),
                reason: state.reason,
                startedAt: rfc3339(state.startedAt),
              },
            };
    const last = rt.lastTerminated;
    return {
      ...(rt.containerID && state.kind !== 'waiting' ? { containerID: rt.containerID } : rt.containerID && last ? { containerID: rt.containerID } : {}),
      image: rt.image ? rt.image.ref : c?.image,
      imageID: rt.image ? imageID(rt.image) : '',
      lastState: last
        ? {
            terminated: {
              containerID: last.containerID,
              exitCode: last.exitCode,
              finishedAt: rfc3339(last.finishedAt),
              reason: last.reason,
              startedAt: rfc3339(last.startedAt),
            },
          }
        : {},
      name: rt.name,
      ready: rt.ephemeral ? false : rt.ready,
      restartCount: rt.restartCount,
      ...(rt.ephemeral ? {} : { started: state.kind === 'running' ? rt.started : false }),
      state: stateObj,
      ...((c?.volumeMounts ?? []).length
        ? {
            volumeMounts: (c.volumeMounts as Obj[]).map((m) => ({
              mountPath: m.mountPath,
              name: m.name,
              ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
            })),
          }
        : {}),
    };
  }

  private buildStatus(w: PodWorker): Obj {
    const pod = w.pod;
    const all = [...w.containers.values()];
    const inits = all.filter((c) => c.isInit);
    const apps = all.filter((c) => !c.isInit && !c.ephemeral);
    const ephemeral = all.filter((c) => c.ephemeral);
    const containerStatuses = apps.map((c) => this.containerStatus(w, c));
    const initContainerStatuses = inits.map((c) => this.containerStatus(w, c));
    // A pod being deleted is terminal once the kubelet has stopped its containers (SyncTerminatingPod).
    const podIsTerminal = w.terminating && all.every((c) => c.state.kind !== 'running');
    let phase = podPhase(pod, initContainerStatuses, containerStatuses, podIsTerminal);
    // Pods are not allowed to transition out of terminal phases.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') phase = pod.status.phase;
    const notReady = apps.filter((c) => !c.ready).map((c) => c.name);
    const incompleteInit = inits.filter((c) => (c.sidecar ? !c.started : !(c.state.kind === 'terminated' && c.state.exitCode === 0))).map((c) => c.name);
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    const readyReason = terminal ? 'PodCompleted' : 'ContainersNotReady';
    const readyMessage = terminal ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
    const scheduled = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled') ?? this.condition(w, 'PodScheduled', true);
    // Readiness gates: the pod is Ready only once each gate's condition (set by others) is True.
    const gates: string[] = [];
    for (const g of (pod.spec?.readinessGates ?? []) as Obj[]) {
      const c = ((pod.status?.conditions ?? []) as Obj[]).find((x) => x.type === g.conditionType);
      if (!c) gates.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
      else if (c.status !== 'True') gates.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
    }
    const conditions = [
      // A finished pod's sandbox is torn down.
      this.condition(w, 'PodReadyToStartContainers', w.sandboxReady && !terminal),
      incompleteInit.length && !terminal
        ? this.condition(w, 'Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`)
        : this.condition(w, 'Initialized', true, terminal ? 'PodCompleted' : undefined),
      notReady.length || terminal
        ? this.condition(w, 'Ready', false, readyReason, readyMessage)
        : gates.length
          ? this.condition(w, 'Ready', false, 'ReadinessGatesNotReady', gates.join(', '))
          : this.condition(w, 'Ready', true),
      notReady.length || terminal ? this.condition(w, 'ContainersReady', false, readyReason, readyMessage) : this.condition(w, 'ContainersReady', true),
      scheduled,
    ];
    // mergePodStatus: conditions other components own (DisruptionTarget, readiness gates) stay, first.
    const foreign = ((pod.status?.conditions ?? []) as Obj[]).filter((c) => !KUBELET_CONDITIONS.has(c.type));
    return {
      conditions: foreign.length ? [...foreign, ...conditions] : conditions,
      containerStatuses,
      hostIP: this.nodeIP,
      hostIPs: [{ ip: this.nodeIP }],
      ...(inits.length ? { initContainerStatuses } : {}),
      ...(ephemeral.length ? { ephemeralContainerStatuses: ephemeral.map((c) => this.containerStatus(w, c)) } : {}),
      phase,
      ...(w.podIP ? { podIP: w.podIP, podIPs: [{ ip: w.podIP }] } : {}),
      qosClass: pod.status?.qosClass,
      startTime: rfc3339(w.startTime ?? this.clock.now()),
    };
  }

  private writeStatus(w: PodWorker): void {
    if (w.removed) return;
    const current = this.api.getByResource('pods', '', w.pod.metadata.namespace, w.pod.metadata.name);
    if (!current || current.metadata.uid !== w.uid) return;
    // What did not change is sent back as read: the API server need not check, compare or freeze it again.
    const status = shareEqual(this.buildStatus({ ...w, pod: current }), current.status) as Obj;
    if (jsonEqual(status, current.status)) return;
    const res = this.api.handle({
      method: 'PUT',
      path: `/api/v1/namespaces/${current.metadata.namespace}/pods/${current.metadata.name}/status`,
      body: { ...current, status },
      userAgent: `kubelet/${this.nodeName}`,
      query: { fieldManager: 'kubelet' },
    });
    if (res.status === 200) w.pod = res.body as Obj;
  }

  /** Node status lists the images present (most recent kubelets list up to 50). */
  private reportImages(): void {
    const node = this.api.getByResource('nodes', '', undefined, this.nodeName);
    if (!node) return;
    const images = [...this.images.values()]
      .sort((a, b) => b.sizeBytes - a.sizeBytes)
      .slice(0, 50)
      .map((i) => ({ names: [`${i.repository}@${i.digest}`, i.ref], sizeBytes: i.sizeBytes }));
    this.api.handle({
      method: 'PUT',
      path: `/api/v1/nodes/${this.nodeName}/status`,
      body: { ...node, status: { ...node.status, images } },
      userAgent: `kubelet/${this.nodeName}`,
      query: { fieldManager: 'kubelet' },
    });
  }

  private renewLease(): void {
    if (!this.running) return;
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.nodeName}`;
    const now = new Date(this.clock.now()).toISOString().replace('Z', '000Z');
    const existing = this.api.getByResource('leases', 'coordination.k8s.io', 'kube-node-lease', this.nodeName);
    const node = this.api.getByResource('nodes', '', undefined, this.nodeName);
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime: now };
    if (existing) {
      this.api.handle({ method: 'PUT', path, body: { ...existing, spec: { ...existing.spec, ...spec } }, userAgent: `kubelet/${this.nodeName}`, query: { fieldManager: 'kubelet' } });
    } else {
      this.api.handle({
        method: 'POST',
        path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
        userAgent: `kubelet/${this.nodeName}`,
        query: { fieldManager: 'kubelet' },
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: this.nodeName,
            namespace: 'kube-node-lease',
            ...(node ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata.uid }] } : {}),
          },
          spec,
        },
      });
    }
    this.clock.schedule(LEASE_RENEW_MS, () => this.renewLease());
  }

  // ---- stats (the kubelet's /stats/summary, which metrics-server scrapes) -----------------

  /** Current usage of every running container, by pod; plus the node's own (system) usage. */
  stats(): NodeStats {
    const pods: PodStats[] = [];
    let cpu = SYSTEM_USAGE.cpuMillis;
    let memory = SYSTEM_USAGE.memoryBytes;
    for (const w of this.workers.values()) {
      const containers = [...w.containers.values()]
        .filter((rt) => rt.state.kind === 'running' && rt.process)
        .map((rt) => ({ name: rt.name, cpuMillis: rt.process!.cpuMillis, memoryBytes: rt.process!.memoryBytes }));
      for (const c of containers) {
        cpu += c.cpuMillis;
        memory += c.memoryBytes;
      }
      if (containers.length) pods.push({ namespace: w.pod.metadata.namespace, name: w.pod.metadata.name, uid: w.uid, containers });
    }
    return { node: { cpuMillis: cpu, memoryBytes: memory }, pods };
  }

  // ---- NodeAgent: logs and exec ---------------------------------------------------------

  containerLogs(pod: Obj, options: LogOptions): string {
    const w = this.workers.get(pod.metadata.uid);
    const rt = w?.containers.get(options.container);
    const name = pod.metadata.name;
    if (!rt) throw badRequest(`container "${options.container}" in pod "${name}" is waiting to start: ContainerCreating`);
    let lines: LogLine[];
    if (options.previous) {
      if (!rt.previousLogs) throw badRequest(`previous terminated container "${options.container}" in pod "${name}" not found`);
      lines = rt.previousLogs;
    } else {
      if (!rt.containerID) {
        const reason = rt.state.kind === 'waiting' ? rt.state.reason : 'ContainerCreating';
        const text = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
        throw badRequest(`container "${options.container}" in pod "${name}" is waiting to start: ${text}`);
      }
      lines = rt.state.kind === 'waiting' && rt.previousLogs ? rt.previousLogs : rt.logs;
    }
    const now = this.clock.now();
    if (options.sinceSeconds !== undefined) lines = lines.filter((l) => l.time >= now - options.sinceSeconds! * 1000);
    if (options.tailLines !== undefined) lines = options.tailLines <= 0 ? [] : lines.slice(-options.tailLines);
    let text = lines.map((l) => `${options.timestamps ? `${new Date(l.time).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ` : ''}${l.text}\n`).join('');
    if (options.limitBytes !== undefined) text = text.slice(0, options.limitBytes);
    return text;
  }

  stdinEnded(pod: Obj, container: string, exitCode: number): void {
    const w = this.workers.get(pod.metadata.uid);
    const rt = w?.containers.get(container);
    if (!w || !rt || !rt.stdinShell || rt.state.kind !== 'running' || rt.stopping) return;
    this.containerExited(w, rt, exitCode);
  }

  waitsOnStdin(pod: Obj, container: string): boolean {
    const rt = this.workers.get(pod.metadata.uid)?.containers.get(container);
    return !!rt && rt.stdinShell === true && rt.state.kind === 'running';
  }

  async exec(pod: Obj, options: ExecOptions, streams: ExecStreams): Promise<number> {
    const w = this.workers.get(pod.metadata.uid);
    const rt = w?.containers.get(options.container);
    if (!w || !rt || rt.state.kind !== 'running') throw badRequest(`unable to upgrade connection: container not found ("${options.container}")`);
    const shell = this.shell(
      w,
      rt,
      (t) => streams.stdout(t),
      (t) => streams.stderr(t),
      streams.stdin,
    );
    const argv = options.command;
    const script = scriptFromArgv(argv);
    if (!EXECUTABLES.has(argv[0] ?? '') && !(this.networkTools && this.containerTools(w, rt)(argv[0] ?? ''))) {
      streams.stderr(`error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${this.random.hex(64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown\n`);
      return 128;
    }
    // Driven on the virtual clock; resolves when the command finishes.
    return new Promise((resolve) => {
      const steps = shell.run(script);
      const step = () => {
        const r = steps.next();
        if (r.done) resolve(r.value);
        else if (r.value !== Infinity) this.clock.schedule(r.value, step);
      };
      step();
    });
  }
}

/**
 * getPhase (pkg/kubelet/kubelet_pods.go, 1.32) over the container statuses the kubelet reports.
 * Regular init containers still to run, or any container not yet started, keep the pod Pending; a
 * regular init container that failed fails the pod only under restartPolicy Never. Restartable
 * init containers (sidecars) count as running while they run and are otherwise left out, except
 * that one not yet started keeps the pod Pending until a regular container has started. Once
 * every regular container has started the pod is Running while one runs; when none does, it is
 * Running if they will be restarted (Always; OnFailure after a failure), else Succeeded when
 * all exited 0 and Failed when one did not. `podIsTerminal` (the pod is being deleted and its
 * containers are stopped) makes a stopped pod Succeeded or Failed whatever its restartPolicy,
 * except a static pod.
 */
export function podPhase(pod: Obj, initStatuses: Obj[], statuses: Obj[], podIsTerminal: boolean): string {
  const spec = pod.spec ?? {};
  const statusOf = (list: Obj[], name: string) => list.find((s) => s.name === name);
  const lastTerminated = (s: Obj) => s.lastState?.terminated as Obj | undefined;
  let pendingRegularInit = 0;
  let pendingRestartableInit = 0;
  let failedInit = 0;
  for (const c of (spec.initContainers ?? []) as Obj[]) {
    if (c.restartPolicy === 'Always') continue;
    const s = statusOf(initStatuses, c.name);
    if (!s || s.state?.running) pendingRegularInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      const last = lastTerminated(s);
      if (!last) pendingRegularInit++;
      else if (last.exitCode !== 0) failedInit++;
    } else pendingRegularInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of (spec.initContainers ?? []) as Obj[]) {
    if (c.restartPolicy !== 'Always') continue;
    const s = statusOf(initStatuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) {
      if (!s.started) pendingRestartableInit++;
      running++;
    } else if (s.state?.terminated) {
      // Stopped sidecars do not count towards the phase.
    } else if (s.state?.waiting) {
      if (!lastTerminated(s)) {
        pendingRestartableInit++;
        waiting++;
      }
    } else {
      pendingRestartableInit++;
      unknown++;
    }
  }
  for (const c of (spec.containers ?? []) as Obj[]) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (lastTerminated(s)) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = spec.restartPolicy ?? 'Always';
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  // HasAnyRegularContainerStarted: a regular container running or terminated.
  const regularStarted = statuses.some((s) => (spec.containers ?? []).some((c: Obj) => c.name === s.name) && (s.state?.running || s.state?.terminated));
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !regularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    const isStatic = (pod.metadata?.annotations?.['kubernetes.io/config.source'] ?? 'api') !== 'api';
    if (podIsTerminal && !isStatic) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

const HEALTHY: Record<string, Obj> = {
  MemoryPressure: { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  DiskPressure: { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
};

const imageIDs = new WeakMap<ImageInfo, string>();

/** The image's repo digest, built once per image and shared by every container status. */
function imageID(image: ImageInfo): string {
  let id = imageIDs.get(image);
  if (!id) imageIDs.set(image, (id = `${image.repository}@${image.digest}`));
  return id;
}

function badRequest(message: string): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}
