/**
 * The interactive terminal: a readline-style line editor in front of the shell. It receives
 * raw keystrokes from xterm and writes back what a bash terminal would show (echo, prompts,
 * `> ` continuation lines, command output, ^C).
 */
import { IncompleteInput, parse } from './parser';
import type { Shell } from './shell';
import { ExitRequest } from './state';
import { Interrupt } from './interrupt';

const CSI = '\x1b[';

function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export class TerminalSession {
  private buffer = '';
  private cursor = 0;
  /** Lines typed so far of an unfinished command (open quote, heredoc, trailing pipe). */
  private pending = '';
  private historyIndex = -1;
  private draft = '';
  private running: Interrupt | undefined;
  private typeahead = '';
  private escape = '';
  /** Settles when the current command finishes; lets tests and hosts wait for idle. */
  private idle: Promise<void> = Promise.resolve();

  /** A foreground command reading the terminal raw (kubectl exec -it): it gets every keystroke. */
  private reader: ((text: string) => void) | undefined;

  constructor(
    private readonly shell: Shell,
    private readonly write: (data: string) => void,
    private readonly size: () => { cols: number; rows: number } = () => ({ cols: 80, rows: 24 }),
  ) {}

  start(): void {
    this.write(this.shell.prompt());
  }

  /** Resolves when no command is running. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  input(data: string): void {
    if (this.running && this.reader) {
      this.reader(data);
      return;
    }
    if (this.running) {
      // Ctrl-C interrupts the running command; everything else waits as type-ahead.
      if (data.includes('\x03')) {
        this.running.abort();
        this.typeahead = '';
      } else {
        this.typeahead += data;
      }
      return;
    }
    for (let i = 0; i < data.length; i++) {
      if (this.running) {
        this.typeahead += data.slice(i);
        return;
      }
      this.key(data[i]!);
    }
  }

  private key(ch: string): void {
    if (this.escape) {
      this.escape += ch;
      if (/^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])$/.test(this.escape)) {
        const seq = this.escape;
        this.escape = '';
        this.escapeSequence(seq);
      } else if (this.escape.length > 8) {
        this.escape = '';
      }
      return;
    }
    switch (ch) {
      case '\x1b':
        this.escape = ch;
        return;
      case '\r':
      case '\n':
        this.enter();
        return;
      case '\x7f':
      case '\b':
        if (this.cursor > 0) {
          this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
          this.cursor--;
          this.redraw();
        }
        return;
      case '\x03': // Ctrl-C
        this.write('^C\r\n');
        this.buffer = '';
        this.cursor = 0;
        this.pending = '';
        this.shell.lastStatus = 130;
        this.write(this.shell.prompt());
        return;
      case '\x0c': // Ctrl-L
        this.write(`${CSI}H${CSI}2J`);
        this.redraw();
        return;
      case '\x01': // Ctrl-A
        this.cursor = 0;
        this.redraw();
        return;
      case '\x05': // Ctrl-E
        this.cursor = this.buffer.length;
        this.redraw();
        return;
      case '\x15': // Ctrl-U
        this.buffer = this.buffer.slice(this.cursor);
        this.cursor = 0;
        this.redraw();
        return;
      case '\x0b': // Ctrl-K
        this.buffer = this.buffer.slice(0, this.cursor);
        this.redraw();
        return;
      case '\x17': {
        // Ctrl-W: delete the word before the cursor.
        const before = this.buffer.slice(0, this.cursor).replace(/\S+\s*$/, '');
        this.buffer = before + this.buffer.slice(this.cursor);
        this.cursor = before.length;
        this.redraw();
        return;
      }
      case '\x04': // Ctrl-D on an empty line does nothing here: the session cannot be closed.
        return;
      case '\t':
        this.write('\x07');
        return;
      default:
        if (ch < ' ') return;
        this.buffer = this.buffer.slice(0, this.cursor) + ch + this.buffer.slice(this.cursor);
        this.cursor++;
        if (this.cursor === this.buffer.length) this.write(ch);
        else this.redraw();
    }
  }

  private escapeSequence(seq: string): void {
    const code = seq.slice(-1);
    const history = this.shell.history;
    switch (seq === '\x1b[3~' ? 'DEL' : code) {
      case 'A':
        if (history.length === 0) return;
        if (this.historyIndex === -1) {
          this.draft = this.buffer;
          this.historyIndex = history.length - 1;
        } else if (this.historyIndex > 0) {
          this.historyIndex--;
        }
        this.setBuffer(history[this.historyIndex]!);
        return;
      case 'B':
        if (this.historyIndex === -1) return;
        if (this.historyIndex < history.length - 1) {
          this.historyIndex++;
          this.setBuffer(history[this.historyIndex]!);
        } else {
          this.historyIndex = -1;
          this.setBuffer(this.draft);
        }
        return;
      case 'C':
        if (this.cursor < this.buffer.length) {
          this.cursor++;
          this.write(`${CSI}C`);
        }
        return;
      case 'D':
        if (this.cursor > 0) {
          this.cursor--;
          this.write(`${CSI}D`);
        }
        return;
      case 'H':
        this.cursor = 0;
        this.redraw();
        return;
      case 'F':
        this.cursor = this.buffer.length;
        this.redraw();
        return;
      case 'DEL':
        if (this.cursor < this.buffer.length) {
          this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
          this.redraw();
        }
        return;
    }
  }

  private setBuffer(text: string): void {
    this.buffer = text;
    this.cursor = text.length;
    this.redraw();
  }

  private currentPrompt(): string {
    return this.pending ? '> ' : this.shell.prompt();
  }

  private redraw(): void {
    const back = this.buffer.length - this.cursor;
    this.write(`\r${this.currentPrompt()}${this.buffer}${CSI}K${back > 0 ? `${CSI}${back}D` : ''}`);
  }

  private enter(): void {
    this.write('\r\n');
    const text = this.pending + this.buffer;
    this.buffer = '';
    this.cursor = 0;
    this.historyIndex = -1;
    try {
      parse(text);
    } catch (err) {
      if (err instanceof IncompleteInput) {
        this.pending = `${text}\n`;
        this.write('> ');
        return;
      }
    }
    this.pending = '';
    if (text.trim() === '') {
      this.write(this.shell.prompt());
      return;
    }
    this.execute(text);
  }

  private execute(text: string): void {
    const controller = new Interrupt();
    this.running = controller;
    const size = this.size;
    this.shell.terminal = {
      get columns() {
        return size().cols;
      },
      get rows() {
        return size().rows;
      },
      onInput: (listener: (text: string) => void) => {
        this.reader = listener;
        return () => {
          if (this.reader === listener) this.reader = undefined;
        };
      },
    };
    const sink = {
      stdout: (t: string) => this.write(toTerminal(t)),
      stderr: (t: string) => this.write(toTerminal(t)),
    };
    this.idle = this.shell
      .run(text, sink, controller)
      .catch((err: unknown) => {
        if (err instanceof ExitRequest) {
          this.write('exit\r\n');
          this.shell.lastStatus = err.status;
          return;
        }
        this.write(toTerminal(`bash: internal error: ${(err as Error).message}\n`));
      })
      .then(() => {
        if (controller.aborted) this.write('^C\r\n');
        this.running = undefined;
        this.reader = undefined;
        this.shell.terminal = undefined;
        this.write(this.shell.prompt());
        const queued = this.typeahead;
        this.typeahead = '';
        if (queued) this.input(queued);
      });
  }
}
