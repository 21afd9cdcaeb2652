/**
 * The common subset of Go's text/template that kubectl's go-template printer runs: text and
 * `{{ }}` actions with `-` trim markers and comments; fields (`.metadata.name`, `$.x`, `$v.y`),
 * variables (`$x := …`, `range $i, $e := …`), pipelines with `|`, parentheses, literals;
 * if/else if/else, range/else, with/else, end; the functions len, index, printf, print, println,
 * eq, ne, lt, le, gt, ge, and, or, not, html, js, urlquery, slice, and kubectl's exists and
 * base64decode. The object is the decoded JSON (numbers are float64, as encoding/json gives them).
 */
import { CommandError } from '../context';
import { goFloat } from './jsonpath';

export interface GoTemplate {
  execute(data: unknown, options: { allowMissingKeys: boolean }): string;
}

class TemplateError extends Error {}

/** A missing map key under missingkey=default: prints `<no value>`. */
const NO_VALUE = Symbol('no value');

type Arg =
  | { t: 'field'; base: 'dot' | 'var'; name?: string; path: string[] }
  | { t: 'lit'; value: unknown }
  | { t: 'fn'; name: string }
  | { t: 'pipe'; pipe: Pipeline; path: string[] };
type Cmd = Arg[];
interface Pipeline {
  decl: string[];
  assign: boolean;
  cmds: Cmd[];
  text: string;
}
type TNode =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipeline }
  | { t: 'if' | 'with'; pipe: Pipeline; then: TNode[]; else: TNode[] }
  | { t: 'range'; pipe: Pipeline; body: TNode[]; else: TNode[] };

// ---- lexing: text and actions -----------------------------------------------------------------

interface Piece {
  kind: 'text' | 'action';
  text: string;
  line: number;
}

function split(src: string): Piece[] {
  const out: Piece[] = [];
  let pos = 0;
  let line = 1;
  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      out.push({ kind: 'text', text: src.slice(pos), line });
      break;
    }
    let text = src.slice(pos, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    if (text) out.push({ kind: 'text', text, line });
    line += (src.slice(pos, open).match(/\n/g) ?? []).length;
    // Find the closing }} outside string literals.
    let i = start;
    let quote = '';
    for (; i < src.length; i++) {
      const c = src[i]!;
      if (quote) {
        if (c === '\\' && quote !== '`') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === '`' || c === "'") quote = c;
      else if (src.startsWith('}}', i)) break;
      else if (c === '\n' && !src.slice(start, i).trimStart().startsWith('/*')) throw new TemplateError(`template: output:${line}: unclosed action`);
    }
    if (i >= src.length) throw new TemplateError(`template: output:${line}: unclosed action`);
    let body = src.slice(start, i);
    pos = i + 2;
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      const m = /^[ \t\r\n]+/.exec(src.slice(pos));
      if (m) pos += m[0].length;
    }
    out.push({ kind: 'action', text: body.trim(), line });
    line += (body.match(/\n/g) ?? []).length;
  }
  return out;
}

// ---- parsing ----------------------------------------------------------------------------------

function tokenize(s: string, line: number): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) throw new TemplateError(`template: output:${line}: unterminated quoted string`);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = s.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError(`template: output:${line}: unterminated raw quoted string`);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      toks.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === '|' || c === ',') {
      toks.push(c);
      i++;
      continue;
    }
    if (s.startsWith(':=', i) || (c === '=' && s[i + 1] !== '=')) {
      toks.push(c === ':' ? ':=' : '=');
      i += c === ':' ? 2 : 1;
      continue;
    }
    let j = i;
    while (j < s.length && !/[\s()|,]/.test(s[j]!) && !s.startsWith(':=', j)) j++;
    // A field chain may follow a closing parenthesis: (index .x 0).name
    toks.push(s.slice(i, j));
    i = j;
  }
  return toks;
}

class PipeParser {
  private i = 0;
  constructor(
    private readonly toks: string[],
    private readonly line: number,
    private readonly text: string,
  ) {}

