/**
 * The Service view kube-proxy programs its rules from: each Service port's frontends (cluster
 * IPs, node ports, external IPs, load-balancer IPs) and its endpoints from EndpointSlices, with
 * the endpoint choice kube-proxy 1.32 makes (ready endpoints, else serving terminating ones;
 * Local traffic policies keep the node's own).
 */
import type { Obj, ObjectReader, Protocol } from './types';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServiceEndpoint {
  ip: string;
  port: number;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  hostname?: string;
  targetRef?: Obj;
}

export interface ServicePortInfo {
  service: Obj;
  namespace: string;
  name: string;
  /** The port's name ("" when unnamed), as in "default/web:http". */
  portName: string;
  port: number;
  protocol: Protocol;
  nodePort?: number;
  endpoints: ServiceEndpoint[];
}

export function serviceType(svc: Obj): string {
  return svc.spec?.type ?? 'ClusterIP';
}

export function clusterIPsOf(svc: Obj): string[] {
  const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips.filter((ip) => ip && ip !== 'None');
}

export function loadBalancerIPs(svc: Obj): string[] {
  return ((svc.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip).filter(Boolean);
}

/** Every endpoint EndpointSlices (or, for a Service without them, its Endpoints) list for one Service port. */
export function endpointsFor(reader: ObjectReader, svc: Obj, portName: string, protocol: Protocol): ServiceEndpoint[] {
  const ns = svc.metadata.namespace;
  const out: ServiceEndpoint[] = [];
  const slices = reader.listByResource('endpointslices', 'discovery.k8s.io', ns).filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name);
  for (const slice of slices) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const port = ((slice.ports ?? []) as Obj[]).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port || port.port === undefined || port.port === null) continue;
    for (const e of (slice.endpoints ?? []) as Obj[]) {
      const c = e.conditions ?? {};
      const ready = c.ready !== false;
      for (const ip of (e.addresses ?? []) as string[]) {
        out.push({
          ip,
          port: port.port,
          ready,
          serving: c.serving ?? ready,
          terminating: c.terminating ?? false,
          ...(e.nodeName ? { nodeName: e.nodeName } : {}),
          ...(e.hostname ? { hostname: e.hostname } : {}),
          ...(e.targetRef ? { targetRef: e.targetRef } : {}),
        });
      }
    }
  }
  if (slices.length || svc.spec?.selector) return out;
  // A Service without a selector and without slices: the Endpoints object a user wrote.
  const ep = reader.getByResource('endpoints', '', ns, svc.metadata.name);
  for (const subset of (ep?.subsets ?? []) as Obj[]) {
    const port = ((subset.ports ?? []) as Obj[]).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port) continue;
    for (const a of (subset.addresses ?? []) as Obj[]) out.push({ ip: a.ip, port: port.port, ready: true, serving: true, terminating: false, ...(a.nodeName ? { nodeName: a.nodeName } : {}) });
    for (const a of (subset.notReadyAddresses ?? []) as Obj[]) out.push({ ip: a.ip, port: port.port, ready: false, serving: false, terminating: false, ...(a.nodeName ? { nodeName: a.nodeName } : {}) });
  }
  return out;
}

/** One port of a Service (an entry of spec.ports) with its endpoints. */
export function portInfo(reader: ObjectReader, svc: Obj, p: Obj): ServicePortInfo {
  const protocol = (p.protocol ?? 'TCP') as Protocol;
  const portName = p.name ?? '';
  return {
    service: svc,
    namespace: svc.metadata.namespace,
    name: svc.metadata.name,
    portName,
    port: p.port,
    protocol,
    ...(p.nodePort ? { nodePort: p.nodePort } : {}),
    endpoints: endpointsFor(reader, svc, portName, protocol),
  };
}

/**
 * The endpoints kube-proxy uses for traffic: ready ones, else serving terminating ones
 * (ProxyTerminatingEndpoints); with `localNode`, only that node's.
 */
export function usableEndpoints(endpoints: readonly ServiceEndpoint[], localNode?: string): ServiceEndpoint[] {
  const pool = localNode === undefined ? endpoints : endpoints.filter((e) => e.nodeName === localNode);
  const ready = pool.filter((e) => e.ready);
  return ready.length ? ready : pool.filter((e) => e.serving && e.terminating);
}
