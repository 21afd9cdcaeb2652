import { describe, expect, it } from 'vitest';
import { kubectlTestSession, type KubectlTestSession } from '../../testing';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function deploy(s: KubectlTestSession, name = 'web', replicas = 3, image = 'nginx:1.27'): void {
  const tpl = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image }] } };
  const res = s.cluster.api.handle({ method: 'POST', path: DEPLOY, body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas, selector: { matchLabels: { app: name } }, template: tpl } } });
  expect(res.status).toBe(201);
}

function setImage(s: KubectlTestSession, image: string, cause?: string): void {
  const res = s.cluster.api.handle({
    method: 'PATCH',
    path: `${DEPLOY}/web`,
    contentType: 'application/strategic-merge-patch+json',
    body: { ...(cause ? { metadata: { annotations: { 'kubernetes.io/change-cause': cause } } } : {}), spec: { template: { spec: { containers: [{ name: 'nginx', image }] } } } },
  });
  expect(res.status).toBe(200);
}

describe('kubectl rollout status', () => {
  it('follows a new deployment until its pods are available, over virtual time', async () => {
    const s = kubectlTestSession();
    deploy(s);
    const r = await s.kubectl('rollout status deployment/web');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Waiting for deployment spec update to be observed...',
        'Waiting for deployment spec update to be observed...',
        'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...',
        'deployment "web" successfully rolled out\n',
      ].join('\n'),
    );
  });

  it('prints once with --watch=false and fails on --timeout', async () => {
    const s = kubectlTestSession();
    deploy(s);
    expect(await s.kubectl('rollout status deploy/web --watch=false')).toEqual({ code: 0, stdout: 'Waiting for deployment spec update to be observed...\n', stderr: '' });
    s.cluster.clock.advance(60_000);
    setImage(s, 'nginx:does-not-exist');
    const r = await s.kubectl('rollout status deploy/web --timeout=20s');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: timed out waiting for the condition\n');
    expect(r.stdout).toContain('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
  });

  it('reports a missing object, a missing resource and an unsupported kind', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('rollout status')).toEqual({ code: 1, stdout: '', stderr: 'error: required resource not specified\n' });
    expect((await s.kubectl('rollout status deploy/nope')).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect((await s.kubectl('rollout status deploy')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('kubectl rollout history, undo, pause, resume, restart', () => {
  it('lists revisions with their change-cause and shows one in full', async () => {
    const s = kubectlTestSession();
    deploy(s);
    s.cluster.clock.advance(60_000);
    setImage(s, 'nginx:1.28', 'image 1.28');
    s.cluster.clock.advance(60_000);
    expect((await s.kubectl('rollout history deployment web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.28\n\n');
    const one = await s.kubectl('rollout history deploy/web --revision=2');
    expect(one.stdout).toMatch(/^deployment.apps\/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=\w+\n  Annotations:\tkubernetes.io\/change-cause: image 1.28\n  Containers:\n   nginx:\n    Image:\tnginx:1.28\n/);
    expect((await s.kubectl('rollout history deploy/web --revision=9')).stderr).toBe('error: unable to find the specified revision\n');
  });

  it('rolls back to the previous revision and skips a revision already running', async () => {
    const s = kubectlTestSession();
    deploy(s);
    s.cluster.clock.advance(60_000);
    setImage(s, 'nginx:1.28');
    s.cluster.clock.advance(60_000);
    expect((await s.kubectl('rollout undo deploy/web --to-revision=2')).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 2)\n');
    expect(await s.kubectl('rollout undo deploy/web')).toEqual({ code: 0, stdout: 'deployment.apps/web rolled back\n', stderr: '' });
    s.cluster.clock.advance(60_000);
    const d = s.cluster.api.handle({ method: 'GET', path: `${DEPLOY}/web` }).body as { spec: { template: { spec: { containers: { image: string }[] } } }; metadata: { annotations: Record<string, string> } };
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect((await s.kubectl('rollout history deploy/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    expect((await s.kubectl('rollout undo deploy/web --to-revision=7')).stderr).toBe('error: unable to find specified revision 7 in history\n');
  });

  it('pauses, refuses to pause twice or restart while paused, resumes and restarts', async () => {
    const s = kubectlTestSession();
    deploy(s);
    s.cluster.clock.advance(60_000);
    expect((await s.kubectl('rollout pause deploy/web')).stdout).toBe('deployment.apps/web paused\n');
    expect(await s.kubectl('rollout pause deploy/web')).toEqual({ code: 1, stdout: '', stderr: 'error: deployments.apps "web" is already paused\n' });
    expect((await s.kubectl('rollout restart deploy/web')).stderr).toBe('error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
    expect((await s.kubectl('rollout undo deploy/web')).stderr).toBe('error: no rollout history found for deployment "web"\n');
    expect((await s.kubectl('rollout resume deploy/web')).stdout).toBe('deployment.apps/web resumed\n');
    expect((await s.kubectl('rollout resume deploy/web')).stderr).toBe('error: deployments.apps "web" is not paused\n');
    expect((await s.kubectl('rollout restart deploy/web')).stdout).toBe('deployment.apps/web restarted\n');
    expect((await s.kubectl('rollout restart deploy/web')).stderr).toBe('error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n');
    const r = await s.kubectl('rollout status deploy/web');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
    expect((await s.kubectl('rollout history deploy/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
  });
});
