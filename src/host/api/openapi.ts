/**
 * /openapi/v2 and /openapi/v3 as kube-apiserver 1.32 serves them, for the HTTP facade.
 *
 * The built-in documents come from the upstream OpenAPI document through bin/generate-openapi.mjs
 * (generated/openapi-data.ts). Custom resources are added as the apiextensions-apiserver's CRD
 * OpenAPI builder adds them: one definition per served version built from its structural schema
 * (with apiVersion, kind and metadata, and x-kubernetes-group-version-kind), its list, and the
 * list/create/deletecollection/read/replace/patch/delete operations with their status and scale
 * subresources; in v2 the schema is first made v2-compatible as ToStructuralOpenAPIV2 does.
 *
 * Serving follows kube-openapi's handlers: /openapi/v2 answers JSON or the gnostic protobuf
 * (which is what kubectl asks for; it cannot read JSON there), with an ETag and 406 for other
 * media types; /openapi/v3 lists the group-versions with a `hash` (the ETag of each document)
 * and /openapi/v3/<gv> answers JSON, redirecting a stale hash and marking a current one immutable.
 */
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gzipSync } from 'node:zlib';
import type { ApiServer } from '../../sim';
import { OPENAPI_DATA } from './generated/openapi-data';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface OpenApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Request headers beyond Accept that the handlers honour, when the server passes them. */
export interface OpenApiRequestHeaders {
  /** If-None-Match: a matching ETag answers 304. */
  ifNoneMatch?: string;
  /** Accept-Encoding: /openapi/v2 is gzipped for clients that accept it, as kube-openapi does. */
  acceptEncoding?: string;
}

// ---- the generated data ---------------------------------------------------------------------

interface CrdParts {
  options: Record<'list' | 'create' | 'update' | 'get' | 'delete', Obj[]>;
  pathParams: { namespace: Obj; pretty: Obj };
  typeMeta: { apiVersion: Obj; kind: Obj };
  objectMetaDescription: string;
  listMetaDescription: string;
}

interface OpenApiData {
  v2: Obj;
  v3: { schemas: Record<string, Obj>; docs: Record<string, { paths: Obj; schemas: string[] }> };
  crd: CrdParts;
}

let data: OpenApiData | undefined;

function load(): OpenApiData {
  data ??= JSON.parse(brotliDecompressSync(Buffer.from(OPENAPI_DATA, 'base64')).toString('utf8')) as OpenApiData;
  return data;
}

// ---- helpers --------------------------------------------------------------------------------

function sortKeys<T extends Obj>(o: T): T {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]])) as T;
}

/** kube-openapi's computeETag: the SHA-512 of the bytes, in upper-case hex. */
function etagOf(bytes: string | Buffer): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

interface AcceptClause {
  type: string;
  subType: string;
  q: number;
}

/** goautoneg.ParseAccept: clauses by q, then specific before wildcard types. */
export function parseAccept(header: string | undefined): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const part of (header || '*/*').split(',')) {
    const [mediaType = '', ...params] = part.split(';').map((s) => s.trim());
    if (!mediaType) continue;
    const [type = '', subType = '*'] = mediaType.split('/');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k === 'q' && v !== undefined) q = Number(v);
    }
    clauses.push({ type, subType, q });
  }
  const rank = (c: AcceptClause) => (c.type === '*' ? 2 : c.subType === '*' ? 1 : 0);
  return clauses.map((c, i) => ({ c, i })).sort((a, b) => b.c.q - a.c.q || rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c);
}

/** The first accepted [type, subType] in the client's order of preference. */
function negotiate(accept: string | undefined, offered: readonly (readonly [string, string])[]): readonly [string, string] | undefined {
  for (const clause of parseAccept(accept)) {
    if (clause.q <= 0) continue;
    for (const o of offered) {
      if ((clause.type === o[0] || clause.type === '*') && (clause.subType === o[1] || clause.subType === '*')) return o;
    }
  }
  return undefined;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

// ---- custom resources -------------------------------------------------------------------------

interface CrdVersion {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  namespaced: boolean;
  schema?: Obj;
  preserveUnknownFields: boolean;
  status: boolean;
  scale: boolean;
}

/** The served versions of the cluster's CustomResourceDefinitions, from the registry. */
function crdVersions(api: ApiServer): CrdVersion[] {
  const out: CrdVersion[] = [];
  for (const t of api.registry.all()) {
    if (!t.custom) continue;
    const crd = api.getByResource('customresourcedefinitions', 'apiextensions.k8s.io', undefined, t.custom.crdName);
    const names = crd?.spec?.names ?? {};
    out.push({
      group: t.group,
      version: t.version,
      kind: t.kind,
      listKind: names.listKind ?? `${t.kind}List`,
      plural: t.name,
      namespaced: t.namespaced,
      ...(t.custom.schema ? { schema: t.custom.schema } : {}),
      preserveUnknownFields: crd?.spec?.preserveUnknownFields === true,
      status: t.subresources.some((s) => s.name === 'status'),
      scale: t.subresources.some((s) => s.name === 'scale'),
    });
  }
  return out.sort((a, b) => a.group.localeCompare(b.group) || a.version.localeCompare(b.version) || a.plural.localeCompare(b.plural));
}

/** util.ToRESTFriendlyName of group/version/kind: the group's parts reversed. */
function definitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/** The keywords a structural schema keeps (Generic, Extensions and ValueValidation). */
const STRUCTURAL_KEYS = new Set([
  'description', 'type', 'title', 'default', 'nullable', 'format', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum', 'maxProperties', 'minProperties',
  'required', 'allOf', 'oneOf', 'anyOf', 'not', 'properties', 'items', 'additionalProperties',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string', 'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
]);

const INT_OR_STRING_ANY_OF = [{ type: 'integer' }, { type: 'string' }];

function isIntOrStringAnyOf(anyOf: unknown): boolean {
  return JSON.stringify(anyOf) === JSON.stringify(INT_OR_STRING_ANY_OF);
}

/** The structural schema, unfolded (x-kubernetes-int-or-string gets its anyOf), keys sorted. */
function structural(s: Obj | undefined): Obj | undefined {
  if (!s || typeof s !== 'object') return s;
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (!STRUCTURAL_KEYS.has(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Obj).map(([pk, pv]) => [pk, structural(pv as Obj)]));
    else if (k === 'items' || k === 'not') out[k] = structural(v as Obj);
    else if (k === 'additionalProperties') out[k] = typeof v === 'object' ? structural(v as Obj) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as Obj[]).map((x) => structural(x));
    else out[k] = v;
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    const allOfPattern = Array.isArray(out.allOf) && out.allOf[0] && isIntOrStringAnyOf(out.allOf[0].anyOf);
    if (!isIntOrStringAnyOf(out.anyOf) && !allOfPattern) {
      if (!out.anyOf) out.anyOf = INT_OR_STRING_ANY_OF.map((x) => ({ ...x }));
      else out.allOf = [{ anyOf: INT_OR_STRING_ANY_OF.map((x) => ({ ...x })) }, ...(out.allOf ?? [])];
    }
  }
  return sortKeys(out);
}

