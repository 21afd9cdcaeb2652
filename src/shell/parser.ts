/**
 * Parses shell input into lines of and-or lists, with bash's quoting, parameter expansion
 * syntax, pipes, `;`, `&&`, `||`, redirects and heredocs. Input that is not finished yet
 * (open quote, pending heredoc, trailing `|`) raises {@link IncompleteInput}, so the terminal
 * can ask for more with the `> ` prompt.
 */
import type { AndOr, Line, Pipeline, Redirect, SimpleCommand, Word, WordPart } from './ast';

export class IncompleteInput extends Error {}

export class ShellSyntaxError extends Error {
  constructor(readonly token: string) {
    super(`syntax error near unexpected token \`${token}'`);
  }
}

type Token = (
  | { k: 'word'; word: Word; raw: string }
  | { k: 'op'; v: string }
  | { k: 'nl' }
  | { k: 'eof' }
) & { start: number; end: number };

const OPERATORS = ['&&', '||', ';;', '<<-', '<<', '>>', '>&', '<&', '|', ';', '&', '<', '>', '(', ')'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

class Lexer {
  pos = 0;
  private pendingHeredocs: Redirect[] = [];
  constructor(private readonly src: string) {}

  charAt(i: number): string | undefined {
    return this.src[i];
  }

  /** Registers a heredoc whose body starts after the current line. */
  queueHeredoc(r: Redirect, delimiter: string, stripTabs: boolean): void {
    (r as Redirect & { _delim?: string; _strip?: boolean })._delim = delimiter;
    (r as Redirect & { _strip?: boolean })._strip = stripTabs;
    this.pendingHeredocs.push(r);
  }

  next(): Token {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t')) this.pos++;
      if (s[this.pos] === '\\' && s[this.pos + 1] === '\n') {
        this.pos += 2;
        continue;
      }
      if (s[this.pos] === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      }
      break;
    }
    if (this.pos >= s.length) {
      if (this.pendingHeredocs.length) throw new IncompleteInput('heredoc');
      return { k: 'eof', start: this.pos, end: this.pos };
    }
    const start = this.pos;
    if (s[this.pos] === '\n') {
      this.pos++;
      this.readHeredocBodies();
      return { k: 'nl', start, end: this.pos };
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { k: 'op', v: op, start, end: this.pos };
      }
    }
    const word = this.readWord(false);
    return { k: 'word', word, raw: s.slice(start, this.pos), start, end: this.pos };
  }

  private readHeredocBodies(): void {
    const s = this.src;
    for (const r of this.pendingHeredocs) {
      const { _delim: delim, _strip: strip } = r as Redirect & { _delim: string; _strip: boolean };
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= s.length) throw new IncompleteInput('heredoc');
        const end = s.indexOf('\n', this.pos);
        if (end < 0) {
          // The last line has no newline yet: it may still be the delimiter being typed.
          let line = s.slice(this.pos);
          if (strip) line = line.replace(/^\t+/, '');
          if (line === delim) {
            this.pos = s.length;
            break;
          }
          throw new IncompleteInput('heredoc');
        }
        let line = s.slice(this.pos, end);
        this.pos = end + 1;
        if (strip) line = line.replace(/^\t+/, '');
        if (line === delim) break;
        lines.push(line);
      }
      r.heredoc = { body: lines.length ? `${lines.join('\n')}\n` : '', expand: r.heredoc!.expand };
    }
    this.pendingHeredocs = [];
  }

  /** Reads one word up to an unquoted blank or operator. `inDouble` reads the inside of "…". */
  private readWord(inDouble: boolean): Word {
    const s = this.src;
    const parts: WordPart[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit });
      lit = '';
    };
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (inDouble) {
        if (c === '"') break;
      } else if (' \t\n;&|<>()'.includes(c)) {
        break;
      }
      if (c === '\\') {
        const n = s[this.pos + 1];
        if (n === undefined) throw new IncompleteInput('escape');
        if (n === '\n') {
          this.pos += 2;
          continue;
        }
        if (inDouble && !'$`"\\'.includes(n)) lit += '\\';
        lit += n;
        this.pos += 2;
        continue;
      }
      if (c === "'" && !inDouble) {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new IncompleteInput('quote');
        flush();
        parts.push({ t: 'sq', v: s.slice(this.pos + 1, end) });
        this.pos = end + 1;
        continue;
      }
      if (c === '"' && !inDouble) {
        this.pos++;
        flush();
        const inner = this.readWord(true);
        if (s[this.pos] !== '"') throw new IncompleteInput('quote');
        this.pos++;
        parts.push({ t: 'dq', parts: inner });
        continue;
      }
      if (c === '$') {
        const param = this.readParam();
        if (param) {
          flush();
          parts.push(param);
          continue;
        }
      }
      lit += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  private readParam(): WordPart | undefined {
    const s = this.src;
    const after = s.slice(this.pos + 1);
    if (after[0] === '{') {
      const close = s.indexOf('}', this.pos + 2);
      if (close < 0) throw new IncompleteInput('brace');
      const body = s.slice(this.pos + 2, close);
      this.pos = close + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*])(?:(:-|-|:=|:\+)(.*))?$/s.exec(body);
      if (!m) throw new BadSubstitution(`\${${body}}`);
      const part: WordPart = { t: 'param', name: m[1]! };
      if (m[2]) {
        part.op = m[2] as ':-';
        part.arg = new Lexer(m[3]!).readWordAll();
      }
      return part;
    }
    const name = NAME.exec(after)?.[0] ?? (/^[0-9?#$!@*]/.test(after) ? after[0] : undefined);
    if (!name) return undefined;
    this.pos += 1 + name.length;
    return { t: 'param', name };
  }

  /** The whole source as one word where blanks are literal (used for `${x:-a b}` defaults). */
  readWordAll(): Word {
    const parts = this.readWord(true);
    return parts;
  }
}

