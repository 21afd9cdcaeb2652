/**
 * resource.Quantity as describe uses it: parse, add, compare to allocatable, and print in the
 * canonical form (String()) — "500m", "1536Mi", "2k". Values are exact, in nano units.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value × 10^9. */
  nanos: bigint;
  format: QuantityFormat;
}

const PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

export function parseQuantity(input: string | number | undefined | null): Quantity {
  if (input === undefined || input === null) return ZERO;
  const m = PATTERN.exec(String(input).trim());
  if (!m || (!m[2] && !m[3])) return ZERO;
  const [, sign, whole = '', fraction = '', exponent, suffix = ''] = m;
  let digits = BigInt(`${whole || '0'}${fraction}`);
  let scale = -fraction.length + 9; // value × 10^9 = digits × 10^scale
  let format: QuantityFormat = 'DecimalSI';
  if (exponent) {
    format = 'DecimalExponent';
    scale += Number(exponent.slice(1));
  } else if (suffix in BINARY) {
    format = 'BinarySI';
    digits *= 1024n ** BigInt(BINARY[suffix]!);
  } else scale += DECIMAL[suffix]!;
  let nanos: bigint;
  if (scale >= 0) nanos = digits * 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    nanos = (digits + div - 1n) / div; // below nano precision rounds up
  }
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n && a === ZERO ? b.format : a.format };
}

/** Value() rounded up to a whole unit. */
export function quantityValue(q: Quantity): bigint {
  const whole = q.nanos / 1_000_000_000n;
  return q.nanos > 0n && q.nanos % 1_000_000_000n !== 0n ? whole + 1n : whole;
}

/** MilliValue() rounded up. */
export function quantityMilli(q: Quantity): bigint {
  const whole = q.nanos / 1_000_000n;
  return q.nanos > 0n && q.nanos % 1_000_000n !== 0n ? whole + 1n : whole;
}

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String(): the canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const negative = q.nanos < 0n;
  const sign = negative ? '-' : '';
  let n = negative ? -q.nanos : q.nanos;
  if (q.format === 'BinarySI' && n % 1_000_000_000n === 0n && n / 1_000_000_000n >= 1024n) {
    let v = n / 1_000_000_000n;
    let k = 0;
    while (k < BINARY_SUFFIX.length - 1 && v % 1024n === 0n) {
      v /= 1024n;
      k++;
    }
    return `${sign}${v}${BINARY_SUFFIX[k]}`;
  }
  let s = -9;
  while (n % 10n === 0n) {
    n /= 10n;
    s++;
  }
  let e = Math.floor(s / 3) * 3;
  if (e > 18) e = 18;
  const mantissa = n * 10n ** BigInt(s - e);
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${e === 0 ? '' : `e${e}`}`;
  return `${sign}${mantissa}${DECIMAL_SUFFIX[e]}`;
}

/** A quantity as the typed client re-prints it. */
export function canonical(input: string | number | undefined | null): string {
  return formatQuantity(parseQuantity(input));
}
