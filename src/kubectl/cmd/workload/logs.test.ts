import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

const counter = (name: string, n: number) =>
  `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "i=0; while [ $i -lt ${n} ]; do echo tick $i; i=$((i+1)); sleep 1; done"]
`;

describe('kubectl logs', () => {
  it('follows a container until it stops, over virtual time', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/p.yaml', counter('count', 20));
    await s.kubectl('apply -f p.yaml');
    s.cluster.clock.advance(15_000);
    const started = s.cluster.clock.now();
    const r = await s.kubectl('logs -f count');
    expect(r).toEqual({ code: 0, stdout: Array.from({ length: 20 }, (_, i) => `tick ${i}\n`).join(''), stderr: '' });
    // It returned when the container stopped, not an hour later.
    expect(s.cluster.clock.now() - started).toBeLessThan(30_000);
  });

  it('picks a pod of a deployment and says so', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx --replicas=2');
    s.cluster.clock.advance(60_000);
    const r = await s.kubectl('logs deploy/web --tail=1');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Found 2 pods, using pod\/web-[a-z0-9]+-[a-z0-9]{5}\n$/);
  });

  it('says a waiting container is waiting, and -f retries until it runs', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/p.yaml', counter('late', 3));
    await s.kubectl('apply -f p.yaml');
    expect((await s.kubectl('logs late')).stderr).toBe('Error from server (BadRequest): pod late does not have a host assigned\n');
    s.cluster.clock.runUntil(() => !!s.cluster.api.getByResource('pods', '', 'default', 'late')?.spec?.nodeName, 10_000);
    const now = await s.kubectl('logs late');
    expect(now).toEqual({ code: 1, stdout: '', stderr: 'Error from server (BadRequest): container "c" in pod "late" is waiting to start: ContainerCreating\n' });
    const followed = await s.kubectl('logs -f late');
    expect(followed.code).toBe(0);
    expect(followed.stdout).toBe('tick 0\ntick 1\ntick 2\n');
  });

  it('errors as kubectl does', async () => {
    const s = kubectlTestSession();
    expect((await s.kubectl('logs nope')).stderr).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"\n');
    expect((await s.kubectl('logs')).stderr).toBe("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n");
  });
});
