/**
 * Fidelity for the verbs that operate workloads and nodes (rollout, wait, top, cordon, uncordon,
 * drain, taint): the real kubectl 1.32 and ours against one served cluster print the same.
 * Commands that change the cluster run through `compareChange`, which puts the cluster back
 * between the two runs so that both see the same state.
 */
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../sim';
import { normalizeKlog, useFidelity } from './fidelity-kit';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function setup(cluster: Cluster): void {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } };
  cluster.api.handle({ method: 'POST', path: DEPLOY, userAgent: 'kubectl', body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: tpl } } });
  cluster.clock.advance(60_000);
  cluster.api.handle({
    method: 'PATCH',
    path: `${DEPLOY}/web`,
    contentType: 'application/strategic-merge-patch+json',
    userAgent: 'kubectl',
    body: { metadata: { annotations: { 'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.28' } }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } },
  });
  cluster.clock.advance(120_000);
}

/** Command lines both must print the same for, on the settled cluster. */
const SCENARIOS: string[][] = [
  ['rollout', 'history', 'deployment/web'],
  ['rollout', 'history', 'deployment', 'web', '--revision=1'],
  ['rollout', 'history', 'deploy/web', '--revision=2'],
  ['rollout', 'history', 'deploy/web', '--revision=9'],
  ['rollout', 'history', 'daemonset/kube-proxy', '-n', 'kube-system'],
  ['rollout', 'history', 'ds/kube-proxy', '-n', 'kube-system', '--revision=1'],
  ['rollout', 'history', 'deploy/nope'],
  ['rollout', 'status', 'deployment/web'],
  ['rollout', 'status', 'deploy/web', '--watch=false'],
  ['rollout', 'status', 'deploy'],
  ['rollout', 'status', 'ds/kube-proxy', '-n', 'kube-system'],
  ['rollout', 'status', 'deploy/web', '--revision=1'],
  ['rollout', 'status', 'deploy/nope'],
  ['rollout', 'status'],
  ['rollout', 'undo', 'deploy/web', '--to-revision=2'],
  ['rollout', 'undo', 'deploy/web', '--to-revision=7'],
  ['rollout', 'undo', 'deploy/web', '--dry-run=client'],
  ['rollout', 'resume', 'deploy/web'],
  ['rollout', 'pause', 'ds/kube-proxy', '-n', 'kube-system'],
  ['top', 'node'],
  ['top', 'node', 'node01'],
  ['top', 'node', '--sort-by=memory', '--no-headers'],
  ['top', 'pod', '-A'],
  ['top', 'pod', '-n', 'kube-system', '--sort-by=cpu'],
  ['top', 'pod', '-n', 'kube-system', '--containers'],
  ['top', 'pod', '-l', 'app=web'],
  ['top', 'pod', '--sort-by=name'],
  ['top', 'pod', '-n', 'empty'],
  ['wait', '--for=condition=Ready', 'pod', '-l', 'app=web'],
  ['wait', '--for=jsonpath={.status.phase}=Running', 'pods', '-l', 'app=web'],
  ['wait', '--for=jsonpath={.status.conditions[?(@.type=="Ready")].status}=True', 'pods', '-l', 'app=web'],
  ['wait', '--for=jsonpath=.spec.replicas=2', 'deploy/web'],
  ['wait', '--for=jsonpath={.metadata.labels}', 'deploy/web'],
  ['wait', '--for=jsonpath={.status.containerStatuses[*].ready}=true', 'pods', '-l', 'app=web'],
  ['wait', '--for=condition=Available', 'deployment/web'],
  ['wait', '--for=condition=Ready=false', 'pod', '-l', 'app=web', '--timeout=1s'],
  ['wait', '--for=delete', 'pod/nope'],
  ['wait', '--for=condition=Ready', 'pod/nope'],
  ['wait', '--for=nonsense', 'pod/nope'],
  ['wait', '--for=condition=Ready', 'pod', '-l', 'app=nothing'],
  ['uncordon', 'node01'],
  ['cordon', 'nope'],
  ['cordon'],
  ['drain'],
  ['drain', 'node01', '--dry-run=client'],
  ['taint', 'node', 'node01'],
  ['taint', 'node', 'node01', 'a=b:Sometimes'],
  ['taint', 'node', 'node01', 'a-'],
  ['taint', 'pod', 'x', 'a=b:NoSchedule'],
  ['taint', 'node', 'controlplane', 'node-role.kubernetes.io/control-plane:NoSchedule'],
];

