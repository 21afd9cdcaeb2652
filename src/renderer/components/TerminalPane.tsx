import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import type { KubelabApi } from '../../shared';

/** xterm wired to the session's shell: keystrokes go to the host, output comes back. */
export function TerminalPane({ api, visible }: { api: KubelabApi; visible: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);

  useEffect(() => {
    const term = new Terminal({
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      cursorBlink: true,
      scrollback: 5000,
      theme: { background: '#0b0f14', foreground: '#d8dee9', cursor: '#8fbcbb', selectionBackground: '#3b4252' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(container.current!);
    fit.fit();
    termRef.current = term;
    fitRef.current = fit;

    const offOutput = api.terminal.onOutput((data) => term.write(data));
    const input = term.onData((data) => api.terminal.input(data));
    const resize = term.onResize(({ cols, rows }) => api.terminal.resize({ cols, rows }));
    void api.terminal.open({ cols: term.cols, rows: term.rows });
    term.focus();

    const observer = new ResizeObserver(() => {
      if (container.current && container.current.offsetWidth > 0) fit.fit();
    });
    observer.observe(container.current!);
    return () => {
      observer.disconnect();
      offOutput();
      input.dispose();
      resize.dispose();
      term.dispose();
    };
  }, [api]);

  useEffect(() => {
    if (visible) {
      fitRef.current?.fit();
      termRef.current?.focus();
    }
  }, [visible]);

  return <div className="terminal-host" ref={container} data-testid="terminal" />;
}
