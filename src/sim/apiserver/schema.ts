/**
 * Lookups into the structural schemas generated from the upstream OpenAPI document.
 */
import { SCHEMAS } from './generated/schemas';
import type { DefinitionSchema, FieldSchema } from './generated/types';

export type { DefinitionSchema, FieldSchema };

const byName = new Map<string, DefinitionSchema>();

export function definition(name: string): DefinitionSchema | undefined {
  const known = byName.get(name);
  if (known !== undefined) return known;
  const def = SCHEMAS[name];
  if (def !== undefined && Object.prototype.hasOwnProperty.call(SCHEMAS, name)) byName.set(name, def);
  return def;
}

/** The schema of a field, following a $ref to its definition's own type/format where it has no properties. */
export function resolveField(field: FieldSchema): { def?: DefinitionSchema; defName?: string; field: FieldSchema } {
  if (!field.ref) return { field };
  const def = SCHEMAS[field.ref];
  return { def, defName: field.ref, field };
}

/** Go's name for a definition's type, as error messages print it: "v1.Container", "intstr.IntOrString". */
export function goTypeName(defName: string): string {
  const parts = defName.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

/** Go's type of a field, as json.UnmarshalTypeError prints it. */
export function goFieldType(field: FieldSchema): string {
  if (field.ref) return goTypeName(field.ref);
  switch (field.type) {
    case 'integer':
      return field.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return field.format === 'byte' ? '[]uint8' : 'string';
    case 'array':
      return `[]${field.items ? goFieldType(field.items) : 'interface {}'}`;
    case 'object':
      return field.additionalProperties ? `map[string]${goFieldType(field.additionalProperties)}` : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}