describe('fidelity: rollout, wait, top, cordon, drain and taint print what kubectl 1.32 prints', () => {
  const kit = useFidelity(setup, { metricsServer: true });

  it.each(SCENARIOS.map((args) => [args.join(' '), args] as const))('kubectl %s', async (_, args) => {
    await kit.compare(args);
  });

  /** Runs the real kubectl, puts the cluster back with `revert`, runs ours, reverts again, compares. */
  async function compareChange(args: string[], revert: () => void): Promise<void> {
    if (!kit.available()) return;
    const real = await kit.real(args);
    revert();
    const ours = await kit.ours(args);
    revert();
    expect({ ...ours, stderr: normalizeKlog(ours.stderr) }).toEqual({ ...real, stderr: normalizeKlog(real.stderr) });
  }

  const patch = (path: string, body: unknown, contentType: 'application/merge-patch+json' | 'application/json-patch+json' = 'application/merge-patch+json') =>
    kit.cluster.api.handle({ method: 'PATCH', path, contentType, body } as never);

  it('kubectl rollout pause, then its refusals while paused', async () => {
    await compareChange(['rollout', 'pause', 'deploy/web'], () => patch(`${DEPLOY}/web`, { spec: { paused: null } }));
    patch(`${DEPLOY}/web`, { spec: { paused: true } });
    await kit.compare(['rollout', 'pause', 'deploy/web']);
    await kit.compare(['rollout', 'restart', 'deploy/web']);
    await compareChange(['rollout', 'resume', 'deploy/web'], () => patch(`${DEPLOY}/web`, { spec: { paused: true } }));
    patch(`${DEPLOY}/web`, { spec: { paused: null } });
  });

  it('kubectl rollout restart', async () => {
    await compareChange(['rollout', 'restart', 'deploy/web'], () => patch(`${DEPLOY}/web`, { spec: { template: { metadata: { annotations: null } } } }));
  });

  it('kubectl rollout undo', async () => {
    const before = kit.cluster.api.handle({ method: 'GET', path: `${DEPLOY}/web` }).body as { spec: { template: unknown }; metadata: { annotations: unknown } };
    await compareChange(['rollout', 'undo', 'deploy/web'], () =>
      patch(
        `${DEPLOY}/web`,
        [
          { op: 'replace', path: '/spec/template', value: before.spec.template },
          { op: 'replace', path: '/metadata/annotations', value: before.metadata.annotations },
        ],
        'application/json-patch+json',
      ),
    );
  });

  it('kubectl cordon, uncordon and taint', async () => {
    await compareChange(['cordon', 'node02'], () => patch('/api/v1/nodes/node02', { spec: { unschedulable: null } }));
    patch('/api/v1/nodes/node02', { spec: { unschedulable: true } });
    await kit.compare(['cordon', 'node02']);
    await compareChange(['uncordon', 'node02'], () => patch('/api/v1/nodes/node02', { spec: { unschedulable: true } }));
    patch('/api/v1/nodes/node02', { spec: { unschedulable: null } });
    await compareChange(['taint', 'node', 'node02', 'dedicated=web:NoSchedule'], () => patch('/api/v1/nodes/node02', { spec: { taints: null } }));
    patch('/api/v1/nodes/node02', { spec: { taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] } });
    await kit.compare(['taint', 'node', 'node02', 'dedicated=db:NoSchedule']);
    const tainted = () => patch('/api/v1/nodes/node02', { spec: { taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }] } });
    await compareChange(['taint', 'node', 'node02', 'dedicated=db:NoSchedule', '--overwrite'], tainted);
    await compareChange(['taint', 'node', 'node02', 'dedicated:NoSchedule-'], tainted);
    await compareChange(['taint', 'node', 'node02', 'dedicated-'], tainted);
    patch('/api/v1/nodes/node02', { spec: { taints: null } });
  });

  it('kubectl rollout status and wait time out on a rollout that does not progress', { timeout: 60_000 }, async () => {
    // The served cluster's clock stands still: a new deployment is never observed.
    const tpl = { metadata: { labels: { app: 'slow' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
    kit.cluster.api.handle({ method: 'POST', path: DEPLOY, body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'slow' }, spec: { replicas: 1, selector: { matchLabels: { app: 'slow' } }, template: tpl } } });
    await kit.compare(['rollout', 'status', 'deploy/slow', '--watch=false']);
    await kit.compare(['rollout', 'status', 'deploy/slow', '--timeout=1s']);
    await kit.compare(['wait', '--for=condition=Available', 'deploy/slow', '--timeout=1s']);
    await kit.compare(['wait', '--for=condition=Available', 'deploy/slow', '--timeout=0']);
    await kit.compare(['wait', '--for=delete', 'deploy/slow', '--timeout=1s']);
  });
});
