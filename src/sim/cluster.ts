/**
 * A simulated kubeadm cluster: clock, store, API server, controllers, and the objects kubeadm
 * bootstraps. Everything is created through the API server, as the real components do.
 */
import { DEFAULT_LOAD_BALANCER_POOL, ingressNginxObjects, ingressNginxStatusController, MetricsServer, startLoadBalancerPool } from './addons/index';
import { apiVersionOf, type ApiServer, type KubeObject } from './apiserver';
import { parseQuantity } from './apiserver/quantity';
import { ApiServer as Server } from './apiserver';
import { kubernetesEndpoints, kubernetesService, kubeSystemObjects, priorityClasses, SYSTEM_NAMESPACES } from './bootstrap/kubeadm';
import { bootstrapPolicy, COREDNS_RBAC, KUBE_PROXY_RBAC, KUBEADM_RBAC } from './bootstrap/rbac-policy';
import { staticPodManifests } from './bootstrap/static-pods';
import { InProcessClient, type ApiClient } from './client';
import { VirtualClock } from './clock';
import { ControllerManager, clusterRoleAggregationController, disruptionController, horizontalPodAutoscalerController, tokensController, cronJobController, localPathProvisioner, localPathStorageClass, persistentVolumeBinder, statefulSetController, daemonSetController, endpointsController, endpointSliceController, jobController, ttlAfterFinishedController, deploymentController, garbageCollector, namespaceController, replicaSetController, replicationControllerController, NodeLifecycleController, PodGarbageCollector, resourceQuotaController, rootCACertPublisher, serviceAccountController } from './controllers/index';
import { intToIp, ipToInt, subnet } from './ip';
import { ClusterDns, ClusterNetwork, NetworkTools, type NetworkDirectory, type NodeAtIP } from './network/index';
import { SeededRandom } from './random';
import { ImageCatalog, Kubelet, NetworkStorage } from './node/index';
import { Scheduler } from './scheduler/index';
import { Store } from './store';

export const KUBERNETES_VERSION = 'v1.32.4';
/** The commit v1.32.4 was built from, as component user agents carry it. */
const GIT_COMMIT = '59526cd';
const APISERVER_AGENT = `kube-apiserver/${KUBERNETES_VERSION} (linux/amd64) kubernetes/${GIT_COMMIT}`;

/** 2025-06-02T09:00:00Z: the default instant a simulated cluster is created. */
export const DEFAULT_EPOCH = Date.UTC(2025, 5, 2, 9, 0, 0);

export interface NodeSpec {
  name: string;
  role: 'control-plane' | 'worker';
  /** CPU capacity as a quantity ("2" by default). */
  cpu?: string;
  /** Memory capacity as a quantity (about 3.8Gi by default, as a 4 GiB VM reports). */
  memory?: string;
}

export interface ClusterOptions {
  seed?: number;
  /** Virtual time (Unix ms) at which kubeadm init runs. */
  epoch?: number;
  nodes?: NodeSpec[];
  /** How long the cluster has been up when the learner arrives. */
  uptimeMs?: number;
  /** kubeadm's --pod-network-cidr; each node gets the next /24 of it. */
  podSubnet?: string;
  /** Virtual time between workers joining (default: 5–25 s each, seeded). */
  joinIntervalMs?: number;
  /**
   * Dynamic storage: "local-path" (the default) installs a default StorageClass and a local-path
   * style provisioner, as single-node and lab clusters have; "none" leaves kubeadm's bare cluster.
   */
  storage?: 'local-path' | 'none';
  /** Installs metrics-server (kubeadm does not), so `kubectl top` and autoscaling have metrics. */
  metricsServer?: boolean;
  /**
   * A load-balancer pool (MetalLB-style, layer 2) that gives LoadBalancer Services an
   * EXTERNAL-IP: true for the default pool, or a range "A.B.C.D-E.F.G.H" or CIDR. Without one
   * they stay <pending>, as on a bare kubeadm cluster.
   */
  loadBalancerPool?: boolean | string;
  /** Installs ingress-nginx (the bare-metal manifest: controller behind a NodePort Service, IngressClass nginx). */
  ingressNginx?: boolean;
}

export const DEFAULT_NODES: NodeSpec[] = [
  { name: 'controlplane', role: 'control-plane' },
  { name: 'node01', role: 'worker' },
  { name: 'node02', role: 'worker' },
];

