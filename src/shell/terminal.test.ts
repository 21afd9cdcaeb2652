import { describe, expect, it } from 'vitest';
import { TerminalSession } from './terminal';
import { testShell } from './test-helpers';

function terminal() {
  const { shell } = testShell();
  let screen = '';
  const term = new TerminalSession(shell, (d) => (screen += d));
  term.start();
  return {
    term,
    shell,
    take() {
      const s = screen;
      screen = '';
      return s;
    },
  };
}

describe('TerminalSession', () => {
  it('echoes typing and runs the line on Enter', async () => {
    const t = terminal();
    expect(t.take()).toBe('root@controlplane:~# ');
    t.term.input('echo hi');
    expect(t.take()).toBe('echo hi');
    t.term.input('\r');
    await t.term.whenIdle();
    expect(t.take()).toBe('\r\nhi\r\nroot@controlplane:~# ');
  });

  it('asks for more with "> " until a heredoc is complete', async () => {
    const t = terminal();
    t.take();
    t.term.input('cat <<EOF\r');
    expect(t.take()).toBe('cat <<EOF\r\n> ');
    t.term.input('line one\r');
    expect(t.take()).toBe('line one\r\n> ');
    t.term.input('EOF\r');
    await t.term.whenIdle();
    expect(t.take()).toBe('EOF\r\nline one\r\nroot@controlplane:~# ');
  });

  it('edits with backspace and recalls history with the arrow keys', async () => {
    const t = terminal();
    t.term.input('echo abx\x7fc\r');
    await t.term.whenIdle();
    t.take();
    t.term.input('\x1b[A');
    expect(t.take()).toBe('\rroot@controlplane:~# echo abc\x1b[K');
    t.term.input('\r');
    await t.term.whenIdle();
    expect(t.take()).toContain('abc\r\n');
  });

  it('discards the line on Ctrl-C', () => {
    const t = terminal();
    t.take();
    t.term.input('kubectl get no\x03');
    expect(t.take()).toBe('kubectl get no^C\r\nroot@controlplane:~# ');
  });

  it('takes a pasted multi-line script', async () => {
    const t = terminal();
    t.term.input('echo one\recho two\r');
    await t.term.whenIdle();
    await t.term.whenIdle();
    const screen = t.take();
    expect(screen).toContain('one\r\n');
    expect(screen).toContain('two\r\n');
    expect(t.shell.history).toEqual(['echo one', 'echo two']);
  });
});
