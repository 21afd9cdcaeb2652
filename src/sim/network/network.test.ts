import { describe, expect, it } from 'vitest';
import { isExecSession } from '../client';
import { createAs, createCluster, type Cluster } from '../cluster';
import type { KubeObject } from '../apiserver';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function create(cluster: Cluster, obj: Obj): void {
  createAs(cluster.api, 'kubectl', obj as KubeObject);
}

function pod(name: string, image: string, command?: string[], labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name, image, ...(command ? { command } : {}) }] } };
}

/** A cluster with two nginx pods behind Service "web" and a busybox pod "box" to test from. */
function webCluster(): Cluster {
  const cluster = createCluster();
  create(cluster, pod('web-1', 'nginx:1.27', undefined, { app: 'web' }));
  create(cluster, pod('web-2', 'nginx:1.27', undefined, { app: 'web' }));
  create(cluster, pod('box', 'busybox:1.36', ['sleep', '3600']));
  create(cluster, pod('old', 'busybox:1.28', ['sleep', '3600']));
  create(cluster, pod('tools', 'nicolaka/netshoot', ['sleep', '3600']));
  create(cluster, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] } });
  create(cluster, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: 'default' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } });
  cluster.clock.advance(120_000);
  return cluster;
}

function get(cluster: Cluster, path: string): Obj {
  return cluster.api.handle({ method: 'GET', path }).body as Obj;
}

async function exec(cluster: Cluster, podName: string, command: string[], waitMs = 200_000): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const s = await cluster.client.exec({ namespace: 'default', pod: podName, command, stdin: false, stdout: true, stderr: true, tty: false }, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  if (!isExecSession(s)) throw new Error(JSON.stringify(s.body));
  const done = s.done;
  cluster.clock.advance(waitMs);
  const status = await done;
  const code = status.status === 'Success' ? 0 : Number(status.details?.causes?.[0]?.message ?? -1);
  return { out, err, code };
}

describe('Service routing from a pod', () => {
  it('reaches nginx through the Service name, spreads over endpoints and logs the access', async () => {
    const cluster = webCluster();
    const svc = get(cluster, '/api/v1/namespaces/default/services/web');
    const r = await exec(cluster, 'box', ['wget', '-qO-', 'http://web']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('<title>Welcome to nginx!</title>');
    const verbose = await exec(cluster, 'box', ['wget', '-O-', `http://${svc.spec.clusterIP}/`]);
    expect(verbose.err).toBe(`Connecting to ${svc.spec.clusterIP} (${svc.spec.clusterIP}:80)\nwriting to stdout\n-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n`);
    for (let i = 0; i < 10; i++) await exec(cluster, 'box', ['wget', '-qO-', 'web.default.svc.cluster.local'], 1000);
    const logs = ['web-1', 'web-2'].map((n) => cluster.api.handle({ method: 'GET', path: `/api/v1/namespaces/default/pods/${n}/log` }).body as string);
    const boxIP = get(cluster, '/api/v1/namespaces/default/pods/box').status.podIP;
    const lines = logs.map((l) => l.split('\n').filter((x) => x.includes('"GET /')));
    expect(lines[0]!.length + lines[1]!.length).toBe(12);
    expect(lines[0]!.length).toBeGreaterThan(0);
    expect(lines[1]!.length).toBeGreaterThan(0);
    expect(lines.flat()[0]).toMatch(new RegExp(`^${boxIP.replaceAll('.', '\\.')} - - \\[\\d\\d/Jun/2025:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET / HTTP/1\\.1" 200 615 "-" "Wget" "-"$`));
  });

  it('refuses a Service without endpoints, times out on a ClusterIP port nobody serves, fails names nobody knows', async () => {
    const cluster = webCluster();
    const empty = get(cluster, '/api/v1/namespaces/default/services/empty').spec.clusterIP;
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    expect(await exec(cluster, 'box', ['wget', '-qO-', 'http://empty'])).toEqual({ out: '', err: `wget: can't connect to remote host (${empty}): Connection refused\n`, code: 1 });
    expect(await exec(cluster, 'box', ['wget', '-qO-', '-T', '2', `http://${web}:8080`])).toEqual({ out: '', err: 'wget: download timed out\n', code: 1 });
    expect(await exec(cluster, 'box', ['wget', '-qO-', 'http://nope'])).toEqual({ out: '', err: "wget: bad address 'nope'\n", code: 1 });
    expect(await exec(cluster, 'box', ['wget', '-qO-', 'http://web/missing'])).toEqual({ out: '', err: 'wget: server returned error: HTTP/1.1 404 Not Found\n', code: 1 });
  });

  it('answers curl with nginx headers and curl errors', async () => {
    const cluster = webCluster();
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    const head = await exec(cluster, 'tools', ['curl', '-sI', 'http://web']);
    expect(head.out).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\nDate: \w{3}, \d\d Jun 2025 \d\d:\d\d:\d\d GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\nLast-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\nConnection: keep-alive\r\nETag: "6745ef54-267"\r\nAccept-Ranges: bytes\r\n\r\n$/);
    expect(await exec(cluster, 'tools', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'http://web/x'])).toEqual({ out: '404\n', err: '', code: 0 });
    expect(await exec(cluster, 'tools', ['curl', 'http://empty'])).toMatchObject({ err: "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n", code: 7 });
    expect(await exec(cluster, 'tools', ['curl', 'http://nope'])).toMatchObject({ err: 'curl: (6) Could not resolve host: nope\n', code: 6 });
    expect(await exec(cluster, 'tools', ['curl', '--connect-timeout', '2', `http://${web}:81`])).toMatchObject({ err: `curl: (28) Failed to connect to ${web} port 81 after 2002 ms: Timeout was reached\n`, code: 28 });
  });
});