/** ToStructuralOpenAPIV2: what OpenAPI v2 (and kubectl's v2 validation) cannot take is dropped. */
function toStructuralV2(s: Obj | undefined): Obj | undefined {
  if (!s || typeof s !== 'object') return s;
  const out: Obj = { ...s };
  delete out.allOf;
  delete out.oneOf;
  delete out.anyOf;
  delete out.not;
  if (out.nullable) {
    delete out.type;
    delete out.items;
    delete out.properties;
  }
  delete out.nullable;
  if (out['x-kubernetes-preserve-unknown-fields'] === true) {
    delete out.items;
    delete out.properties;
  }
  if (out.items === undefined && out.type === 'array') delete out.type;
  if (out.properties) {
    const props: Obj = {};
    for (const [k, v] of Object.entries(out.properties as Obj)) {
      if ((v as Obj)?.nullable && Array.isArray(out.required)) out.required = (out.required as string[]).filter((r) => r !== k);
      props[k] = toStructuralV2(v as Obj);
    }
    out.properties = props;
    if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  }
  if (out.items && typeof out.items === 'object') out.items = toStructuralV2(out.items as Obj);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = toStructuralV2(out.additionalProperties as Obj);
  return sortKeys(out);
}

/** A reference with a description: wrapped in allOf in v3 (common.WrapRefs), a sibling in v2. */
function refWithDescription(ref: string, description: string, v2: boolean): Obj {
  return v2 ? { $ref: `#/definitions/${ref}`, description } : { allOf: [{ $ref: `#/components/schemas/${ref}` }], description };
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

/** addEmbeddedProperties: x-kubernetes-embedded-resource objects get apiVersion, kind and metadata. */
function addEmbeddedProperties(s: Obj | undefined, parts: CrdParts, v2: boolean): void {
  if (!s || typeof s !== 'object') return;
  for (const v of Object.values((s.properties ?? {}) as Obj)) addEmbeddedProperties(v as Obj, parts, v2);
  if (s.items && typeof s.items === 'object') addEmbeddedProperties(s.items as Obj, parts, v2);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') addEmbeddedProperties(s.additionalProperties as Obj, parts, v2);
  if (v2 && s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (s['x-kubernetes-embedded-resource'] !== true) return;
  s.properties = sortKeys({
    ...(s.properties ?? {}),
    apiVersion: {
      ...parts.typeMeta.apiVersion,
      description: 'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    },
    kind: {
      ...parts.typeMeta.kind,
      description: 'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    },
    metadata: refWithDescription(OBJECT_META, parts.objectMetaDescription, v2),
  });
  const required: string[] = [...((s.required as string[] | undefined) ?? [])];
  if (!required.includes('kind')) required.push('kind');
  if (!required.includes('apiVersion')) required.push('apiVersion');
  s.required = required;
}

/** buildKubeNative: the custom resource's definition. */
function crdDefinition(c: CrdVersion, parts: CrdParts, v2: boolean): Obj {
  const gvk = [{ group: c.group, kind: c.kind, version: c.version }];
  let schema = structural(c.schema);
  if (!schema || (v2 && (schema['x-kubernetes-preserve-unknown-fields'] === true || c.preserveUnknownFields))) {
    return { type: 'object', 'x-kubernetes-group-version-kind': gvk };
  }
  if (v2) schema = toStructuralV2(schema)!;
  schema.properties = sortKeys({
    ...(schema.properties ?? {}),
    apiVersion: parts.typeMeta.apiVersion,
    kind: parts.typeMeta.kind,
    metadata: refWithDescription(OBJECT_META, parts.objectMetaDescription, v2),
  });
  addEmbeddedProperties(schema, parts, v2);
  schema['x-kubernetes-group-version-kind'] = gvk;
  return sortKeys(schema);
}

/** buildListSchema: the list kind's definition. */
function crdListDefinition(c: CrdVersion, parts: CrdParts, v2: boolean): Obj {
  const itemRef = v2 ? `#/definitions/${definitionName(c.group, c.version, c.kind)}` : `#/components/schemas/${definitionName(c.group, c.version, c.kind)}`;
  return {
    description: `${c.listKind} is a list of ${c.kind}`,
    properties: {
      apiVersion: parts.typeMeta.apiVersion,
      items: {
        description: `List of ${c.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        items: { $ref: itemRef },
        type: 'array',
      },
      kind: parts.typeMeta.kind,
      metadata: refWithDescription(LIST_META, parts.listMetaDescription, v2),
    },
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: c.group, kind: c.listKind, version: c.version }],
  };
}

/** endpoints.GetArticleForNoun. */
function article(noun: string): string {
  if (!noun.endsWith('ss') && noun.endsWith('s')) return ' ';
  return /^[aeiou]/i.test(noun) ? ' an ' : ' a ';
}

/** openapi.ToValidOperationID. */
function toOperationId(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  [...s].forEach((ch, i) => {
    if (/\p{L}/u.test(ch) || ch === '_' || (i !== 0 && /\p{Nd}/u.test(ch))) {
      out += capitalize ? ch.toUpperCase() : ch;
      capitalize = false;
    } else capitalize = true;
  });
  return out;
}

const OPERATION_VERBS = ['get', 'log', 'read', 'replace', 'patch', 'delete', 'deletecollection', 'watch', 'connect', 'proxy', 'list', 'create'];

/** openapi.GetOperationIDAndTags for a route under /apis/<group>/<version>. */
function operationIdAndTags(operation: string, group: string, version: string): { id: string; tags: string[] } {
  // The verb trie answers the shortest verb the name starts with.
  const verb = OPERATION_VERBS.filter((v) => operation.startsWith(v)).sort((a, b) => a.length - b.length)[0] ?? '';
  const trimmed = group.replace(/\.k8s\.io$/, '');
  const prefix = verb + toOperationId(trimmed, true) + toOperationId(version, true);
  return { id: prefix + toOperationId(operation.slice(verb.length), true), tags: [`${toOperationId(trimmed, false)}_${toOperationId(version, false)}`] };
}

interface Route {
  path: string;
  method: 'get' | 'put' | 'post' | 'delete' | 'patch';
  action: string;
  description: string;
  operationId: string;
  tags: string[];
  params: Obj[];
  body?: { ref: string; required: boolean };
  consumes: string[];
  responses: [string, string, string][];
  gvk: { group: string; kind: string; version: string };
}

const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** generateBuilder's routes for one served version of a CRD. */
function crdRoutes(c: CrdVersion, parts: CrdParts): Route[] {
  const self = definitionName(c.group, c.version, c.kind);
  const list = definitionName(c.group, c.version, c.listKind);
  const gvk = { group: c.group, kind: c.kind, version: c.version };
  const pretty = { description: "If 'true', then the output is pretty printed.", in: 'query', name: 'pretty', type: 'string', uniqueItems: true };
  const nameParam = { description: `name of the ${c.kind}`, in: 'path', name: 'name', required: true, type: 'string', uniqueItems: true };
  const resourceVersion = parts.options.list.find((p) => p.name === 'resourceVersion');
  const options: Record<string, Obj[]> = {
    get: parts.options.get.length ? parts.options.get : resourceVersion ? [resourceVersion] : [],
    list: parts.options.list,
    deletecollection: parts.options.list,
    put: parts.options.update,
    patch: parts.options.update,
    post: parts.options.create,
    delete: parts.options.delete,
  };
  const routes: Route[] = [];
  let root = `/apis/${c.group}/${c.version}/${c.plural}`;
  const add = (suffix: string, method: Route['method'], action: string, verb: string, sample: string, operation?: string) => {
    const path = root + suffix;
    const sub = suffix.split('/')[2] ?? '';
    const subText = sub ? ` ${sub} of` : '';
    const description =
      verb === 'patch'
        ? `partially update${subText} the specified ${c.kind}`
        : verb === 'deletecollection'
          ? `delete collection of${sub ? `${subText} a` : ''} ${c.kind}`
          : `${verb}${subText}${verb === 'list' ? ' objects of kind ' : verb === 'read' || verb === 'replace' ? ' the specified ' : verb === 'create' || verb === 'delete' ? article(c.kind) : ''}${c.kind}`;
    const name = operation ?? verb + (c.namespaced ? 'Namespaced' : '') + c.kind + (sub ? sub[0]!.toUpperCase() + sub.slice(1) : '');
    const { id, tags } = operationIdAndTags(name, c.group, c.version);
    const params: Obj[] = [pretty];
    if (path.includes('{namespace}')) params.push(parts.pathParams.namespace);
    if (path.includes('{name}')) params.push(nameParam);
    params.push(...(options[action] ?? []));
    const responses: [string, string, string][] = [['200', 'OK', sample]];
    if (action === 'post') responses.push(['202', 'Accepted', sample], ['201', 'Created', sample]);
    if (action === 'delete') responses.push(['202', 'Accepted', sample]);
    if (action === 'put') responses.push(['201', 'Created', sample]);
    const route: Route = {
      path,
      method,
      action,
      description,
      operationId: id,
      tags,
      params,
      consumes: method === 'patch' ? ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'] : ['application/json', 'application/yaml'],
      responses,
      gvk,
    };
    if (action === 'post' || action === 'put') route.body = { ref: sample, required: true };
    if (action === 'patch') route.body = { ref: PATCH, required: true };
    if (action === 'delete') route.body = { ref: DELETE_OPTIONS, required: false };
    routes.push(route);
  };
  if (c.namespaced) {
    add('', 'get', 'list', 'list', list, `list${c.kind}ForAllNamespaces`);
    root = `/apis/${c.group}/${c.version}/namespaces/{namespace}/${c.plural}`;
  }
  add('', 'get', 'list', 'list', list);
  add('', 'post', 'post', 'create', self);
  add('', 'delete', 'deletecollection', 'deletecollection', STATUS);
  add('/{name}', 'get', 'get', 'read', self);
  add('/{name}', 'put', 'put', 'replace', self);
  add('/{name}', 'delete', 'delete', 'delete', STATUS);
  add('/{name}', 'patch', 'patch', 'patch', self);
  if (c.status) {
    add('/{name}/status', 'get', 'get', 'read', self);
    add('/{name}/status', 'put', 'put', 'replace', self);
    add('/{name}/status', 'patch', 'patch', 'patch', self);
  }
  if (c.scale) {
    add('/{name}/scale', 'get', 'get', 'read', SCALE);
    add('/{name}/scale', 'put', 'put', 'replace', SCALE);
    add('/{name}/scale', 'patch', 'patch', 'patch', SCALE);
  }
  return routes;
}

const byName = (a: Obj, b: Obj) => String(a.name).localeCompare(String(b.name));

/** The v2 path items of routes: parameters every operation of a path shares move to the path. */
function v2PathItems(routes: Route[]): Record<string, Obj> {
  const byPath = new Map<string, Route[]>();
  for (const r of routes) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  const out: Record<string, Obj> = {};
  for (const [path, rs] of byPath) {
    const key = (p: Obj) => `${p.in}\u0000${p.name}`;
    const counts = new Map<string, number>();
    for (const r of rs) for (const p of r.params) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
    const common = new Set([...counts].filter(([, n]) => n === rs.length).map(([k]) => k));
    const item: Obj = {};
    const shared = rs[0]!.params.filter((p) => common.has(key(p)));
    for (const r of rs) {
      const params = r.params.filter((p) => !common.has(key(p))).sort(byName);
      if (r.body) params.unshift({ in: 'body', name: 'body', ...(r.body.required ? { required: true } : {}), schema: { $ref: `#/definitions/${r.body.ref}` } });
      const responses: Obj = {};
      for (const [code, description, ref] of r.responses) responses[code] = { description, schema: { $ref: `#/definitions/${ref}` } };
      responses['401'] = { description: 'Unauthorized' };
      item[r.method] = {
        consumes: r.consumes,
        description: r.description,
        operationId: r.operationId,
        ...(params.length ? { parameters: params } : {}),
        produces: ['application/json', 'application/yaml'],
        responses: sortKeys(responses),
        schemes: ['https'],
        tags: r.tags,
        'x-kubernetes-action': r.action,
        'x-kubernetes-group-version-kind': r.gvk,
      };
    }
    if (shared.length) item.parameters = [...shared].sort(byName);
    out[path] = sortKeys(item);
  }
  return out;
}

// ---- v2 → v3, as the generator converts the built-in documents -----------------------------------

function toV3Schema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toV3Schema);
  if (!s || typeof s !== 'object') return s;
  const out: Obj = {};
  for (const [k, v] of Object.entries(s as Obj)) {
    if (k === '$ref') out[k] = String(v).replace('#/definitions/', '#/components/schemas/');
    else if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Obj).map(([pk, pv]) => [pk, toV3Schema(pv)]));
    else if (k === 'items' || k === 'additionalProperties' || k === 'not') out[k] = typeof v === 'object' ? toV3Schema(v) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as unknown[]).map(toV3Schema);
    else out[k] = v;
  }
  if (out.$ref && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return sortKeys({ ...rest, allOf: [{ $ref }] });
  }
  return out;
}

