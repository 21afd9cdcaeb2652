/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field reports them, and their
 * aggregation into the Invalid status message ("Pod \"web\" is invalid: [a: Required value, …]").
 */

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueNotFound'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotFound: 'Not found',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A value printed as Go's %v / %q / %#v would, for the message. Strings are quoted. */
export type BadValue = string | number | boolean | null | { goString: string } | undefined;

export interface FieldError {
  type: FieldErrorType;
  field: string;
  value?: BadValue;
  detail?: string;
}

function formatValue(v: BadValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v!.goString;
}

/** ErrorBody(): the message after the field path. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const plain = ['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong'].includes(e.type) || e.value === undefined;
  if (!plain) s = `${s}: ${formatValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** utilerrors.NewAggregate(...).Error(): one message alone, several in brackets; duplicates dropped. */
export function aggregate(errors: readonly FieldError[]): string {
  const messages: string[] = [];
  for (const e of errors) {
    const m = errorString(e);
    if (!messages.includes(m)) messages.push(m);
  }
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, ...(detail ? { detail } : {}) });
export const invalid = (field: string, value: BadValue, detail?: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  ...(detail ? { detail } : {}),
});
export const notSupported = (field: string, value: BadValue, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  ...(supported.length ? { detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` } : {}),
});
export const duplicate = (field: string, value: BadValue): FieldError => ({ type: 'FieldValueDuplicate', field, value });
export const notFound = (field: string, value: BadValue): FieldError => ({ type: 'FieldValueNotFound', field, value });
export const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `must have at most ${max} bytes`,
});

/** Go's %#v of a map[string]string, as immutable-selector messages print it. */
export function goMapString(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`).join(', ')}}`;
}