  pipeline(allowDecl: boolean): Pipeline {
    const decl: string[] = [];
    let assign = false;
    if (allowDecl) {
      const save = this.i;
      const vars: string[] = [];
      while (this.toks[this.i]?.startsWith('$')) {
        vars.push(this.toks[this.i]!);
        this.i++;
        if (this.toks[this.i] === ',') this.i++;
        else break;
      }
      const op = this.toks[this.i];
      if (vars.length && (op === ':=' || op === '=')) {
        this.i++;
        decl.push(...vars);
        assign = op === '=';
      } else this.i = save;
    }
    const cmds: Cmd[] = [];
    for (;;) {
      const cmd: Cmd = [];
      while (this.i < this.toks.length && this.toks[this.i] !== '|' && this.toks[this.i] !== ')') cmd.push(this.operand());
      if (cmd.length === 0) throw new TemplateError(`template: output:${this.line}: missing value for command`);
      cmds.push(cmd);
      if (this.toks[this.i] === '|') {
        this.i++;
        continue;
      }
      break;
    }
    return { decl, assign, cmds, text: this.text };
  }

  end(): boolean {
    return this.i >= this.toks.length;
  }

  next(): string | undefined {
    return this.toks[this.i];
  }

  private operand(): Arg {
    const tok = this.toks[this.i++]!;
    if (tok === '(') {
      const pipe = this.pipeline(false);
      if (this.toks[this.i] !== ')') throw new TemplateError(`template: output:${this.line}: unclosed left paren`);
      this.i++;
      let path: string[] = [];
      const after = this.toks[this.i];
      if (after?.startsWith('.')) {
        path = after.split('.').slice(1);
        this.i++;
      }
      return { t: 'pipe', pipe, path };
    }
    if (tok === '.') return { t: 'field', base: 'dot', path: [] };
    if (tok.startsWith('.')) return { t: 'field', base: 'dot', path: tok.slice(1).split('.') };
    if (tok.startsWith('$')) {
      const [name, ...path] = tok.split('.');
      return { t: 'field', base: 'var', name: name!, path };
    }
    if (tok.startsWith('"')) return { t: 'lit', value: unquote(tok, this.line) };
    if (tok.startsWith('`')) return { t: 'lit', value: tok.slice(1, -1) };
    if (tok.startsWith("'")) return { t: 'lit', value: tok.slice(1, -1).codePointAt(0) ?? 0 };
    if (tok === 'true' || tok === 'false') return { t: 'lit', value: tok === 'true' };
    if (tok === 'nil') return { t: 'lit', value: null };
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(tok) || /^0x[0-9a-fA-F]+$/.test(tok)) return { t: 'lit', value: Number(tok) };
    if (/^[A-Za-z_]\w*$/.test(tok)) {
      if (!(tok in FUNCS)) throw new TemplateError(`template: output:${this.line}: function "${tok}" not defined`);
      return { t: 'fn', name: tok };
    }
    throw new TemplateError(`template: output:${this.line}: unexpected "${tok}" in command`);
  }
}

function unquote(tok: string, line: number): string {
  try {
    return JSON.parse(tok.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as string;
  } catch {
    throw new TemplateError(`template: output:${line}: invalid syntax`);
  }
}

function parseTemplate(src: string): TNode[] {
  const pieces = split(src);
  let k = 0;
  const parsePipe = (text: string, line: number, allowDecl: boolean): Pipeline => {
    const p = new PipeParser(tokenize(text, line), line, text);
    const pipe = p.pipeline(allowDecl);
    if (!p.end()) throw new TemplateError(`template: output:${line}: unexpected "${p.next()}" in operand`);
    return pipe;
  };
  const block = (stopAt: string[]): { nodes: TNode[]; stop: string; piece?: Piece } => {
    const nodes: TNode[] = [];
    while (k < pieces.length) {
      const piece = pieces[k++]!;
      if (piece.kind === 'text') {
        nodes.push({ t: 'text', text: piece.text });
        continue;
      }
      const body = piece.text;
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateError(`template: output:${piece.line}: unclosed comment`);
        continue;
      }
      const word = /^(\w+)\b\s*(.*)$/s.exec(body);
      const kw = word?.[1];
      if (kw === 'end' || kw === 'else') {
        if (!stopAt.includes(kw)) throw new TemplateError(`template: output:${piece.line}: unexpected {{${kw}}}`);
        return { nodes, stop: kw, piece };
      }
      if (kw === 'if' || kw === 'with' || kw === 'range') {
        const pipe = parsePipe(word![2]!, piece.line, kw !== 'if');
        const then = block(['end', 'else']);
        let els: TNode[] = [];
        if (then.stop === 'else') {
          const e = block(['end']);
          els = e.nodes;
        }
        if (then.stop === 'none') throw new TemplateError(`template: output:${piece.line}: unexpected EOF`);
        nodes.push(kw === 'range' ? { t: 'range', pipe, body: then.nodes, else: els } : { t: kw, pipe, then: then.nodes, else: els });
        continue;
      }
      nodes.push({ t: 'action', pipe: parsePipe(body, piece.line, true) });
    }
    if (stopAt.length) throw new TemplateError(`template: output:${pieces.at(-1)?.line ?? 1}: unexpected EOF`);
    return { nodes, stop: 'none' };
  };
  return block([]).nodes;
}