export class BadSubstitution extends Error {
  constructor(readonly text: string) {
    super(`${text}: bad substitution`);
  }
}

class Parser {
  private tok: Token;
  /** End offset of the last token consumed. */
  private consumedEnd = 0;
  constructor(private readonly lex: Lexer) {
    this.tok = lex.next();
  }

  private advance(): void {
    this.consumedEnd = this.tok.end;
    this.tok = this.lex.next();
  }

  private isOp(v: string): boolean {
    return this.tok.k === 'op' && this.tok.v === v;
  }

  lines(src: string): Line[] {
    const out: Line[] = [];
    for (;;) {
      while (this.tok.k === 'nl') this.advance();
      if (this.tok.k === 'eof') return out;
      const start = this.tok.start;
      const list = this.list();
      out.push({ source: src.slice(start, this.consumedEnd).replace(/\n$/, ''), list });
    }
  }

  /** and-or lists separated by `;` or `&` up to the end of the line. */
  private list(): AndOr[] {
    const items: AndOr[] = [this.andOr()];
    for (;;) {
      if (this.isOp(';') || this.isOp('&')) {
        this.advance();
        if (this.tok.k === 'nl' || this.tok.k === 'eof') break;
        items.push(this.andOr());
        continue;
      }
      if (this.tok.k === 'nl') {
        this.advance();
        break;
      }
      if (this.tok.k === 'eof') break;
      throw new ShellSyntaxError(this.tok.k === 'op' ? this.tok.v : 'newline');
    }
    return items;
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.tok as { v: '&&' | '||' }).v;
      this.advance();
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private skipNewlines(): void {
    while (this.tok.k === 'nl') this.advance();
    if (this.tok.k === 'eof') throw new IncompleteInput('operator');
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.tok.k === 'word' && this.tok.raw === '!') {
      negate = true;
      this.advance();
    }
    const commands = [this.simple()];
    while (this.isOp('|')) {
      this.advance();
      this.skipNewlines();
      commands.push(this.simple());
    }
    return { negate, commands };
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { type: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      const t = this.tok;
      if (t.k === 'word') {
        const fdRedirect = /^\d+$/.test(t.raw) && this.peekIsRedirect();
        if (fdRedirect) {
          this.advance();
          this.redirect(cmd, Number(t.raw));
          continue;
        }
        const assign = cmd.words.length === 0 ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(t.raw) : null;
        if (assign) {
          cmd.assigns.push({ name: assign[1]!, value: stripPrefix(t.word, assign[0].length) });
        } else {
          cmd.words.push(t.word);
        }
        this.advance();
        continue;
      }
      if (t.k === 'op' && ['<', '>', '>>', '>&', '<<', '<<-', '<&'].includes(t.v)) {
        this.redirect(cmd, t.v.startsWith('<') ? 0 : 1);
        continue;
      }
      break;
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      const t = this.tok;
      if (t.k === 'eof') throw new IncompleteInput('command');
      throw new ShellSyntaxError(t.k === 'op' ? t.v : 'newline');
    }
    return cmd;
  }

  /** Whether the source right after the current word token is a redirect operator (`2>`, `2>&1`). */
  private peekIsRedirect(): boolean {
    return this.lex.charAt(this.tok.end) === '>' || this.lex.charAt(this.tok.end) === '<';
  }

  private redirect(cmd: SimpleCommand, fd: number): void {
    const t = this.tok as { k: 'op'; v: string };
    this.advance();
    const target = this.tok;
    if (target.k !== 'word') {
      if (target.k === 'eof' || target.k === 'nl') throw new ShellSyntaxError('newline');
      throw new ShellSyntaxError((target as { v: string }).v);
    }
    if (t.v === '<<' || t.v === '<<-') {
      const quoted = target.word.some((p) => p.t !== 'lit') || target.raw.includes('\\');
      const delim = target.word.map((p) => (p.t === 'lit' || p.t === 'sq' ? p.v : p.t === 'dq' ? literal(p.parts) : '')).join('');
      const r: Redirect = { fd: 0, op: '<<', target: target.word, heredoc: { body: '', expand: !quoted } };
      this.lex.queueHeredoc(r, delim, t.v === '<<-');
      cmd.redirects.push(r);
    } else {
      const op = t.v === '<&' ? '>&' : (t.v as Redirect['op']);
      cmd.redirects.push({ fd, op, target: target.word });
    }
    this.advance();
  }
}

function literal(parts: WordPart[]): string {
  return parts.map((p) => (p.t === 'lit' || p.t === 'sq' ? p.v : '')).join('');
}

/** Drops the first `n` source characters (the `NAME=` of an assignment) from a word. */
function stripPrefix(word: Word, n: number): Word {
  const [first, ...rest] = word;
  if (first?.t === 'lit') return first.v.length > n ? [{ t: 'lit', v: first.v.slice(n) }, ...rest] : rest;
  return word;
}

/** Parses complete input into lines; throws IncompleteInput or ShellSyntaxError. */
export function parse(src: string): Line[] {
  const lexer = new Lexer(src);
  return new Parser(lexer).lines(src);
}
