/** What the simulated network carries and who it reaches: the shapes shared by its parts. */

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** An HTTP request as the server process sees it. */
export interface HttpRequest {
  method: string;
  /** The request target: path and query ("/api?x=1"). */
  path: string;
  /** The Host header. */
  host: string;
  headers: [string, string][];
  /** The address the connection comes from (after any masquerading). */
  clientIP: string;
  userAgent?: string;
}

export interface HttpResponse {
  status: number;
  body: string;
  /** Response headers besides the ones every response has (Content-Length). */
  headers?: [string, string][];
  /** Virtual milliseconds the answer takes (a proxy waiting on its upstream). */
  delayMs?: number;
}

/** A process's sockets: the container behaviour catalog's RunningProcess has this shape. */
export interface Listening {
  /** TCP ports (and UDP ports of DNS servers). */
  ports: number[];
  tlsPorts?: number[];
  /** TLS ports whose certificate signs itself (no CA would vouch for it: curl says "self-signed certificate"). */
  selfSignedPorts?: number[];
  http?(port: number, path: string, req?: HttpRequest): HttpResponse | undefined;
  /** Answers DNS on port 53 (CoreDNS): the network gives the cluster's answers for it. */
  dns?: boolean;
}

/** A pod on the pod network, as the node it runs on knows it. */
export interface PodAtIP {
  pod: Obj;
  node: string;
  ip: string;
  /** The process of a running container listening on `port`, if any. */
  listener(port: number): Listening | undefined;
}

/** A node's host network (its InternalIP): host processes and hostNetwork pods. */
export interface NodeAtIP {
  name: string;
  ip: string;
  podCIDR: string;
  /** What listens on `port` in the host's network namespace. */
  listener(port: number): Listening | undefined;
}

/** How the network finds endpoints: implemented by the cluster over its kubelets. */
export interface NetworkDirectory {
  podByIP(ip: string): PodAtIP | undefined;
  nodeByIP(ip: string): NodeAtIP | undefined;
  nodeByName(name: string): NodeAtIP | undefined;
  nodes(): NodeAtIP[];
}

/** Reads the API objects routing depends on (the API server's own reads, without a request). */
export interface ObjectReader {
  getByResource(resource: string, group: string, namespace: string | undefined, name: string): Obj | undefined;
  listByResource(resource: string, group: string, namespace: string | undefined): Obj[];
}

/** Who opens a connection: a pod (its network namespace) or a node's host. */
export interface Source {
  ip: string;
  node: string;
  /** The pod, when the connection starts in one that is not on the host network. */
  pod?: Obj;
}

/** Where a connection ends: a listening process, or the failure the client sees. */
export type Connection =
  | {
      kind: 'open';
      /** The address the client asked for. */
      ip: string;
      port: number;
      /** Where it was delivered after kube-proxy's DNAT. */
      target: { ip: string; port: number; node: string; pod?: Obj };
      listener: Listening;
      /** The address the server sees the client as. */
      clientIP: string;
      /** The Service whose rules carried it. */
      service?: { namespace: string; name: string; port: string };
    }
  /** RST or ICMP port unreachable: "Connection refused". */
  | { kind: 'refused'; ip: string; port: number }
  /** Nothing answers (dropped, filtered or nowhere to go): the client waits for its timeout. */
  | { kind: 'timeout'; ip: string; port: number }
  /** ICMP host unreachable on the local segment: "No route to host" / "Host is unreachable". */
  | { kind: 'unreachable'; ip: string; port: number };