export interface Cluster {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly store: Store;
  readonly api: ApiServer;
  /** A client for in-process callers (kubectl, labs, UI). */
  readonly client: ApiClient;
  readonly nodes: readonly NodeSpec[];
  readonly controllers: ControllerManager;
  readonly scheduler: Scheduler;
  readonly kubelets: ReadonlyMap<string, Kubelet>;
  readonly images: ImageCatalog;
  readonly nodeLifecycle: NodeLifecycleController;
  readonly podGC: PodGarbageCollector;
  /** Joins a new node (kubeadm join): its Node object, kubelet and heartbeats. */
  addNode(spec: NodeSpec): Kubelet;
  /** Removes a node as `kubeadm reset` and `kubectl delete node` do; its pods are collected by PodGC. */
  removeNode(name: string): void;
  /** Installs metrics-server: the metrics.k8s.io API becomes Available after its first scrape. */
  installMetricsServer(): MetricsServer;
  /** Turns on a load-balancer pool (see ClusterOptions.loadBalancerPool); once per cluster. */
  enableLoadBalancerPool(pool?: string): void;
  /** Applies ingress-nginx's bare-metal install, as `kubectl apply -f deploy.yaml` would. */
  installIngressNginx(): void;
  /** Pod and Service networking: kube-proxy's routing, NetworkPolicy, delivery to processes. */
  readonly network: ClusterNetwork;
  /** Cluster DNS (CoreDNS) and the network tools pods and nodes run. */
  readonly networkTools: NetworkTools;
}

/** Creates an object through the API server as a bootstrap component; throws if it is refused. */
export function createAs(api: ApiServer, userAgent: string, obj: KubeObject): KubeObject {
  const type = api.registry.byKind(obj.apiVersion, obj.kind);
  if (!type) throw new Error(`bootstrap: no resource for ${obj.apiVersion} ${obj.kind}`);
  const base = type.group ? `/apis/${apiVersionOf(type)}` : `/api/${type.version}`;
  const ns = type.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
  const res = api.handle({ method: 'POST', path: `${base}${ns}/${type.name}`, body: obj, userAgent });
  if (res.status !== 201) throw new Error(`bootstrap: creating ${obj.kind} ${obj.metadata.name} failed: ${JSON.stringify(res.body)}`);
  return res.body as KubeObject;
}