function toV3Parameter(p: Obj): Obj {
  const { description, in: where, name, required, ...schema } = p;
  return sortKeys({ ...(description !== undefined ? { description } : {}), in: where, name, ...(required ? { required } : {}), schema: sortKeys(toV3Schema(schema) as Obj) });
}

function toV3PathItem(item: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === 'parameters') {
      out.parameters = (v as Obj[]).map(toV3Parameter);
      continue;
    }
    const op = v as Obj;
    const converted: Obj = {};
    const params: Obj[] = [];
    for (const p of (op.parameters ?? []) as Obj[]) {
      if (p.in === 'body') {
        const content: Obj = {};
        for (const type of (op.consumes ?? ['application/json']) as string[]) content[type] = { schema: toV3Schema(p.schema) };
        converted.requestBody = { content: sortKeys(content), ...(p.required ? { required: true } : {}) };
      } else params.push(toV3Parameter(p));
    }
    if (params.length) converted.parameters = params;
    const responses: Obj = {};
    for (const [code, r] of Object.entries((op.responses ?? {}) as Obj)) {
      const resp: Obj = { description: (r as Obj).description };
      if ((r as Obj).schema) {
        const content: Obj = {};
        for (const type of (op.produces ?? ['application/json']) as string[]) content[type] = { schema: toV3Schema((r as Obj).schema) };
        resp.content = sortKeys(content);
      }
      responses[code] = sortKeys(resp);
    }
    converted.responses = responses;
    for (const [ok, ov] of Object.entries(op)) if (!['parameters', 'responses', 'consumes', 'produces', 'schemes'].includes(ok)) converted[ok] = ov;
    out[k] = sortKeys(converted);
  }
  return sortKeys(out);
}

