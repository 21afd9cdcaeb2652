import { describe, expect, it } from 'vitest';
import { kubectlTestSession } from '../../testing';

describe('kubectl patch', () => {
  it('patches, notices no change, and prints invalid causes', async () => {
    const s = kubectlTestSession();
    await s.kubectl('create configmap c --from-literal=a=b');
    expect(await s.kubectl(['patch', 'cm', 'c', '-p', '{"data":{"a":"z"}}'])).toEqual({ code: 0, stdout: 'configmap/c patched\n', stderr: '' });
    expect(await s.kubectl(['patch', 'cm', 'c', '-p', 'data: {a: z}'])).toEqual({ code: 0, stdout: 'configmap/c patched (no change)\n', stderr: '' });
    expect(await s.kubectl(['patch', 'cm', 'c', '--type=json', '-p', '[{"op":"remove","path":"/data/a"}]'])).toEqual({ code: 0, stdout: 'configmap/c patched\n', stderr: '' });
    expect(await s.kubectl('patch cm c')).toEqual({ code: 1, stdout: '', stderr: 'error: must specify --patch or --patch-file containing the contents of the patch\n' });
  });
});
