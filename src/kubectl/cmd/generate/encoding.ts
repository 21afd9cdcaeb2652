import { CommandError } from '../../context';
/** Encodings kubectl generators need without Node built-ins: base64, SHA-256, hash suffixes, sorted JSON, quantities. */

/** Secrets' data is written as kubeconfig's []byte fields are: standard base64 of the UTF-8 bytes. */
export { base64 } from '../../kubeconfig';
export { sha256Hex } from '../../../sim';

/** kubectl's --append-hash suffix: ten hex digits with 0,1,3,a,e swapped for consonants. */
export function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

/** json.Marshal of a map: keys sorted, compact, HTML-escaped. */
export function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value)).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const QUANTITY_ERROR = "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/**
 * A resource quantity in the canonical form Go's resource.Quantity prints after parsing:
 * `1000m` → `1`, `1024Mi` → `1Gi`, `0.5` → `500m`, `1500` → `1500`, `2000` → `2k`.
 * Throws kubectl's CommandError for text that is not a quantity.
 */
export function canonicalQuantity(text: string): string {
  const m = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(text);
  if (!m) throw new CommandError(QUANTITY_ERROR);
  const [, sign, number, suffix = ''] = m as unknown as [string, string, string, string | undefined];
  const [whole, frac = ''] = number!.split('.');
  if (/^[eE]/.test(suffix)) return text; // DecimalExponent: left as written
  // The value in nano-units (10^-9) as a BigInt, when exact.
  const digits = BigInt(`${whole || '0'}${frac}`);
  const scaleDown = BigInt(10) ** BigInt(frac.length);
  const neg = sign === '-' ? '-' : '';
  if (suffix in BINARY) {
    const bytesTimes = digits * BigInt(1024) ** BigInt(BINARY[suffix]!);
    if (bytesTimes % scaleDown === BigInt(0)) {
      let value = bytesTimes / scaleDown;
      if (value === BigInt(0)) return '0';
      let k = 0;
      while (k < 6 && value % BigInt(1024) === BigInt(0)) {
        value /= BigInt(1024);
        k++;
      }
      const names = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
      return `${neg}${value}${names[k]}`;
    }
    return decimalForm(neg, (bytesTimes * BigInt(10) ** BigInt(9)) / scaleDown);
  }
  const exp = DECIMAL[suffix]!;
  const nanos = (digits * BigInt(10) ** BigInt(exp + 9)) / scaleDown;
  return decimalForm(neg, nanos);
}

function decimalForm(neg: string, nanos: bigint): string {
  if (nanos === BigInt(0)) return '0';
  const suffixes: [number, string][] = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n']];
  for (const [e, s] of suffixes) {
    const unit = BigInt(10) ** BigInt(e + 9);
    if (nanos % unit === BigInt(0)) return `${neg}${nanos / unit}${s}`;
  }
  return `${neg}${nanos}n`;
}
