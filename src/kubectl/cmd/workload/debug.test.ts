import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

async function withBox() {
  const s = kubectlTestSession();
  await s.kubectl(['run', 'box', '--image=busybox', '--', 'sleep', '3600']);
  s.cluster.clock.advance(60_000);
  return s;
}

describe('kubectl debug with an ephemeral container', () => {
  it('adds the container, the kubelet starts it, exec and describe see it', async () => {
    const s = await withBox();
    const r = await s.kubectl(['debug', 'box', '--image=busybox', '-c', 'dbg', '--target=box', '--', 'sleep', '1d']);
    expect(r).toEqual({ code: 0, stdout: 'Targeting container "box". If you don\'t see processes from this container it may be because the container runtime doesn\'t support this feature.\n', stderr: '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n' });
    s.cluster.clock.advance(30_000);
    const pod = JSON.parse((await s.kubectl(['get', 'pod', 'box', '-o', 'json'])).stdout);
    expect(pod.spec.ephemeralContainers[0]).toMatchObject({ name: 'dbg', image: 'busybox', targetContainerName: 'box', command: ['sleep', '1d'], imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' });
    expect(pod.status.ephemeralContainerStatuses[0]).toMatchObject({ name: 'dbg', ready: false, restartCount: 0, state: { running: {} } });
    expect(pod.status.phase).toBe('Running');
    expect(await s.kubectl(['exec', 'box', '-c', 'dbg', '--', 'echo', 'hi'])).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    const events = (await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.fieldPath=spec.ephemeralContainers{dbg}', '-o', 'custom-columns=R:.reason,M:.message', '--no-headers'])).stdout;
    expect(events).toContain('Created container dbg');
    expect(events).toContain('Started container dbg');
    const describe = (await s.kubectl(['describe', 'pod', 'box'])).stdout;
    expect(describe).toContain('Ephemeral Containers:\n  dbg:');
  });

  it('-i runs what is piped into the debugging shell', async () => {
    const s = await withBox();
    const r = await s.kubectl(['debug', 'box', '-it', '--image=busybox', '-c', 'sh1'], { stdin: 'echo hi from $(hostname)\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('hi from box\n');
    expect(r.stderr).toContain("If you don't see a command prompt, try pressing enter.\n");
    expect((await s.kubectl(['debug', 'box', '-i', '--image=busybox', '-c', 'sh2', '--', 'sh', '-c', 'sleep 1; echo done'])).stdout).toBe('done\n');
    // The shell read the end of its input and exited: the ephemeral container with it, not restarted.
    await s.kubectl(['debug', 'box', '-i', '--image=busybox', '-c', 'sh3'], { stdin: 'exit 3\n' });
    s.cluster.clock.advance(10_000);
    const statuses = JSON.parse((await s.kubectl(['get', 'pod', 'box', '-o', 'json'])).stdout).status.ephemeralContainerStatuses;
    expect(statuses.find((c: { name: string }) => c.name === 'sh1').state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(statuses.find((c: { name: string }) => c.name === 'sh3').state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(statuses.find((c: { name: string }) => c.name === 'sh3').restartCount).toBe(0);
  });

  it('rejects what upstream validation rejects', async () => {
    const s = await withBox();
    const patch = (body: object) => s.cluster.api.handle({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/box/ephemeralcontainers', contentType: 'application/strategic-merge-patch+json', body });
    const msg = (body: object) => (patch(body).body as { message: string }).message;
    expect(msg({ spec: { ephemeralContainers: [{ name: 'box', image: 'busybox', ports: [{ containerPort: 80 }], readinessProbe: { exec: { command: ['true'] } } }] } })).toBe(
      'Pod "box" is invalid: [spec.ephemeralContainers[0].name: Duplicate value: "box", spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]',
    );
    expect(msg({ spec: { ephemeralContainers: [{ name: 'd', image: 'busybox', targetContainerName: 'nope' }] } })).toBe('Pod "box" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"');
    expect(patch({ spec: { ephemeralContainers: [{ name: 'd', image: 'busybox' }] } }).status).toBe(200);
    expect(msg({ spec: { ephemeralContainers: [{ name: 'd', image: 'alpine' }] } })).toMatch(/^Pod "box" is invalid: spec.ephemeralContainers.d: Forbidden: existing ephemeral containers "d" may not be changed/);
    // Other fields are ignored through this subresource; a plain pod update may not touch ephemeral containers.
    const r = patch({ metadata: { labels: { x: 'y' } }, spec: { ephemeralContainers: [{ name: 'd', image: 'busybox' }, { name: 'e', image: 'busybox' }] } });
    expect(r.status).toBe(200);
    expect((r.body as { metadata: { labels?: Record<string, string> } }).metadata.labels?.x).toBeUndefined();
  });
});