/** Definition names a value refers to. */
function refsIn(value: unknown, prefix: string): Set<string> {
  const out = new Set<string>();
  const re = new RegExp(`"${prefix.replace(/[/#]/g, (c) => `\\${c}`)}([^"]+)"`, 'g');
  for (const m of JSON.stringify(value).matchAll(re)) out.add(m[1]!);
  return out;
}

/** The definitions reachable from `roots` in `schemas`. */
function reachable(schemas: Record<string, Obj>, roots: Iterable<string>, prefix: string): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || !schemas[name]) continue;
    seen.add(name);
    for (const r of refsIn(schemas[name], prefix)) stack.push(r);
  }
  return [...seen].sort();
}

// ---- documents --------------------------------------------------------------------------------

interface Served {
  bytes: Buffer;
  etag: string;
  lastModified: string;
}

interface Documents {
  fingerprint: string;
  lastModified: string;
  v2?: Served;
  v2gzip?: Served;
  v2proto?: Served;
  v2protoGzip?: Served;
  v3: Map<string, Served>;
  v3keys: string[];
  v3docs: Map<string, () => Obj>;
}

const cache = new WeakMap<ApiServer, Documents>();

function infoVersion(api: ApiServer): string {
  return api.version.gitVersion;
}

function documents(api: ApiServer): Documents {
  const crds = crdVersions(api);
  const fingerprint = JSON.stringify([infoVersion(api), crds]);
  const cached = cache.get(api);
  if (cached && cached.fingerprint === fingerprint) return cached;
  const d = load();
  const lastModified = new Date().toUTCString();
  const v3docs = new Map<string, () => Obj>();
  const info = { title: 'Kubernetes', version: infoVersion(api) };
  const securitySchemes = { BearerToken: d.v2.securityDefinitions.BearerToken };
  const assemble = (paths: Obj, schemas: Record<string, Obj>): Obj => ({
    components: { ...(Object.keys(schemas).length ? { schemas: sortKeys(schemas) } : {}), securitySchemes },
    info,
    openapi: '3.0.0',
    paths: sortKeys(paths),
  });
  // CRD versions by group-version, in v3 form.
  const crdByGv = new Map<string, CrdVersion[]>();
  for (const c of crds) {
    const key = `apis/${c.group}/${c.version}`;
    crdByGv.set(key, [...(crdByGv.get(key) ?? []), c]);
  }
  const keys = new Set([...Object.keys(d.v3.docs), ...crdByGv.keys()]);
  for (const key of keys) {
    v3docs.set(key, () => {
      const builtin = d.v3.docs[key];
      const paths: Obj = { ...(builtin?.paths ?? {}) };
      const schemas: Record<string, Obj> = {};
      for (const name of builtin?.schemas ?? []) schemas[name] = d.v3.schemas[name]!;
      const extra = crdByGv.get(key) ?? [];
      for (const c of extra) {
        for (const [path, item] of Object.entries(v2PathItems(crdRoutes(c, d.crd)))) paths[path] = toV3PathItem(item);
        schemas[definitionName(c.group, c.version, c.kind)] = crdDefinition(c, d.crd, false);
        schemas[definitionName(c.group, c.version, c.listKind)] = crdListDefinition(c, d.crd, false);
      }
      if (extra.length) {
        const all = { ...d.v3.schemas, ...schemas };
        for (const name of reachable(all, refsIn({ paths, schemas }, '#/components/schemas/'), '#/components/schemas/')) schemas[name] ??= all[name]!;
      }
      return assemble(paths, schemas);
    });
  }
  const docs: Documents = { fingerprint, lastModified, v3: new Map(), v3keys: [...keys].sort(), v3docs };
  cache.set(api, docs);
  return docs;
}

