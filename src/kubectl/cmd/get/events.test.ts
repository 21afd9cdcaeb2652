import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl events', () => {
  it('lists events of one object with kubectl 1.32 columns', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx');
    s.cluster.clock.advance(30_000);
    const r = await s.kubectl('events --for deploy/web');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n30s +Normal +ScalingReplicaSet +Deployment\/web +Scaled up replica set web-\w+ to 1\n$/);
  });

  it('says when there are none and checks --types', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('events -n nothing')).toEqual({ code: 0, stdout: '', stderr: 'No events found in nothing namespace.\n' });
    expect(await s.kubectl('events --types=Bad')).toEqual({ code: 1, stdout: '', stderr: 'error: valid --types are Normal or Warning\n' });
    expect(await s.kubectl('events --for web')).toEqual({ code: 1, stdout: '', stderr: 'error: --for must be in resource/name form\n' });
  });
});
