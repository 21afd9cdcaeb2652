/**
 * A simulated kubeadm cluster: clock, store, API server, and the objects kubeadm bootstraps.
 * The walking skeleton bootstraps namespaces and nodes; later issues add the control-plane
 * pods, controllers and kubelets.
 */
import { ApiServer, type KubeObject } from './apiserver';
import { InProcessClient, type ApiClient } from './client';
import { VirtualClock } from './clock';
import { SeededRandom } from './random';
import { Store } from './store';

export const KUBERNETES_VERSION = 'v1.32.4';

/** 2025-06-02T09:00:00Z: the default instant a simulated cluster is created. */
export const DEFAULT_EPOCH = Date.UTC(2025, 5, 2, 9, 0, 0);

export interface NodeSpec {
  name: string;
  role: 'control-plane' | 'worker';
}

export interface ClusterOptions {
  seed?: number;
  /** Virtual time (Unix ms) at which kubeadm init runs. */
  epoch?: number;
  nodes?: NodeSpec[];
  /** How long the cluster has been up when the learner arrives. */
  uptimeMs?: number;
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
}

export function createCluster(options: ClusterOptions = {}): Cluster {
  const seed = options.seed ?? 1;
  const clock = new VirtualClock(options.epoch ?? DEFAULT_EPOCH);
  const random = new SeededRandom(seed);
  const store = new Store();
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(KUBERNETES_VERSION)!;
  const api = new ApiServer(store, clock, random, { major: major!, minor: minor!, gitVersion: KUBERNETES_VERSION });
  const nodes = options.nodes ?? DEFAULT_NODES;

  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) api.create(namespaceObject(ns));
  nodes.forEach((spec, index) => {
    // kubeadm init brings up the control plane first; workers join a minute or so later.
    if (index > 0) clock.advance(index === 1 ? random.between(45_000, 90_000) : random.between(5_000, 25_000));
    api.create(nodeObject(spec, index, random));
  });
  clock.advance(options.uptimeMs ?? 30 * 60_000);

  return { clock, random, store, api, client: new InProcessClient(api), nodes };
}

function namespaceObject(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

function nodeObject(spec: NodeSpec, index: number, random: SeededRandom): KubeObject {
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
  const internalIP = `172.30.${index + 1}.2`;
  const podCIDR = `10.244.${index}.0/24`;
  const capacity = {
    cpu: '2',
    'ephemeral-storage': '20134592Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '4015520Ki',
    pods: '110',
  };
  const allocatable = { ...capacity, 'ephemeral-storage': '18556039957', memory: '3913120Ki' };
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
        { type: 'InternalIP', address: internalIP },
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
