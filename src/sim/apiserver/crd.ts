/**
 * CustomResourceDefinitions: turning a CRD into served resource types, validating CRDs, and
 * validating and pruning custom resources against their structural openAPIV3Schema with the
 * messages apiextensions-apiserver gives.
 */
import { invalid, notSupported, required, type FieldError } from './field-errors';
import type { ResourceType } from './registry';
import { dns1123SubdomainErrors } from './validation/names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CustomResourceInfo {
  schema?: Obj;
  printerColumns: Obj[];
  crdName: string;
}

/** The resource types a CRD serves, one per served version. */
export function crdTypes(crd: Obj): (ResourceType & { custom: CustomResourceInfo })[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  return ((spec.versions ?? []) as Obj[])
    .filter((v) => v.served)
    .map((v) => ({
      group: spec.group,
      version: v.name,
      kind: names.kind,
      name: names.plural,
      singularName: names.singular ?? String(names.kind ?? '').toLowerCase(),
      shortNames: names.shortNames ?? [],
      namespaced: spec.scope !== 'Cluster',
      verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
      categories: names.categories ?? [],
      subresources: [
        ...(v.subresources?.status ? [{ name: 'status', kind: names.kind, group: spec.group, version: v.name, verbs: ['get', 'patch', 'update'] }] : []),
        ...(v.subresources?.scale ? [{ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }] : []),
      ],
      etcdPrefix: `/registry/${spec.group}/${names.plural}`,
      definition: '',
      custom: { schema: v.schema?.openAPIV3Schema, printerColumns: v.additionalPrinterColumns ?? [], crdName: crd.metadata?.name },
    }));
}

export function validateCRD(crd: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const name = crd.metadata?.name ?? '';
  if (name !== `${names.plural}.${spec.group}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (!spec.group) errs.push(required('spec.group'));
  else {
    for (const m of dns1123SubdomainErrors(spec.group)) errs.push(invalid('spec.group', spec.group, m));
    if (spec.group.split('.').length < 2) errs.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (!['Namespaced', 'Cluster'].includes(spec.scope)) errs.push(notSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']));
  if (!names.plural) errs.push(required('spec.names.plural'));
  if (!names.kind) errs.push(required('spec.names.kind'));
  if (!names.listKind) errs.push(required('spec.names.listKind'));
  const versions: Obj[] = spec.versions ?? [];
  if (versions.length === 0) errs.push(invalid('spec.versions', null, 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage).length !== 1) errs.push(invalid('spec.versions', { goString: 'versions' }, 'must have exactly one version marked as storage version'));
  versions.forEach((v, i) => {
    if (!v.schema?.openAPIV3Schema) errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    else if (v.schema.openAPIV3Schema.type !== 'object') errs.push(invalid(`spec.versions[${i}].schema.openAPIV3Schema.type`, v.schema.openAPIV3Schema.type ?? '', 'must be object at the root'));
  });
  return errs;
}

/** The CRD as the apiextensions controllers leave it once its names are accepted. */
export function establish(crd: Obj, now: string): Obj {
  const spec = crd.spec ?? {};
  const names = { ...spec.names, singular: spec.names?.singular ?? String(spec.names?.kind ?? '').toLowerCase() };
  return {
    ...crd,
    status: {
      acceptedNames: names,
      conditions: [
        { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      storedVersions: ((spec.versions ?? []) as Obj[]).filter((v) => v.storage).map((v) => v.name),
    },
  };
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

function badValue(v: unknown): string | number | boolean | null | { goString: string } {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return { goString: JSON.stringify(v) };
}

/**
 * Validates `value` against a structural schema and prunes fields the schema does not know
 * (unless x-kubernetes-preserve-unknown-fields). Returns the pruned value; errors and unknown
 * paths are collected.
 */
export function validateAndPrune(value: unknown, schema: Obj | undefined, path: string, errs: FieldError[], unknown: string[]): unknown {
  if (!schema || value === undefined) return value;
  const p = path || '<root>';
  if (value === null) {
    if (schema.nullable) return value;
    errs.push(invalid(p, null, `${p} in body must be of type ${schema.type ?? 'object'}: "null"`));
    return value;
  }
  const actual = typeName(value);
  const expected = schema.type as string | undefined;
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') errs.push(invalid(p, actual, `${p} in body must be of type integer or string: "${actual}"`));
    return value;
  }
  if (expected && expected !== actual && !(expected === 'number' && actual === 'integer')) {
    errs.push(invalid(p, actual, `${p} in body must be of type ${expected}: "${actual}"`));
    return value;
  }
  if (schema.enum && !(schema.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push(notSupported(p, badValue(value) as string, (schema.enum as unknown[]).map((e) => String(e))));
  }
  if (typeof value === 'number') {
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum))
      errs.push(invalid(p, value, `${p} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${schema.maximum}`));
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum))
      errs.push(invalid(p, value, `${p} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${schema.minimum}`));
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) errs.push({ type: 'FieldValueTooLong', field: p, detail: `may not be more than ${schema.maxLength} bytes` });
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errs.push(invalid(p, value, `${p} in body should be at least ${schema.minLength} chars long`));
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) errs.push(invalid(p, value, `${p} in body should match '${schema.pattern}'`));
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push({ type: 'FieldValueTooMany', field: p, detail: `must have at most ${schema.maxItems} items` });
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(invalid(p, badValue(value), `${p} in body should have at least ${schema.minItems} items`));
    return value.map((v, i) => validateAndPrune(v, schema.items, `${path}[${i}]`, errs, unknown));
  }
  if (actual === 'object') {
    const obj = value as Obj;
    const out: Obj = {};
    for (const r of (schema.required ?? []) as string[]) {
      if (obj[r] === undefined) errs.push(required(path ? `${path}.${r}` : r));
    }
    const props: Obj | undefined = schema.properties;
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    for (const [k, v] of Object.entries(obj)) {
      const child = path ? `${path}.${k}` : k;
      if (props && k in props) out[k] = validateAndPrune(v, props[k], child, errs, unknown);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
        out[k] = validateAndPrune(v, schema.additionalProperties, child, errs, unknown);
      else if (preserve || schema.additionalProperties === true || !props) out[k] = v;
      else unknown.push(child);
    }
    return out;
  }
  return value;
}

/** Evaluates an additionalPrinterColumns jsonPath like ".spec.replicas" or ".status.conditions[0].type". */
export function columnValue(obj: Obj, jsonPath: string): unknown {
  const parts = jsonPath.replace(/^\./, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let cur: unknown = obj;
  for (const part of parts) {
    if (cur === null || cur === undefined) return undefined;
    if (part.startsWith('[')) cur = (cur as unknown[])[Number(part.slice(1, -1))];
    else cur = (cur as Obj)[part];
  }
  return cur;
}
