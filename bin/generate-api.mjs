#!/usr/bin/env node
// Derives the API server's tables from the upstream Kubernetes 1.32 OpenAPI document
// (../shared/openapi/swagger-v1.32.json), so that nothing about the API is written by hand:
//   src/sim/apiserver/generated/resources.ts — every served resource: group, version, kind,
//     plural, scope, verbs, subresources and the OpenAPI definition behind it.
//   src/sim/apiserver/generated/schemas.ts — structural schemas of their definitions: types,
//     formats, required fields, patch strategies and merge keys, list and map types.
// Usage: bin/generate-api.mjs [--check] [SWAGGER]
// --check exits 1 when the committed files differ from what the document gives.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const swaggerPath = args.find((a) => !a.startsWith('--')) ?? join(root, '../shared/openapi/swagger-v1.32.json');

/** A kubeadm cluster serves only GA versions by default; alpha and beta APIs are off. */
const isServedVersion = (v) => /^v\d+$/.test(v);
const ACTION_VERBS = { get: 'get', list: 'list', post: 'create', put: 'update', patch: 'patch', delete: 'delete', deletecollection: 'deletecollection', watch: 'watch', watchlist: 'watch' };
const CONNECT_VERBS = { get: 'get', post: 'create', put: 'update', patch: 'patch', delete: 'delete' };

