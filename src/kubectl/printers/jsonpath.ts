/**
 * kubectl's JSONPath dialect, as k8s.io/client-go/util/jsonpath parses and runs it: text outside
 * `{}` printed as is; inside, `.field`, `..` (recursive descent), `[*]`, `[n]`, `[a:b:c]`, unions
 * `[a,b]`, `['key']`, filters `[?(@.x == "y")]`, `range`/`end`, quoted literals with Go escapes
 * (`{"\n"}`), `@`/`$`. Written from its behaviour: same errors, same output (values joined by a
 * space; maps and lists as compact JSON; jsonpath-as-json as an indented JSON array).
 */
export class JsonPathError extends Error {}

export interface JsonPathProgram {
  execute(data: unknown, options: { allowMissingKeys: boolean; json: boolean }): string;
  /** The values the expression finds, per top-level node (for --sort-by and custom-columns). */
  find(data: unknown, options: { allowMissingKeys: boolean }): unknown[][];
}

type Node =
  | { t: 'list'; nodes: Node[] }
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'filter'; left: ListNode; right: ListNode; op: string }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; nodes: ListNode[] }
  | { t: 'identifier'; name: string };
type ListNode = { t: 'list'; nodes: Node[] };
interface Param {
  value: number;
  known: boolean;
  derived: boolean;
}

const EOF = '';

