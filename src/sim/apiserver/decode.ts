/**
 * Decoding a request body into a typed object, as the API server's JSON serializer does:
 * the first type mismatch fails the request with Go's json error; in strict mode
 * (fieldValidation=Strict) unknown fields fail it too; otherwise they are dropped.
 */
import { jsonCopy } from './json';
import { canonicalQuantity } from './quantity';
import { definition, goFieldType, goTypeName, type DefinitionSchema, type FieldSchema } from './schema';

export interface DecodeOutcome {
  /** Go's json type error, if any (the request fails). */
  typeError?: string;
  /** Paths of fields the schema does not know, e.g. "spec.containers[0].imagee". */
  unknownFields: string[];
  /** Paths that appear twice in the raw body. */
  duplicateFields: string[];
  /** The value with unknown fields removed (what a lenient decode keeps). */
  pruned: unknown;
}

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
export const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'object';
}

interface Ctx {
  typeError?: string;
  unknown: string[];
  /** Keys dropped without being unknown ("__proto__"): the output is then not a plain copy. */
  dropped: number;
  /** Whether to build the decoded copy, or only check. */
  copy: boolean;
  /**
   * Whether the copy may share frozen values found clean instead of copying them (a status
   * update's status below its top level: nothing writes to it before it is stored).
   */
  share: boolean;
}

/**
 * Frozen values (stored objects, or parts of them, sent back in a body) already checked
 * against a field and found clean: no type error, no unknown or dropped field. Checking them
 * again would find the same, and their decoded copy is a plain JSON copy.
 */
const clean = new WeakMap<object, FieldSchema>();

/** Free-form definitions: anything goes (RawExtension, JSON, FieldsV1, JSONSchemaProps' JSON values). */
function isFreeForm(def: DefinitionSchema | undefined): boolean {
  return !!def && def.type === 'object' && !def.properties;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** A number as the JSON round trip leaves it. */
function jsonNumber(v: number): number | null {
  return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
}

/**
 * Where a value sits, for error messages, as a chain of places up to the body: a struct
 * `field`, a list `index` or a map `entry`. Paths are only printed for errors and unknown
 * fields, which are reported while the walk is at that place, so each place descriptor is
 * reused (its key moved along) and the chain is turned into text only then: the JSON path
 * (`field` joins with a dot, `index` appends [i], `entry` always appends .key), or Go's dotted
 * path (struct fields only: lists and maps keep their field's path).
 */
interface At {
  up: At | undefined;
  kind: 'field' | 'index' | 'entry';
  key: string;
}

function pathText(at: At | undefined): string {
  if (!at) return '';
  const parent = pathText(at.up);
  if (at.kind === 'field') return join(parent, at.key);
  if (at.kind === 'index') return `${parent}[${at.key}]`;
  return `${parent}.${at.key}`;
}

function goPathText(at: At | undefined): string {
  if (!at) return '';
  const parent = goPathText(at.up);
  return at.kind === 'field' ? join(parent, at.key) : parent;
}

function fail(value: unknown, field: FieldSchema, at: At, struct: string, ctx: Ctx, kind = jsonKind(value)): unknown {
  if (!ctx.typeError) ctx.typeError = `json: cannot unmarshal ${kind} into Go struct field ${struct}.${goPathText(at)} of type ${goFieldType(field)}`;
  return value;
}

/** The field schema a definition with custom JSON decoding is checked as (its own type and format). */
const asField = new WeakMap<DefinitionSchema, FieldSchema>();

/**
 * Checks `value` against `field` and returns its decoded copy (or, when only checking, the
 * value itself). `struct` is the enclosing Go struct.
 */
function check(value: unknown, field: FieldSchema, at: At, struct: string, ctx: Ctx): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'object' || !Object.isFrozen(value)) return checkValue(value, field, at, struct, ctx);
  if (clean.get(value) === field) return ctx.copy && !ctx.share ? jsonCopy(value) : value;
  const unknown = ctx.unknown.length;
  const dropped = ctx.dropped;
  const typeError = ctx.typeError;
  const copy = ctx.copy;
  // A value to share is only checked; it is copied after all if it turns out not clean.
  if (ctx.share && copy) ctx.copy = false;
  let out = checkValue(value, field, at, struct, ctx);
  ctx.copy = copy;
  const isClean = typeError === undefined && ctx.typeError === undefined && ctx.unknown.length === unknown && ctx.dropped === dropped;
  // Shared parts are remembered by the stored object they go into, not here: a status's parts
  // are sent back a few times at most, and a memo of every one would only burden the collector.
  if (isClean && !ctx.share && worthRemembering(field)) clean.set(value, field);
  if (ctx.share && copy) {
    if (isClean) return value;
    ctx.unknown.length = unknown;
    ctx.dropped = dropped;
    ctx.typeError = typeError;
    ctx.share = false;
    out = checkValue(value, field, at, struct, ctx);
    ctx.share = true;
  }
  return out;
}