describe('cluster DNS', () => {
  it('resolves Services through the search list with busybox 1.28, as the Kubernetes docs show', async () => {
    const cluster = webCluster();
    const r = await exec(cluster, 'old', ['nslookup', 'kubernetes.default']);
    expect(r.out).toBe('Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n');
    expect(r.code).toBe(0);
    const nx = await exec(cluster, 'old', ['nslookup', 'nope']);
    expect(nx.err).toBe("nslookup: can't resolve 'nope'\n");
    expect(nx.code).toBe(1);
  });

  it('answers dig for a Service and an ExternalName', async () => {
    const cluster = webCluster();
    create(cluster, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    expect((await exec(cluster, 'tools', ['dig', '+short', 'web.default.svc.cluster.local'])).out).toBe(`${web}\n`);
    expect((await exec(cluster, 'tools', ['dig', '+short', 'ext.default.svc.cluster.local'])).out).toBe('example.com.\n');
    const full = await exec(cluster, 'tools', ['dig', 'web.default.svc.cluster.local']);
    expect(full.out).toContain(`;; ANSWER SECTION:\nweb.default.svc.cluster.local. 30 IN\tA\t${web}\n`);
    expect(full.out).toContain(';; MSG SIZE  rcvd: 115\n');
    expect(full.out).toContain(';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n');
  });

  it('times out when CoreDNS is gone', async () => {
    const cluster = webCluster();
    for (const p of get(cluster, '/api/v1/namespaces/kube-system/pods').items as Obj[])
      if (p.metadata.name.startsWith('coredns-')) cluster.api.handle({ method: 'PATCH', path: '/apis/apps/v1/namespaces/kube-system/deployments/coredns/scale', body: { spec: { replicas: 0 } }, contentType: 'application/merge-patch+json' });
    cluster.clock.advance(60_000);
    expect(await exec(cluster, 'tools', ['nslookup', 'web'])).toEqual({ out: ';; connection timed out; no servers could be reached\n\n', err: '', code: 1 });
  });
});

describe('NetworkPolicy', () => {
  it('a default deny makes connections time out; an allow rule for the client lets it through', async () => {
    const cluster = webCluster();
    create(cluster, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] } });
    expect(await exec(cluster, 'box', ['wget', '-qO-', '-T', '3', 'http://web'])).toEqual({ out: '', err: 'wget: download timed out\n', code: 1 });
    create(cluster, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-box', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 80 }] }] } });
    expect((await exec(cluster, 'box', ['wget', '-qO-', '-T', '3', 'http://web'])).code).toBe(1);
    cluster.api.handle({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/box', body: { metadata: { labels: { role: 'client' } } }, contentType: 'application/merge-patch+json' });
    expect((await exec(cluster, 'box', ['wget', '-qO-', '-T', '3', 'http://web'])).code).toBe(0);
  });

  it('an egress default deny blocks DNS too', async () => {
    const cluster = webCluster();
    create(cluster, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'no-egress', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Egress'] } });
    const r = await exec(cluster, 'box', ['wget', '-qO-', '-T', '3', 'http://web']);
    expect(r).toEqual({ out: '', err: "wget: bad address 'web'\n", code: 1 });
  });
});

describe('ping and nc', () => {
  it('pods answer ping, Service addresses do not', async () => {
    const cluster = webCluster();
    const ip = get(cluster, '/api/v1/namespaces/default/pods/web-1').status.podIP;
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    const ok = await exec(cluster, 'box', ['ping', '-c', '2', ip]);
    expect(ok.out).toMatch(new RegExp(`^PING ${ip.replaceAll('.', '\\.')} \\(${ip.replaceAll('.', '\\.')}\\): 56 data bytes\\n64 bytes from .*: seq=0 ttl=6[34] time=0\\.\\d{3} ms\\n64 bytes from .*: seq=1 ttl=6[34] time=0\\.\\d{3} ms\\n\\n--- .* ping statistics ---\\n2 packets transmitted, 2 packets received, 0% packet loss\\nround-trip min/avg/max = [\\d.]+/[\\d.]+/[\\d.]+ ms\\n$`));
    const vip = await exec(cluster, 'box', ['ping', '-c', '2', web]);
    expect(vip.out).toBe(`PING ${web} (${web}): 56 data bytes\n\n--- ${web} ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n`);
    expect(vip.code).toBe(1);
  });

  it('nc -zv reports open and refused ports', async () => {
    const cluster = webCluster();
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    expect(await exec(cluster, 'tools', ['nc', '-zv', 'web', '80'])).toEqual({ out: '', err: `Connection to web (${web}) 80 port [tcp/http] succeeded!\n`, code: 0 });
    const empty = get(cluster, '/api/v1/namespaces/default/services/empty').spec.clusterIP;
    expect(await exec(cluster, 'tools', ['nc', '-zv', 'empty', '80'])).toEqual({ out: '', err: `nc: connect to empty (${empty}) port 80 (tcp) failed: Connection refused\n`, code: 1 });
  });
});

describe('busybox 1.36 nslookup', () => {
  it('uses the search list only for names without a dot, A then AAAA', async () => {
    const cluster = webCluster();
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    const fq = await exec(cluster, 'box', ['nslookup', 'web.default.svc.cluster.local']);
    expect(fq).toEqual({ out: `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${web}\n\n\n`, err: '', code: 0 });
    const dotted = await exec(cluster, 'box', ['nslookup', 'kubernetes.default']);
    expect(dotted).toEqual({ out: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find kubernetes.default: NXDOMAIN\n\n** server can't find kubernetes.default: NXDOMAIN\n\n", err: '', code: 1 });
    const short = await exec(cluster, 'box', ['nslookup', 'web']);
    expect(short.out).toBe(
      `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: ${web}\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n\n** server can't find web.svc.cluster.local: NXDOMAIN\n\n** server can't find web.cluster.local: NXDOMAIN\n\n`,
    );
    expect(short.code).toBe(1);
  });
});

describe('dig', () => {
  it('prints BIND 9.18 layout with the .local warning, columns and the cookie echo', async () => {
    const cluster = webCluster();
    const web = get(cluster, '/api/v1/namespaces/default/services/web').spec.clusterIP;
    const r = await exec(cluster, 'tools', ['dig', 'kubernetes.default.svc.cluster.local']);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 6)).toEqual(['', '; <<>> DiG 9.18.30-0ubuntu0.24.04.2-Ubuntu <<>> kubernetes.default.svc.cluster.local', ';; global options: +cmd', ';; Got answer:', ';; WARNING: .local is reserved for Multicast DNS', ';; You are currently testing what happens when an mDNS query is leaked to DNS']);
    expect(r.out).toContain(';; QUESTION SECTION:\n;kubernetes.default.svc.cluster.local. IN A\n\n;; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n\n');
    expect(r.out).toContain(';; MSG SIZE  rcvd: 129\n\n');
    const w = await exec(cluster, 'tools', ['dig', 'web.default.svc.cluster.local']);
    expect(w.out).toContain(`;web.default.svc.cluster.local.\tIN\tA\n\n;; ANSWER SECTION:\nweb.default.svc.cluster.local. 30 IN\tA\t${web}\n`);
  });
});
