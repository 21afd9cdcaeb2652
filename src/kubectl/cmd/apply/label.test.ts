import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl label and annotate', () => {
  it('labels, refuses to overwrite, overwrites, removes', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create configmap c --from-literal=a=b');
    expect(await s.kubectl('label cm c tier=web')).toEqual({ code: 0, stdout: 'configmap/c labeled\n', stderr: '' });
    expect(await s.kubectl('label cm c tier=db')).toEqual({ code: 1, stdout: '', stderr: "error: 'tier' already has a value (web), and --overwrite is false\n" });
    expect(await s.kubectl('label cm c tier=db --overwrite')).toEqual({ code: 0, stdout: 'configmap/c labeled\n', stderr: '' });
    expect(await s.kubectl('label cm c tier=db --overwrite')).toEqual({ code: 0, stdout: 'configmap/c not labeled\n', stderr: '' });
    expect(await s.kubectl('label cm c --list')).toEqual({ code: 0, stdout: 'tier=db\n', stderr: '' });
    expect(await s.kubectl('label cm c tier-')).toEqual({ code: 0, stdout: 'configmap/c unlabeled\n', stderr: '' });
    expect(await s.kubectl('label cm c')).toEqual({ code: 1, stdout: '', stderr: 'error: at least one label update is required\n' });
  });

  it('annotates', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create configmap c --from-literal=a=b');
    expect(await s.kubectl(['annotate', 'cm', 'c', 'note=hello world'])).toEqual({ code: 0, stdout: 'configmap/c annotated\n', stderr: '' });
    expect(await s.kubectl('annotate cm c note=x')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello world)\n",
    });
    expect(await s.kubectl('annotate cm c note-')).toEqual({ code: 0, stdout: 'configmap/c annotated\n', stderr: '' });
  });
});