function served(bytes: Buffer, lastModified: string, etag = etagOf(bytes)): Served {
  return { bytes, etag, lastModified };
}

/** The /openapi/v2 document: the built-in one with the custom resources merged in. */
export function openApiV2(api: ApiServer): Obj {
  const d = load();
  const crds = crdVersions(api);
  const paths: Obj = { ...d.v2.paths };
  const definitions: Obj = { ...d.v2.definitions };
  for (const c of crds) {
    Object.assign(paths, v2PathItems(crdRoutes(c, d.crd)));
    definitions[definitionName(c.group, c.version, c.kind)] = crdDefinition(c, d.crd, true);
    definitions[definitionName(c.group, c.version, c.listKind)] = crdListDefinition(c, d.crd, true);
  }
  return {
    definitions: sortKeys(definitions),
    info: { title: d.v2.info.title, version: infoVersion(api) },
    parameters: d.v2.parameters,
    paths: sortKeys(paths),
    security: d.v2.security,
    securityDefinitions: d.v2.securityDefinitions,
    swagger: d.v2.swagger,
  };
}

/** The /openapi/v3/<key> document ("api/v1", "apis/apps/v1", "apis/stable.example.com/v1", ...). */
export function openApiV3(api: ApiServer, key: string): Obj | undefined {
  return documents(api).v3docs.get(key)?.();
}

