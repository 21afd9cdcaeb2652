import { goYaml } from './goyaml';

/** Recursively sorts object keys, as Go's encoding of map[string]interface{} does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Whether `value` is already what a JSON round trip returns (no undefined, functions or non-finite numbers). */
function isPlainJson(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (Array.isArray(value)) return value.every(isPlainJson);
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
      for (const k in value) if (!isPlainJson((value as Record<string, unknown>)[k])) return false;
      return true;
    default:
      return false;
  }
}

/**
 * The object as kubectl's template engines see it (decoded JSON): itself when it already is
 * plain JSON (objects from the server), else a JSON round trip. Never mutate the result.
 */
export function asJsonData(value: unknown): unknown {
  return isPlainJson(value) ? value : (JSON.parse(JSON.stringify(value ?? null)) as unknown);
}

/** `-o json`: four-space indentation, sorted keys and Go's HTML-safe escapes, as kubectl's JSON printer. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(sortKeys(value), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `${text}\n`;
}

/** `-o yaml`: as sigs.k8s.io/yaml (go-yaml v2) writes it: its key order, quoting, folding and blocks. */
export function toYaml(value: unknown): string {
  return goYaml(value);
}