export function createCluster(options: ClusterOptions = {}): Cluster {
  const seed = options.seed ?? 1;
  const clock = new VirtualClock(options.epoch ?? DEFAULT_EPOCH);
  const random = new SeededRandom(seed);
  const store = new Store();
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(KUBERNETES_VERSION)!;
  const api = new Server(store, clock, random, { major: major!, minor: minor!, gitVersion: KUBERNETES_VERSION });
  const nodes = options.nodes ?? DEFAULT_NODES;
  const controllers = new ControllerManager(api, store, clock, `kube-controller-manager/${KUBERNETES_VERSION} (linux/amd64) kubernetes/${GIT_COMMIT}`);
  const caCert = caCertificate(random);

  // kubeadm init: the API server creates the system namespaces, the kubernetes Service and
  // the system PriorityClasses; kubeadm then adds its kube-system objects.
  for (const ns of SYSTEM_NAMESPACES) createAs(api, 'kube-apiserver', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const pc of priorityClasses()) createAs(api, 'kube-apiserver', pc);
  // Its rbac/bootstrap-roles hook: the default roles and bindings (admin, edit, view, system:*).
  for (const obj of bootstrapPolicy()) createAs(api, APISERVER_AGENT, obj as KubeObject);
  createAs(api, 'kube-apiserver', kubernetesService());
  for (const obj of kubernetesEndpoints(nodeIP(0))) createAs(api, 'kube-apiserver', obj);
  for (const c of [clusterRoleAggregationController(), serviceAccountController(), tokensController(caCert), rootCACertPublisher(caCert), namespaceController(), resourceQuotaController(), replicaSetController(), replicationControllerController(), deploymentController(), daemonSetController(), jobController(), cronJobController(), ttlAfterFinishedController(), endpointsController(), endpointSliceController(), statefulSetController(), disruptionController(), horizontalPodAutoscalerController(), persistentVolumeBinder(), garbageCollector()]) controllers.add(c);
  // ingress-nginx's status and events: it acts only while a controller pod runs (an install, or the manifest applied by hand).
  controllers.add(ingressNginxStatusController());
  // The local-path provisioner reaches node disks through the kubelets (created below).
  if (options.storage !== 'none') controllers.add(localPathProvisioner({ nodeFs: (node) => kubelets.get(node)?.hostFs }));
  controllers.drain();
  const controlPlaneIP = nodeIP(0);
  for (const obj of [...KUBEADM_RBAC(), ...COREDNS_RBAC(), ...KUBE_PROXY_RBAC()]) createAs(api, 'kubeadm', obj as KubeObject);
  for (const obj of kubeSystemObjects(KUBERNETES_VERSION, controlPlaneIP)) createAs(api, 'kubeadm', obj);
  if (options.storage !== 'none') createAs(api, 'kubectl', localPathStorageClass() as KubeObject);
  const images = new ImageCatalog();
  const scheduler = new Scheduler(api, store, clock, random);
  scheduler.start();
  const kubelets = new Map<string, Kubelet>();
  const nodeAt = (k: Kubelet): NodeAtIP => ({
    name: k.nodeName,
    ip: k.nodeIP,
    podCIDR: api.getByResource('nodes', '', undefined, k.nodeName)?.spec?.podCIDR ?? '',
    listener: (port) => k.hostListener(port),
  });
  const directory: NetworkDirectory = {
    podByIP: (ip) => {
      for (const k of kubelets.values()) {
        const pod = k.podAt(ip);
        if (pod) return pod;
      }
      return undefined;
    },
    nodeByIP: (ip) => {
      for (const k of kubelets.values()) if (k.nodeIP === ip) return nodeAt(k);
      return undefined;
    },
    nodeByName: (name) => {
      const k = kubelets.get(name);
      return k ? nodeAt(k) : undefined;
    },
    nodes: () => [...kubelets.values()].map(nodeAt),
  };
  // The network draws from its own seeded stream, so trying a Service never shifts generated names.
  const network = new ClusterNetwork(api, directory, new SeededRandom(seed * 7919 + 17), () => clock.now());
  const networkTools = new NetworkTools(network, new ClusterDns(api, new SeededRandom(seed * 104_729 + 3)), () => clock.now());
  const podSubnet = options.podSubnet ?? '10.244.0.0/16';
  const storage = new NetworkStorage(() => clock.now());
  const allNodes: NodeSpec[] = [];
  let nextIndex = 0;
  const joinNode = (spec: NodeSpec): Kubelet => {
    if (kubelets.has(spec.name)) throw new Error(`cluster: node ${spec.name} already exists`);
    const index = nextIndex++;
    const podCIDR = subnet(podSubnet, 24, index);
    if (!podCIDR) throw new Error(`cluster: pod subnet ${podSubnet} has no /24 left for node ${spec.name}`);
    createAs(api, `kubelet/${spec.name}`, nodeObject(spec, index, podCIDR, random));
    const kubelet = new Kubelet(spec.name, api, store, clock, random, images, storage);
    kubelet.preload([`registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`, 'registry.k8s.io/pause:3.10']);
    if (spec.role === 'control-plane') {
      kubelet.preload([
        'registry.k8s.io/etcd:3.5.16-0',
        'registry.k8s.io/coredns/coredns:v1.11.3',
        ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => `registry.k8s.io/${c}:${KUBERNETES_VERSION}`),
      ]);
      kubelet.setStaticPods(staticPodManifests(KUBERNETES_VERSION, nodeIP(index)));
    }
    kubelet.setNetworkTools(networkTools);
    kubelets.set(spec.name, kubelet);
    allNodes.push(spec);
    writeHostFiles(kubelets);
    return kubelet;
  };
  nodes.forEach((spec, index) => {
    // The control plane registers first; workers join a minute or so later.
    if (index > 0) clock.advance(options.joinIntervalMs ?? (index === 1 ? random.between(45_000, 90_000) : random.between(5_000, 25_000)));
    joinNode(spec).start(true);
  });
  const installIngressNginx = (): void => {
    for (const obj of ingressNginxObjects()) createAs(api, 'kubectl-client-side-apply', obj);
  };
  // Installed right after the nodes joined: its pods run by the time the learner arrives.
  if (options.ingressNginx) installIngressNginx();
  // The cluster has been up a while when the learner arrives. Heartbeats are not replayed over
  // that time: they start now, fresh, together with the node lifecycle controller.
  clock.advance(options.uptimeMs ?? 30 * 60_000);
  for (const kubelet of kubelets.values()) kubelet.startHeartbeats();
  const nodeLifecycle = new NodeLifecycleController(api, clock);
  nodeLifecycle.start();
  const podGC = new PodGarbageCollector(api, clock);
  podGC.start();

  let metrics: MetricsServer | undefined;
  const installMetricsServer = (): MetricsServer => {
    if (metrics) return metrics;
    metrics = new MetricsServer(api, clock, { nodeNames: () => [...kubelets.keys()], stats: (n) => (kubelets.get(n)?.isRunning ? kubelets.get(n)!.stats() : undefined) }, seed);
    metrics.start();
    return metrics;
  };
  if (options.metricsServer) installMetricsServer();
  let loadBalancers: ControllerManager | undefined;
  const enableLoadBalancerPool = (pool = DEFAULT_LOAD_BALANCER_POOL): void => {
    if (loadBalancers) throw new Error('cluster: a load-balancer pool is already enabled');
    loadBalancers = startLoadBalancerPool(api, store, clock, pool);
  };
  if (options.loadBalancerPool) enableLoadBalancerPool(options.loadBalancerPool === true ? undefined : options.loadBalancerPool);

  const addNode = (spec: NodeSpec): Kubelet => {
    const kubelet = joinNode(spec);
    kubelet.start();
    return kubelet;
  };
  const removeNode = (name: string): void => {
    const kubelet = kubelets.get(name);
    if (!kubelet) throw new Error(`cluster: no node ${name}`);
    kubelet.stop();
    kubelets.delete(name);
    allNodes.splice(allNodes.findIndex((n) => n.name === name), 1);
    api.handle({ method: 'DELETE', path: `/api/v1/nodes/${name}`, userAgent: 'kubectl' });
  };

  return { clock, random, store, api, client: new InProcessClient(api, clock), nodes: allNodes, controllers, scheduler, kubelets, images, nodeLifecycle, podGC, addNode, removeNode, installMetricsServer, enableLoadBalancerPool, installIngressNginx, network, networkTools };
}

