import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../random';
import { defShape, jsonShape, type Shape } from './fieldset';
import { trackUpdate, trackUpdatePaths } from './index';
import { trackUpdateFast } from './track';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const POD = defShape('io.k8s.api.core.v1.Pod');
const DEPLOYMENT = defShape('io.k8s.api.apps.v1.Deployment');
const SERVICE = defShape('io.k8s.api.core.v1.Service');

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Runs both algorithms on copies and expects the same managedFields, in the same order. */
function both(obj: Obj, old: Obj | undefined, manager: string, shape: Shape, subresource?: string): { fast: Obj; paths: Obj } {
  const a = { ...obj, metadata: { ...(obj.metadata ?? {}) } };
  const b = clone(obj);
  trackUpdate(a, old, manager, 'v1', 'T', shape, subresource);
  trackUpdatePaths(b, old ? clone(old) : undefined, manager, 'v1', 'T', shape, subresource);
  expect(JSON.stringify(a.metadata.managedFields)).toBe(JSON.stringify(b.metadata.managedFields));
  return { fast: a, paths: b };
}

function pod(r: SeededRandom): Obj {
  const pick = <T>(xs: T[]): T => xs[r.int(xs.length)]!;
  const maybe = (p = 0.5) => r.int(1000) < p * 1000;
  const containers = Array.from({ length: 1 + r.int(3) }, (_, i) => ({
    name: pick(['a', 'b', 'c', `c${i}`]),
    image: pick(['nginx', 'nginx:1.27', 'busybox']),
    ...(maybe() ? { ports: Array.from({ length: r.int(3) }, () => ({ containerPort: pick([80, 443, 53]), ...(maybe() ? { protocol: pick(['TCP', 'UDP']) } : {}), ...(maybe(0.3) ? { name: pick(['http', 'dns']) } : {}) })) } : {}),
    ...(maybe() ? { env: Array.from({ length: r.int(3) }, () => ({ name: pick(['A', 'B', 'C']), value: pick(['1', '2']) })) } : {}),
    ...(maybe() ? { resources: maybe() ? {} : { requests: { cpu: pick(['10m', '1']) } } } : {}),
    ...(maybe(0.3) ? { args: [pick(['x', 'y'])] } : {}),
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      uid: 'u',
      ...(maybe() ? { labels: Object.fromEntries(Array.from({ length: r.int(3) }, () => [pick(['app', 'tier', 'x']), pick(['1', '2'])])) } : {}),
      ...(maybe(0.3) ? { annotations: {} } : {}),
      ...(maybe(0.3) ? { finalizers: [pick(['a/b', 'c/d'])] } : {}),
      ...(maybe(0.2) ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: pick(['1', '2']) }] } : {}),
    },
    spec: {
      containers,
      ...(maybe() ? { tolerations: [{ key: pick(['k', 'j']), operator: 'Exists' }] } : {}),
      ...(maybe() ? { nodeSelector: maybe() ? {} : { disk: pick(['ssd', 'hdd']) } } : {}),
      ...(maybe() ? { volumes: [{ name: pick(['v', 'w']), ...(maybe() ? { emptyDir: {} } : { configMap: { name: 'cm' } }) }] } : {}),
      ...(maybe(0.3) ? { securityContext: {} } : {}),
      ...(maybe(0.2) ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: [pick(['x', 'y'])] }] }] } } } } : {}),
    },
    ...(maybe()
      ? {
          status: {
            phase: pick(['Pending', 'Running']),
            ...(maybe() ? { conditions: Array.from({ length: r.int(4) }, () => ({ type: pick(['Ready', 'Initialized', 'PodScheduled']), status: pick(['True', 'False']), ...(maybe() ? { lastTransitionTime: pick(['t1', 't2']) } : {}) })) } : {}),
            ...(maybe() ? { podIPs: [{ ip: pick(['10.0.0.1', '10.0.0.2']) }] } : {}),
            ...(maybe() ? { containerStatuses: [{ name: 'a', ready: maybe() }] } : {}),
          },
        }
      : {}),
  };
}

/** A copy of `old` with some parts changed and, where unchanged, sharing old's (frozen) subtrees. */
function mutate(old: Obj, r: SeededRandom): Obj {
  const fresh = pod(r);
  const out: Obj = { ...old, metadata: { ...old.metadata } };
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences']) if (r.int(3) === 0) out.metadata[k] = fresh.metadata[k];
  if (r.int(2) === 0) {
    out.spec = { ...old.spec };
    for (const k of ['containers', 'tolerations', 'nodeSelector', 'volumes', 'securityContext', 'affinity']) if (r.int(3) === 0) out.spec[k] = fresh.spec[k];
    if (r.int(3) === 0 && old.spec.containers?.length) out.spec.containers = old.spec.containers.map((c: Obj, i: number) => (i === 0 ? { ...c, image: `${c.image}-x` } : c));
  }
  if (r.int(2) === 0) out.status = fresh.status;
  else if (r.int(2) === 0 && old.status) out.status = { ...old.status, phase: old.status.phase === 'Running' ? 'Pending' : 'Running' };
  return out;
}

