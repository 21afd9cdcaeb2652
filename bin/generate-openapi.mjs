#!/usr/bin/env node
// Derives the OpenAPI documents the HTTP facade serves (src/host/api/openapi.ts) from the upstream
// Kubernetes 1.32 OpenAPI v2 document (../shared/openapi/swagger-v1.32.json), so that nothing of
// them is written by hand:
//   v2 — the swagger document as kube-apiserver serves it at /openapi/v2: only the group-versions a
//        kubeadm cluster serves (GA versions), with the definitions and shared parameters they use.
//   v3 — the per group-version documents of /openapi/v3/<gv>, converted as kube-openapi's builder3
//        does: parameters inlined with a `schema`, bodies as `requestBody`, responses with
//        `content` per produced media type, refs under #/components/schemas, a `$ref` with
//        siblings wrapped in `allOf` (common.WrapRefs), and the union types of
//        OpenAPIV3OneOfTypes (IntOrString, Quantity) as `oneOf`. The schemas are stored once and
//        each document names the ones it uses.
//   crd — what the CRD OpenAPI builder (apiextensions-apiserver controller/openapi/builder) takes
//        from the built-in types: TypeMeta's properties, the metadata descriptions, and the
//        query parameters of each option type (ListOptions, CreateOptions, ...).
// The output is one JSON value, brotli-compressed and base64-encoded into
// src/host/api/generated/openapi-data.ts.
// Usage: bin/generate-openapi.mjs [--check] [SWAGGER]
// --check exits 1 when the committed file does not hold what the document gives.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const swaggerPath = args.find((a) => !a.startsWith('--')) ?? join(root, '../shared/openapi/swagger-v1.32.json');
const OUTPUT = 'src/host/api/generated/openapi-data.ts';

/** A kubeadm cluster serves only GA versions by default; alpha and beta APIs are off. */
const isServedVersion = (v) => /^v\d+$/.test(v);

/** Types whose Go definition declares OpenAPIV3OneOfTypes: in v3 their `type` becomes a oneOf. */
const V3_ONE_OF_TYPES = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': ['integer', 'string'],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': ['string', 'number'],
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** The /openapi/v3 key of a path: "api/v1", "apis/apps/v1", "apis/apps", "apis", "version", "logs". */
export function groupVersionKey(path) {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api') return parts.length >= 2 ? `api/${parts[1]}` : 'api';
  if (parts[0] === 'apis') return parts.slice(0, Math.min(parts.length, 3)).join('/');
  return parts.filter((p) => !p.startsWith('{')).join('/');
}

/** Whether a path belongs to what the cluster serves: GA group-versions and the non-resource paths. */
function isServedPath(path, servedGroups) {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length >= 2) return isServedVersion(parts[1]);
  if (parts[0] === 'apis' && parts.length >= 3) return isServedVersion(parts[2]);
  if (parts[0] === 'apis' && parts.length === 2) return servedGroups.has(parts[1]);
  return true;
}

const sortKeys = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

/** Definition names a JSON value refers to (#/definitions/...). */
function refsOf(value, out = new Set()) {
  const text = JSON.stringify(value);
  for (const m of text.matchAll(/"#\/definitions\/([^"]+)"/g)) out.add(m[1]);
  return out;
}

function closure(defs, roots) {
  const seen = new Set();
  const stack = [...roots];
  while (stack.length) {
    const name = stack.pop();
    if (seen.has(name) || !defs[name]) continue;
    seen.add(name);
    for (const r of refsOf(defs[name])) stack.push(r);
  }
  return seen;
}

export function servedV2(swagger) {
  const servedGroups = new Set();
  for (const path of Object.keys(swagger.paths)) {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'apis' && parts.length >= 3 && isServedVersion(parts[2])) servedGroups.add(parts[1]);
  }
  const paths = {};
  for (const [path, item] of Object.entries(swagger.paths)) if (isServedPath(path, servedGroups)) paths[path] = item;
  const params = {};
  for (const name of Object.keys(swagger.parameters ?? {})) {
    if (JSON.stringify(paths).includes(`"#/parameters/${name}"`)) params[name] = swagger.parameters[name];
  }
  const used = closure(swagger.definitions, refsOf({ paths, params }));
  const definitions = {};
  for (const name of Object.keys(swagger.definitions).sort()) if (used.has(name)) definitions[name] = swagger.definitions[name];
  return {
    definitions,
    info: { title: swagger.info.title, version: swagger.info.version },
    parameters: sortKeys(params),
    paths: sortKeys(paths),
    security: swagger.security,
    securityDefinitions: swagger.securityDefinitions,
    swagger: swagger.swagger,
  };
}

// ---- v2 → v3 -------------------------------------------------------------------------------

const v3Ref = (ref) => ref.replace('#/definitions/', '#/components/schemas/');

/** A v2 schema as builder3 writes it: refs moved and wrapped in allOf when they have siblings. */
export function toV3Schema(s) {
  if (Array.isArray(s)) return s.map(toV3Schema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref') out[k] = v3Ref(v);
    else if (k === 'properties' || k === 'patternProperties' || k === 'definitions') out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, toV3Schema(pv)]));
    else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'additionalItems') out[k] = typeof v === 'object' ? toV3Schema(v) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = v.map(toV3Schema);
    else out[k] = v;
  }
  if (out.$ref && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return sortKeys({ ...rest, allOf: [{ $ref }] });
  }
  return out;
}

function definitionToV3(name, def) {
  const s = toV3Schema(def);
  const oneOf = V3_ONE_OF_TYPES[name];
  if (oneOf) {
    delete s.type;
    s.oneOf = oneOf.map((type) => ({ type }));
  }
  return sortKeys(s);
}

