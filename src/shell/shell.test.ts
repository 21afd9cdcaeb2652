import { describe, expect, it } from 'vitest';
import { sh, testShell } from './test-helpers';

describe('shell language', () => {
  it('handles quoting and escapes as bash does', async () => {
    const { shell } = testShell();
    expect((await sh(shell, `echo 'a  b' "c  d" e\\ f "x\\"y" 'it'\\''s'`)).out).toBe('a  b c  d e f x"y it\'s\n');
  });

  it('expands variables, defaults and $?', async () => {
    const { shell } = testShell();
    const r = await sh(shell, 'NAME=web; echo "$NAME ${NAME}-1 ${MISSING:-fallback} $HOME"; false; echo $?; true; echo $?');
    expect(r.out).toBe('web web-1 fallback /root\n1\n0\n');
  });

  it('splits unquoted expansions into words', async () => {
    const { shell } = testShell();
    expect((await sh(shell, 'X="a   b"; echo $X; echo "$X"')).out).toBe('a b\na   b\n');
  });

  it('runs && and || with short-circuit', async () => {
    const { shell } = testShell();
    expect((await sh(shell, 'false && echo no || echo yes; true || echo no && echo also')).out).toBe('yes\nalso\n');
  });

  it('pipes output into the next command', async () => {
    const { shell } = testShell();
    expect((await sh(shell, 'echo hello | cat')).out).toBe('hello\n');
  });

  it('writes, appends and reads files through redirects', async () => {
    const { shell } = testShell();
    const r = await sh(shell, 'echo one > f.txt; echo two >> f.txt; cat < f.txt; cat missing 2>/dev/null || echo gone');
    expect(r.out).toBe('one\ntwo\ngone\n');
    expect(shell.fs.read('/root/f.txt')).toBe('one\ntwo\n');
  });

  it('sends stderr where 2>&1 points', async () => {
    const { shell } = testShell();
    await sh(shell, 'cat nope > err.txt 2>&1');
    expect(shell.fs.read('/root/err.txt')).toBe('cat: nope: No such file or directory\n');
  });

  it('feeds heredocs to commands, expanding only with an unquoted delimiter', async () => {
    const { shell } = testShell();
    const r = await sh(shell, "N=web\ncat <<EOF\nname: $N\nEOF\ncat <<'EOF'\nname: $N\nEOF\ncat <<-EOF > t.yaml\n\tkind: Pod\n\tEOF\ncat t.yaml");
    expect(r.out).toBe('name: web\nname: $N\nkind: Pod\n');
  });

  it('runs kubectl from a pipeline', async () => {
    const { shell } = testShell();
    expect((await sh(shell, 'kubectl get nodes -o name | cat')).out).toBe('node/controlplane\nnode/node01\nnode/node02\n');
  });

  it('reports unknown commands and syntax errors in bash words', async () => {
    const { shell } = testShell();
    expect(await sh(shell, 'kubeclt get pods')).toEqual({ out: 'bash: kubeclt: command not found\n', code: 127 });
    expect(await sh(shell, 'echo a | | cat')).toEqual({ out: "bash: syntax error near unexpected token `|'\n", code: 2 });
    expect(await sh(shell, "echo 'open")).toEqual({ out: 'bash: syntax error: unexpected end of file\n', code: 2 });
    expect(await sh(shell, 'echo ${a b}')).toEqual({ out: 'bash: ${a b}: bad substitution\n', code: 1 });
  });

  it('sleeps in virtual time and rejects bad intervals like GNU sleep', async () => {
    const { shell, now } = testShell();
    const before = now();
    await sh(shell, 'sleep 1.5; sleep 2m');
    expect(now() - before).toBe(121_500);
    expect(await sh(shell, 'sleep soon')).toEqual({
      out: "sleep: invalid time interval 'soon'\nTry 'sleep --help' for more information.\n",
      code: 1,
    });
  });

  it('changes directory and shows it in the prompt', async () => {
    const { shell } = testShell();
    expect(shell.prompt()).toBe('root@controlplane:~# ');
    await sh(shell, 'cd /etc/kubernetes');
    expect(shell.prompt()).toBe('root@controlplane:/etc/kubernetes# ');
    expect((await sh(shell, 'cd nowhere')).out).toBe('bash: cd: nowhere: No such file or directory\n');
    await sh(shell, 'cd');
    expect((await sh(shell, 'pwd')).out).toBe('/root\n');
  });
});
