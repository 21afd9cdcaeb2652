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
