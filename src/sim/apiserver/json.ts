/**
 * JSON semantics without the text: the copy a JSON round trip makes, and whether two values
 * would be written out the same. The write path uses them instead of stringifying whole objects.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What JSON.parse(JSON.stringify(v)) gives (undefined where JSON leaves the value out): the
 * decoded object is always a fresh copy, as the JSON round trip the decoder used to end with.
 */
export function jsonCopy(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) {
        if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(v)) as unknown;
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          const c = jsonCopy(v[i]);
          out[i] = c === undefined ? null : c;
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(v)) as unknown;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const c = jsonCopy((v as Record<string, unknown>)[k]);
        if (c !== undefined) setKey(out, k, c);
      }
      return out;
    }
    case 'bigint':
      return JSON.parse(JSON.stringify(v)) as unknown; // throws, as the round trip does
    default:
      return undefined;
  }
}

/** out[k] = v, with "__proto__" as an own key as JSON.parse makes it. */
function setKey(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
  else out[k] = v;
}

/** JSON.stringify(a) === JSON.stringify(b), without writing either out and skipping shared subtrees. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || !plain(a) || !plain(b)) return JSON.stringify(a) === JSON.stringify(b);
  const arr = Array.isArray(a);
  if (arr !== Array.isArray(b)) return false;
  if (arr) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!jsonEqual(inArray(x[i]), inArray(y[i]))) return false;
    return true;
  }
  // The keys JSON writes (those with a value it can write), in order, and their values.
  const x = a as Obj;
  const y = b as Obj;
  const kb = Object.keys(y);
  let j = 0;
  for (const k in x) {
    if (!hasOwn.call(x, k) || !visible(x[k])) continue;
    while (j < kb.length && !visible(y[kb[j]!])) j++;
    if (j === kb.length || kb[j] !== k || !jsonEqual(x[k], y[k])) return false;
    j++;
  }
  while (j < kb.length && !visible(y[kb[j]!])) j++;
  return j === kb.length;
}

const hasOwn = Object.prototype.hasOwnProperty;

function visible(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** Plain data: arrays and objects without toJSON, whose JSON is their own keys. */
function plain(o: object): boolean {
  if (typeof (o as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(o)) return true;
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}

/** JSON writes undefined, functions and symbols in arrays as null. */
function inArray(v: unknown): unknown {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v;
}



/**
 * `next` with every part that is JSON-equal to the part at the same place in `prev` replaced by
 * that part of `prev` (`prev` itself when the two are equal). The result is JSON-equal to
 * `next`, and `next` is left as it was. A writer that sends back what it read, changed in
 * places, lets the API server skip the parts it already has (frozen, checked, stored).
 */
export function shareEqual(next: unknown, prev: unknown): unknown {
  if (next === prev) return prev;
  if (typeof next !== 'object' || typeof prev !== 'object' || next === null || prev === null || !plain(next) || !plain(prev))
    return jsonEqual(next, prev) ? prev : next;
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    let out: unknown[] | undefined;
    let same = next.length === prev.length;
    for (let i = 0; i < next.length; i++) {
      const n = inArray(next[i]);
      const c = i < prev.length ? shareEqual(n, inArray(prev[i])) : n;
      if (i >= prev.length || c !== inArray(prev[i])) same = false;
      if (c !== n) (out ??= next.slice())[i] = c;
    }
    return same ? prev : (out ?? next);
  }
  if (Array.isArray(prev)) return next;
  const x = next as Obj;
  const y = prev as Obj;
  let out: Obj | undefined;
  for (const k in x) {
    if (!hasOwn.call(x, k) || k === '__proto__' || !hasOwn.call(y, k)) continue;
    const c = shareEqual(x[k], y[k]);
    if (c !== x[k]) (out ??= { ...x })[k] = c;
  }
  const result = out ?? x;
  return jsonEqual(result, y) ? prev : result;
}
