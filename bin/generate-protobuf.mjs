#!/usr/bin/env node
// Derives the protobuf descriptor the HTTP API facade decodes request bodies with
// (src/host/api/generated/protobuf.ts), from the upstream Go API packages of Kubernetes 1.32:
// k8s.io/api and k8s.io/apimachinery at tag v0.32.9. Real kubectl sends what it creates through
// typed clients (kubectl create deployment, certificate approve, ...) as
// application/vnd.kubernetes.protobuf, and the simulated API server takes JSON.
//
// Two sources, joined by message name and field number:
//   generated.proto — field numbers, scalar kinds, repeated fields, maps and message types;
//   the Go types (*.go beside it) — what encoding/json makes of the decoded Go value: the json
//     tag's name and omitempty, embedded (inlined) structs, pointers (nil is "absent"), the
//     field order of the struct (JSON key order), and messages whose Go type is a slice
//     (ExtraValue, Verbs: a JSON array).
//
// Usage: bin/generate-protobuf.mjs [--check] [--api REPO] [--apimachinery REPO] [--tag TAG]
// REPO is a git directory (default: the local mirrors /work/.mirror/kubernetes+api/repo and
// /work/.mirror/kubernetes+apimachinery/repo); --check exits 1 when the committed file differs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'src/host/api/generated/protobuf.ts');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const check = args.includes('--check');
const TAG = opt('--tag', 'v0.32.9');
const API = opt('--api', '/work/.mirror/kubernetes+api/repo');
const MACHINERY = opt('--apimachinery', '/work/.mirror/kubernetes+apimachinery/repo');

/** apimachinery's proto packages, by directory, with the short key the descriptor names them by. */
const MACHINERY_PACKAGES = {
  'pkg/apis/meta/v1': 'meta/v1',
  'pkg/apis/meta/v1beta1': 'meta/v1beta1',
  'pkg/runtime': 'runtime',
  'pkg/runtime/schema': 'runtime/schema',
  'pkg/api/resource': 'resource',
  'pkg/util/intstr': 'intstr',
};

const git = (repo, ...a) => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
const listFiles = (repo) => git(repo, 'ls-tree', '-r', '--name-only', TAG).split('\n').filter(Boolean);
const show = (repo, path) => git(repo, 'show', `${TAG}:${path}`);

/** Every proto package: its key, directory, repository, group and version. */
function packages() {
  const out = [];
  for (const path of listFiles(API)) {
    const m = /^([a-z0-9]+\/v[a-z0-9]+)\/generated\.proto$/.exec(path);
    if (m) out.push({ key: m[1], dir: m[1], repo: API, version: m[1].split('/')[1] });
  }
  for (const [dir, key] of Object.entries(MACHINERY_PACKAGES)) out.push({ key, dir, repo: MACHINERY, version: /\/(v[a-z0-9]+)$/.exec(dir)?.[1] });
  const files = new Map([API, MACHINERY].map((repo) => [repo, listFiles(repo)]));
  for (const p of out) {
    p.goFiles = files
      .get(p.repo)
      .filter((f) => dirname(f) === p.dir && f.endsWith('.go') && !/(_test|\.pb|swagger_doc_generated)\.go$|\/zz_generated/.test(f));
    const register = p.goFiles.find((f) => f.endsWith('/register.go'));
    const group = register && /\bGroupName\s*=\s*"([^"]*)"/.exec(show(p.repo, register));
    p.group = group ? group[1] : undefined;
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** Messages of a generated.proto: name -> fields { num, name, type, repeated, map: [key, value] }. */
function parseProto(text) {
  const pkg = /^package ([\w.]+);/m.exec(text)[1];
  const messages = new Map();
  let current;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    let m;
    if ((m = /^message (\w+) \{$/.exec(line))) {
      current = [];
      messages.set(m[1], current);
    } else if (line === '}') current = undefined;
    else if ((m = /^(optional|repeated) ([\w.]+) (\w+) = (\d+);$/.exec(line))) {
      if (!current) throw new Error(`field outside a message: ${line}`);
      current.push({ num: Number(m[4]), name: m[3], type: m[2], repeated: m[1] === 'repeated' });
    } else if ((m = /^map<(\w+), ([\w.]+)> (\w+) = (\d+);$/.exec(line))) {
      current.push({ num: Number(m[4]), name: m[3], type: undefined, map: [m[1], m[2]] });
    } else if (!/^(syntax|package|import|option) /.test(line) && !/^\/?\*/.test(line) && current !== undefined) {
      throw new Error(`unexpected proto line: ${line}`);
    }
  }
  return { pkg, messages };
}

