import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl get', () => {
  it('prints several types with kind prefixes and a blank line between tables', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx');
    s.cluster.clock.advance(30_000);
    const r = await s.kubectl('get deploy,svc');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/web +1\/1 +1 +1 +30s\n\nNAME +TYPE/);
    expect(r.stdout).toContain('service/kubernetes');
  });

  it('says when nothing is found, in every form', async () => {
    const s = kubectlTestSession();
    expect(await s.kubectl('get deploy')).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(await s.kubectl('get pv')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
    expect((await s.kubectl('get deploy -o json')).stdout).toBe('{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
    expect(await s.kubectl('get deploy a b --ignore-not-found')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('watches: the list, then a row per change, until the wait ends', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create deployment web --image=nginx');
    s.cluster.clock.advance(30_000);
    const r = await s.kubectl(['get', 'deploy', '-w', '--output-watch-events']);
    expect(r.stdout.split('\n')[0]).toMatch(/^EVENT +NAME +READY/);
    expect(r.stdout.split('\n')[1]).toMatch(/^ADDED +web +1\/1/);
  });

  it('watch-only prints changes only', async () => {
    const s = kubectlTestSession();
    const run = s.kubectl(['get', 'pods', '--watch-only', '-o', 'name']);
    await s.kubectl('run one --image=nginx');
    const r = await run;
    expect(r.stdout.split('\n')[0]).toBe('pod/one');
  });
});
