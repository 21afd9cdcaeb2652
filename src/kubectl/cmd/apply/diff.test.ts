import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';
import { unifiedHunks } from './unified-diff';

const CM = (v: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "${v}"\n`;

describe('kubectl diff', () => {
  it('exits 0 without differences, 1 with a unified diff, 2 on errors', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/c.yaml', CM('1'));
    await s.kubectl('apply -f c.yaml');
    expect(await s.kubectl('diff -f c.yaml')).toEqual({ code: 0, stdout: '', stderr: '' });
    s.files.set('/root/c.yaml', CM('2'));
    const r = await s.kubectl('diff -f c.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^diff -u -N \/tmp\/LIVE-\d+\/v1\.ConfigMap\.default\.c \/tmp\/MERGED-\d+\/v1\.ConfigMap\.default\.c\n--- /);
    expect(r.stdout).toContain('-  a: "1"\n+  a: "2"\n');
    expect(await s.kubectl('diff -f nope.yaml')).toEqual({ code: 2, stdout: '', stderr: 'error: the path "nope.yaml" does not exist\n' });
  });

  it('prints hunks as GNU diff -u does', () => {
    expect(unifiedHunks('', 'a\nb\n')).toBe('@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedHunks('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nX\n6\n7\n8\n9\n')).toBe('@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n');
  });
});