// `{{else if x}}` is rewritten before parsing into `{{else}}{{if x}}…{{end}}` nesting.
function desugarElseIf(src: string): string {
  const pieces = split(src);
  let out = '';
  const stack: number[] = [];
  for (const p of pieces) {
    if (p.kind === 'text') {
      out += p.text;
      continue;
    }
    const body = p.text;
    const kw = /^(\w+)/.exec(body)?.[1];
    if (kw === 'if' || kw === 'with' || kw === 'range') stack.push(0);
    const elseIf = /^else\s+(if|with)\s+(.*)$/s.exec(body);
    if (elseIf) {
      out += `{{else}}{{${elseIf[1]} ${elseIf[2]}}}`;
      if (stack.length) stack[stack.length - 1]!++;
      continue;
    }
    if (kw === 'end') {
      const extra = stack.pop() ?? 0;
      out += '{{end}}'.repeat(extra + 1);
      continue;
    }
    out += `{{${body}}}`;
  }
  return out;
}

// ---- evaluation -------------------------------------------------------------------------------

interface Scope {
  vars: Map<string, unknown>[];
}

class Exec {
  out = '';
  constructor(
    private readonly root: unknown,
    private readonly allowMissing: boolean,
  ) {}

  run(nodes: TNode[], dot: unknown, scope: Scope): void {
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          this.out += n.text;
          break;
        case 'action': {
          const v = this.pipe(n.pipe, dot, scope);
          if (n.pipe.decl.length === 0) this.out += printValue(v);
          break;
        }
        case 'if':
        case 'with': {
          const inner: Scope = { vars: [...scope.vars, new Map()] };
          const v = this.pipe(n.pipe, dot, inner);
          if (truthy(v)) this.run(n.then, n.t === 'with' ? v : dot, inner);
          else this.run(n.else, dot, inner);
          break;
        }
        case 'range': {
          const inner: Scope = { vars: [...scope.vars, new Map()] };
          const decl = n.pipe.decl;
          const v = this.pipe({ ...n.pipe, decl: [] }, dot, inner);
          const entries: [unknown, unknown][] = Array.isArray(v)
            ? v.map((e, i) => [i, e])
            : isMap(v)
              ? Object.keys(v)
                  .sort()
                  .map((k) => [k, v[k]])
              : typeof v === 'number' && Number.isInteger(v)
                ? Array.from({ length: v }, (_, i) => [i, i])
                : v === null || v === undefined || v === NO_VALUE
                  ? []
                  : (() => {
                      throw new TemplateError(`range can't iterate over ${printValue(v)}`);
                    })();
          if (entries.length === 0) {
            this.run(n.else, dot, inner);
            break;
          }
          for (const [key, elem] of entries) {
            const frame = new Map<string, unknown>();
            if (decl.length === 1) frame.set(decl[0]!, elem);
            if (decl.length === 2) {
              frame.set(decl[0]!, key);
              frame.set(decl[1]!, elem);
            }
            this.run(n.body, elem, { vars: [...inner.vars, frame] });
          }
          break;
        }
      }
    }
  }

  pipe(p: Pipeline, dot: unknown, scope: Scope): unknown {
    let value: unknown = undefined;
    let hasValue = false;
    for (const cmd of p.cmds) {
      value = this.command(cmd, dot, scope, hasValue ? [value] : []);
      hasValue = true;
    }
    if (p.decl.length) {
      const name = p.decl[0]!;
      if (p.assign) {
        const frame = [...scope.vars].reverse().find((f) => f.has(name));
        if (!frame) throw new TemplateError(`undefined variable: ${name}`);
        frame.set(name, value);
      } else scope.vars.at(-1)!.set(name, value);
    }
    return value;
  }

  command(cmd: Cmd, dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const [head, ...rest] = cmd;
    if (head!.t === 'fn') {
      const name = head!.name;
      if (name === 'and' || name === 'or') {
        const args = [...rest, ...piped.map((v) => ({ t: 'lit', value: v }) as Arg)];
        let last: unknown;
        for (const a of args) {
          last = this.arg(a, dot, scope);
          if (name === 'and' ? !truthy(last) : truthy(last)) return last;
        }
        return last;
      }
      const args = [...rest.map((a) => this.arg(a, dot, scope)), ...piped];
      return FUNCS[name]!(args);
    }
    if (rest.length > 0 || piped.length > 0) {
      if (head!.t === 'field' && head!.path.length) throw new TemplateError(`${head!.path.at(-1)} is not a method but has arguments`);
      throw new TemplateError(`can't give argument to non-function ${describeArg(head!)}`);
    }
    return this.arg(head!, dot, scope);
  }

  arg(a: Arg, dot: unknown, scope: Scope): unknown {
    switch (a.t) {
      case 'lit':
        return a.value;
      case 'fn':
        return FUNCS[a.name]!([]);
      case 'pipe':
        return this.walk(this.pipe(a.pipe, dot, { vars: [...scope.vars, new Map()] }), a.path);
      case 'field': {
        let base: unknown = dot;
        if (a.base === 'var') {
          if (a.name === '$') base = this.root;
          else {
            const frame = [...scope.vars].reverse().find((f) => f.has(a.name!));
            if (!frame) throw new TemplateError(`undefined variable "${a.name}"`);
            base = frame.get(a.name!);
          }
        }
        return this.walk(base, a.path);
      }
    }
  }

  walk(base: unknown, path: string[]): unknown {
    let v = base;
    for (const key of path) {
      if (v === NO_VALUE || v === null || v === undefined) throw new TemplateError(`nil pointer evaluating interface {}.${key}`);
      if (!isMap(v)) throw new TemplateError(`can't evaluate field ${key} in type ${goTypeName(v)}`);
      if (Object.prototype.hasOwnProperty.call(v, key)) v = v[key];
      else if (this.allowMissing) v = NO_VALUE;
      else throw new TemplateError(`map has no entry for key "${key}"`);
    }
    return v;
  }
}

