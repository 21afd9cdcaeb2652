import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup(seed = 1) {
  const cluster = createCluster({ seed });
  const call = cluster.api.handle.bind(cluster.api);
  const createPod = (name: string, spec: object, labels: Record<string, string> = { run: name }) =>
    call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec } });
  const pod = (name: string) => call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}` }).body as Obj;
  const events = (name: string) =>
    ((call({ method: 'GET', path: '/api/v1/namespaces/default/events', query: { fieldSelector: `involvedObject.name=${name}` } }).body as Obj).items as Obj[])
      .sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp) || (a.metadata.name < b.metadata.name ? -1 : 1))
      .map((e) => `${e.type} ${e.reason} ${e.source.component}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`);
  const table = (name: string) => (call({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}`, as: 'Table' }).body as Obj).rows[0].cells as unknown[];
  return { cluster, call, createPod, pod, events, table };
}

describe('a pod from scheduling to running', () => {
  it('is scheduled, pulls its image, starts and reports every status field', () => {
    const { cluster, createPod, pod, events, table } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx' }] });
    cluster.clock.advance(500);
    expect(table('web').slice(0, 4)).toEqual(['web', '0/1', 'ContainerCreating', '0']);
    cluster.clock.advance(10_000);
    const p = pod('web');
    expect(p.spec.nodeName).toMatch(/^node0[12]$/);
    expect(p.status.phase).toBe('Running');
    expect(p.status.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
    expect(p.status.conditions.map((c: Obj) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    const cs = p.status.containerStatuses[0];
    expect(cs).toMatchObject({
      image: 'docker.io/library/nginx:latest',
      name: 'nginx',
      ready: true,
      restartCount: 0,
      started: true,
      lastState: {},
    });
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(table('web').slice(0, 4)).toEqual(['web', '1/1', 'Running', '0']);
    const ev = events('web');
    expect(ev[0]).toBe(`Normal Scheduled default-scheduler: Successfully assigned default/web to ${p.spec.nodeName}`);
    expect(ev.slice(1)).toEqual([
      'Normal Pulling kubelet: Pulling image "nginx"',
      'Normal Pulled kubelet: Successfully pulled image "nginx" in 2.244s (2.244s including waiting). Image size: 72188133 bytes.',
      'Normal Created kubelet: Created container nginx',
      'Normal Started kubelet: Started container nginx',
    ]);
  });

  it('never schedules onto the tainted control plane and explains why', () => {
    const { cluster, createPod, pod } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx' }] });
    cluster.clock.advance(100);
    const explanation = cluster.scheduler.explain('default', 'web')!;
    expect(explanation.nodes.find((n) => n.node === 'controlplane')!.rejectedBy).toEqual({
      plugin: 'TaintToleration',
      reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    });
    expect(explanation.selected).toBe(pod('web').spec.nodeName);
  });

  it('reports a pod that fits nowhere with the 1.32 FailedScheduling message', () => {
    const { cluster, createPod, pod, events, table } = setup();
    createPod('big', { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '3' } } }] });
    cluster.clock.advance(1000);
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    expect(events('big')).toEqual([`Warning FailedScheduling default-scheduler: ${message}`]);
    expect(pod('big').status.conditions).toEqual([
      { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: expect.any(String) },
    ]);
    expect(table('big').slice(0, 3)).toEqual(['big', '0/1', 'Pending']);
  });

  it('matches nodeSelector and honours nodeName', () => {
    const { cluster, createPod, pod } = setup();
    createPod('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'node02' }, containers: [{ name: 'a', image: 'nginx' }] });
    createPod('direct', { nodeName: 'controlplane', containers: [{ name: 'a', image: 'nginx' }] });
    createPod('nowhere', { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'a', image: 'nginx' }] });
    cluster.clock.advance(10_000);
    expect(pod('pinned').spec.nodeName).toBe('node02');
    expect(pod('direct').status.phase).toBe('Running');
    expect(pod('nowhere').status.conditions[0].message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });
});