export function deriveResources(swagger) {
  const resources = new Map();
  for (const [path, item] of Object.entries(swagger.paths)) {
    const m = /^\/(?:api|apis\/([^/]+))\/(v[^/]+)\/(?:watch\/)?(namespaces\/\{namespace\}\/)?([a-z0-9]+)(?:\/\{name\})?(?:\/([a-z]+))?$/.exec(path);
    if (!m) continue;
    const [, group = '', version, nsPart, plural, sub] = m;
    if (!isServedVersion(version)) continue;
    // "/api/v1/namespaces/{namespace}" itself is the namespaces resource, not a scope.
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !op['x-kubernetes-action']) continue;
      const gvk = op['x-kubernetes-group-version-kind'];
      const action = op['x-kubernetes-action'];
      const key = `${group}/${version}/${plural}`;
      let r = resources.get(key);
      if (!r) {
        r = { group, version, name: plural, namespaced: false, kind: '', verbs: new Set(), subresources: new Map(), definition: '' };
        resources.set(key, r);
      }
      if (nsPart) r.namespaced = true;
      if (sub) {
        let s = r.subresources.get(sub);
        if (!s) r.subresources.set(sub, (s = { name: sub, kind: gvk.kind, group: gvk.group, version: gvk.version, verbs: new Set() }));
        const verb = action === 'connect' ? CONNECT_VERBS[method] : ACTION_VERBS[action];
        if (verb) s.verbs.add(verb);
        continue;
      }
      if (!r.kind || action !== 'connect') r.kind = gvk.kind;
      const verb = ACTION_VERBS[action];
      if (verb) r.verbs.add(verb);
      if (action === 'get' || action === 'post') {
        const ref = op.responses?.['200']?.schema?.$ref ?? op.responses?.['201']?.schema?.$ref;
        if (ref && !r.definition) r.definition = ref.replace('#/definitions/', '');
      }
    }
  }
  return [...resources.values()]
    .filter((r) => r.verbs.size > 0)
    .map((r) => ({
      group: r.group,
      version: r.version,
      kind: r.kind,
      name: r.name,
      namespaced: r.namespaced,
      verbs: [...r.verbs].sort(),
      subresources: [...r.subresources.values()]
        .map((s) => ({ name: s.name, kind: s.kind, group: s.group, version: s.version, verbs: [...s.verbs].sort() }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      definition: r.definition,
    }))
    .sort((a, b) => (a.group === b.group ? (a.version === b.version ? a.name.localeCompare(b.name) : a.version.localeCompare(b.version)) : a.group.localeCompare(b.group)));
}

/** Compact structural schemas (no descriptions) of every definition the served resources reach. */
export function deriveSchemas(swagger, resources) {
  const defs = swagger.definitions;
  const out = {};
  const field = (p) => {
    const f = {};
    if (p.$ref) f.ref = p.$ref.replace('#/definitions/', '');
    if (p.type) f.type = p.type;
    if (p.format) f.format = p.format;
    if (p.items) f.items = field(p.items);
    if (p.additionalProperties) f.additionalProperties = field(p.additionalProperties);
    if (p['x-kubernetes-patch-strategy']) f.patchStrategy = p['x-kubernetes-patch-strategy'];
    if (p['x-kubernetes-patch-merge-key']) f.patchMergeKey = p['x-kubernetes-patch-merge-key'];
    if (p['x-kubernetes-list-type']) f.listType = p['x-kubernetes-list-type'];
    if (p['x-kubernetes-list-map-keys']) f.listMapKeys = p['x-kubernetes-list-map-keys'];
    if (p['x-kubernetes-map-type']) f.mapType = p['x-kubernetes-map-type'];
    return f;
  };
  const visit = (name) => {
    if (out[name] || !defs[name]) return;
    const d = defs[name];
    const schema = {};
    if (d.type) schema.type = d.type;
    if (d.format) schema.format = d.format;
    if (d.required) schema.required = [...d.required];
    if (d['x-kubernetes-map-type']) schema.mapType = d['x-kubernetes-map-type'];
    out[name] = schema;
    if (d.properties) {
      schema.properties = {};
      for (const [k, p] of Object.entries(d.properties)) schema.properties[k] = field(p);
    }
    const refs = JSON.stringify(d).match(/#\/definitions\/[^"]+/g) ?? [];
    for (const r of refs) visit(r.replace('#/definitions/', ''));
  };
  const roots = new Set(resources.map((r) => r.definition).filter(Boolean));
  for (const r of resources) for (const s of r.subresources) {
    const def = Object.keys(defs).find((n) => n.endsWith(`.${s.version}.${s.kind}`) && defs[n]['x-kubernetes-group-version-kind']?.some((g) => g.group === s.group && g.kind === s.kind));
    if (def) roots.add(def);
  }
  for (const extra of ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']) roots.add(extra);
  for (const name of [...roots].sort()) {
    visit(name);
    visit(`${name}List`);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

function renderSchemas(schemas) {
  return `// Generated by bin/generate-api.mjs from the Kubernetes 1.32 OpenAPI document. Do not edit.
import type { DefinitionSchema } from './types';

export const SCHEMAS: Readonly<Record<string, DefinitionSchema>> = ${JSON.stringify(schemas)};
`;
}

function render(resources) {
  return `// Generated by bin/generate-api.mjs from the Kubernetes 1.32 OpenAPI document. Do not edit.
import type { GeneratedResource } from './types';

export const GENERATED_RESOURCES: readonly GeneratedResource[] = ${JSON.stringify(resources, null, 2)};
`;
}

if (!existsSync(swaggerPath)) {
  console.error(`generate-api: ${swaggerPath} not found`);
  process.exit(check ? 0 : 1);
}
const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8'));
const resources = deriveResources(swagger);
const outputs = {
  'src/sim/apiserver/generated/resources.ts': render(resources),
  'src/sim/apiserver/generated/schemas.ts': renderSchemas(deriveSchemas(swagger, resources)),
};
let stale = false;
for (const [file, content] of Object.entries(outputs)) {
  const full = join(root, file);
  const current = existsSync(full) ? readFileSync(full, 'utf8') : '';
  if (current === content) continue;
  if (check) {
    console.error(`generate-api: ${file} is out of date; run bin/generate-api.mjs`);
    stale = true;
  } else {
    writeFileSync(full, content);
    console.error(`generate-api: wrote ${file}`);
  }
}
process.exit(stale ? 1 : 0);
