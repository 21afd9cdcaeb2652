import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './testkit';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
afterEach(() => expect(h.invariantViolations()).toEqual([]));

const PVS = '/api/v1/persistentvolumes';
const PVCS = '/api/v1/namespaces/default/persistentvolumeclaims';
const PROVISIONER_SOURCE = 'rancher.io/local-path_local-path-provisioner-7599fd788b-2jkqd_4c0b7bd8-9a5e-4d53-8f4e-0e1f0c8a6d21';

/** A cluster with the local-path default class and provisioner, or with no dynamic storage at all. */
function setup(withLocalPath = false): Harness {
  h = harness({ storage: withLocalPath ? 'local-path' : 'none' });
  return h;
}

function volume(name: string, storage: string, spec: Obj = {}, metadata: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, ...metadata }, spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/mnt/${name}` }, ...spec } };
}

function claim(name: string, storage: string, spec: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...spec } };
}

/** "type reason message (source) xN" for the events about one object. */
function events(name: string, kind = 'PersistentVolumeClaim'): string[] {
  const all = [...h.list('/api/v1/namespaces/default/events')];
  return all
    .filter((e) => e.involvedObject.name === name && e.involvedObject.kind === kind)
    .sort((a, b) => (a.firstTimestamp < b.firstTimestamp ? -1 : a.firstTimestamp > b.firstTimestamp ? 1 : 0))
    .map((e) => `${e.type} ${e.reason} ${e.message} (${e.source.component})${e.count > 1 ? ` x${e.count}` : ''}`);
}

const getPV = (name: string) => h.get(`${PVS}/${name}`);
const getPVC = (name: string) => h.get(`${PVCS}/${name}`);

describe('PersistentVolume binder', () => {
  it('binds a claim to the smallest Available volume that fits, claimRef first, then the claim', () => {
    setup();
    h.create(volume('big', '5Gi'));
    h.create(volume('small', '1Gi'));
    h.create(volume('tiny', '100Mi'));
    h.create(volume('shared', '1Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] }));
    h.create(volume('fast', '1Gi', { storageClassName: 'fast' }));
    h.create(volume('block', '1Gi', { volumeMode: 'Block' }));
    h.create(claim('data', '500Mi'));
    h.advance(0);

    const pvc = getPVC('data')!;
    const pv = getPV('small')!;
    expect(pvc.spec.volumeName).toBe('small');
    expect(pvc.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pvc.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } });
    expect(pv.spec.claimRef).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: expect.any(String) });
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(pv.status).toEqual({ phase: 'Bound', lastPhaseTransitionTime: expect.any(String) });
    expect(pv.metadata.managedFields.map((f: Obj) => f.manager)).toContain('kube-controller-manager');
    for (const name of ['big', 'tiny', 'shared', 'fast', 'block']) expect(getPV(name)!.status.phase).toBe('Available');
    // Binding itself is silent.
    expect(events('data')).toEqual([]);
  });

  it('honours a selector and a volume the claim names, and says why a named volume does not fit', () => {
    setup();
    h.create(volume('ssd', '2Gi', {}, { labels: { type: 'ssd' } }));
    h.create(volume('hdd', '1Gi'));
    h.create(claim('fast', '1Gi', { selector: { matchLabels: { type: 'ssd' } } }));
    h.create(claim('too-big', '5Gi', { volumeName: 'hdd' }));
    h.advance(0);
    expect(getPVC('fast')!.spec.volumeName).toBe('ssd');
    expect(getPVC('too-big')!.status).toEqual({ phase: 'Pending' });
    expect(getPV('hdd')!.status.phase).toBe('Available');
    expect(events('too-big')).toEqual([
      'Warning VolumeMismatch Cannot bind to requested volume "hdd": requested PV is too small (persistentvolume-controller)',
    ]);
    // A claim that names a volume it fits binds to it without the bound-by-controller annotation.
    h.create(claim('named', '1Gi', { volumeName: 'hdd' }));
    h.advance(0);
    const named = getPVC('named')!;
    expect(named.status.phase).toBe('Bound');
    expect(named.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes' });
    expect(getPV('hdd')!.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
  });

  it('reports a claim nothing can satisfy at every resync, and binds it once a volume appears', () => {
    setup();
    h.create(claim('data', '10Gi', { storageClassName: '' }));
    h.create(claim('classy', '1Gi', { storageClassName: 'fast' }));
    h.advance(31_000);
    expect(getPVC('data')!.status).toEqual({ phase: 'Pending' });
    expect(events('data')).toEqual(['Normal FailedBinding no persistent volumes available for this claim and no storage class is set (persistentvolume-controller) x3']);
    expect(events('classy')).toEqual(['Warning ProvisioningFailed storageclass.storage.k8s.io "fast" not found (persistentvolume-controller) x3']);
    h.create(volume('big', '10Gi'));
    h.advance(1000);
    expect(getPV('big')!.status.phase).toBe('Available');
    // The claim is looked at again at the next resync, not when the volume appears.
    h.advance(15_000);
    expect(getPVC('data')!.status.phase).toBe('Bound');
    expect(getPV('big')!.status.phase).toBe('Bound');
  });

  describe('reclaims a volume when its claim is deleted, as its policy says', () => {
    const cases: { name: string; spec: Obj; expectGone?: boolean; phase?: string; message?: string; event?: string; claimRef?: boolean }[] = [
      { name: 'Retain keeps the volume Released with its claimRef', spec: { persistentVolumeReclaimPolicy: 'Retain' }, phase: 'Released', claimRef: true },
      {
        name: 'Delete of a hostPath outside /tmp fails',
        spec: { persistentVolumeReclaimPolicy: 'Delete', hostPath: { path: '/mnt/data' } },
        phase: 'Failed',
        message: 'host_path deleter only supports /tmp/.+ but received provided /mnt/data',
        event: 'Warning VolumeFailedDelete host_path deleter only supports /tmp/.+ but received provided /mnt/data (persistentvolume-controller)',
        claimRef: true,
      },
      { name: 'Delete of a hostPath under /tmp deletes the volume', spec: { persistentVolumeReclaimPolicy: 'Delete', hostPath: { path: '/tmp/data' } }, expectGone: true },
      {
        name: 'Delete of a local volume has no deleter',
        spec: {
          persistentVolumeReclaimPolicy: 'Delete',
          hostPath: undefined,
          local: { path: '/mnt/disk' },
          nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node01'] }] }] } },
        },
        phase: 'Failed',
        message: 'error getting deleter volume plugin for volume "pv": no volume plugin matched',
        event: 'Warning VolumeFailedDelete error getting deleter volume plugin for volume "pv": no volume plugin matched (persistentvolume-controller)',
        claimRef: true,
      },
      {
        name: 'Recycle scrubs the volume and makes it Available',
        spec: { persistentVolumeReclaimPolicy: 'Recycle' },
        phase: 'Available',
        event: 'Normal VolumeRecycled Volume recycled (persistentvolume-controller)',
        claimRef: false,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        setup();
        h.create(volume('pv', '1Gi', c.spec));
        h.create(claim('data', '1Gi', { storageClassName: '' }));
        h.advance(0);
        expect(getPV('pv')!.status.phase).toBe('Bound');
        h.call({ method: 'DELETE', path: `${PVCS}/data` });
        h.advance(1000);
        const pv = getPV('pv');
        if (c.expectGone) {
          expect(pv).toBeUndefined();
          return;
        }
        expect(pv!.status.phase).toBe(c.phase);
        expect(pv!.status.message).toBe(c.message);
        expect(Boolean(pv!.spec.claimRef)).toBe(c.claimRef);
        expect(events('pv', 'PersistentVolume')).toEqual(c.event ? [c.event] : []);
        // A new claim of the same name does not get a Released or Failed volume back.
        h.create(claim('data', '1Gi', { storageClassName: '' }));
        h.advance(16_000);
        expect(getPVC('data')!.status.phase).toBe(c.phase === 'Available' ? 'Bound' : 'Pending');
      });
    }
  });

  it('marks a bound claim Lost when its volume is deleted', () => {
    setup();
    h.create(volume('pv', '1Gi'));
    h.create(claim('data', '1Gi', { storageClassName: '' }));
    h.advance(0);
    h.call({ method: 'DELETE', path: `${PVS}/pv` });
    h.advance(0);
    expect(getPVC('data')!.status.phase).toBe('Lost');
    expect(events('data')).toEqual(['Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost! (persistentvolume-controller)']);
  });
});

describe('local-path provisioner', () => {
  it('waits for the first consumer, provisions on the node the pod runs on, and deletes the data with the claim', () => {
    setup(true);
    h.create(claim('data', '128Mi'));
    h.advance(1000);
    const pvc0 = getPVC('data')!;
    // The default class was filled in by the DefaultStorageClass admission plugin.
    expect(pvc0.spec.storageClassName).toBe('local-path');
    expect(pvc0.status.phase).toBe('Pending');
    expect(events('data')).toEqual(['Normal WaitForFirstConsumer waiting for first consumer to be created before binding (persistentvolume-controller)']);
    expect(h.list(PVS)).toEqual([]);

    h.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'writer' },
      spec: {
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello > /data/hello; sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      },
    });
    h.advance(1000);
    // kube-scheduler's VolumeBinding PreBind names the chosen node on the claim. Until the
    // simulated scheduler does (it binds the pod at once today), the test does it for it.
    let node: string | undefined = getPVC('data')!.metadata.annotations?.['volume.kubernetes.io/selected-node'];
    if (!node) {
      node = h.get('/api/v1/namespaces/default/pods/writer')!.spec.nodeName as string;
      h.call({ method: 'PATCH', path: `${PVCS}/data`, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'volume.kubernetes.io/selected-node': node } } } });
    }
    expect(['node01', 'node02']).toContain(node);
    h.advance(0);
    const uid = pvc0.metadata.uid;
    const pvName = `pvc-${uid}`;
    expect(getPVC('data')!.metadata.annotations).toEqual({
      'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
      'volume.kubernetes.io/selected-node': node,
      'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
    });
    expect(getPV(pvName)).toBeUndefined();
    h.advance(3000);
    // ExternalProvisioning is repeated at each sync of the claim (here: its annotation update).
    expect(events('data')).toEqual([
      'Normal WaitForFirstConsumer waiting for first consumer to be created before binding (persistentvolume-controller)',
      "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered. (persistentvolume-controller) x2",
      `Normal Provisioning External provisioner is provisioning volume for claim "default/data" (${PROVISIONER_SOURCE})`,
      `Normal ProvisioningSucceeded Successfully provisioned volume ${pvName} (${PROVISIONER_SOURCE})`,
    ]);
    const pv = getPV(pvName)!;
    const dir = `/opt/local-path-provisioner/${pvName}_default_data`;
    expect(pv.metadata.annotations).toEqual({
      'local.path.provisioner/selected-node': node,
      'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path',
    });
    expect(pv.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '128Mi' },
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid, apiVersion: 'v1', resourceVersion: expect.any(String) },
      hostPath: { path: dir, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'local-path',
      volumeMode: 'Filesystem',
    });
    expect(pv.status.phase).toBe('Bound');
    expect(pv.metadata.managedFields[0].manager).toBe('local-path-provisioner');
    const pvc = getPVC('data')!;
    expect(pvc.spec.volumeName).toBe(pvName);
    expect(pvc.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '128Mi' } });

    // The kubelet retries the mount and the pod runs, writing into the directory on its node.
    h.advance(60_000);
    expect(h.get('/api/v1/namespaces/default/pods/writer')!.status.phase).toBe('Running');
    expect(h.get('/api/v1/namespaces/default/pods/writer')!.spec.nodeName).toBe(node);
    const fs = h.cluster.kubelets.get(node)!.hostFs;
    expect(fs.read(`${dir}/hello`)).toBe('hello\n');
    expect(fs.stat(dir)).toMatchObject({ kind: 'dir', mode: 0o777 });

    // Deleting the claim releases the volume; the provisioner removes the directory, then the volume.
    h.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/writer' });
    h.call({ method: 'DELETE', path: `${PVCS}/data` });
    h.advance(0);
    expect(getPV(pvName)!.status.phase).toBe('Released');
    h.advance(3000);
    expect(getPV(pvName)).toBeUndefined();
    h.advance(60_000);
    expect(fs.stat(dir)).toBeUndefined();
  });

  it('refuses what a node directory cannot be: ReadWriteMany and block volumes', () => {
    setup(true);
    h.create({ ...claim('shared', '1Gi', { accessModes: ['ReadWriteMany'] }), metadata: { name: 'shared', annotations: { 'volume.kubernetes.io/selected-node': 'node01' } } });
    h.create({ ...claim('raw', '1Gi', { volumeMode: 'Block' }), metadata: { name: 'raw', annotations: { 'volume.kubernetes.io/selected-node': 'node01' } } });
    h.advance(0);
    const external =
      "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered. (persistentvolume-controller) x2";
    expect(events('shared').sort()).toEqual([
      external,
      `Normal Provisioning External provisioner is provisioning volume for claim "default/shared" (${PROVISIONER_SOURCE})`,
      `Warning ProvisioningFailed failed to provision volume with StorageClass "local-path": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes (${PROVISIONER_SOURCE})`,
    ]);
    expect(events('raw').sort()).toEqual([external, `Warning ProvisioningFailed rancher.io/local-path does not support block volume provisioning (${PROVISIONER_SOURCE})`]);
    // The refused access mode is tried again with back-off; the claims stay Pending.
    h.advance(10_000);
    expect(events('shared').at(-1)).toMatch(/ProvisioningFailed .* x[4-9]$/);
    expect(getPVC('shared')!.status.phase).toBe('Pending');
    expect(h.list(PVS)).toEqual([]);
  });
});
