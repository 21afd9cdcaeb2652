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

  it('advances virtual time one second between commands and by sleep', async () => {
    const r = await run('kubectl get node node01 --no-headers\nsleep 3600\nkubectl get node node01 --no-headers\n');
    expect(r.stdout).toBe('node01   Ready   <none>   30m   v1.32.4\nnode01   Ready   <none>   90m   v1.32.4\n');
  });

  it('gives the same transcript for the same seed', async () => {
    const script = 'kubectl get nodes -o yaml\n';
    const a = await run(script, 7);
    const b = await run(script, 7);
    const c = await run(script, 8);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('returns the status of the last command and stops at exit', async () => {
    expect((await run('true\nfalse\n')).code).toBe(1);
    expect((await run('false\ntrue\n')).code).toBe(0);
    const r = await run('echo before\nexit 3\necho after\n');
    expect(r).toMatchObject({ code: 3, stdout: 'before\n' });
  });

  it('takes heredocs across lines', async () => {
    const r = await run("cat <<EOF > note.txt\nhello\nEOF\ncat note.txt\n");
    expect(r.stdout).toBe('hello\n');
  });

  it('reports an unfinished script as bash does', async () => {
    expect(await run("echo 'never closed\n")).toMatchObject({ code: 2, stderr: 'bash: syntax error: unexpected end of file\n' });
  });
});