function resolveParam(swagger, p) {
  return p.$ref ? swagger.parameters[p.$ref.replace('#/parameters/', '')] : p;
}

/** A v2 non-body parameter as a v3 parameter: the type and its siblings move under `schema`. */
export function toV3Parameter(p) {
  const { description, in: where, name, required, ...schema } = p;
  return sortKeys({
    ...(description !== undefined ? { description } : {}),
    in: where,
    name,
    ...(required ? { required } : {}),
    schema: sortKeys(toV3Schema(schema)),
  });
}

function toV3Operation(swagger, op) {
  const out = {};
  const params = [];
  for (const raw of op.parameters ?? []) {
    const p = resolveParam(swagger, raw);
    if (p.in === 'body') {
      const content = {};
      for (const type of op.consumes ?? ['application/json']) content[type] = { schema: toV3Schema(p.schema) };
      out.requestBody = { content: sortKeys(content), ...(p.required ? { required: true } : {}) };
    } else params.push(toV3Parameter(p));
  }
  if (params.length) out.parameters = params;
  const responses = {};
  for (const [code, r] of Object.entries(op.responses ?? {})) {
    const resp = { description: r.description };
    if (r.schema) {
      const content = {};
      for (const type of op.produces ?? ['application/json']) content[type] = { schema: toV3Schema(r.schema) };
      resp.content = sortKeys(content);
    }
    responses[code] = sortKeys(resp);
  }
  out.responses = responses;
  for (const [k, v] of Object.entries(op)) {
    if (['parameters', 'responses', 'consumes', 'produces', 'schemes'].includes(k)) continue;
    out[k] = v;
  }
  return sortKeys(out);
}

function toV3PathItem(swagger, item) {
  const out = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === 'parameters') out.parameters = v.map((p) => toV3Parameter(resolveParam(swagger, p)));
    else if (METHODS.includes(k)) out[k] = toV3Operation(swagger, v);
    else out[k] = v;
  }
  return sortKeys(out);
}

export function deriveV3(v2) {
  const docs = {};
  for (const [path, item] of Object.entries(v2.paths)) {
    const key = groupVersionKey(path);
    (docs[key] ??= { paths: {} }).paths[path] = toV3PathItem(v2, item);
  }
  const schemas = {};
  for (const [name, def] of Object.entries(v2.definitions)) schemas[name] = definitionToV3(name, def);
  for (const doc of Object.values(docs)) {
    const roots = new Set();
    for (const m of JSON.stringify(doc.paths).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) roots.add(m[1]);
    doc.schemas = [...closure(v2.definitions, roots)].sort();
  }
  return { schemas, docs: sortKeys(docs) };
}

// ---- what the CRD builder takes from the built-in types ----------------------------------------

export function deriveCrdParts(v2) {
  const paths = v2.paths;
  // Deployments serve every verb; their operations carry each option type's query parameters.
  const collection = paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
  const item = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
  const optionParams = (op) => (op.parameters ?? []).map((p) => resolveParam(v2, p)).filter((p) => p.in !== 'body');
  const pod = v2.definitions['io.k8s.api.core.v1.Pod'].properties;
  const podList = v2.definitions['io.k8s.api.core.v1.PodList'].properties;
  return {
    // The query parameters of ListOptions, CreateOptions, UpdateOptions, GetOptions, DeleteOptions.
    options: {
      list: optionParams(collection.get),
      create: optionParams(collection.post),
      update: optionParams(item.put),
      get: optionParams(item.get),
      delete: optionParams(item.delete),
    },
    pathParams: {
      namespace: resolveParam(v2, collection.parameters.find((p) => resolveParam(v2, p).name === 'namespace')),
      pretty: resolveParam(v2, collection.parameters.find((p) => resolveParam(v2, p).name === 'pretty')),
    },
    typeMeta: { apiVersion: pod.apiVersion, kind: pod.kind },
    objectMetaDescription: pod.metadata.description,
    listMetaDescription: podList.metadata.description,
  };
}

// ---- output ---------------------------------------------------------------------------------

export function derive(swagger) {
  const v2 = servedV2(swagger);
  return { v2, v3: deriveV3(v2), crd: deriveCrdParts(v2) };
}

function encode(json) {
  return brotliCompressSync(Buffer.from(json), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
  }).toString('base64');
}

function render(json) {
  const data = encode(json);
  const lines = data.match(/.{1,16000}/g) ?? [];
  return `// Generated by bin/generate-openapi.mjs from the Kubernetes 1.32 OpenAPI document. Do not edit.
// Brotli-compressed JSON, base64: { v2, v3: { schemas, docs }, crd } (see the generator).
export const OPENAPI_DATA =
${lines.map((l) => `  '${l}'`).join(' +\n')};
`;
}

/** The JSON a committed file holds, or undefined. */
function committedJson(text) {
  const parts = [...text.matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]);
  if (parts.length === 0) return undefined;
  try {
    return brotliDecompressSync(Buffer.from(parts.join(''), 'base64')).toString();
  } catch {
    return undefined;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(swaggerPath)) {
    console.error(`generate-openapi: ${swaggerPath} not found`);
    process.exit(check ? 0 : 1);
  }
  const json = JSON.stringify(derive(JSON.parse(readFileSync(swaggerPath, 'utf8'))));
  const full = join(root, OUTPUT);
  const current = existsSync(full) ? committedJson(readFileSync(full, 'utf8')) : undefined;
  if (current === json) process.exit(0);
  if (check) {
    console.error(`generate-openapi: ${OUTPUT} is out of date; run bin/generate-openapi.mjs`);
    process.exit(1);
  }
  writeFileSync(full, render(json));
  console.error(`generate-openapi: wrote ${OUTPUT}`);
}
