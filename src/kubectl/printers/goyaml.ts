/**
 * A YAML emitter for JSON-like values that writes what kubectl's `-o yaml` writes: sigs.k8s.io/yaml
 * turns the JSON into go-yaml v2 values and marshals them, so the output follows go-yaml v2's
 * rules (our own implementation of them):
 * - keys sorted as go-yaml sorts them (runs of digits compare as numbers, letters after other characters);
 * - strings that would read back as something else (numbers, booleans, null, timestamps, base-60
 *   floats) double-quoted; strings with newlines as literal blocks (`|`, `|-`, `|+`, indent hint);
 *   strings that plain style cannot carry single-quoted, or double-quoted when they need escapes;
 * - plain and quoted strings folded at spaces past column 80, continuation lines indented;
 * - sequences under a key not indented; empty maps and lists as `{}` and `[]`.
 */

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

// ---- how a plain scalar would resolve (go-yaml v2's resolve) ----

const NON_STRING_PLAIN = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  '<<',
]);

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP_FORMATS = [
  /^\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?$/,
  /^\d{4}-\d\d?-\d\d?$/,
];

/** Go's strconv.ParseInt/ParseUint with base 0 (after go-yaml drops underscores). */
function goParsesInt(s: string): boolean {
  return /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]*|[1-9][0-9]*)$/.test(s) && s !== '+' && s !== '-';
}

function goParsesFloat(s: string): boolean {
  return s !== '' && !Number.isNaN(Number(s)) && /^[-+]?(?:\d|\.\d|inf|infinity|nan)/i.test(s);
}

