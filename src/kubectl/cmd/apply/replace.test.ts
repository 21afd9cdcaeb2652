import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "2"\n';

describe('kubectl replace', () => {
  it('replaces, and with --force deletes then creates', async () => {
    const s = kubectlTestSession();
    s.files.set('/root/c.yaml', CM);
    expect((await s.kubectl('replace -f c.yaml')).stderr).toBe('Error from server (NotFound): error when replacing "c.yaml": configmaps "c" not found\n');
    await s.kubectl('create configmap c --from-literal=a=1');
    expect(await s.kubectl('replace -f c.yaml')).toEqual({ code: 0, stdout: 'configmap/c replaced\n', stderr: '' });
    expect(await s.kubectl('replace --force -f c.yaml')).toEqual({ code: 0, stdout: 'configmap "c" deleted\nconfigmap/c replaced\n', stderr: '' });
  });
});
