/**
 * Seeded pseudo-random numbers (sfc32), so that the same seed gives the same names, UIDs and IPs.
 */

/** The alphabet Kubernetes uses for generateName suffixes (k8s.io/apimachinery util/rand). */
export const KUBE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

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
    // join() makes a flat string; `+=` would leave a rope of `length` cells alive in every uid.
    const chars = new Array<string>(length);
    for (let i = 0; i < length; i++) chars[i] = alphabet[this.int(alphabet.length)]!;
    return chars.join('');
  }

  /** A 5-character suffix as Kubernetes appends to generateName. */
  nameSuffix(): string {
    return this.string(5, KUBE_NAME_ALPHABET);
  }

  /** A random (version 4) UUID, as the API server assigns to metadata.uid. */
  uuid(): string {
    const hex = (n: number) => this.string(n, '0123456789abcdef');
    const variant = '89ab'[this.int(4)];
    return [hex(8), hex(4), `4${hex(3)}`, `${variant}${hex(3)}`, hex(12)].join('-');
  }

  /** Lower-case hex string of `length` characters. */
  hex(length: number): string {
    return this.string(length, '0123456789abcdef');
  }
}
