import { afterEach, describe, expect, it } from 'vitest';
import { rfc3339 } from '../apiserver';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const namespace = (name: string) => h.get(`/api/v1/namespaces/${name}`);

/** The five conditions the namespace deleter keeps, all at `at` unless given. */
function conditions(at: string, over: Record<string, Obj> = {}): Obj[] {
  const ok: [string, string, string][] = [
    ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
    ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
    ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
    ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
    ['NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
  ];
  return ok.map(([type, reason, message]) => ({ type, status: 'False', lastTransitionTime: at, reason, message, ...over[type] }));
}

describe('namespace controller', () => {
  it('empties a terminating namespace, reporting what remains in its conditions, then lets it go', () => {
    h = harness();
    h.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    h.advance(0); // its default ServiceAccount
    // Two pods that take their whole grace period (30 s) to stop, and a ConfigMap held by a finalizer.
    const spec = { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 3600'] }] };
    for (const name of ['a', 'b']) h.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x' }, spec });
    h.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: 'x', finalizers: ['example.com/x'] } });
    h.advance(20_000);
    const t0 = h.cluster.clock.now();
    const at = (s: number) => rfc3339(t0 + s * 1000);
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/x' });
    expect(namespace('x')!.status).toEqual({ phase: 'Terminating' });

    // The controller starts five seconds after the deletion.
    h.advance(4999);
    expect(namespace('x')!.status).toEqual({ phase: 'Terminating' });
    expect(h.pods('x').filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
    h.advance(1);
    expect(namespace('x')!.status.conditions).toEqual(
      conditions(at(5), {
        NamespaceContentRemaining: { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances' },
        NamespaceFinalizersRemaining: { status: 'True', reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/x in 1 resource instances' },
      }),
    );
    expect(h.pods('x').map((p) => p.metadata.deletionTimestamp)).toEqual([at(35), at(35)]);
    expect(h.list('/api/v1/namespaces/x/serviceaccounts')).toEqual([]);

    // With pods stopping it looks again after half their grace period and a second (16 s), or
    // five seconds after its own status write: at 10 s (nothing changed), then 26 s.
    h.advance(7000);
    h.call({ method: 'PATCH', path: '/api/v1/namespaces/x/configmaps/held', contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    h.advance(25_999 - 12_000);
    expect(namespace('x')!.status.conditions[4].reason).toBe('SomeFinalizersRemain');
    h.advance(1);
    expect(namespace('x')!.status.conditions).toEqual(
      conditions(at(5), {
        NamespaceContentRemaining: { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 2 resource instances' },
        NamespaceFinalizersRemaining: { lastTransitionTime: at(26) },
      }),
    );

    // Past the grace period the pods should be gone: their remaining is an error, retried quickly.
    h.advance(5000);
    expect(namespace('x')!.status.conditions).toEqual(
      conditions(at(5), {
        NamespaceDeletionContentFailure: {
          status: 'True',
          lastTransitionTime: at(31),
          reason: 'ContentDeletionFailed',
          message: 'Failed to delete all resource types, 1 remaining: unexpected items still remain in namespace: x for gvr: /v1, Resource=pods',
        },
        NamespaceContentRemaining: { status: 'True', reason: 'SomeResourcesRemain', message: 'Some resources are remaining: pods. has 2 resource instances' },
        NamespaceFinalizersRemaining: { lastTransitionTime: at(26) },
      }),
    );
    // The kubelets kill the pods at 35 s; the next retry finds the namespace empty and finalizes it.
    h.advance(3999);
    expect(namespace('x')).toBeDefined();
    h.advance(3000);
    expect(namespace('x')).toBeUndefined();
  });

  it('keeps a namespace while discovery fails for an unavailable API, and retries at least every minute', () => {
    h = harness({ metricsServer: true });
    h.advance(120_000);
    const service = '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io';
    expect(h.get(service)!.status.conditions[0]).toMatchObject({ type: 'Available', status: 'True' });
    const metrics = h.cluster.installMetricsServer();
    metrics.stop();
    expect(h.get(service)!.status.conditions[0]).toMatchObject({ type: 'Available', status: 'False' });
    for (const name of ['stuck', 'empty']) h.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    h.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'stuck' } });
    h.advance(1000);
    const t0 = h.cluster.clock.now();
    for (const name of ['stuck', 'empty']) h.call({ method: 'DELETE', path: `/api/v1/namespaces/${name}` });
    h.advance(5000);
    expect(namespace('empty')).toBeDefined();
    expect(namespace('stuck')!.status.conditions).toEqual(
      conditions(rfc3339(t0 + 5000), {
        NamespaceDeletionDiscoveryFailure: {
          status: 'True',
          reason: 'DiscoveryFailed',
          message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stale GroupVersion discovery: metrics.k8s.io/v1beta1',
        },
      }),
    );
    // Its content is gone all the same; it stays until discovery works again.
    expect(h.list('/api/v1/namespaces/stuck/configmaps')).toEqual([]);
    h.advance(10 * 60_000);
    expect(namespace('stuck')!.status.phase).toBe('Terminating');
    metrics.start();
    h.advance(60_000 + 60_000);
    expect(h.get(service)!.status.conditions[0]).toMatchObject({ type: 'Available', status: 'True' });
    expect(namespace('stuck')).toBeUndefined();
    expect(namespace('empty')).toBeUndefined();
  });
});
