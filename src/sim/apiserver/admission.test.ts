import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setup() {
  const cluster = createCluster({ seed: 4 });
  const call = cluster.api.handle.bind(cluster.api);
  const post = (path: string, body: object) => call({ method: 'POST', path, body });
  post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  cluster.clock.advance(1);
  return { cluster, call, post };
}

const PODS = '/api/v1/namespaces/team/pods';
const pod = (name: string, resources?: object, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ...(resources ? { resources } : {}) }], ...extra },
});

describe('ResourceQuota admission', () => {
  function withQuota() {
    const s = setup();
    s.post('/api/v1/namespaces/team/resourcequotas', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute' },
      spec: { hard: { pods: '2', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.memory': '2Gi' } },
    });
    s.cluster.clock.advance(1);
    return s;
  }

  it('requires the limited resources to be set', () => {
    const { post } = withQuota();
    expect((post(PODS, pod('a')).body as Obj).message).toBe(
      'pods "a" is forbidden: failed quota: compute: must specify limits.memory for: nginx; requests.cpu for: nginx; requests.memory for: nginx',
    );
  });

  it('refuses what would exceed the quota, saying what was requested, used and limited', () => {
    const { post } = withQuota();
    const r = { requests: { cpu: '600m', memory: '256Mi' }, limits: { memory: '512Mi' } };
    expect(post(PODS, pod('a', r)).status).toBe(201);
    expect((post(PODS, pod('b', r)).body as Obj).message).toBe(
      'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1',
    );
  });

  it('keeps the quota status in step with the namespace', () => {
    const { post, call, cluster } = withQuota();
    post(PODS, pod('a', { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } }));
    cluster.clock.advance(1);
    const q = call({ method: 'GET', path: '/api/v1/namespaces/team/resourcequotas/compute' }).body as Obj;
    expect(q.status).toEqual({
      hard: { 'limits.memory': '2Gi', pods: '2', 'requests.cpu': '1', 'requests.memory': '1Gi' },
      used: { 'limits.memory': '512Mi', pods: '1', 'requests.cpu': '250m', 'requests.memory': '256Mi' },
    });
  });
});

describe('LimitRanger admission', () => {
  it('fills container defaults and notes them in an annotation', () => {
    const { post } = setup();
    post('/api/v1/namespaces/team/limitranges', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { cpu: '1' } }] },
    });
    const p = post(PODS, pod('a')).body as Obj;
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(p.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit for container nginx');
    expect((post(PODS, pod('b', { limits: { cpu: '2' } })).body as Obj).message).toBe('pods "b" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });
});

describe('PodSecurity admission', () => {
  function labelled(labels: Record<string, string>) {
    const s = setup();
    s.call({ method: 'PATCH', path: '/api/v1/namespaces/team', contentType: 'application/merge-patch+json', body: { metadata: { labels } } });
    return s;
  }

  it('enforces the restricted standard with upstream wording', () => {
    const { post } = labelled({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect((post(PODS, pod('a')).body as Obj).message).toBe(
      'pods "a" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    const compliant = pod('b', undefined, { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }) as Obj;
    compliant.spec.containers[0].securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    expect(post(PODS, compliant).status).toBe(201);
  });

  it('enforces baseline and warns about workload templates', () => {
    const { post, call } = labelled({ 'pod-security.kubernetes.io/enforce': 'baseline' });
    const privileged = pod('a', undefined, { hostNetwork: true }) as Obj;
    privileged.spec.containers[0].securityContext = { privileged: true };
    expect((post(PODS, privileged).body as Obj).message).toBe(
      'pods "a" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "nginx" must not set securityContext.privileged=true)',
    );
    const res = call({
      method: 'POST',
      path: '/apis/apps/v1/namespaces/team/deployments',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: privileged.spec } },
      },
    });
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual(['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "nginx" must not set securityContext.privileged=true)']);
  });
});

describe('eviction', () => {
  function running() {
    const s = setup();
    s.post(PODS, pod('web'));
    // Stand-ins for the scheduler and kubelet, which arrive with the node issue.
    const p = s.call({ method: 'GET', path: `${PODS}/web` }).body as Obj;
    s.call({ method: 'PUT', path: `${PODS}/web/status`, body: { ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } });
    return s;
  }
  const evict = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'team' } };

  it('evicts a pod no budget protects', () => {
    const { call } = running();
    expect(call({ method: 'POST', path: `${PODS}/web/eviction`, body: evict }).status).toBe(201);
    expect(call({ method: 'GET', path: `${PODS}/web` }).status).toBe(404);
  });

  it('refuses an eviction its PodDisruptionBudget does not allow', () => {
    const { call, post } = running();
    const pdb = post('/apis/policy/v1/namespaces/team/poddisruptionbudgets', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    }).body as Obj;
    call({ method: 'PUT', path: '/apis/policy/v1/namespaces/team/poddisruptionbudgets/web-pdb/status', body: { ...pdb, status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } } });
    expect(call({ method: 'POST', path: `${PODS}/web/eviction`, body: evict })).toEqual({
      status: 429,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
        reason: 'TooManyRequests',
        details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 1 healthy pods and has 1 currently' }] },
        code: 429,
      },
    });
  });
});

describe('ownerReferences', () => {
  it('requires every field and allows one controller', () => {
    const { post } = setup();
    const body = pod('a') as Obj;
    body.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: 'u1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: '', controller: true },
    ];
    expect((post(PODS, body).body as Obj).message).toBe(
      'Pod "a" is invalid: [metadata.ownerReferences.uid: Invalid value: "": uid must not be empty, metadata.ownerReferences: Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"r1", UID:"u1", Controller:(*bool)(0xc000a1b2c8), BlockOwnerDeletion:(*bool)(nil)}, v1.OwnerReference{APIVersion:"apps/v1", Kind:"ReplicaSet", Name:"r2", UID:"", Controller:(*bool)(0xc000a1b2d0), BlockOwnerDeletion:(*bool)(nil)}}: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/r1 and ReplicaSet/r2]',
    );
  });
});