/**
 * Go structs (fields in order, with json and protobuf tags), named slice types, and types defined as
 * another package's struct (`type MatchCondition v1.MatchCondition`: import path and name) of a package's sources.
 */
function parseGo(sources) {
  const structs = new Map();
  const slices = new Set();
  const defined = new Map();
  for (const source of sources) {
    const text = source.replace(/\/\*[\s\S]*?\*\//g, '');
    const imports = new Map();
    for (const m of text.matchAll(/^\s*(?:import\s+)?(\w+\s+)?"([\w./-]+)"\s*$/gm)) imports.set(m[1]?.trim() ?? m[2].split('/').pop(), m[2]);
    for (const m of text.matchAll(/^type (\w+) \[\]\w+\s*$/gm)) slices.add(m[1]);
    for (const m of text.matchAll(/^type (\w+) (\w+)\.(\w+)\s*$/gm)) if (imports.has(m[2])) defined.set(m[1], { path: imports.get(m[2]), name: m[3] });
    for (const m of text.matchAll(/^type (\w+) struct\s*\{\}/gm)) structs.set(m[1], []);
    for (const m of text.matchAll(/^type (\w+) struct \{$/gm)) {
      // The body up to the matching brace (field lines hold no braces but struct{} and map[..]struct{}).
      let depth = 1;
      let i = m.index + m[0].length;
      const start = i;
      for (; i < text.length && depth > 0; i++) {
        const c = text[i];
        if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i);
        else if (c === '`') i = text.indexOf('`', i + 1);
        else if (c === '"') i = text.indexOf('"', i + 1);
        else if (c === '{') depth++;
        else if (c === '}') depth--;
      }
      const fields = [];
      for (const raw of text.slice(start, i - 1).split('\n')) {
        const line = raw.trim();
        if (!line || line.startsWith('//')) continue;
        const tick = line.indexOf('`');
        const decl = (tick >= 0 ? line.slice(0, tick) : line.replace(/\/\/.*$/, '')).trim().split(/\s+/);
        const tag = tick >= 0 ? line.slice(tick + 1, line.indexOf('`', tick + 1)) : '';
        const embedded = decl.length === 1;
        const goType = embedded ? decl[0] : decl.slice(1).join(' ');
        const json = /(?:^|\s)json:"([^"]*)"/.exec(tag)?.[1];
        const pb = /(?:^|\s)protobuf:"([^"]*)"/.exec(tag)?.[1];
        const [jsonName, ...jsonOpts] = (json ?? '').split(',');
        fields.push({
          goName: embedded ? goType.replace(/^\*/, '').replace(/^\w+\./, '') : decl[0],
          goType,
          embedded,
          json: json === '-' ? undefined : jsonName || (embedded ? '' : decl[0]),
          omitempty: jsonOpts.includes('omitempty'),
          inline: embedded && !jsonName && json !== '-',
          num: pb && pb !== '-' ? Number(pb.split(',')[1]) : undefined,
        });
      }
      structs.set(m[1], fields);
    }
  }
  return { structs, slices, defined };
}

// Field flags, as the decoder reads them.
const REPEATED = 1;
const MAP = 2;
const POINTER = 4; // a Go pointer (or a slice, map or []byte): nil when absent, JSON null without omitempty
const OMITEMPTY = 8;
const INLINE = 16; // an embedded struct: its fields are the parent's in JSON
const SCALARS = { string: 's', int32: 'i', int64: 'l', bool: 'b', bytes: 'y' };