describe('images that cannot be pulled', () => {
  it('goes ErrImagePull then ImagePullBackOff with the registry error and back-off', () => {
    const { cluster, createPod, pod, events, table } = setup();
    createPod('typo', { containers: [{ name: 'web', image: 'nginx:1.99' }] });
    cluster.clock.advance(3000);
    expect(table('typo')[2]).toBe('ErrImagePull');
    const state = pod('typo').status.containerStatuses[0].state.waiting;
    expect(state).toEqual({
      reason: 'ErrImagePull',
      message:
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
    });
    cluster.clock.advance(3000);
    expect(table('typo')[2]).toBe('ImagePullBackOff');
    expect(events('typo').slice(1, 6)).toEqual([
      'Normal Pulling kubelet: Pulling image "nginx:1.99"',
      'Warning Failed kubelet: Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found',
      'Warning Failed kubelet: Error: ErrImagePull',
      'Normal BackOff kubelet: Back-off pulling image "nginx:1.99"',
      'Warning Failed kubelet: Error: ImagePullBackOff',
    ]);
    cluster.clock.advance(60_000);
    expect(events('typo').find((e) => e.startsWith('Normal Pulling'))).toMatch(/\(x[3-9]\)$/);
  });

  it('refuses a repository that does not exist', () => {
    const { cluster, createPod, pod } = setup();
    createPod('typo', { containers: [{ name: 'web', image: 'ngnix' }] });
    cluster.clock.advance(3000);
    expect(pod('typo').status.containerStatuses[0].state.waiting.message).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });
});

