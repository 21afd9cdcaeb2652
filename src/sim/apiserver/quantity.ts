/**
 * Resource quantities ("500m", "128Mi", "1.5", "2e3") parsed to numbers for comparison and
 * arithmetic. Values are in base units (cores, bytes).
 */
const SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/;

/** The quantity's value, or undefined when `text` is not a valid quantity. */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return text;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIXES[m[3] ?? '']!;
}

const DECIMAL_SUFFIXES: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const BINARY_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_POWER: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/**
 * A quantity as the API server writes it back (resource.Quantity's canonical String()): the
 * largest suffix of the same kind that keeps the number whole — "0.5" is "500m", "1024Mi" is
 * "1Gi", "1.5Gi" is "1536Mi", "2000" is "2k" — binary values under 1Ki or with a fraction in
 * decimal form, and precision limited to nano units (rounded up). Undefined when not a quantity.
 */
export function canonicalQuantity(input: string | number): string | undefined {
  const text = typeof input === 'number' ? String(input) : input.trim();
  // The same few quantities ("100m", "128Mi") come up again and again.
  const known = canonicalCache.get(text);
  if (known !== undefined) return known ?? undefined;
  const result = canonicalize(text);
  if (canonicalCache.size > 10_000) canonicalCache.clear();
  canonicalCache.set(text, result ?? null);
  return result;
}

const canonicalCache = new Map<string, string | null>();

function canonicalize(text: string): string | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  let [, number, exponent, suffix] = m as unknown as [string, string, string | undefined, string | undefined];
  const negative = number.startsWith('-');
  number = number.replace(/^[+-]/, '');
  const [whole, fraction = ''] = number.split('.');
  let n = BigInt(`${whole || '0'}${fraction}`);
  let s = -fraction.length;
  let format: 'binary' | 'decimal' | 'exponent' = 'decimal';
  if (exponent) {
    format = 'exponent';
    s += Number(exponent.slice(1));
  } else if (suffix && suffix in BINARY_POWER) {
    format = 'binary';
    n *= 1024n ** BigInt(BINARY_POWER[suffix]!);
  } else s += DECIMAL_POWER[suffix ?? '']!;
  if (n === 0n) return '0';
  // Whole numbers: the exact value as an integer (n × 10^s with s ≥ 0).
  const integer = (): bigint | undefined => {
    let v = n;
    let e = s;
    while (e < 0 && v % 10n === 0n) {
      v /= 10n;
      e++;
    }
    return e < 0 ? undefined : v * 10n ** BigInt(e);
  };
  const sign = negative ? '-' : '';
  if (format === 'binary') {
    const bytes = integer();
    if (bytes !== undefined && bytes >= 1024n) {
      let v = bytes;
      let k = 0;
      while (k < BINARY_SUFFIXES.length - 1 && v % 1024n === 0n) {
        v /= 1024n;
        k++;
      }
      return `${sign}${v}${BINARY_SUFFIXES[k]}`;
    }
  }
  // Decimal: n × 10^s with trailing zeros folded into the exponent, then a multiple of three.
  while (n % 10n === 0n) {
    n /= 10n;
    s++;
  }
  if (s < -9) {
    // Below nano precision: rounded up to whole nano units.
    const div = 10n ** BigInt(-9 - s);
    n = (n + div - 1n) / div;
    s = -9;
  }
  let e = Math.floor(s / 3) * 3;
  if (e > 18) e = 18;
  const mantissa = n * 10n ** BigInt(s - e);
  if (format === 'exponent') return `${sign}${mantissa}${e === 0 ? '' : `e${e}`}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIXES[e]}`;
}
