import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl set', () => {
  it('updates images, env and resources of a deployment', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx:1.27');
    expect((await s.kubectl('set image deployment/web nginx=nginx:1.28')).stdout).toBe('deployment.apps/web image updated\n');
    expect((await s.kubectl('set image deployment/web nginx=nginx:1.28')).stdout).toBe('');
    expect((await s.kubectl('set image deployment/web nope=x')).stderr).toBe('error: unable to find container named "nope"\n');
    expect((await s.kubectl('set env deployment/web A=1 B=2')).stdout).toBe('deployment.apps/web env updated\n');
    expect((await s.kubectl('set env deployment/web A-')).stdout).toBe('deployment.apps/web env updated\n');
    expect((await s.kubectl('set env deployment/web --list')).stdout).toBe('# Deployment web, container nginx\nB=2\n');
    expect((await s.kubectl('set resources deployment/web --limits=cpu=200m')).stdout).toBe('deployment.apps/web resource requirements updated\n');
    const got = await s.kubectl(['get', 'deploy', 'web', '-o', 'json']);
    const c = JSON.parse(got.stdout).spec.template.spec.containers[0];
    expect(c).toMatchObject({ image: 'nginx:1.28', env: [{ name: 'B', value: '2' }], resources: { limits: { cpu: '200m' } } });
  });

  it('imports env from a config map and adds subjects', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx');
    await s.kubectl('create configmap cfg --from-literal=db.host=x');
    await s.kubectl('set env deployment/web --from=configmap/cfg');
    expect((await s.kubectl('set env deployment/web --list')).stdout).toBe('# Deployment web, container nginx\n# DB_HOST from configmap cfg, key db.host\n');
    await s.kubectl('create rolebinding rb --clusterrole=view --user=a');
    expect((await s.kubectl('set subject rolebinding rb --user=b')).stdout).toBe('rolebinding.rbac.authorization.k8s.io/rb subjects updated\n');
  });
});