class Parser {
  root: ListNode = { t: 'list', nodes: [] };
  private pos = 0;
  private start = 0;
  private width = 0;
  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText(this.root);
    return this.root;
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }
  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    this.width = ch.length;
    this.pos += this.width;
    return ch;
  }
  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }
  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
        return this.parseLeftDelim(cur);
      }
      if (this.next() === EOF) break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consume();
    const list: ListNode = { t: 'list', nodes: [] };
    cur.nodes.push(list);
    this.parseInsideAction(list);
  }

  private parseInsideAction(cur: ListNode): void {
    // Iterative where Go recurses (long templates would otherwise deepen the stack).
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consume();
        return this.parseText(this.root);
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === EOF || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') {
        this.consume();
      } else if (r === '[') {
        this.parseArray(cur);
      } else if (r === '"' || r === "'") {
        this.parseQuote(cur, r);
      } else if (r === '.') {
        this.parseField(cur);
      } else if (r === '+' || r === '-' || /\p{Nd}/u.test(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        throw new JsonPathError(`unrecognized character in action: ${goRuneQ(r)}`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consume();
    if (value === 'true' || value === 'false') cur.nodes.push({ t: 'bool', value: value === 'true' });
    else cur.nodes.push({ t: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    if (cur.nodes.at(-1)?.t === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consume();
    cur.nodes.push({ t: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    let r = this.peek();
    if (r === '+' || r === '-') this.next();
    for (;;) {
      r = this.next();
      if (r !== '.' && !/^\p{Nd}$/u.test(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consume();
    if (/^[+-]?\d+$/.test(value)) cur.nodes.push({ t: 'int', value: Number.parseInt(value, 10) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ t: 'float', value: Number.parseFloat(value) });
    else throw new JsonPathError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consume();
    text = text.slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      const union: ListNode[] = parts.map((s) => parseAction(`[${s.trim()}]`));
      cur.nodes.push({ t: 'union', nodes: union });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1]}`).nodes);
      return;
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const values = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: Param[] = [];
    for (let i = 0; i < 3; i++) {
      let v = values[i]!;
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ value: 0, known: false, derived: false });
        else {
          if (!/^-?\d+$/.test(v)) throw new JsonPathError(`array index ${v} is not a number`);
          params.push({ value: Number.parseInt(v, 10), known: true, derived: false });
        }
      } else if (i === 1) params.push({ value: params[0]!.value + 1, known: true, derived: true });
      else params.push({ value: 0, known: false, derived: false });
    }
    cur.nodes.push({ t: 'array', params: params as [Param, Param, Param] });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')') {
        if (begin === end) break;
      }
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    let text = this.consume();
    text = text.slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) cur.nodes.push({ t: 'filter', left: parseAction(text), right: { t: 'list', nodes: [] }, op: 'exists' });
    else cur.nodes.push({ t: 'filter', left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]! });
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consume();
    cur.nodes.push({ t: 'text', text: unquoteExtend(value) });
  }

  private parseField(cur: ListNode): void {
    this.consume();
    while (this.advance());
    const value = this.consume();
    if (value === '*') cur.nodes.push({ t: 'wildcard' });
    else cur.nodes.push({ t: 'field', name: value.replaceAll('\\', '') });
  }

  private advance(): boolean {
    const r = this.next();
    if (r === '\\') this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

function parseAction(text: string): ListNode {
  const p = new Parser(`{${text}}`);
  const root = p.parse();
  return root.nodes[0] as ListNode;
}

function isTerminator(r: string): boolean {
  return r === EOF || r === ' ' || r === '\t' || r === '\r' || r === '\n' || '.,[]$@{}'.includes(r);
}

function isAlphaNumeric(r: string): boolean {
  return r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
}

/** Go's %#U of a rune: U+0023 '#'. */
function goRuneQ(r: string): string {
  const cp = r.codePointAt(0)!;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}

/** strconv.Unquote extended to single-quoted strings of several characters. */
function unquoteExtend(s: string): string {
  const quote = s[0]!;
  const body = s.slice(1, -1);
  if (s.length < 2 || quote !== s.at(-1)) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === quote) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
    if (e !== undefined && e in simple) {
      if ((e === "'" || e === '"') && e !== quote) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
      out += simple[e];
      continue;
    }
    const hex = (n: number) => {
      const h = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
      i += n;
      return Number.parseInt(h, 16);
    };
    if (e === 'x') out += String.fromCharCode(hex(2));
    else if (e === 'u') out += String.fromCodePoint(hex(4));
    else if (e === 'U') out += String.fromCodePoint(hex(8));
    else if (e !== undefined && /[0-7]/.test(e)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new JsonPathError(`unquote string ${s} error invalid syntax`);
      i += 2;
      out += String.fromCharCode(Number.parseInt(o, 8));
    } else throw new JsonPathError(`unquote string ${s} error invalid syntax`);
  }
  return out;
}

// ---- evaluation -------------------------------------------------------------------------------

/** A literal float from the template (Go keeps int and float kinds apart in comparisons). */
class GoFloat {
  constructor(readonly value: number) {}
}

type Value = unknown;

interface RangeState {
  beginRange: number;
  inRange: number;
  endRange: number;
  lastEnd: number;
}

class Evaluator {
  private state: RangeState = { beginRange: 0, inRange: 0, endRange: 0, lastEnd: -1 };
  constructor(
    private readonly nodes: Node[],
    private readonly allowMissingKeys: boolean,
  ) {}

  findResults(data: Value, start = 0): Value[][] {
    const full: Value[][] = [];
    const s = this.state;
    for (let i = start; i < this.nodes.length; i++) {
      const results = this.walk([data], this.nodes[i]!);
      if (s.endRange > 0 && s.endRange <= s.inRange) {
        s.endRange--;
        s.lastEnd = i;
        break;
      }
      if (s.beginRange > 0) {
        s.beginRange--;
        s.inRange++;
        if (results.length > 0) for (const v of results) full.push(...this.findResults(v, i + 1));
        else this.findResults(null, i + 1);
        s.inRange--;
        for (let k = i + 1; k < this.nodes.length; k++) {
          if (k === s.lastEnd) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  walk(input: Value[], node: Node): Value[] {
    switch (node.t) {
      case 'list': {
        let cur = input;
        for (const n of node.nodes) cur = this.walk(cur, n);
        return cur;
      }
      case 'text':
        return [node.text];
      case 'field':
        return this.field(input, node.name);
      case 'array':
        return this.array(input, node.params);
      case 'filter':
        return this.filter(input, node);
      case 'int':
        return input.map(() => node.value);
      case 'float':
        return input.map(() => new GoFloat(node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap((v) => children(v));
      case 'recursive':
        return this.recursive(input);
      case 'union':
        return node.nodes.flatMap((l) => this.walk(input, l));
      case 'identifier':
        if (node.name === 'range') {
          this.state.beginRange++;
          return input;
        }
        if (node.name === 'end') {
          if (this.state.inRange > 0) {
            this.state.endRange++;
            return [];
          }
          throw new JsonPathError('not in range, nothing to end');
        }
        throw new JsonPathError(`unrecognized identifier ${node.name}`);
    }
  }

  private field(input: Value[], name: string): Value[] {
    const results: Value[] = [];
    if (input.length === 0) return results;
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (isMap(v) && Object.prototype.hasOwnProperty.call(v, name)) results.push(v[name]);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
    return results;
  }

  private array(input: Value[], params: [Param, Param, Param]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new JsonPathError(`${goType(v)} is not array or slice`);
      const p = params.map((x) => ({ ...x }));
      // Go's evaluator writes these back into the parsed node; later values see the adjusted params.
      if (!p[0]!.known) p[0]!.value = 0;
      if (p[0]!.value < 0) p[0]!.value += v.length;
      if (!p[1]!.known) p[1]!.value = v.length;
      if (p[1]!.value < 0 || (p[1]!.value === 0 && p[1]!.derived)) p[1]!.value += v.length;
      for (let k = 0; k < 3; k++) Object.assign(params[k]!, p[k]);
      const [a, b, c] = p as [Param, Param, Param];
      if (b.value === a.value) return result;
      if (a.value >= v.length || a.value < 0) throw new JsonPathError(`array index out of bounds: index ${a.value}, length ${v.length}`);
      if (b.value > v.length || b.value < 0) throw new JsonPathError(`array index out of bounds: index ${b.value - 1}, length ${v.length}`);
      if (a.value > b.value) throw new JsonPathError(`starting index ${a.value} is greater than ending index ${b.value}`);
      let step = 1;
      if (c.known) {
        if (c.value <= 0) throw new JsonPathError('step must be > 0');
        step = c.value;
      }
      const slice = v.slice(a.value, b.value);
      for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
    }
    return result;
  }

  private recursive(input: Value[]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      const kids = children(v);
      if (kids.length !== 0) {
        result.push(v);
        result.push(...this.recursive(kids));
      }
    }
    return result;
  }

  private filter(input: Value[], node: Extract<Node, { t: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JsonPathError(`${goValue(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        let lefts: Value[];
        try {
          lefts = this.walk([item], node.left);
        } catch (err) {
          if (node.op === 'exists') continue;
          throw err;
        }
        if (node.op === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        const rights = this.walk([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], node.op)) results.push(item);
      }
    }
    return results;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoFloat);
}

function children(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'string') return [...v].map((c) => c.codePointAt(0));
  if (isMap(v))
    return Object.keys(v)
      .sort()
      .map((k) => v[k]);
  return [];
}

/** Go's reflect type name of a decoded JSON value. */
export function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof GoFloat) return 'float64';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return 'interface {}';
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'other';
function kindOf(v: unknown): Kind {
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'other';
}

/** text/template's eq/ne/lt/le/gt/ge on basic kinds. */
function compare(left: unknown, right: unknown, op: string): boolean {
  const kl = kindOf(left);
  const kr = kindOf(right);
  const l = left instanceof GoFloat ? left.value : left;
  const r = right instanceof GoFloat ? right.value : right;
  if (op === '==' || op === '!=') {
    if (kl === 'other' || kr === 'other') {
      if (kl !== kr) throw new JsonPathError('incompatible types for comparison');
      throw new JsonPathError('invalid type for comparison');
    }
    if (kl !== kr) throw new JsonPathError('incompatible types for comparison');
    return op === '==' ? l === r : l !== r;
  }
  if (!['<', '>', '<=', '>='].includes(op)) throw new JsonPathError(`unrecognized filter operator ${op}`);
  if (kl === 'bool' || kl === 'other' || kr === 'bool' || kr === 'other') throw new JsonPathError('invalid type for comparison');
  if (kl !== kr) throw new JsonPathError('incompatible types for comparison');
  const a = l as number | string;
  const b = r as number | string;
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

/** Go's %v of a decoded JSON value. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof GoFloat) return goFloat(v.value);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue(v[k])}`)
      .join(' ')}]`;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  return String(v);
}

/** strconv.FormatFloat(f, 'g', -1, 64) as %v prints a float64. */
export function goFloat(f: number): string {
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : f < 0 ? '-Inf' : 'NaN';
  if (f === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(f)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = f.toExponential().split('e') as [string, string];
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(f);
}

/** Go's encoding/json Marshal of a decoded value: sorted keys, HTML-safe escapes. */
export function goJson(v: unknown, indent = ''): string {
  const sort = (x: unknown): unknown => {
    if (x instanceof GoFloat) return x.value;
    if (Array.isArray(x)) return x.map(sort);
    if (isMap(x)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) o[k] = sort(x[k]);
      return o;
    }
    return x;
  };
  const text = JSON.stringify(sort(v) ?? null, null, indent || undefined);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function printResults(results: Value[], json: boolean): string {
  const values = json ? [results] : results;
  let out = '';
  values.forEach((r, i) => {
    let text: string;
    if (json) text = `${goJson(r, '    ')}\n`;
    else if (Array.isArray(r) || isMap(r)) text = goJson(r);
    else if (r === null || r === undefined) text = 'null';
    else text = goValue(r);
    if (i !== values.length - 1) text += ' ';
    out += text;
  });
  return out;
}

export function compileJsonPath(text: string): JsonPathProgram {
  const root = new Parser(text).parse();
  return {
    execute(data, options) {
      const results = new Evaluator(root.nodes, options.allowMissingKeys).findResults(data);
      return results.map((r) => printResults(r, options.json)).join('');
    },
    find(data, options) {
      return new Evaluator(root.nodes, options.allowMissingKeys).findResults(data);
    },
  };
}

/**
 * kubectl's RelaxedJSONPathExpression (custom-columns, --sort-by): `.a.b`, `a.b` and `{.a.b}`
 * all mean `{.a.b}`.
 */
export function relaxedJsonPath(path: string): string {
  if (path.length === 0) return path;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path);
  if (!m) throw new JsonPathError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}
