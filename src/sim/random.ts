/**
 * Seeded pseudo-random numbers (sfc32), so that the same seed gives the same names, UIDs and IPs.
 */

/** The alphabet Kubernetes uses for generateName suffixes (k8s.io/apimachinery util/rand). */
export const KUBE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const VARIANT_CODES = Array.from('89ab', (c) => c.charCodeAt(0));
/** Scratch character codes of a UUID (filled and read at once, never kept). */
const UUID_CODES: number[] = new Array<number>(36).fill(0);

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small integer seed over the four state words.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string {
    // fromCharCode makes a flat string; `+=` would leave a rope of `length` cells alive in every uid.
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(this.int(alphabet.length));
    return String.fromCharCode.apply(null, codes);
  }

  /** A 5-character suffix as Kubernetes appends to generateName. */
  nameSuffix(): string {
    return this.string(5, KUBE_NAME_ALPHABET);
  }

  /** A random (version 4) UUID, as the API server assigns to metadata.uid. */
  uuid(): string {
    // The same draws as '89ab'[int(4)] then hex digits in order: int(2^k) of a uint32 is its top k bits.
    const variant = VARIANT_CODES[this.uint32() >>> 30]!;
    const codes = UUID_CODES;
    for (let i = 0; i < 36; i++) {
      if (i === 8 || i === 13 || i === 18 || i === 23) codes[i] = 45; // '-'
      else if (i === 14) codes[i] = 52; // '4'
      else if (i === 19) codes[i] = variant;
      else codes[i] = HEX_CODES[this.uint32() >>> 28]!;
    }
    return String.fromCharCode.apply(null, codes);
  }

  /** Lower-case hex string of `length` characters. */
  hex(length: number): string {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = HEX_CODES[this.uint32() >>> 28]!;
    return String.fromCharCode.apply(null, codes);
  }
}
