/**
 * metrics-server (kubernetes-sigs/metrics-server v0.7): scrapes every kubelet's usage every 15 s
 * and serves it as the aggregated metrics.k8s.io/v1beta1 API (NodeMetrics, PodMetrics) that
 * `kubectl top` and the HorizontalPodAutoscaler read. CPU is a rate, so a pod appears only once
 * two scrapes have seen it. Not part of kubeadm: a cluster gets it when it is installed.
 */
import { ApiError, goDuration, matchesLabels, parseLabelSelector, rfc3339, type AggregatedApi, type AggregatedTarget, type ApiRequest, type ApiResponse, type ApiServer } from '../apiserver';
import type { VirtualClock } from '../clock';
import type { NodeStats } from '../node/index';
import { SeededRandom } from '../random';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const METRIC_RESOLUTION_MS = 15_000;
const GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const API_VERSION = `${GROUP}/${VERSION}`;

/** Where metrics-server reads usage from: each node's kubelet summary. */
export interface StatsSource {
  nodeNames(): string[];
  stats(node: string): NodeStats | undefined;
}

interface Sample {
  timestamp: number;
  window: number;
  cpuNano: number;
  memoryBytes: number;
}

interface PodSample {
  namespace: string;
  name: string;
  timestamp: number;
  window: number;
  containers: { name: string; cpuNano: number; memoryBytes: number }[];
}

