import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../sim';
import type { KubectlContext } from '../../context';
import { memoryFiles } from '../../testing';
import { runKubectl } from '../root';

async function editWith(editor: ((text: string) => string | undefined)[] | undefined, args: string[]) {
  const cluster = createCluster({ seed: 1 });
  const opened: string[] = [];
  let out = '';
  let err = '';
  const ctx = (): KubectlContext => ({
    client: cluster.client,
    namespace: 'default',
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    files: memoryFiles(new Map()),
    env: new Map([['HOME', '/root']]),
    ...(editor
      ? {
          edit: async (_path: string, text: string) => {
            opened.push(text);
            return editor[opened.length - 1]!(text);
          },
        }
      : {}),
  });
  await runKubectl(['create', 'configmap', 'c', '--from-literal=a=b'], ctx());
  out = '';
  err = '';
  const code = await runKubectl(args, ctx());
  return { code, out, err, opened, cluster };
}

describe('kubectl edit', () => {
  it('opens the object under the header and patches what was saved', async () => {
    const r = await editWith([(t) => t.replace('a: b', 'a: z')], ['edit', 'cm', 'c']);
    expect(r.opened[0]).toMatch(/^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n/);
    expect(r.opened[0]).toContain('kind: ConfigMap');
    expect(r).toMatchObject({ code: 0, out: 'configmap/c edited\n', err: '' });
    const cm = r.cluster.api.handle({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/c' }).body as { data: Record<string, string> };
    expect(cm.data.a).toBe('z');
  });

  it('cancels when nothing changed', async () => {
    const r = await editWith([(t) => t], ['edit', 'cm/c']);
    expect(r).toMatchObject({ code: 0, out: '', err: 'Edit cancelled, no changes made.\n' });
  });

  it('reopens with the syntax error, then gives up when unchanged', async () => {
    const r = await editWith([(t) => t.replace('a: b', 'a: [b'), (t) => t], ['edit', 'cm', 'c']);
    expect(r.opened[1]).toContain('# The edited file had a syntax error: error converting YAML to JSON: yaml:');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: Edit cancelled, no valid changes were saved\.\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\n$/);
  });

  it('fails clearly without an editor', async () => {
    const r = await editWith(undefined, ['edit', 'cm', 'c']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: unable to launch the editor "vi"');
  });
});
