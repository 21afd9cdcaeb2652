/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch) driven by the patch
 * strategies and merge keys of the upstream OpenAPI schemas: lists with a merge key merge by
 * that key, `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 * and `$setElementOrder/<field>` directives.
 */
import { definition, type FieldSchema } from '../schema';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function fieldOf(defName: string | undefined, key: string): FieldSchema | undefined {
  if (!defName) return undefined;
  return definition(defName)?.properties?.[key];
}

/** Definition name of an object-valued field, or of the items of a list field. */
function elementDef(field: FieldSchema | undefined): string | undefined {
  if (!field) return undefined;
  if (field.ref) return field.ref;
  if (field.items?.ref) return field.items.ref;
  if (field.additionalProperties?.ref) return field.additionalProperties.ref;
  return undefined;
}

export function applyStrategicMergePatch(original: unknown, patch: unknown, defName: string | undefined): unknown {
  if (!isObject(patch)) return patch;
  return mergeMap(isObject(original) ? original : {}, patch, defName);
}

function mergeMap(original: JsonObject, patch: JsonObject, defName: string | undefined): JsonObject {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const { $patch: _, ...rest } = patch;
    return stripDirectives(rest);
  }
  if (directive === 'delete') return {};
  const out: JsonObject = { ...original };
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const remove = new Set((value as unknown[]).map((v) => JSON.stringify(v)));
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((v) => !remove.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const field = fieldOf(defName, key);
    const childDef = elementDef(field);
    if (Array.isArray(value)) {
      out[key] = mergeList(Array.isArray(out[key]) ? (out[key] as unknown[]) : [], value, field, childDef);
      const order = patch[`$setElementOrder/${key}`];
      if (Array.isArray(order) && field?.patchMergeKey) out[key] = applyOrder(out[key] as unknown[], order as JsonObject[], field.patchMergeKey);
    } else if (isObject(value)) {
      if (field?.additionalProperties && !field.additionalProperties.ref) {
        // map[string]string and similar: merge keys, null deletes.
        const merged: JsonObject = { ...(isObject(out[key]) ? (out[key] as JsonObject) : {}) };
        for (const [k, v] of Object.entries(value)) {
          if (v === null) delete merged[k];
          else merged[k] = v;
        }
        out[key] = merged;
      } else if (field?.additionalProperties?.ref) {
        const merged: JsonObject = { ...(isObject(out[key]) ? (out[key] as JsonObject) : {}) };
        for (const [k, v] of Object.entries(value)) {
          if (v === null) delete merged[k];
          else merged[k] = isObject(v) ? mergeMap(isObject(merged[k]) ? (merged[k] as JsonObject) : {}, v, field.additionalProperties.ref) : v;
        }
        out[key] = merged;
      } else {
        out[key] = mergeMap(isObject(out[key]) ? (out[key] as JsonObject) : {}, value, childDef);
      }
    } else {
      out[key] = value;
    }
  }
  if (retainKeys) {
    for (const k of Object.keys(out)) if (!retainKeys.includes(k) && !(k in patch)) delete out[k];
  }
  return out;
}

function mergeList(original: unknown[], patch: unknown[], field: FieldSchema | undefined, itemDef: string | undefined): unknown[] {
  const strategy = field?.patchStrategy ?? '';
  const mergeKey = field?.patchMergeKey;
  if (!strategy.split(',').includes('merge')) {
    // Atomic lists are replaced (after any "$patch: replace" markers are stripped).
    return patch.filter((p) => !(isObject(p) && p.$patch)).map((p) => (isObject(p) ? stripDirectives(p) : p));
  }
  if (!mergeKey) {
    // Merging primitive lists: union, keeping the original order then new items.
    const seen = new Set(original.map((v) => JSON.stringify(v)));
    const out = [...original];
    for (const p of patch) {
      if (isObject(p) && p.$patch === 'replace') return patch.filter((x) => !(isObject(x) && x.$patch));
      if (!seen.has(JSON.stringify(p))) out.push(p);
      seen.add(JSON.stringify(p));
    }
    return out;
  }
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map((p) => (isObject(p) ? stripDirectives(p) : p));
  }
  const out = [...original];
  for (const p of patch) {
    if (!isObject(p)) continue;
    const idx = out.findIndex((o) => isObject(o) && o[mergeKey] === p[mergeKey]);
    if (p.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeMap(out[idx] as JsonObject, p, itemDef);
    else out.push(stripDirectives(p));
  }
  return out;
}

function applyOrder(list: unknown[], order: JsonObject[], mergeKey: string): unknown[] {
  const ordered: unknown[] = [];
  for (const o of order) {
    const item = list.find((x) => isObject(x) && x[mergeKey] === o[mergeKey]);
    if (item !== undefined) ordered.push(item);
  }
  for (const item of list) if (!ordered.includes(item)) ordered.push(item);
  return ordered;
}

function stripDirectives(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('$')) continue;
    out[k] = isObject(v) ? stripDirectives(v) : Array.isArray(v) ? v.map((x) => (isObject(x) ? stripDirectives(x) : x)) : v;
  }
  return out;
}