export class MetricsServer implements AggregatedApi {
  readonly group = GROUP;
  readonly version = VERSION;
  readonly resources = [
    { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
  ];
  private nodes = new Map<string, Sample>();
  private pods = new Map<string, PodSample>();
  /** Pod UIDs seen in the previous scrape: a rate needs two points. */
  private seen = new Set<string>();
  private running = false;
  private readonly random: SeededRandom;

  constructor(
    private readonly api: ApiServer,
    private readonly clock: VirtualClock,
    private readonly source: StatsSource,
    seed: number,
  ) {
    // Its own random stream, so installing it does not change names elsewhere in the cluster.
    this.random = new SeededRandom(seed ^ 0x6d657472);
  }

  /** Registers the APIService and starts scraping; the API is Available after the first scrape. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.api.registerAggregatedApi(this);
    if (!this.api.getByResource('apiservices', 'apiregistration.k8s.io', undefined, `${VERSION}.${GROUP}`)) {
      this.api.handle({
        method: 'POST',
        path: '/apis/apiregistration.k8s.io/v1/apiservices',
        userAgent: 'kubectl',
        body: {
          apiVersion: 'apiregistration.k8s.io/v1',
          kind: 'APIService',
          metadata: { name: `${VERSION}.${GROUP}`, labels: { 'k8s-app': 'metrics-server' } },
          spec: { group: GROUP, groupPriorityMinimum: 100, insecureSkipTLSVerify: true, service: { name: 'metrics-server', namespace: 'kube-system', port: 443 }, version: VERSION, versionPriority: 100 },
        },
      });
      this.setAvailable(false);
    }
    const loop = () => {
      if (!this.running) return;
      this.scrape();
      this.clock.schedule(METRIC_RESOLUTION_MS, loop);
    };
    this.clock.schedule(this.random.between(1000, METRIC_RESOLUTION_MS), loop);
  }

  stop(): void {
    this.running = false;
    this.setAvailable(false);
  }

  private setAvailable(available: boolean): void {
    const svc = this.api.getByResource('apiservices', 'apiregistration.k8s.io', undefined, `${VERSION}.${GROUP}`);
    if (!svc) return;
    const current = (svc.status?.conditions ?? []).find((c: Obj) => c.type === 'Available');
    if (current && (current.status === 'True') === available) return;
    const condition = available
      ? { type: 'Available', status: 'True', lastTransitionTime: rfc3339(this.clock.now()), reason: 'Passed', message: 'all checks passed' }
      : {
          type: 'Available',
          status: 'False',
          lastTransitionTime: rfc3339(this.clock.now()),
          reason: 'MissingEndpoints',
          message: 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"',
        };
    this.api.handle({
      method: 'PUT',
      path: `/apis/apiregistration.k8s.io/v1/apiservices/${VERSION}.${GROUP}/status`,
      userAgent: 'kube-apiserver',
      body: { ...svc, status: { conditions: [condition] } },
    });
  }

  /** One scrape of every node: usage with a little seeded noise, as real measurements have. */
  private scrape(): void {
    const now = this.clock.now();
    const nodes = new Map<string, Sample>();
    const pods = new Map<string, PodSample>();
    const seen = new Set<string>();
    const noise = () => 0.9 + this.random.next() * 0.2;
    for (const name of this.source.nodeNames()) {
      const stats = this.source.stats(name);
      if (!stats) continue; // kubelet down: no fresh sample
      // The kubelet's cAdvisor samples a little before the scrape; the window spans two of them.
      const timestamp = Math.floor((now - this.random.between(0, 3000)) / 1000) * 1000;
      const window = 15_000 + this.random.between(0, 5_500);
      nodes.set(name, { timestamp, window, cpuNano: Math.round(stats.node.cpuMillis * 1e6 * noise()), memoryBytes: Math.round(stats.node.memoryBytes * noise()) });
      for (const p of stats.pods) {
        seen.add(p.uid);
        if (!this.seen.has(p.uid)) continue;
        pods.set(`${p.namespace}/${p.name}`, {
          namespace: p.namespace,
          name: p.name,
          timestamp,
          window,
          containers: p.containers.map((c) => ({ name: c.name, cpuNano: Math.round(c.cpuMillis * 1e6 * noise()), memoryBytes: Math.round(c.memoryBytes * noise()) })),
        });
      }
    }
    this.nodes = nodes;
    this.pods = pods;
    this.seen = seen;
    this.setAvailable(true);
  }

  handle(req: ApiRequest, target: AggregatedTarget): ApiResponse {
    if (req.method !== 'GET') throw methodNotSupported(req.method, target.resource);
    if (target.resource === 'nodes' && target.namespace === undefined) return this.nodeMetrics(req, target.name);
    if (target.resource === 'pods') return this.podMetrics(req, target.namespace, target.name);
    throw notFoundPath();
  }

  private selector(req: ApiRequest) {
    const raw = req.query?.labelSelector;
    return raw ? parseLabelSelector(raw) : undefined;
  }

  private nodeMetrics(req: ApiRequest, name: string | undefined): ApiResponse {
    const render = (n: string, s: Sample, labels: Record<string, string> | undefined) => ({
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: { name: n, creationTimestamp: rfc3339(this.clock.now()), ...(labels ? { labels } : {}) },
      timestamp: rfc3339(s.timestamp),
      window: goDuration(s.window),
      usage: { cpu: `${s.cpuNano}n`, memory: `${Math.round(s.memoryBytes / 1024)}Ki` },
    });
    if (name !== undefined) {
      const s = this.nodes.get(name);
      const node = this.api.getByResource('nodes', '', undefined, name);
      if (!s || !node) throw notFound('nodemetrics', name);
      return { status: 200, body: render(name, s, node.metadata.labels) };
    }
    const selector = this.selector(req);
    const items = (this.api.listByResource('nodes', '', undefined) as Obj[])
      .filter((n) => this.nodes.has(n.metadata.name) && (!selector || matchesLabels(selector, n.metadata.labels)))
      .map((n) => render(n.metadata.name, this.nodes.get(n.metadata.name)!, n.metadata.labels));
    return { status: 200, body: { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items } };
  }

  private podMetrics(req: ApiRequest, namespace: string | undefined, name: string | undefined): ApiResponse {
    const render = (pod: Obj, s: PodSample) => ({
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: { name: s.name, namespace: s.namespace, creationTimestamp: rfc3339(this.clock.now()), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
      timestamp: rfc3339(s.timestamp),
      window: goDuration(s.window),
      containers: s.containers.map((c) => ({ name: c.name, usage: { cpu: `${c.cpuNano}n`, memory: `${Math.round(c.memoryBytes / 1024)}Ki` } })),
    });
    if (name !== undefined) {
      const s = this.pods.get(`${namespace}/${name}`);
      const pod = this.api.getByResource('pods', '', namespace, name);
      if (!s || !pod) throw notFound('podmetrics', name);
      return { status: 200, body: render(pod, s) };
    }
    const selector = this.selector(req);
    const items = (this.api.listByResource('pods', '', namespace) as Obj[])
      .filter((p) => this.pods.has(`${p.metadata.namespace}/${p.metadata.name}`) && (!selector || matchesLabels(selector, p.metadata.labels)))
      .map((p) => render(p, this.pods.get(`${p.metadata.namespace}/${p.metadata.name}`)!));
    return { status: 200, body: { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items } };
  }
}

function notFound(resource: string, name: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${resource}.${GROUP} "${name}" not found`,
    reason: 'NotFound',
    details: { name, group: GROUP, kind: resource === 'nodemetrics' ? 'nodes' : 'pods' },
    code: 404,
  });
}

function notFoundPath(): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}

function methodNotSupported(method: string, resource: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${method.toLowerCase()} is not supported on resources of kind "${resource}.${GROUP}"`,
    reason: 'MethodNotAllowed',
    details: { group: GROUP, kind: resource },
    code: 405,
  });
}
