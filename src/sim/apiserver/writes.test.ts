import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';
import type { ApiRequest, WatchEventObject } from './types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup(seed = 1) {
  const cluster = createCluster({ seed });
  const call = (req: ApiRequest) => cluster.api.handle(req);
  const post = (path: string, body: object, query?: Record<string, string>) => call({ method: 'POST', path, body, ...(query ? { query } : {}) });
  const get = (path: string, query?: Record<string, string>) => call({ method: 'GET', path, ...(query ? { query } : {}) });
  return { cluster, call, post, get };
}

const pod = (name: string, spec: object = { containers: [{ name: 'nginx', image: 'nginx:1.27' }] }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec,
});

const PODS = '/api/v1/namespaces/default/pods';

describe('create', () => {
  it('defaults a pod as the API server and its admission plugins do', () => {
    const { post } = setup();
    const res = post(PODS, pod('web'));
    expect(res.status).toBe(201);
    const p = res.body as Obj;
    expect(p.metadata).toMatchObject({ name: 'web', namespace: 'default' });
    expect(p.metadata.generation).toBeUndefined();
    const c = p.spec.containers[0];
    expect(c).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    });
    expect(c.volumeMounts).toEqual([{ name: p.spec.volumes[0].name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    expect(p.spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      securityContext: {},
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    });
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('pulls :latest and untagged images Always', () => {
    const { post } = setup();
    const p = post(PODS, pod('a', { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox:latest' }, { name: 'c', image: 'localhost:5000/app' }] })).body as Obj;
    expect(p.spec.containers.map((c: Obj) => c.imagePullPolicy)).toEqual(['Always', 'Always', 'Always']);
  });

  it('sets QoS classes', () => {
    const { post } = setup();
    const guaranteed = post(PODS, pod('g', { containers: [{ name: 'a', image: 'nginx:1', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] })).body as Obj;
    expect(guaranteed.status.qosClass).toBe('Guaranteed');
    expect(guaranteed.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    const burstable = post(PODS, pod('b', { containers: [{ name: 'a', image: 'nginx:1', resources: { requests: { cpu: '100m' } } }] })).body as Obj;
    expect(burstable.status.qosClass).toBe('Burstable');
  });

  it('rejects unknown fields in strict mode with the real message, and warns otherwise', () => {
    const { post } = setup();
    const body = pod('web', { containers: [{ name: 'nginx', imagee: 'nginx' }] });
    expect(post(PODS, body, { fieldValidation: 'Strict' })).toEqual({
      status: 400,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"',
        reason: 'BadRequest',
        code: 400,
      },
    });
    const lenient = post(PODS, { ...pod('web2'), spec: { containers: [{ name: 'nginx', image: 'nginx:1', colour: 'red' }] } });
    expect(lenient.status).toBe(201);
    expect(lenient.warnings).toEqual(['unknown field "spec.containers[0].colour"']);
  });

  it('reports validation errors with field paths, as one message or a bracketed list', () => {
    const { post } = setup();
    const r = post(PODS, pod('web', { containers: [{ name: 'nginx' }] }));
    expect(r.status).toBe(422);
    expect((r.body as Obj).message).toBe('Pod "web" is invalid: spec.containers[0].image: Required value');
    expect((r.body as Obj).details.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
    const many = post(PODS, pod('Web', { restartPolicy: 'always', containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }));
    expect((many.body as Obj).message).toBe(
      'Pod "Web" is invalid: [metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\'), spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"]',
    );
  });

  it('checks that a Deployment selector matches its template', () => {
    const { post } = setup();
    const r = post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      },
    });
    expect((r.body as Obj).message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
    );
  });

  it("reports Go's type errors", () => {
    const { post } = setup();
    const r = post('/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'three' } });
    expect((r.body as Obj).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('refuses objects in a missing namespace and duplicates', () => {
    const { post } = setup();
    expect((post('/api/v1/namespaces/nope/pods', pod('web')).body as Obj).message).toBe('namespaces "nope" not found');
    post(PODS, pod('web'));
    expect(post(PODS, pod('web')).body).toMatchObject({ reason: 'AlreadyExists', code: 409, message: 'pods "web" already exists' });
  });

  it('defaults a Deployment and starts its generation at 1 with an empty status', () => {
    const { post } = setup();
    const d = post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      },
    }).body as Obj;
    expect(d.metadata.generation).toBe(1);
    expect(d.status).toEqual({});
    expect(d.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(d.spec.template.metadata.creationTimestamp).toBeNull();
    expect(d.spec.template.spec.containers[0].volumeMounts).toBeUndefined();
  });

  it('generates Job selectors and labels from its uid', () => {
    const { post } = setup();
    const j = post('/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
    }).body as Obj;
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': j.metadata.uid } });
    expect(j.spec.template.metadata.labels).toEqual({
      'batch.kubernetes.io/controller-uid': j.metadata.uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': j.metadata.uid,
      'job-name': 'pi',
    });
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
  });
});

describe('services', () => {
  const svc = (name: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
  const SVCS = '/api/v1/namespaces/default/services';

  it('allocates a ClusterIP and NodePorts, and defaults ports', () => {
    const { post } = setup();
    const s = post(SVCS, svc('web', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] })).body as Obj;
    expect(s.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
    expect(s.spec.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(s.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(s.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(s.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
  });

  it('rejects node ports out of range or already taken', () => {
    const { post } = setup();
    expect((post(SVCS, svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })).body as Obj).message).toBe(
      'Service "a" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(post(SVCS, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })).status).toBe(201);
    expect((post(SVCS, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })).body as Obj).message).toBe(
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
  });

  it('serves the kubernetes and kube-dns Services at their well-known addresses', () => {
    const { get } = setup();
    expect(((get('/api/v1/namespaces/default/services/kubernetes').body as Obj).spec.clusterIP)).toBe('10.96.0.1');
    expect(((get('/api/v1/namespaces/kube-system/services/kube-dns').body as Obj).spec.clusterIP)).toBe('10.96.0.10');
  });
});

describe('update, patch and delete', () => {
  function deployment(post: (p: string, b: object) => { body: unknown }) {
    return post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }, { name: 'log', image: 'busybox' }] } },
      },
    }).body as Obj;
  }
  const D = '/apis/apps/v1/namespaces/default/deployments/web';

  it('strategic-merges containers by name and bumps generation', () => {
    const { post, call } = setup();
    const before = deployment(post);
    const res = call({
      method: 'PATCH',
      path: D,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } },
    });
    expect(res.status).toBe(200);
    const d = res.body as Obj;
    expect(d.spec.template.spec.containers.map((c: Obj) => `${c.name}=${c.image}`)).toEqual(['nginx=nginx:1.27', 'log=busybox']);
    expect(d.metadata.generation).toBe(2);
    expect(Number(d.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
  });

  it('replaces lists with a merge patch, and applies JSON patches', () => {
    const { post, call } = setup();
    deployment(post);
    const merged = call({ method: 'PATCH', path: D, contentType: 'application/merge-patch+json', body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'nginx' }] } } } } }).body as Obj;
    expect(merged.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(['only']);
    const json = call({ method: 'PATCH', path: D, contentType: 'application/json-patch+json', body: [{ op: 'replace', path: '/spec/replicas', value: 5 }] }).body as Obj;
    expect(json.spec.replicas).toBe(5);
    const bad = call({ method: 'PATCH', path: D, contentType: 'application/json-patch+json', body: [{ op: 'remove', path: '/spec/nothere' }] });
    expect(bad.status).toBe(422);
  });

  it('refuses a stale resourceVersion with the real conflict message', () => {
    const { post, call } = setup();
    const d = deployment(post);
    call({ method: 'PATCH', path: D, contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } });
    const res = call({ method: 'PUT', path: D, body: { ...d, spec: { ...d.spec, replicas: 4 } } });
    expect(res.status).toBe(409);
    expect((res.body as Obj).message).toBe(
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('keeps status on spec updates and spec on status updates; no-op updates keep the resourceVersion', () => {
    const { post, call } = setup();
    const d = deployment(post);
    const withStatus = call({ method: 'PUT', path: `${D}/status`, body: { ...d, spec: { ...d.spec, replicas: 9 }, status: { replicas: 2 } } }).body as Obj;
    expect(withStatus.status).toEqual({ replicas: 2 });
    expect(withStatus.spec.replicas).toBe(2);
    expect(withStatus.metadata.generation).toBe(1);
    const same = call({ method: 'PUT', path: D, body: { ...withStatus, status: { replicas: 99 } } }).body as Obj;
    expect(same.status).toEqual({ replicas: 2 });
    expect(same.metadata.resourceVersion).toBe(withStatus.metadata.resourceVersion);
  });

  it('scales through the scale subresource', () => {
    const { post, call } = setup();
    deployment(post);
    const scale = call({ method: 'GET', path: `${D}/scale` }).body as Obj;
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
    const res = call({ method: 'PATCH', path: `${D}/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 4 } } });
    expect((res.body as Obj).spec.replicas).toBe(4);
    expect((call({ method: 'GET', path: D }).body as Obj).spec.replicas).toBe(4);
  });

  it('deletes an unscheduled pod at once and refuses to change a running pod spec', () => {
    const { post, call } = setup();
    const p = post(PODS, pod('web')).body as Obj;
    const upd = call({ method: 'PUT', path: `${PODS}/web`, body: { ...p, spec: { ...p.spec, restartPolicy: 'Never' } } });
    expect((upd.body as Obj).message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);
    const img = call({ method: 'PATCH', path: `${PODS}/web`, contentType: 'application/strategic-merge-patch+json', body: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } });
    expect(img.status).toBe(200);
    const del = call({ method: 'DELETE', path: `${PODS}/web` });
    expect(del.status).toBe(200);
    expect((del.body as Obj).kind).toBe('Pod');
    expect(call({ method: 'GET', path: `${PODS}/web` }).status).toBe(404);
  });

  it('holds objects with finalizers until they are removed', () => {
    const { post, call } = setup();
    post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['example.com/hold'] } });
    const del = call({ method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/c' });
    expect((del.body as Obj).metadata.deletionTimestamp).toBeDefined();
    const held = call({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/c' }).body as Obj;
    expect(call({ method: 'PATCH', path: '/api/v1/namespaces/default/configmaps/c', contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } }).status).toBe(200);
    expect(held.metadata.finalizers).toEqual(['example.com/hold']);
    expect(call({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/c' }).status).toBe(404);
  });
});

describe('namespaces', () => {
  it('gives new namespaces a default ServiceAccount and the root CA ConfigMap', () => {
    const { post, get, cluster } = setup();
    post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    cluster.clock.advance(1);
    expect(get('/api/v1/namespaces/dev/serviceaccounts/default').status).toBe(200);
    expect((get('/api/v1/namespaces/dev/configmaps/kube-root-ca.crt').body as Obj).data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(post('/api/v1/namespaces/dev/pods', pod('web')).status).toBe(201);
  });

  it('terminates a namespace, removes its content, then removes it', () => {
    const { post, get, call, cluster } = setup();
    post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    cluster.clock.advance(1);
    post('/api/v1/namespaces/dev/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const del = call({ method: 'DELETE', path: '/api/v1/namespaces/dev' });
    expect((del.body as Obj).status.phase).toBe('Terminating');
    expect((post('/api/v1/namespaces/dev/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } }).body as Obj).message).toBe(
      'configmaps "d" is forbidden: unable to create new content in namespace dev because it is being terminated',
    );
    cluster.clock.advance(10_000);
    expect(get('/api/v1/namespaces/dev').status).toBe(404);
  });

  it('refuses to delete the default namespace', () => {
    const { call } = setup();
    expect((call({ method: 'DELETE', path: '/api/v1/namespaces/default' }).body as Obj).message).toBe('namespaces "default" is forbidden: this namespace may not be deleted');
  });
});

describe('lists and watches', () => {
  it('pages with limit and continue', () => {
    const { post, get } = setup();
    for (const n of ['a', 'b', 'c', 'd', 'e']) post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${n}` } });
    const first = get('/api/v1/namespaces/default/configmaps', { limit: '2' }).body as Obj;
    expect(first.items.map((i: Obj) => i.metadata.name)).toEqual(['cm-a', 'cm-b']);
    expect(first.metadata.remainingItemCount).toBe(4);
    const second = get('/api/v1/namespaces/default/configmaps', { limit: '2', continue: first.metadata.continue }).body as Obj;
    expect(second.items.map((i: Obj) => i.metadata.name)).toEqual(['cm-c', 'cm-d']);
    // kube-apiserver's token: unpadded base64url of the JSON continue key.
    expect(first.metadata.continue).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(first.metadata.continue, 'base64url').toString())).toMatchObject({ v: 'meta.k8s.io/v1', rv: Number(first.metadata.resourceVersion) });
  });

  it('filters by field selector and rejects unsupported fields', () => {
    const { post, get } = setup();
    post(PODS, pod('a'));
    post(PODS, pod('b'));
    expect((get(PODS, { fieldSelector: 'metadata.name=b' }).body as Obj).items.map((i: Obj) => i.metadata.name)).toEqual(['b']);
    expect((get(PODS, { fieldSelector: 'status.phase!=Pending' }).body as Obj).items).toEqual([]);
    expect((get(PODS, { fieldSelector: 'spec.image=x' }).body as Obj).message).toBe('field label not supported: spec.image');
  });

  it('streams watch events from a resourceVersion, and answers 410 for a compacted one', () => {
    const { post, cluster, call } = setup();
    const start = (call({ method: 'GET', path: PODS }).body as Obj).metadata.resourceVersion;
    post(PODS, pod('a'));
    const events: WatchEventObject[] = [];
    const w = cluster.api.watch({ method: 'GET', path: PODS, query: { resourceVersion: start } }, (e) => events.push(e));
    post(PODS, pod('b'));
    call({ method: 'DELETE', path: `${PODS}/a` });
    expect(events.map((e) => `${e.type} ${(e.object as Obj).metadata.name}`)).toEqual(['ADDED a', 'ADDED b', 'DELETED a']);
    if ('stop' in w) w.stop();
    cluster.store.compact(cluster.store.revision());
    const old = cluster.api.watch({ method: 'GET', path: PODS, query: { resourceVersion: start } }, () => {});
    expect(old).toMatchObject({ status: 410, body: { reason: 'Expired', code: 410, message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/) } });
  });

  it('lists every kind a kubeadm cluster serves in discovery', () => {
    const { get } = setup();
    const groups = (get('/apis').body as Obj).groups.map((g: Obj) => g.name);
    expect(groups.slice(0, 4)).toEqual(['apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io']);
    const autoscaling = (get('/apis').body as Obj).groups.find((g: Obj) => g.name === 'autoscaling');
    expect(autoscaling.preferredVersion.version).toBe('v2');
    const core = (get('/api/v1').body as Obj).resources.map((r: Obj) => r.name);
    expect(core).toContain('pods/log');
    expect(core).toContain('pods/exec');
    expect((get('/api/v1').body as Obj).resources.find((r: Obj) => r.name === 'pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction' });
  });
});