describe('containers that exit', () => {
  it('restarts a crashing container with back-off: CrashLoopBackOff, restarts and --previous logs', () => {
    const { cluster, createPod, pod, table, call } = setup();
    createPod('db', { containers: [{ name: 'mysql', image: 'mysql:8' }] });
    cluster.clock.advance(10_000);
    expect(table('db')[2]).toMatch(/^(Error|CrashLoopBackOff)$/);
    expect(table('db')[3]).toMatch(/^[12] \(\d+s ago\)$/);
    cluster.clock.advance(120_000);
    const p = pod('db');
    const cs = p.status.containerStatuses[0];
    expect(cs.state.waiting?.reason ?? 'running').toMatch(/CrashLoopBackOff|running/);
    expect(cs.restartCount).toBeGreaterThanOrEqual(3);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const logs = call({ method: 'GET', path: '/api/v1/namespaces/default/pods/db/log', query: { previous: 'true' } });
    expect(logs.body).toContain('[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified');
    // The back-off in the waiting message is a Go duration: 10s, 20s, 40s, 1m20s, 2m40s, 5m0s.
    const backoffs = new Set<string>();
    for (let i = 0; i < 240; i++) {
      cluster.clock.advance(5_000);
      const m = /^back-off (\S+) restarting failed container=mysql pod=db_default\(/.exec(pod('db').status.containerStatuses[0].state.waiting?.message ?? '');
      if (m) backoffs.add(m[1]!);
    }
    expect([...backoffs]).toEqual(expect.arrayContaining(['1m20s', '2m40s', '5m0s']));
    expect([...backoffs].every((b) => /^(10s|20s|40s|1m20s|2m40s|5m0s)$/.test(b))).toBe(true);
  });

  it('runs a Never-restart pod to Completed with its output', () => {
    const { cluster, createPod, pod, table, call } = setup();
    createPod('once', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; sleep 2; echo bye'] }] });
    cluster.clock.advance(15_000);
    expect(pod('once').status.phase).toBe('Succeeded');
    expect(pod('once').status.conditions.map((c: Obj) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`)).toEqual([
      'PodReadyToStartContainers=False',
      'Initialized=True/PodCompleted',
      'Ready=False/PodCompleted',
      'ContainersReady=False/PodCompleted',
      'PodScheduled=True',
    ]);
    expect(table('once').slice(1, 4)).toEqual(['0/1', 'Completed', '0']);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/once/log' }).body).toBe('hello\nbye\n');
  });

  it('prints pi for the perl Job example', () => {
    const { cluster, createPod, call } = setup();
    createPod('pi', { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }] });
    cluster.clock.advance(60_000);
    const out = call({ method: 'GET', path: '/api/v1/namespaces/default/pods/pi/log' }).body as string;
    expect(out.startsWith('3.14159265358979323846264338327950288419716939937510')).toBe(true);
    expect(out.trim()).toHaveLength(2001);
  });
});

describe('deletion', () => {
  it('stops nginx quickly, but a sleeping PID 1 only after the grace period', () => {
    const { cluster, createPod, call, events } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx' }] });
    createPod('sleeper', { containers: [{ name: 'busybox', image: 'busybox', command: ['sleep', '3600'] }] });
    cluster.clock.advance(10_000);
    call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/web' });
    call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/sleeper' });
    cluster.clock.advance(2000);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/web' }).status).toBe(404);
    const sleeper = call({ method: 'GET', path: '/api/v1/namespaces/default/pods/sleeper', as: 'Table' }).body as Obj;
    expect(sleeper.rows[0].cells[2]).toBe('Terminating');
    expect(events('sleeper')).toContain('Normal Killing kubelet: Stopping container busybox');
    cluster.clock.advance(30_000);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/sleeper' }).status).toBe(404);
  });
});

describe('environment', () => {
  it('resolves ConfigMap keys and reports a missing one as CreateContainerConfigError', () => {
    const { cluster, createPod, pod, events, call } = setup();
    call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { MODE: 'dev' } } });
    createPod('ok', { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo $MODE $KUBERNETES_SERVICE_HOST'], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } }] }] });
    createPod('bad', { containers: [{ name: 'c', image: 'busybox', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE' } } }] }] });
    cluster.clock.advance(15_000);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/ok/log' }).body).toBe('dev 10.96.0.1\n');
    createPod('res', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'c',
          image: 'busybox',
          command: ['sh', '-c', 'echo $CPU $MEM'],
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
          env: [
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          ],
        },
      ],
    });
    cluster.clock.advance(15_000);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/res/log' }).body).toBe('500 128\n');
    expect(pod('bad').status.containerStatuses[0].state.waiting).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key NOPE in ConfigMap default/cfg" });
    expect(events('bad').some((e) => e.startsWith("Warning Failed kubelet: Error: couldn't find key NOPE in ConfigMap default/cfg"))).toBe(true);
  });
});

describe('system pods', () => {
  it("runs kubeadm's static control-plane pods as mirror pods on controlplane", () => {
    const { call } = setup();
    const pods = (call({ method: 'GET', path: '/api/v1/namespaces/kube-system/pods' }).body as Obj).items as Obj[];
    const mirrors = pods.filter((p) => p.metadata.annotations?.['kubernetes.io/config.mirror']);
    expect(mirrors.map((p) => `${p.metadata.name} ${p.status.phase} ${p.status.podIP}`)).toEqual([
      'etcd-controlplane Running 172.30.1.2',
      'kube-apiserver-controlplane Running 172.30.1.2',
      'kube-controller-manager-controlplane Running 172.30.1.2',
      'kube-scheduler-controlplane Running 172.30.1.2',
    ]);
    expect(mirrors[0]!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'controlplane', uid: expect.any(String), controller: true }]);
    expect(mirrors[0]!.spec.priority).toBe(2000001000);
  });
});

describe('node failure', () => {
  it('marks a silent node NotReady after the grace period, taints it, evicts its pods after 300 s and recovers', () => {
    const { cluster, createPod, pod, call } = setup();
    createPod('web', { nodeName: 'node01', containers: [{ name: 'nginx', image: 'nginx' }] });
    cluster.clock.advance(10_000);
    expect(pod('web').status.phase).toBe('Running');
    cluster.kubelets.get('node01')!.stop();
    const node = () => call({ method: 'GET', path: '/api/v1/nodes/node01' }).body as Obj;
    const nodeRow = () => (call({ method: 'GET', path: '/api/v1/nodes/node01', as: 'Table' }).body as Obj).rows[0].cells.slice(0, 2);
    cluster.clock.advance(30_000);
    expect(nodeRow()).toEqual(['node01', 'Ready']);
    cluster.clock.advance(20_000);
    expect(nodeRow()).toEqual(['node01', 'NotReady']);
    expect(node().status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(node().spec.taints.map((t: Obj) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(pod('web').status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('False');
    // Noticed 35–45 s after the kubelet stopped; evicted 300 s after that.
    cluster.clock.advance(280_000);
    expect(pod('web').metadata.deletionTimestamp).toBeUndefined();
    cluster.clock.advance(30_000);
    expect(pod('web').metadata.deletionTimestamp).toBeDefined();
    // The pod stays Terminating while its kubelet is away; it goes once the kubelet is back.
    cluster.clock.advance(60_000);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/web' }).status).toBe(200);
    cluster.kubelets.get('node01')!.start();
    cluster.clock.advance(10_000);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/pods/web' }).status).toBe(404);
    expect(nodeRow()).toEqual(['node01', 'Ready']);
    expect(node().spec.taints).toBeUndefined();
  });
});

describe('probes', () => {
  it('restarts a container whose exec liveness probe fails (the docs example)', () => {
    const { cluster, createPod, pod, events } = setup();
    createPod('liveness-exec', {
      containers: [
        {
          name: 'liveness',
          image: 'busybox',
          args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
        },
      ],
    });
    cluster.clock.advance(40_000);
    expect(pod('liveness-exec').status.containerStatuses[0].restartCount).toBe(0);
    cluster.clock.advance(60_000);
    const ev = events('liveness-exec');
    expect(ev).toContain("Warning Unhealthy kubelet: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory (x3)");
    expect(ev).toContain('Normal Killing kubelet: Container liveness failed liveness probe, will be restarted');
    expect(pod('liveness-exec').status.containerStatuses[0].restartCount).toBe(1);
  });

  it('reports HTTP liveness failures with the status code', () => {
    const { cluster, createPod, events } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx', livenessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 5 } }] });
    cluster.clock.advance(30_000);
    expect(events('web').some((e) => e.startsWith('Warning Unhealthy kubelet: Liveness probe failed: HTTP probe failed with statuscode: 404'))).toBe(true);
  });

  it('keeps a container out of Ready while its readiness probe fails', () => {
    const { cluster, createPod, pod, table, events } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 } }] });
    cluster.clock.advance(30_000);
    expect(table('web').slice(1, 3)).toEqual(['0/1', 'Running']);
    const ip = pod('web').status.podIP;
    expect(events('web').some((e) => e.startsWith(`Warning Unhealthy kubelet: Readiness probe failed: Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`))).toBe(true);
    expect(pod('web').status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [nginx]' });
  });

  it('becomes ready once the readiness probe passes', () => {
    const { cluster, createPod, table } = setup();
    createPod('web', { containers: [{ name: 'nginx', image: 'nginx', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 5, periodSeconds: 5 } }] });
    cluster.clock.advance(6000);
    expect(table('web').slice(1, 3)).toEqual(['0/1', 'Running']);
    cluster.clock.advance(10_000);
    expect(table('web').slice(1, 3)).toEqual(['1/1', 'Running']);
  });
});

describe('nodes joining and leaving', () => {
  it('adds a worker that becomes Ready and takes pods', () => {
    const { cluster, call, createPod, pod } = setup();
    cluster.addNode({ name: 'node03', role: 'worker' });
    const node = call({ method: 'GET', path: '/api/v1/nodes/node03' }).body as Obj;
    expect(node.spec.podCIDR).toBe('10.244.3.0/24');
    expect(node.status.addresses[0]).toEqual({ type: 'InternalIP', address: '172.30.4.2' });
    createPod('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'node03' }, containers: [{ name: 'c', image: 'nginx' }] });
    cluster.clock.advance(15_000);
    expect(pod('pinned').status.phase).toBe('Running');
    expect(pod('pinned').status.podIP).toMatch(/^10\.244\.3\./);
    expect(cluster.nodes.map((n) => n.name)).toEqual(['controlplane', 'node01', 'node02', 'node03']);
  });

  it('collects the pods of a removed node once the 40 s quarantine has passed', () => {
    const { cluster, createPod, pod } = setup();
    createPod('orphan', { nodeName: 'node02', containers: [{ name: 'c', image: 'nginx' }] });
    createPod('lost', { nodeName: 'node09', containers: [{ name: 'c', image: 'nginx' }] });
    cluster.clock.advance(10_000);
    cluster.removeNode('node02');
    cluster.clock.advance(20_000);
    expect(pod('orphan').metadata.name).toBe('orphan');
    cluster.clock.advance(50_000);
    expect(pod('orphan')).toMatchObject({ kind: 'Status', code: 404 });
    expect(pod('lost')).toMatchObject({ kind: 'Status', code: 404 });
    expect(cluster.kubelets.has('node02')).toBe(false);
  });
});

describe('cordon and drain through the API', () => {
  it('taints a cordoned node, keeps new pods off it, and evicts its pods', () => {
    const { cluster, call, createPod, pod } = setup();
    createPod('old', { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx' }] });
    cluster.clock.advance(10_000);
    call({ method: 'PATCH', path: '/api/v1/nodes/node01', contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable: true } } });
    cluster.clock.advance(100);
    const node = call({ method: 'GET', path: '/api/v1/nodes/node01' }).body as Obj;
    expect(node.spec.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    for (const name of ['a', 'b', 'c']) createPod(name, { containers: [{ name: 'c', image: 'nginx' }] });
    cluster.clock.advance(10_000);
    for (const name of ['a', 'b', 'c']) expect(pod(name).spec.nodeName).toBe('node02');
    // kubectl drain evicts through the eviction subresource.
    const res = call({ method: 'POST', path: '/api/v1/namespaces/default/pods/old/eviction', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'old', namespace: 'default' } } });
    expect(res.status).toBe(201);
    cluster.clock.advance(5_000);
    expect(pod('old')).toMatchObject({ kind: 'Status', code: 404 });
    call({ method: 'PATCH', path: '/api/v1/nodes/node01', contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable: null } } });
    cluster.clock.advance(100);
    expect((call({ method: 'GET', path: '/api/v1/nodes/node01' }).body as Obj).spec.taints).toBeUndefined();
  });
});