function v3Served(docs: Documents, key: string): Served | undefined {
  let s = docs.v3.get(key);
  if (!s) {
    const build = docs.v3docs.get(key);
    if (!build) return undefined;
    s = served(Buffer.from(JSON.stringify(build())), docs.lastModified);
    docs.v3.set(key, s);
  }
  return s;
}

/** The /openapi/v3 index: every group-version with the hash of its document. */
export function openApiV3Index(api: ApiServer): { paths: Record<string, { serverRelativeURL: string }> } {
  const docs = documents(api);
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of docs.v3keys) paths[key] = { serverRelativeURL: serverRelativeURL(key, v3Served(docs, key)!.etag) };
  return { paths };
}

function serverRelativeURL(key: string, etag: string): string {
  return `/openapi/v3/${key}?hash=${etag}`;
}

// ---- the gnostic protobuf of /openapi/v2 ----------------------------------------------------------

/** A protobuf writer: fields appended to a growing buffer, messages length-delimited. */
class ProtoWriter {
  private buf = Buffer.allocUnsafe(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private varint(n: number): void {
    this.ensure(10);
    let v = n;
    while (v > 0x7f) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  string(field: number, s: unknown, always = false): void {
    if (typeof s !== 'string' || (s === '' && !always)) return;
    const bytes = Buffer.byteLength(s);
    this.tag(field, 2);
    this.varint(bytes);
    this.ensure(bytes);
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  strings(field: number, values: unknown): void {
    if (!Array.isArray(values)) return;
    for (const v of values) this.string(field, String(v), true);
  }

  bool(field: number, b: unknown, always = false): void {
    if (typeof b !== 'boolean' || (!b && !always)) return;
    this.tag(field, 0);
    this.varint(b ? 1 : 0);
  }

  int64(field: number, n: unknown): void {
    if (typeof n !== 'number' || n === 0) return;
    this.tag(field, 0);
    if (n < 0) {
      // Two's complement in ten bytes.
      let v = BigInt.asUintN(64, BigInt(Math.trunc(n)));
      this.ensure(10);
      for (let i = 0; i < 10; i++) {
        const byte = Number(v & 0x7fn);
        v >>= 7n;
        this.buf[this.len++] = v > 0n ? byte | 0x80 : byte;
        if (v === 0n) break;
      }
    } else this.varint(Math.trunc(n));
  }

  double(field: number, n: unknown): void {
    if (typeof n !== 'number' || n === 0) return;
    this.tag(field, 1);
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.len);
    this.len += 8;
  }

  message(field: number, write: (w: ProtoWriter) => void): void {
    const child = new ProtoWriter();
    write(child);
    this.tag(field, 2);
    this.varint(child.len);
    this.ensure(child.len);
    child.buf.copy(this.buf, this.len, 0, child.len);
    this.len += child.len;
  }

  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** An Any as gnostic keeps unparsed values: YAML text (JSON is YAML). */
function pbAny(w: ProtoWriter, field: number, value: unknown): void {
  if (value === undefined) return;
  w.message(field, (a) => a.string(2, `${JSON.stringify(value)}\n`, true));
}

/** Vendor extensions (x-* keys) as NamedAny entries. */
function pbExtensions(w: ProtoWriter, field: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    w.message(field, (n) => {
      n.string(1, k, true);
      pbAny(n, 2, v);
    });
  }
}

function pbSchema(w: ProtoWriter, s: Obj): void {
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(3, s.title);
  w.string(4, s.description);
  pbAny(w, 5, s.default);
  w.double(6, s.multipleOf);
  w.double(7, s.maximum);
  w.bool(8, s.exclusiveMaximum);
  w.double(9, s.minimum);
  w.bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength);
  w.int64(12, s.minLength);
  w.string(13, s.pattern);
  w.int64(14, s.maxItems);
  w.int64(15, s.minItems);
  w.bool(16, s.uniqueItems);
  w.int64(17, s.maxProperties);
  w.int64(18, s.minProperties);
  w.strings(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) pbAny(w, 20, e);
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, (a) => (typeof ap === 'boolean' ? a.bool(2, ap, true) : a.message(1, (x) => pbSchema(x, ap as Obj))));
  }
  if (s.type !== undefined) w.message(22, (t) => t.strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items !== undefined) w.message(23, (it) => (Array.isArray(s.items) ? s.items : [s.items]).forEach((x: Obj) => it.message(1, (y) => pbSchema(y, x))));
  if (Array.isArray(s.allOf)) for (const x of s.allOf) w.message(24, (y) => pbSchema(y, x as Obj));
  if (s.properties) {
    w.message(25, (p) => {
      for (const [k, v] of Object.entries(s.properties as Obj)) {
        p.message(1, (n) => {
          n.string(1, k, true);
          n.message(2, (x) => pbSchema(x, v as Obj));
        });
      }
    });
  }
  w.string(26, s.discriminator);
  w.bool(27, s.readOnly);
  if (s.externalDocs) w.message(29, (e) => (e.string(1, s.externalDocs.description), e.string(2, s.externalDocs.url)));
  pbAny(w, 30, s.example);
  pbExtensions(w, 31, s);
}

