import { describe, expect, it } from 'vitest';
import { runScriptInSession } from './script';

async function run(src: string, seed?: number) {
  let stdout = '';
  let stderr = '';
  let all = '';
  const code = await runScriptInSession(
    src,
    {
      stdout: (t) => {
        stdout += t;
        all += t;
      },
      stderr: (t) => {
        stderr += t;
        all += t;
      },
    },
    seed === undefined ? {} : { seed },
  );
  return { code, stdout, stderr, all };
}

describe('bin/kubelab run', () => {
  it('prints kubectl get nodes as kubectl does', async () => {
    const r = await run('kubectl get nodes\n');
    expect(r.stdout).toBe(
      [
        'NAME           STATUS   ROLES           AGE   VERSION',
        'controlplane   Ready    control-plane   31m   v1.32.4',
        'node01         Ready    <none>          30m   v1.32.4',
        'node02         Ready    <none>          30m   v1.32.4',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
  });
});