describe('writes after updates', () => {
  it('applies and patches an object that was replaced with PUT (the stored resourceVersion is no precondition)', () => {
    const c = createCluster();
    const path = '/api/v1/namespaces/default/configmaps';
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } };
    const created = c.api.handle({ method: 'POST', path, body: cm }).body as Obj;
    expect(c.api.handle({ method: 'PUT', path: `${path}/x`, body: { ...created, data: { a: '2' } } }).status).toBe(200);
    const applied = c.api.handle({ method: 'PATCH', path: `${path}/x`, contentType: 'application/apply-patch+yaml', query: { fieldManager: 'me', force: 'true' }, body: cm });
    expect(applied).toMatchObject({ status: 200, body: { data: { a: '1' } } });
    const stale = { ...cm, metadata: { ...cm.metadata, resourceVersion: created.metadata.resourceVersion } };
    const refused = c.api.handle({ method: 'PATCH', path: `${path}/x`, contentType: 'application/apply-patch+yaml', query: { fieldManager: 'me', force: 'true' }, body: stale });
    expect(refused).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
    expect(c.api.handle({ method: 'PATCH', path: `${path}/x`, contentType: 'application/merge-patch+json', body: { data: { b: '1' } } }).status).toBe(200);
  });
});

describe('delete', () => {
  it('leaves a pending graceful deletion alone unless the grace period gets shorter', () => {
    const { cluster, call, post, get } = setup();
    post(PODS, pod('slow', { terminationGracePeriodSeconds: 60, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }));
    cluster.clock.advance(20_000);
    call({ method: 'DELETE', path: `${PODS}/slow` });
    const first = get(`${PODS}/slow`).body as Obj;
    call({ method: 'DELETE', path: `${PODS}/slow` });
    expect((get(`${PODS}/slow`).body as Obj).metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    call({ method: 'DELETE', path: `${PODS}/slow`, query: { gracePeriodSeconds: '5' } });
    const shorter = get(`${PODS}/slow`).body as Obj;
    expect(shorter.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(shorter.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
  });
});

describe('status on create', () => {
  it('is the empty status Go writes: fields without omitempty appear as zero', () => {
    const { post } = setup();
    const tpl = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const sel = { matchLabels: { app: 'a' } };
    const status = (path: string, body: Obj) => (post(path, body).body as Obj).status;
    expect(status('/apis/policy/v1/namespaces/default/poddisruptionbudgets', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, selector: sel } })).toEqual({
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
    });
    expect(status('/apis/apps/v1/namespaces/default/daemonsets', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: sel, template: tpl } })).toEqual({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    });
    expect(status('/apis/apps/v1/namespaces/default/replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: sel, template: tpl } })).toEqual({ replicas: 0 });
    expect(status('/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: sel, template: tpl } })).toEqual({});
    const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' };
    expect(status('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 3, scaleTargetRef: target } })).toEqual({
      currentMetrics: null,
      desiredReplicas: 0,
    });
  });
});

describe('reviews', () => {
  it('answers access and identity reviews for the kubeconfig user without storing them', () => {
    const { post } = setup();
    const access = post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } },
    });
    expect(access.status).toBe(201);
    expect((access.body as Obj).status.allowed).toBe(true);
    const who = post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    expect((who.body as Obj).status.userInfo).toEqual({ username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] });
  });
});

describe('certificate signing requests', () => {
  it('takes Approved and Denied conditions through the approval subresource', () => {
    const { call, post, get } = setup();
    const path = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
    post(path, {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'jane' },
      spec: { request: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    });
    const csr = get(`${path}/jane`).body as Obj;
    const condition = { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.', lastUpdateTime: '2025-06-02T09:31:00Z' };
    const res = call({ method: 'PUT', path: `${path}/jane/approval`, body: { ...csr, status: { conditions: [condition] } } });
    expect(res.status).toBe(200);
    expect((get(`${path}/jane`).body as Obj).status.conditions).toEqual([condition]);
  });
});