/**
 * Each node's /etc/hosts names every node (as lab machines are set up, so `ssh node01` and
 * `curl node01:30080` work) and its /etc/resolv.conf points at the network's own resolver.
 */
function writeHostFiles(kubelets: ReadonlyMap<string, Kubelet>): void {
  const entries = [...kubelets.values()].map((k) => `${k.nodeIP} ${k.nodeName}\n`).join('');
  for (const k of kubelets.values()) {
    k.hostFs.write('/etc/hosts', `127.0.0.1 localhost\n${entries}\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n`);
    k.hostFs.write('/etc/resolv.conf', 'nameserver 172.30.0.1\nsearch .\n');
  }
}

/** Node addresses: 172.30.1.2 for the first node, then one /24 further for each. */
function nodeIP(index: number): string {
  return intToIp(ipToInt('172.30.0.2') + (index + 1) * 256);
}

/** A PEM block with seeded content, standing in for the cluster CA certificate. */
function caCertificate(random: SeededRandom): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const body = random.string(1040, alphabet);
  const lines = body.match(/.{1,64}/g)!;
  return `-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgI${lines.join('\n').slice(19)}\n-----END CERTIFICATE-----\n`;
}

function nodeObject(spec: NodeSpec, index: number, podCIDR: string, random: SeededRandom): KubeObject {
  const controlPlane = spec.role === 'control-plane';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': spec.name,
    'kubernetes.io/os': 'linux',
  };
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  // A VM's kernel keeps part of its RAM: a 4 GiB machine reports 4015520Ki, and others the same share.
  const memoryKi = spec.memory ? Math.floor(((parseQuantity(spec.memory) ?? 0) / 1024) * (4015520 / 4194304)) : 4015520;
  const capacity = {
    cpu: spec.cpu ?? '2',
    'ephemeral-storage': '20134592Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${memoryKi}Ki`,
    pods: '110',
  };
  // kubeadm's kubelet reserves nothing but keeps 100Mi for hard eviction.
  const allocatable = { ...capacity, 'ephemeral-storage': '18556039957', memory: `${memoryKi - 102400}Ki` };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR,
      podCIDRs: [podCIDR],
      ...(controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: nodeIP(index) },
        { type: 'Hostname', address: spec.name },
      ],
      allocatable,
      capacity,
      conditions: [
        { type: 'MemoryPressure', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
      ]
        .map((c) => ({ ...c, status: 'False' }))
        .concat([{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }]),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: random.uuid(),
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '5.15.0-131-generic',
        kubeProxyVersion: KUBERNETES_VERSION,
        kubeletVersion: KUBERNETES_VERSION,
        machineID: random.hex(32),
        operatingSystem: 'linux',
        osImage: 'Ubuntu 22.04.5 LTS',
        systemUUID: random.uuid(),
      },
    },
  };
}
