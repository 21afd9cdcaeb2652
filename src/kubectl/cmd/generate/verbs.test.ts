import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl run, expose, scale, autoscale', () => {
  it('runs a pod to completion with -i --rm and returns its exit code', async () => {
    const s = kubectlTestSession();
    const r = await s.kubectl(['run', 't', '--image=busybox', '--rm', '-i', '--restart=Never', '--', 'sh', '-c', 'echo bye; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'bye\npod "t" deleted\n', stderr: 'pod default/t terminated (Error)\n' });
    expect((await s.kubectl('get pod t')).code).toBe(1);
  });

  it('runs a pod and exposes it', async () => {
    const s = kubectlTestSession();
    expect((await s.kubectl('run web --image=nginx --port=80 --expose')).stdout).toBe('service/web created\npod/web created\n');
    expect((await s.kubectl('expose pod web --name=web2')).stdout).toBe('service/web2 exposed\n');
  });

  it('scales with a precondition and autoscales', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx --replicas=2');
    expect((await s.kubectl('scale deploy web --replicas=3 --current-replicas=1')).stderr).toBe('error: Expected replicas to be 1, was 2\n');
    expect((await s.kubectl('scale deploy web --replicas=3 --current-replicas=2')).stdout).toBe('deployment.apps/web scaled\n');
    expect((await s.kubectl('autoscale deploy web --max=5')).stdout).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
  });
});
