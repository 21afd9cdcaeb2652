import { stringify } from 'yaml';

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

/** `-o yaml`: sorted keys, sequences not indented under their key, as sigs.k8s.io/yaml. */
export function toYaml(value: unknown): string {
  // go-yaml resolves plain scalars as YAML 1.1 does: strings that would read as timestamps or
  // booleans there ("2025-06-02T09:31:32Z", "yes", "on") are quoted.
  return stringify(sortKeys(value), { indentSeq: false, lineWidth: 0, version: '1.1' });
}