function describeArg(a: Arg): string {
  if (a.t === 'lit') return typeof a.value === 'string' ? JSON.stringify(a.value) : String(a.value);
  return '.';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'interface {}';
}

function truthy(v: unknown): boolean {
  if (v === NO_VALUE || v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** fmt's %v for a decoded JSON value; a missing key prints `<no value>`. */
function printValue(v: unknown): string {
  if (v === NO_VALUE) return '<no value>';
  return fmtV(v);
}

function fmtV(v: unknown): string {
  if (v === NO_VALUE || v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (Array.isArray(v)) return `[${v.map(fmtV).join(' ')}]`;
  if (isMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${fmtV(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

function basic(v: unknown, fn: string): unknown {
  if (v === NO_VALUE || v === null || v === undefined) throw new TemplateError(`error calling ${fn}: invalid type for comparison`);
  if (typeof v === 'object') throw new TemplateError(`error calling ${fn}: invalid type for comparison`);
  return v;
}

function cmp(fn: string, a: unknown, b: unknown): number {
  const x = basic(a, fn);
  const y = basic(b, fn);
  if (typeof x !== typeof y) throw new TemplateError(`error calling ${fn}: incompatible types for comparison`);
  if (typeof x === 'boolean' && fn !== 'eq' && fn !== 'ne') throw new TemplateError(`error calling ${fn}: invalid type for comparison`);
  return x === y ? 0 : (x as number) < (y as number) ? -1 : 1;
}

function sprintf(format: string, args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const a = args[i++];
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof a === 'number' && Number.isInteger(a) ? String(a) : `%!d(${goTypeName(a)}=${fmtV(a)})`;
        break;
      case 'f':
        s = typeof a === 'number' ? a.toFixed(prec ? Number(prec) : 6) : `%!f(${goTypeName(a)}=${fmtV(a)})`;
        break;
      case 'q':
        s = JSON.stringify(typeof a === 'string' ? a : fmtV(a));
        break;
      case 't':
        s = String(a);
        break;
      default:
        s = printValue(a);
        if (prec && verb === 's') s = s.slice(0, Number(prec));
    }
    const w = width ? Number(width) : 0;
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return s;
  });
}

const FUNCS: Record<string, (args: unknown[]) => unknown> = {
  and: () => undefined,
  or: () => undefined,
  not: ([a]) => !truthy(a),
  len: ([a]) => {
    if (typeof a === 'string') return utf8Length(a);
    if (Array.isArray(a)) return a.length;
    if (isMap(a)) return Object.keys(a).length;
    throw new TemplateError(`error calling len: len of ${a === NO_VALUE || a == null ? 'nil pointer' : `type ${goTypeName(a)}`}`);
  },
  index: ([a, ...keys]) => {
    let v = a;
    for (const k of keys) {
      if (Array.isArray(v)) {
        if (typeof k !== 'number' || !Number.isInteger(k)) throw new TemplateError(`error calling index: cannot index slice/array with type ${goTypeName(k)}`);
        if (k < 0 || k >= v.length) throw new TemplateError(`error calling index: index out of range: ${k}`);
        v = v[k];
      } else if (isMap(v)) {
        v = Object.prototype.hasOwnProperty.call(v, String(k)) ? v[String(k)] : null;
      } else if (v === null || v === undefined || v === NO_VALUE) {
        throw new TemplateError('error calling index: index of untyped nil');
      } else throw new TemplateError(`error calling index: can't index item of type ${goTypeName(v)}`);
    }
    return v;
  },
  slice: ([a, ...idx]) => {
    const n = idx.map(Number);
    if (typeof a === 'string' || Array.isArray(a)) return a.slice(n[0] ?? 0, n[1]);
    throw new TemplateError(`error calling slice: can't slice item of type ${goTypeName(a)}`);
  },
  print: (args) => args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + printValue(a)).join(''),
  println: (args) => `${args.map(printValue).join(' ')}\n`,
  printf: ([f, ...args]) => sprintf(String(f), args),
  eq: ([a, ...bs]) => {
    if (bs.length === 0) throw new TemplateError('error calling eq: missing argument for comparison');
    return bs.some((b) => cmp('eq', a, b) === 0);
  },
  ne: ([a, b]) => cmp('ne', a, b) !== 0,
  lt: ([a, b]) => cmp('lt', a, b) < 0,
  le: ([a, b]) => cmp('le', a, b) <= 0,
  gt: ([a, b]) => cmp('gt', a, b) > 0,
  ge: ([a, b]) => cmp('ge', a, b) >= 0,
  html: (args) => args.map(printValue).join('').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!),
  js: (args) => args.map(printValue).join('').replace(/[\\'"<>&=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
  urlquery: (args) => encodeURIComponent(args.map(printValue).join('')).replace(/%20/g, '+'),
  exists: ([a, ...keys]) => {
    let v = a;
    for (const k of keys) {
      if (isMap(v) && Object.prototype.hasOwnProperty.call(v, String(k))) v = v[String(k)];
      else if (Array.isArray(v) && typeof k === 'number' && k >= 0 && k < v.length) v = v[k];
      else return false;
    }
    return true;
  },
  base64decode: ([a]) => {
    const s = String(a);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new TemplateError('error calling base64decode: base64 decode failed: illegal base64 data at input byte 0');
    return decodeBase64(s);
  },
};

function utf8Length(s: string): number {
  return encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, '.').length;
}

function decodeBase64(s: string): string {
  const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let value = 0;
  let hex = '';
  for (const ch of s.replace(/=+$/, '')) {
    value = ((value << 6) | table.indexOf(ch)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      hex += `%${((value >> bits) & 0xff).toString(16).padStart(2, '0')}`;
    }
  }
  try {
    return decodeURIComponent(hex);
  } catch {
    return hex.split('%').slice(1).map((h) => String.fromCharCode(Number.parseInt(h, 16))).join('');
  }
}

export function compileGoTemplate(text: string): GoTemplate {
  let nodes: TNode[];
  try {
    nodes = parseTemplate(desugarElseIf(text));
  } catch (err) {
    if (err instanceof TemplateError) throw new CommandError(`error: error parsing template ${text}, ${err.message}`);
    throw err;
  }
  return {
    execute(data, options) {
      const exec = new Exec(data, options.allowMissingKeys);
      try {
        exec.run(nodes, data, { vars: [new Map<string, unknown>([['$', data]])] });
      } catch (err) {
        if (err instanceof TemplateError) {
          const raw = JSON.stringify(data);
          throw new TemplateExecError(
            `${exec.out}Error executing template: ${err.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${text}\n\traw data was:\n\t\t${raw}\n\tobject given to template engine was:\n\t\t${fmtV(data)}\n\n`,
            `error: error executing template ${JSON.stringify(text)}: ${err.message}`,
          );
        }
        throw err;
      }
      return exec.out;
    },
  };
}

/** A template that failed while running: what it printed to stdout, and the error for stderr. */
export class TemplateExecError extends CommandError {
  constructor(
    readonly stdoutText: string,
    message: string,
  ) {
    super(message);
  }
}