/** The fields a non-body parameter shares; the numbering shifts by one where allowEmptyValue sits. */
function pbNonBodyFields(w: ProtoWriter, p: Obj, withAllowEmpty: boolean): void {
  const o = withAllowEmpty ? 1 : 0;
  w.bool(1, p.required);
  w.string(2, p.in);
  w.string(3, p.description);
  w.string(4, p.name);
  if (withAllowEmpty) w.bool(5, p.allowEmptyValue);
  w.string(5 + o, p.type);
  w.string(6 + o, p.format);
  if (p.items) w.message(7 + o, (x) => pbPrimitivesItems(x, p.items as Obj));
  w.string(8 + o, p.collectionFormat);
  pbAny(w, 9 + o, p.default);
  w.double(10 + o, p.maximum);
  w.bool(11 + o, p.exclusiveMaximum);
  w.double(12 + o, p.minimum);
  w.bool(13 + o, p.exclusiveMinimum);
  w.int64(14 + o, p.maxLength);
  w.int64(15 + o, p.minLength);
  w.string(16 + o, p.pattern);
  w.int64(17 + o, p.maxItems);
  w.int64(18 + o, p.minItems);
  w.bool(19 + o, p.uniqueItems);
  if (Array.isArray(p.enum)) for (const e of p.enum) pbAny(w, 20 + o, e);
  w.double(21 + o, p.multipleOf);
  pbExtensions(w, 22 + o, p);
}

function pbPrimitivesItems(w: ProtoWriter, p: Obj): void {
  w.string(1, p.type);
  w.string(2, p.format);
  if (p.items) w.message(3, (x) => pbPrimitivesItems(x, p.items as Obj));
  w.string(4, p.collectionFormat);
  pbAny(w, 5, p.default);
  w.bool(15, p.uniqueItems);
  if (Array.isArray(p.enum)) for (const e of p.enum) pbAny(w, 16, e);
  pbExtensions(w, 18, p);
}

function pbParameter(w: ProtoWriter, p: Obj): void {
  if (p.in === 'body') {
    w.message(1, (b) => {
      b.string(1, p.description);
      b.string(2, p.name);
      b.string(3, p.in);
      b.bool(4, p.required);
      if (p.schema) b.message(5, (s) => pbSchema(s, p.schema as Obj));
      pbExtensions(b, 6, p);
    });
    return;
  }
  const which = ({ header: 1, formData: 2, query: 3, path: 4 } as Record<string, number>)[p.in as string] ?? 3;
  w.message(2, (nb) => nb.message(which, (x) => pbNonBodyFields(x, p, which === 2 || which === 3)));
}

function pbParametersItem(w: ProtoWriter, field: number, p: Obj): void {
  w.message(field, (item) => {
    if (p.$ref) item.message(2, (r) => (r.string(1, p.$ref), r.string(2, p.description)));
    else item.message(1, (x) => pbParameter(x, p));
  });
}

function pbOperation(w: ProtoWriter, op: Obj): void {
  w.strings(1, op.tags);
  w.string(2, op.summary);
  w.string(3, op.description);
  w.string(5, op.operationId);
  w.strings(6, op.produces);
  w.strings(7, op.consumes);
  for (const p of (op.parameters ?? []) as Obj[]) pbParametersItem(w, 8, p);
  if (op.responses) {
    w.message(9, (rs) => {
      for (const [code, r] of Object.entries(op.responses as Obj)) {
        if (code.startsWith('x-')) continue;
        rs.message(1, (n) => {
          n.string(1, code, true);
          n.message(2, (v) => {
            const resp = r as Obj;
            if (resp.$ref) v.message(2, (ref) => ref.string(1, resp.$ref));
            else {
              v.message(1, (x) => {
                x.string(1, resp.description, true);
                if (resp.schema) x.message(2, (si) => si.message(1, (s) => pbSchema(s, resp.schema as Obj)));
                pbExtensions(x, 5, resp);
              });
            }
          });
        });
      }
      pbExtensions(rs, 2, op.responses as Obj);
    });
  }
  w.strings(10, op.schemes);
  w.bool(11, op.deprecated);
  pbExtensions(w, 13, op);
}

const PATH_ITEM_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** The v2 document as gnostic's openapi_v2.Document, which kubectl unmarshals. */
export function openApiV2Protobuf(doc: Obj): Buffer {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  if (doc.info) w.message(2, (i) => (i.string(1, doc.info.title), i.string(2, doc.info.version), i.string(3, doc.info.description)));
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries(doc.paths as Obj)) {
      if (path.startsWith('x-')) continue;
      paths.message(2, (n) => {
        n.string(1, path, true);
        n.message(2, (pi) => {
          const it = item as Obj;
          pi.string(1, it.$ref);
          for (const [m, field] of Object.entries(PATH_ITEM_FIELDS)) if (it[m]) pi.message(field, (o) => pbOperation(o, it[m] as Obj));
          for (const p of (it.parameters ?? []) as Obj[]) pbParametersItem(pi, 9, p);
          pbExtensions(pi, 10, it);
        });
      });
    }
    pbExtensions(paths, 1, doc.paths as Obj);
  });
  if (doc.definitions) {
    w.message(9, (defs) => {
      for (const [name, s] of Object.entries(doc.definitions as Obj)) defs.message(1, (n) => (n.string(1, name, true), n.message(2, (x) => pbSchema(x, s as Obj))));
    });
  }
  if (doc.parameters) {
    w.message(10, (params) => {
      for (const [name, p] of Object.entries(doc.parameters as Obj)) params.message(1, (n) => (n.string(1, name, true), n.message(2, (x) => pbParameter(x, p as Obj))));
    });
  }
  for (const req of (doc.security ?? []) as Obj[]) {
    w.message(12, (sr) => {
      for (const [name, scopes] of Object.entries(req)) sr.message(1, (n) => (n.string(1, name, true), n.message(2, (a) => a.strings(1, scopes))));
    });
  }
  if (doc.securityDefinitions) {
    w.message(13, (sd) => {
      for (const [name, def] of Object.entries(doc.securityDefinitions as Obj)) {
        const d = def as Obj;
        sd.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (item) => {
            if (d.type === 'basic') item.message(1, (b) => (b.string(1, d.type), b.string(2, d.description), pbExtensions(b, 3, d)));
            else if (d.type === 'apiKey') item.message(2, (k) => (k.string(1, d.type), k.string(2, d.name), k.string(3, d.in), k.string(4, d.description), pbExtensions(k, 5, d)));
          });
        });
      }
    });
  }
  pbExtensions(w, 16, doc);
  return w.bytes();
}