/** Whether a plain scalar `s` would read back as something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (NON_STRING_PLAIN.has(s)) return true;
  const c = s[0]!;
  if (c === '.') return goParsesFloat(s);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    const plain = s.replace(/_/g, '');
    if (goParsesInt(plain)) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
    if (YAML_FLOAT.test(plain) && goParsesFloat(plain)) return true;
    if (c >= '0' && c <= '9' && TIMESTAMP_FORMATS.some((re) => re.test(s)) && validDate(s)) return true;
  }
  return false;
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d\d?)-(\d\d?)/.exec(s)!;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// ---- character classes (libyaml's) ----

const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isSpace = (c: string | undefined) => c === ' ';
const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isBlankz = (c: string | undefined) => c === undefined || c === '\0' || isBlank(c) || isBreak(c);

function isPrintable(c: string): boolean {
  const n = c.codePointAt(0)!;
  return (
    n === 0x0a ||
    (n >= 0x20 && n <= 0x7e) ||
    (n >= 0xa0 && n <= 0xd7ff) ||
    (n >= 0xe000 && n <= 0xfffd && n !== 0xfeff)
  );
  // go-yaml v2 counts neither NEL nor characters past the BMP (four UTF-8 bytes) as printable.
}

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(chars: string[]): Analysis {
  if (chars.length === 0) return { multiline: false, blockPlain: true, singleQuoted: true, block: false };
  const v = chars.join('');
  let blockIndicators = v.startsWith('---') || v.startsWith('...');
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByWhitespace = i + 1 >= chars.length || isBlank(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':') && followedByWhitespace) blockIndicators = true;
      else if (c === '-' && followedByWhitespace) blockIndicators = true;
    } else if (c === ':' && followedByWhitespace) blockIndicators = true;
    else if (c === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  let blockPlain = true;
  let singleQuoted = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) {
    blockPlain = false;
    singleQuoted = false;
  }
  if (spaceBreak || special) {
    blockPlain = false;
    singleQuoted = false;
    block = false;
  }
  if (lineBreaks) blockPlain = false;
  if (blockIndicators) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, singleQuoted, block };
}

// ---- key order (go-yaml v2's keyList) ----

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);

/** go-yaml v2's key order: digit runs compare as numbers, non-letters before letters. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!.codePointAt(0)! - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

function sortedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).sort((a, b) => (a === b ? 0 : goYamlKeyLess(a, b) ? -1 : 1));
}

// ---- numbers (go-yaml v2 writes float64 with strconv.FormatFloat(f, 'g', -1, 64)) ----

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  const [mant, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 21) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

// ---- the emitter ----

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;

  put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }

  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  writeIndent(indent: number): void {
    if (this.out !== '' && (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(s);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  scalar(text: string, indent: number, simpleKey: boolean): void {
    this.indicatorless(text, indent, simpleKey, 'plain');
  }

  /** Writes a plain (non-string) scalar such as a number. */
  plainToken(text: string): void {
    if (!this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = false;
    this.indention = false;
  }

  string(raw: string, indent: number, simpleKey: boolean): void {
    // sigs.k8s.io/yaml reads kubectl's JSON back with go-yaml first, which folds a raw NEL
    // (JSON does not escape it) inside a quoted scalar into a space.
    const s = raw.includes('\u0085') ? raw.replace(/[ \t]*\u0085[ \t]*/g, ' ') : raw;
    const chars = [...s];
    const canUsePlain = !resolvesToNonString(s) && !BASE60_FLOAT.test(s);
    let style: 'plain' | 'single' | 'double' | 'literal' = s.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
    const a = analyze(chars);
    if (style === 'plain') {
      if (!a.blockPlain) style = 'single';
      if (chars.length === 0 && simpleKey) style = 'single';
    }
    if (style === 'single' && !a.singleQuoted) style = 'double';
    if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
    if (style === 'plain') this.plain(chars, indent, !simpleKey);
    else if (style === 'single') this.single(chars, indent, !simpleKey);
    else if (style === 'double') this.double(chars, indent, !simpleKey);
    else this.literal(chars, indent);
  }

  private indicatorless(text: string, _indent: number, _simpleKey: boolean, _style: string): void {
    this.plainToken(text);
  }

  private plain(chars: string[], indent: number, allowBreaks: boolean): void {
    if (chars.length > 0 && !this.whitespace) this.put(' ');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1])) this.writeIndent(indent);
        else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private single(chars: string[], indent: number, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && !isSpace(chars[i + 1])) this.writeIndent(indent);
        else this.put(c);
        spaces = true;
      } else {
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.indicator("'", false, false, false);
  }

  private double(chars: string[], indent: number, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      const n = c.codePointAt(0)!;
      if (!isPrintable(c) || n === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
        const named: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 27: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };
        const name = named[n];
        if (name !== undefined) this.put(`\\${name}`);
        else if (n <= 0xff) this.put(`\\x${n.toString(16).toUpperCase().padStart(2, '0')}`);
        else if (n <= 0xffff) this.put(`\\u${n.toString(16).toUpperCase().padStart(4, '0')}`);
        else this.put(`\\U${n.toString(16).toUpperCase().padStart(8, '0')}`);
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent(indent);
          if (isSpace(chars[i + 1])) this.put('\\');
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
  }

  private literal(chars: string[], indent: number): void {
    let hints = '';
    if (isSpace(chars[0]) || isBreak(chars[0])) hints += String(BEST_INDENT);
    const last = chars.length - 1;
    if (chars.length === 0 || !isBreak(chars[last])) hints += '-';
    else if (last === 0 || isBreak(chars[last - 1])) hints += '+';
    this.indicator(`|${hints}`, true, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }

  node(value: unknown, indent: number, inMapping: boolean): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.indicator('[]', true, false, false);
      // Sequences under a mapping key are not indented (go-yaml's indentless sequences).
      const seqIndent = inMapping && !this.indention ? indent - BEST_INDENT : indent;
      for (const item of value) {
        this.writeIndent(seqIndent);
        this.indicator('-', true, false, true);
        this.node(item, seqIndent + BEST_INDENT, false);
      }
      return;
    }
    if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const keys = sortedKeys(obj);
      if (keys.length === 0) return this.indicator('{}', true, false, false);
      for (const key of keys) {
        this.writeIndent(indent);
        if ([...key].length > 128) {
          this.indicator('?', true, false, true);
          this.string(key, indent + BEST_INDENT, false);
          this.writeIndent(indent);
          this.indicator(':', true, false, true);
        } else {
          this.string(key, indent + BEST_INDENT, true);
          this.indicator(':', false, false, false);
        }
        this.node(obj[key], indent + BEST_INDENT, true);
      }
      return;
    }
    if (typeof value === 'string') return this.string(value, indent, false);
    if (typeof value === 'number') return this.plainToken(formatNumber(value));
    if (typeof value === 'boolean') return this.plainToken(String(value));
    return this.plainToken('null');
  }
}

/** `value` (JSON-like) as go-yaml v2 marshals it. */
export function goYaml(value: unknown): string {
  const e = new Emitter();
  e.node(value, 0, false);
  if (e.column !== 0 || e.out === '') e.putBreak();
  return e.out;
}