/**
 * An object's metadata and its managedFields entries are new with (almost) every write, so a
 * body never brings the same ones again: remembering them would only fill the memo.
 */
function worthRemembering(field: FieldSchema): boolean {
  const ref = field.ref ?? field.items?.ref;
  return ref !== 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' && ref !== 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry';
}

function checkValue(value: unknown, field: FieldSchema, at: At, struct: string, ctx: Ctx): unknown {
  if (field.ref) {
    const def = definition(field.ref);
    if (!def || isFreeForm(def)) return ctx.copy ? jsonCopy(value) : value;
    if (def.properties) {
      if (jsonKind(value) !== 'object') return fail(value, field, at, struct, ctx);
      return checkObject(value as Record<string, unknown>, def, field.ref, at, ctx);
    }
    // Definitions with custom JSON decoding.
    if (def.format === 'int-or-string') {
      if (typeof value === 'number' && !Number.isInteger(value)) return fail(value, field, at, struct, ctx, `number ${value}`);
      if (typeof value !== 'string' && typeof value !== 'number') return fail(value, field, at, struct, ctx);
      return typeof value === 'number' ? jsonNumber(value) : value;
    }
    if (field.ref.endsWith('resource.Quantity')) {
      if (typeof value !== 'string' && typeof value !== 'number') {
        if (!ctx.typeError) ctx.typeError = QUANTITY_ERROR;
        return ctx.copy ? jsonCopy(value) : value;
      }
      if (typeof value === 'string' && !QUANTITY.test(value.trim())) {
        if (!ctx.typeError) ctx.typeError = QUANTITY_ERROR;
        return value;
      }
      // Stored and shown in canonical form, as resource.Quantity marshals itself.
      return canonicalQuantity(value) ?? (typeof value === 'number' ? jsonNumber(value) : value);
    }
    let own = asField.get(def);
    if (!own) asField.set(def, (own = { type: def.type, format: def.format }));
    return checkValue(value, own, at, struct, ctx);
  }
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? value : fail(value, field, at, struct, ctx);
    case 'boolean':
      return typeof value === 'boolean' ? value : fail(value, field, at, struct, ctx);
    case 'integer':
      if (typeof value !== 'number') return fail(value, field, at, struct, ctx);
      if (!Number.isInteger(value)) return fail(value, field, at, struct, ctx, `number ${value}`);
      if (field.format === 'int32' && (value > 2147483647 || value < -2147483648)) return fail(value, field, at, struct, ctx, `number ${value}`);
      return jsonNumber(value);
    case 'number':
      return typeof value === 'number' ? jsonNumber(value) : fail(value, field, at, struct, ctx);
    case 'array': {
      if (!Array.isArray(value)) return fail(value, field, at, struct, ctx);
      const items = field.items ?? {};
      const out = ctx.copy ? new Array<unknown>(value.length) : undefined;
      const item: At = { up: at, kind: 'index', key: '' };
      for (let i = 0; i < value.length; i++) {
        item.key = String(i);
        const c = check(value[i], items, item, struct, ctx);
        if (out) out[i] = c === undefined ? null : c;
      }
      return out ?? value;
    }
    case 'object': {
      if (jsonKind(value) !== 'object') return fail(value, field, at, struct, ctx);
      if (!field.additionalProperties) return ctx.copy ? jsonCopy(value) : value;
      const out: Record<string, unknown> | undefined = ctx.copy ? {} : undefined;
      const entry: At = { up: at, kind: 'entry', key: '' };
      for (const k in value as Record<string, unknown>) {
        if (!hasOwn.call(value, k)) continue;
        entry.key = k;
        const c = check((value as Record<string, unknown>)[k], field.additionalProperties, entry, struct, ctx);
        if (k === '__proto__') ctx.dropped++;
        else if (out && c !== undefined) out[k] = c;
      }
      return out ?? value;
    }
    default:
      return ctx.copy ? jsonCopy(value) : value;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;
const structNames = new Map<string, string>();

function structName(defName: string): string {
  let struct = structNames.get(defName);
  if (struct === undefined) structNames.set(defName, (struct = defName.slice(defName.lastIndexOf('.') + 1)));
  return struct;
}

function checkObject(
  value: Record<string, unknown>,
  def: DefinitionSchema,
  defName: string,
  up: At | undefined,
  ctx: Ctx,
): Record<string, unknown> {
  const struct = structName(defName);
  const props = def.properties ?? {};
  const out: Record<string, unknown> | undefined = ctx.copy ? {} : undefined;
  // One place descriptor, reused for the fields (check only reads it).
  const at: At = { up, kind: 'field', key: '' };
  for (const k in value) {
    if (!hasOwn.call(value, k)) continue;
    const field = props[k];
    if (!field) {
      ctx.unknown.push(join(pathText(up), k));
      continue;
    }
    at.key = k;
    const c = check(value[k], field, at, struct, ctx);
    // The JSON round trip drops undefined values; "__proto__" set the prototype and went too.
    if (k === '__proto__') ctx.dropped++;
    else if (out && c !== undefined) out[k] = c;
  }
  return out ?? value;
}

/**
 * Decodes `body` as an object of OpenAPI definition `defName`. With `only`, the whole body is
 * checked but `pruned` holds just that top-level field (decoded), metadata's top level, and
 * apiVersion and kind: what a status update keeps.
 */
export function decodeObject(body: unknown, defName: string, rawText?: string, only?: string): DecodeOutcome {
  const def = definition(defName);
  const ctx: Ctx = { unknown: [], dropped: 0, copy: !only, share: false };
  const duplicateFields = rawText ? findDuplicateFields(rawText) : [];
  if (!def) return { unknownFields: [], duplicateFields, pruned: jsonCopy(body) };
  if (jsonKind(body) !== 'object') {
    return {
      typeError: `json: cannot unmarshal ${jsonKind(body)} into Go value of type ${goTypeName(defName)}`,
      unknownFields: [],
      duplicateFields,
      pruned: body,
    };
  }
  let pruned: unknown;
  if (!only) pruned = checkObject(body as Record<string, unknown>, def, defName, undefined, ctx);
  else {
    // Check everything (errors and unknown fields are the whole body's), copying only `only`.
    const b = body as Record<string, unknown>;
    const props = def.properties ?? {};
    const struct = structName(defName);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(b)) {
      const field = props[k];
      if (!field) {
        ctx.unknown.push(k);
        continue;
      }
      ctx.copy = ctx.share = k === only;
      const at: At = { up: undefined, kind: 'field', key: k };
      // The copied field itself is always a fresh object (defaulting may write to it); only
      // what is below it may be shared.
      const c = k === only && b[k] !== null && b[k] !== undefined ? checkValue(b[k], field, at, struct, ctx) : check(b[k], field, at, struct, ctx);
      ctx.copy = ctx.share = false;
      const v = b[k];
      if (k === '__proto__') ctx.dropped++;
      else if (k === only) {
        if (c !== undefined) out[k] = c;
      } else if (k === 'metadata' && v && typeof v === 'object' && !Array.isArray(v)) {
        // Only its top level is read (name, namespace, uid, resourceVersion) and written.
        const meta: Record<string, unknown> = {};
        for (const mk of Object.keys(v)) if ((v as Record<string, unknown>)[mk] !== undefined && mk !== '__proto__') meta[mk] = (v as Record<string, unknown>)[mk];
        out[k] = meta;
      } else if ((k === 'apiVersion' || k === 'kind') && v !== undefined) out[k] = jsonCopy(v);
    }
    pruned = out;
  }
  return { ...(ctx.typeError ? { typeError: ctx.typeError } : {}), unknownFields: ctx.unknown, duplicateFields, pruned };
}

/** Scans raw JSON text for keys repeated within one object, reporting their paths. */
export function findDuplicateFields(text: string): string[] {
  const dups: string[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    let out = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
      } else {
        out += text[i++];
      }
    }
    i++;
    try {
      return JSON.parse(`"${out}"`) as string;
    } catch {
      return out;
    }
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        const p = path ? `${path}.${key}` : key;
        if (seen.has(key)) dups.push(p);
        seen.add(key);
        ws();
        i++; // colon
        value(p);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // closing brace
        return;
      }
    }
    if (c === '[') {
      i++;
      let index = 0;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(`${path}[${index++}]`);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++;
        return;
      }
    }
    if (c === '"') {
      str();
      return;
    }
    while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
  };
  try {
    value('');
  } catch {
    return dups;
  }
  return dups;
}