function build() {
  const pkgs = packages();
  const byProtoPackage = new Map();
  const parsed = pkgs.map((p) => {
    const proto = parseProto(show(p.repo, `${p.dir}/generated.proto`));
    byProtoPackage.set(proto.pkg, p.key);
    return { p, proto, go: parseGo(p.goFiles.map((f) => show(p.repo, f))) };
  });
  // Types defined as another package's struct take its fields.
  const byImportPath = new Map(parsed.map((x) => [`${x.p.repo === API ? 'k8s.io/api' : 'k8s.io/apimachinery'}/${x.p.dir}`, x]));
  for (const { go } of parsed)
    for (const [name, target] of go.defined) {
      const fields = byImportPath.get(target.path)?.go.structs.get(target.name);
      if (fields && !go.structs.has(name)) go.structs.set(name, fields);
    }
  const problems = [];
  const typeRef = (t, own) => {
    if (SCALARS[t]) return SCALARS[t];
    if (!t.startsWith('.')) return t; // a message of the same package
    const dot = t.lastIndexOf('.');
    const key = byProtoPackage.get(t.slice(1, dot));
    if (!key) throw new Error(`unknown proto package in ${t} (from ${own})`);
    return `${key}.${t.slice(dot + 1)}`;
  };
  const out = {};
  for (const { p, proto, go } of parsed) {
    const messages = {};
    const arrays = [];
    const kinds = [];
    for (const [name, pfields] of [...proto.messages].sort(([a], [b]) => a.localeCompare(b))) {
      const struct = go.structs.get(name);
      const describe = (f, gf) => {
        const type = f.map ? [typeRef(f.map[0], p.key), typeRef(f.map[1], p.key)] : typeRef(f.type, p.key);
        let flags = (f.repeated ? REPEATED : 0) | (f.map ? MAP : 0);
        if (!gf || gf.goType.startsWith('*') || f.repeated || f.map || f.type === 'bytes') flags |= POINTER;
        if (gf?.omitempty) flags |= OMITEMPTY;
        if (gf?.inline) flags |= INLINE;
        return flags ? [f.num, gf?.inline ? '' : (gf?.json ?? f.name), type, flags] : [f.num, gf?.json ?? f.name, type];
      };
      if (!struct) {
        if (go.slices.has(name)) arrays.push(name);
        else problems.push(`${p.key}.${name}: no Go struct`);
        messages[name] = pfields.map((f) => describe(f, undefined));
        continue;
      }
      const fields = [];
      const seen = new Set();
      // Kinds are the structs that embed TypeMeta (runtime.Objects, what a scheme registers).
      if (struct.some((gf) => gf.embedded && /^(metav1\.)?TypeMeta$/.test(gf.goType))) kinds.push(name);
      for (const gf of struct) {
        if (gf.num === undefined) {
          if (gf.json !== undefined && gf.goName !== 'TypeMeta' && !/^(Time|MicroTime|Quantity|QuantityValue|IntOrString)$/.test(name))
            problems.push(`${p.key}.${name}.${gf.goName}: no protobuf tag`);
          continue;
        }
        const f = pfields.find((x) => x.num === gf.num);
        if (!f) {
          problems.push(`${p.key}.${name}.${gf.goName}: protobuf field ${gf.num} not in generated.proto`);
          continue;
        }
        seen.add(f.num);
        fields.push(describe(f, gf));
      }
      for (const f of pfields) if (!seen.has(f.num)) {
        if (!/^(Time|MicroTime|Quantity|QuantityValue|IntOrString|Duration|FieldsV1|RawExtension|Unknown|Timestamp)$/.test(name))
          problems.push(`${p.key}.${name}.${f.name}: no Go field`);
        fields.push(describe(f, undefined));
      }
      messages[name] = fields;
    }
    out[p.key] = { ...(p.group !== undefined ? { group: p.group } : {}), ...(p.version ? { version: p.version } : {}), ...(kinds.length ? { kinds } : {}), ...(arrays.length ? { arrays } : {}), messages };
  }
  return { packages: out, problems };
}

const { packages: descriptor, problems } = build();
const text = [
  `// Generated by bin/generate-protobuf.mjs from k8s.io/api and k8s.io/apimachinery ${TAG} (generated.proto and the Go types). Do not edit.`,
  '',
  '/** A field: [number, JSON name ("" when inlined), type, flags]. A type is a scalar (s string, i int32, l int64, b bool,',
  ' *  y bytes), a message ("Name" in the same package, "pkg/key.Name" in another), or [key, value] for a map. Flags:',
  ' *  1 repeated, 2 map, 4 nil when absent (pointer, slice, map, bytes), 8 omitempty, 16 inline (embedded struct). */',
  'export type ProtobufField = readonly [number, string, string | readonly [string, string], number?];',
  '/** A proto package: its API group and version (when it has one), its kinds (structs embedding TypeMeta), messages whose Go type is a slice, and messages. */',
  'export interface ProtobufPackage {',
  '  readonly group?: string;',
  '  readonly version?: string;',
  '  readonly kinds?: readonly string[];',
  '  readonly arrays?: readonly string[];',
  '  readonly messages: Readonly<Record<string, readonly ProtobufField[]>>;',
  '}',
  '',
  `export const PROTOBUF_PACKAGES: Readonly<Record<string, ProtobufPackage>> = ${JSON.stringify(descriptor)};`,
  '',
].join('\n');
for (const p of problems) process.stderr.write(`warning: ${p}\n`);
if (check) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {
    /* missing */
  }
  if (current !== text) {
    process.stderr.write(`${OUT} is not what bin/generate-protobuf.mjs generates; run it.\n`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  process.stdout.write(`wrote ${OUT} (${text.length} bytes, ${Object.values(descriptor).reduce((n, p) => n + Object.keys(p.messages).length, 0)} messages)\n`);
}