describe('trackUpdate fast path', () => {
  it('agrees with the path-list algorithm on random pod updates by several managers', () => {
    const r = new SeededRandom(42);
    const managers = ['kubectl', 'kubelet', 'editor', 'controller'];
    let fastCount = 0;
    for (let round = 0; round < 300; round++) {
      let current: Obj | undefined;
      const created = pod(r);
      current = deepFreeze(both(created, undefined, 'creator', POD).paths);
      for (let step = 0; step < 8; step++) {
        const next = mutate(current, r);
        const manager = managers[r.int(managers.length)]!;
        const sub = r.int(3) === 0 ? 'status' : undefined;
        if (trackUpdateFast({ ...next }, current, current.metadata.managedFields ?? [], manager, 'v1', 'T', POD, sub)) fastCount++;
        current = deepFreeze(both(next, current, manager, POD, sub).paths);
      }
    }
    // Most updates take the fast path (those with duplicate keys fall back).
    expect(fastCount).toBeGreaterThan(1500);
  });

  it('agrees on deployments, services and custom resources', () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
    };
    const created = deepFreeze(both(dep, undefined, 'kubectl-create', DEPLOYMENT).paths);
    const scaled = { ...created, spec: { ...created.spec, replicas: 3 } };
    const s2 = deepFreeze(both(scaled, created, 'kubectl-scale', DEPLOYMENT).paths);
    const relabeled = { ...s2, metadata: { ...s2.metadata, labels: { app: 'web', x: 'y' } }, spec: { ...s2.spec, template: { ...s2.spec.template, spec: { containers: [{ name: 'nginx', image: 'nginx:2', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81 }] }] } } } };
    const s3 = deepFreeze(both(relabeled, s2, 'kubectl-edit', DEPLOYMENT).paths);
    both({ ...s3, metadata: { ...s3.metadata, labels: undefined } }, s3, 'kubectl-create', DEPLOYMENT);
    both({ ...s3, spec: undefined }, s3, 'x', DEPLOYMENT);

    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { a: 'b' }, ports: [{ name: 'a', port: 80, protocol: 'TCP' }, { name: 'b', port: 80, protocol: 'UDP' }] } };
    const sv = deepFreeze(both(svc, undefined, 'c', SERVICE).paths);
    both({ ...sv, spec: { ...sv.spec, ports: [{ name: 'b', port: 80, protocol: 'UDP', targetPort: 8080 }] } }, sv, 'd', SERVICE);

    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
            parts: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, n: { type: 'integer' } } } },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            unsorted: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['z', 'a'], items: { type: 'object' } },
          },
        },
      },
    };
    const shape = jsonShape(schema);
    const w = { apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w' }, spec: { tags: ['a', 'b'], parts: [{ name: 'p', n: 1 }], free: { x: 1 }, unsorted: [{ z: 1, a: 2 }] } };
    const w1 = deepFreeze(both(w, undefined, 'm', shape).paths);
    const w2 = deepFreeze(both({ ...w1, spec: { ...w1.spec, tags: ['b', 'c'], parts: [{ name: 'q' }, { name: 'p', n: 2 }], free: { y: 2 } } }, w1, 'n', shape).paths);
    both({ ...w2, spec: { ...w2.spec, unsorted: [{ z: 1, a: 3 }] } }, w2, 'm', shape);
  });

  it('agrees when a create carries managedFields of its own (empty, or not in canonical form)', () => {
    const entry = (manager: string, fieldsV1: Obj) => ({ manager, operation: 'Update', apiVersion: 'v1', time: 't', fieldsType: 'FieldsV1', fieldsV1 });
    const base = pod(new SeededRandom(3));
    const cases: Obj[][] = [
      [entry('a', {})],
      [entry('a', { 'f:metadata': { 'f:name': {} } }), entry('b', { 'f:spec': { 'f:containers': {} } })],
      [entry('a', { 'f:spec': { 'f:containers': { 'k:{"name": "a"}': { '.': {} } } } })],
      [entry('a', { 'f:spec': { '.': {}, 'f:x': {} } }), entry('creator', { 'f:zzz': {} })],
    ];
    for (const managedFields of cases) both({ ...base, metadata: { ...base.metadata, managedFields } }, undefined, 'creator', POD);
  });

  it('shares the FieldsV1 of managers whose fields did not change', () => {
    const created: Obj = deepFreeze(both(pod(new SeededRandom(1)), undefined, 'creator', POD).paths);
    const status: Obj = { ...created, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    const a = { ...status, metadata: { ...status.metadata } };
    trackUpdate(a, created, 'kubelet', 'v1', 'T', POD, 'status');
    expect(a.metadata.managedFields[0]).toBe(created.metadata.managedFields[0]);
    expect(a.metadata.managedFields[1]).toMatchObject({ manager: 'kubelet', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:phase': {} } } });
  });
});