// ---- serving ----------------------------------------------------------------------------------

const V2_OFFERED = [
  ['application', 'json'],
  ['application', 'com.github.proto-openapi.spec.v2@v1.0+protobuf'],
  ['application', 'com.github.proto-openapi.spec.v2.v1.0+protobuf'],
] as const;

const V3_OFFERED = [
  ['application', 'json'],
  ['application', 'com.github.proto-openapi.spec.v3.v1.0+protobuf'],
  ['application', 'com.github.proto-openapi.spec.v3@v1.0+protobuf'],
] as const;

function acceptsGzip(header: string | undefined): boolean {
  for (const enc of (header ?? '').split(',')) {
    const [name, ...params] = enc.split(';').map((s) => s.trim());
    if (name !== 'gzip') continue;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

function content(status: number, headers: Record<string, string>, s: Served, ifNoneMatch: string | undefined): OpenApiResponse {
  const all = { ...headers, 'Last-Modified': s.lastModified };
  if (etagMatches(ifNoneMatch, headers.Etag ?? '')) return { status: 304, headers: all, body: '' };
  return { status, headers: all, body: s.bytes };
}

/**
 * Answers /openapi/v2, /openapi/v3 and /openapi/v3/<group-version>; undefined for other paths.
 * `headers` is optional: without it there are no 304s and no gzip.
 */
export function openApiResponse(
  api: ApiServer,
  path: string,
  query: URLSearchParams,
  accept: string | undefined,
  headers: OpenApiRequestHeaders = {},
): OpenApiResponse | undefined {
  if (path === '/openapi/v2') {
    const chosen = negotiate(accept, V2_OFFERED);
    if (!chosen) return { status: 406, headers: { Vary: 'Accept, Accept-Encoding' }, body: '' };
    const docs = documents(api);
    if (!docs.v2) docs.v2 = served(Buffer.from(JSON.stringify(openApiV2(api))), docs.lastModified);
    const proto = chosen[1] !== 'json';
    if (proto && !docs.v2proto) docs.v2proto = served(openApiV2Protobuf(JSON.parse(docs.v2.bytes.toString('utf8')) as Obj), docs.lastModified, docs.v2.etag);
    let body = proto ? docs.v2proto! : docs.v2;
    const out: Record<string, string> = { Vary: 'Accept, Accept-Encoding' };
    if (acceptsGzip(headers.acceptEncoding)) {
      if (proto) body = docs.v2protoGzip ??= served(gzipSync(body.bytes), body.lastModified, `${body.etag}-gzip`);
      else body = docs.v2gzip ??= served(gzipSync(body.bytes), body.lastModified, `${body.etag}-gzip`);
      out['Content-Encoding'] = 'gzip';
    }
    out['Content-Type'] = proto ? 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' : 'application/json';
    out.Etag = JSON.stringify(body.etag);
    return content(200, out, body, headers.ifNoneMatch);
  }
  if (path === '/openapi/v3') {
    const body = JSON.stringify(openApiV3Index(api));
    return { status: 200, headers: { 'Content-Type': 'application/json', 'Last-Modified': new Date().toUTCString() }, body };
  }
  if (path.startsWith('/openapi/v3/')) {
    const key = path.slice('/openapi/v3/'.length);
    const out: Record<string, string> = { Vary: 'Accept' };
    const chosen = negotiate(accept, V3_OFFERED);
    if (!chosen) return { status: 406, headers: out, body: '' };
    // The gnostic protobuf of v3 is not produced; clients asking for it alone are refused.
    if (chosen[1] !== 'json') return { status: 406, headers: out, body: '' };
    const docs = documents(api);
    const s = v3Served(docs, key);
    if (!s) return { status: 404, headers: out, body: '' };
    out['Content-Type'] = 'application/json';
    out.Etag = JSON.stringify(s.etag);
    const hash = query.get('hash');
    if (hash) {
      if (hash !== s.etag) {
        const location = serverRelativeURL(key, s.etag);
        return {
          status: 301,
          headers: { Vary: 'Accept', Location: location, 'Content-Type': 'text/html; charset=utf-8' },
          body: `<a href="${location.replace(/&/g, '&amp;')}">Moved Permanently</a>.\n\n`,
        };
      }
      out['Cache-Control'] = 'public, immutable';
      out.Expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString();
    } else out['Cache-Control'] = 'no-cache, private';
    return content(200, out, s, headers.ifNoneMatch);
  }
  return undefined;
}
