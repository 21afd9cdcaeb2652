/**
 * `kubectl explain`: a resource's or field's documentation from the server's OpenAPI v3 document,
 * laid out as kubectl 1.32's plaintext template lays it out (KIND/VERSION, FIELD, DESCRIPTION
 * wrapped at 76 columns, FIELDS with their type guesses, enums and -required-, --recursive).
 */
import { CommandError, type KubectlContext } from '../../context';
import { discoverOnce, resolveResource, type ApiResource } from '../../discovery';
import type { Command } from '../types';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** sprig's wrap (goutils.WrapCustom without wrapping long words), line by line. */
export function wrap(text: string, width: number): string {
  return text.split('\n').map((line) => wrapLine(line, width)).join('\n');
}

function wrapLine(str: string, width: number): string {
  if (str === '') return '';
  let offset = 0;
  let out = '';
  while (str.length - offset > width) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const space = str.slice(offset, width + offset + 1).lastIndexOf(' ');
    if (space >= 0) {
      out += `${str.slice(offset, offset + space)}\n`;
      offset = offset + space + 1;
    } else {
      const end = width + offset;
      const index = str.slice(end).indexOf(' ');
      if (index === -1) {
        out += str.slice(offset);
        offset = str.length;
      } else {
        out += `${str.slice(offset, end + index)}\n`;
        offset = end + index + 1;
      }
    }
  }
  return out + str.slice(offset);
}

/** sprig's indent. */
function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return pad + text.replaceAll('\n', `\n${pad}`);
}

const isMapSchema = (s: Schema) => s.additionalProperties && typeof s.additionalProperties !== 'boolean';

class Explainer {
  constructor(
    private readonly doc: Schema,
    private readonly recursive: boolean,
  ) {}

  resolveRef(ref: string | undefined): Schema | undefined {
    if (!ref) return undefined;
    const name = ref.split('/').pop()!;
    return this.doc.components?.schemas?.[name];
  }

  typeGuess(s: Schema): string {
    if (s.items) return `[]${this.typeGuess(s.items)}`;
    if (isMapSchema(s)) return `map[string]${this.typeGuess(s.additionalProperties)}`;
    if (s.allOf && !s.properties && s.allOf.length === 1) return this.typeGuess(s.allOf[0]);
    if (s.$ref) {
      const ref = this.resolveRef(s.$ref);
      if (!ref || !ref.type || ref.type === 'object') return (s.$ref as string).split('/').pop()!.split('.').pop() || 'Object';
      return ref.type || 'Object';
    }
    return s.type === 'object' ? 'Object' : s.type || 'Object';
  }

  extractEnum(s: Schema, longView: boolean, limit: number, indentAmount = 0): string {
    if (!s.enum?.length) return '';
    let out = longView ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `;
    for (let i = 0; i < s.enum.length; i++) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !longView) out += ', ';
      else if (longView) out += '\n    ';
      const e = s.enum[i];
      out += e === '' ? '""' : String(e);
    }
    return out;
  }

  description(s: Schema): string {
    const r = this.resolveRef(s.$ref) ?? s;
    let out = r.description ? `${r.description}\n` : '';
    for (const sub of r.allOf ?? []) out += this.description(sub);
    if (r.items) out += this.description(r.items);
    if (isMapSchema(r)) out += this.description(r.additionalProperties);
    return out;
  }

  fieldDetail(name: string, schema: Schema, level: number): string {
    const amount = level * 2;
    const field = schema.properties[name];
    let out = `${indent(name, amount)}\t<${this.typeGuess(field)}>`;
    if ((schema.required ?? []).includes(name)) out += ' -required-';
    out += this.extractEnum(field, false, 4, amount);
    out += '\n';
    if (!this.recursive) out += `${indent(wrap(field.description || '<no description>', 78 - amount), amount + 2)}\n\n`;
    return out;
  }

  fieldList(schema: Schema, level: number, history: Set<string>): string {
    const ref = schema.$ref ?? '';
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const resolved = this.resolveRef(ref) ?? schema;
    let out = '';
    for (const k of Object.keys(resolved.properties ?? {}).sort()) {
      out += this.fieldDetail(k, resolved, level);
      if (this.recursive) out += this.fieldList(resolved.properties[k], level + 1, next);
    }
    for (const sub of resolved.allOf ?? []) out += this.fieldList(sub, level, next);
    if (resolved.items) out += this.fieldList(resolved.items, level, next);
    if (isMapSchema(resolved)) out += this.fieldList(resolved.additionalProperties, level, next);
    return out;
  }

  output(schema: Schema, path: string[], history: Set<string>): string {
    const ref = schema.$ref ?? '';
    const resolved = this.resolveRef(ref) ?? schema;
    const next = new Set(history).add(ref);
    if (path.length === 0) {
      let out = `DESCRIPTION:\n${indent(wrap(this.description(resolved) || '<empty>', 76), 4)}\n`;
      const fields = this.fieldList(resolved, 1, new Set());
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (ref && history.has(ref)) return '';
    const sub = resolved.properties?.[path[0]!];
    if (resolved.properties && sub) {
      let out = '';
      if (path.length === 1) out += `FIELD: ${path[0]} <${this.typeGuess(sub)}>\n${this.extractEnum(sub, true, -1)}\n\n`;
      return out + this.output(sub, path.slice(1), new Set());
    }
    if (resolved.items) return this.output(resolved.items, path, next);
    if (isMapSchema(resolved)) return this.output(resolved.additionalProperties, path, next);
    for (const alt of resolved.allOf ?? []) {
      const out = this.output(alt, path, next);
      if (out) return out;
    }
    return '';
  }
}

/** The resource and field path `pods.spec.containers` or `deployments.apps.spec` names, longest resource prefix first. */
function splitResource(resources: ApiResource[], input: string, withPrefix: boolean): { resource: ApiResource; fields: string[] } | undefined {
  const parts = input.split('.');
  if (withPrefix) {
    for (let i = parts.length; i >= 2; i--) {
      const found = resolveResource(resources, parts.slice(0, i).join('.').toLowerCase());
      if (found && parts.slice(1, i).join('.') && (parts.slice(1, i).join('.') === found.group || parts.slice(1, i).join('.') === `${found.version}.${found.group}`))
        return { resource: found, fields: parts.slice(i) };
    }
  }
  const found = resolveResource(resources, parts[0]!.toLowerCase());
  return found ? { resource: found, fields: parts.slice(1) } : undefined;
}

async function fetchJson(ctx: KubectlContext, url: string): Promise<Schema> {
  const [path, query] = url.split('?') as [string, string | undefined];
  const q: Record<string, string> = {};
  for (const kv of (query ?? '').split('&').filter(Boolean)) {
    const [k, v] = kv.split('=') as [string, string | undefined];
    q[decodeURIComponent(k)] = decodeURIComponent(v ?? '');
  }
  const res = await ctx.client.request({ method: 'GET', path, query: q });
  if (res.status >= 400) throw new CommandError(`error: failed to fetch OpenAPI document ${path}: ${res.status}`);
  return (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as Schema;
}

export function explainCommand(): Command {
  return {
    name: 'explain',
    short: 'Get documentation for a resource',
    long: `Show the documentation of a resource type, or of one of its fields, with the field's type and its sub-fields.

 Name a field by a dotted path that starts with the type:

        <type>.<fieldName>[.<fieldName>]

 The documentation comes from the OpenAPI schema the API server publishes.

Use "kubectl api-resources" for a complete list of supported resources.`,
    example: `  # What is a pod, and what fields does it have?
  kubectl explain pods
  
  # The whole tree of pod fields
  kubectl explain pods --recursive
  
  # Deployments as served by apps/v1
  kubectl explain deployments --api-version=apps/v1
  
  # One field: the containers of a pod spec
  kubectl explain pods.spec.containers`,
    use: 'explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]',
    flags: [
      { name: 'api-version', type: 'string', default: '', usage: 'Use given api-version (group/version) of the resource.' },
      { name: 'output', shorthand: 'o', type: 'string', default: 'plaintext', usage: 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).' },
      { name: 'recursive', type: 'bool', default: false, usage: 'When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.' },
    ],
    async run(args, ctx) {
      if (args.positional.length === 0)
        throw new CommandError('error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n');
      if (args.positional.length > 1) throw new CommandError('error: We accept only this format: explain RESOURCE\n');
      const apiVersion = args.flags.get('api-version') as string;
      const output = args.flags.get('output') as string;
      const input = args.positional[0]!;
      const resources = await discoverOnce(ctx);
      const dot = input.indexOf('.');
      const split = splitResource(resources, dot < 0 ? input.toLowerCase() : input, !apiVersion);
      if (!split) throw new CommandError(`the server doesn't have a resource type "${input.split('.')[0]}"`);
      let { group, version } = split.resource;
      if (apiVersion) [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
      if (output !== 'plaintext' && output !== 'plaintext-openapiv2') throw new CommandError(`error: unrecognized format: ${output}`);
      const index = await fetchJson(ctx, '/openapi/v3');
      const key = group ? `apis/${group}/${version}` : `api/${version}`;
      const entry = index.paths?.[key];
      const gvr = `${group ? `${group}/` : ''}${version}, Resource=${split.resource.name}`;
      if (!entry) throw new CommandError(`error: couldn't find resource for "${group ? `${group}/` : ''}${version}, Kind=${split.resource.kind}"`);
      const doc = await fetchJson(ctx, entry.serverRelativeURL);
      const prefix = group ? `/apis/${group}` : '/api';
      const searchPaths = [
        `${prefix}/${version}/${split.resource.name}`,
        `${prefix}/${version}/${split.resource.name}/{name}`,
        `${prefix}/${version}/namespaces/{namespace}/${split.resource.name}`,
        `${prefix}/${version}/namespaces/{namespace}/${split.resource.name}/{name}`,
      ];
      let gvk: Schema | undefined;
      for (const p of searchPaths) {
        const element = doc.paths?.[p];
        if (!element) continue;
        for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
          gvk = element[m]?.['x-kubernetes-group-version-kind'];
          if (gvk) break;
        }
        if (gvk) break;
      }
      if (!gvk) throw new CommandError(`error: GVR (${gvr}) not found in OpenAPI schema\n`);
      let out = `${gvk.group ? `GROUP:      ${gvk.group}\n` : ''}KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`;
      const same = (x: Schema) => x.group === gvk!.group && x.version === gvk!.version && x.kind === gvk!.kind;
      const schema = Object.values(doc.components?.schemas ?? {}).find((s) => ((s as Schema)['x-kubernetes-group-version-kind'] ?? []).some(same)) as Schema | undefined;
      if (!schema) {
        ctx.stdout(out);
        throw new CommandError(`error: GVK ${gvk.group}/${gvk.version}, Kind=${gvk.kind} not found in OpenAPI schema`);
      }
      const body = new Explainer(doc, args.flags.get('recursive') as boolean).output(schema, split.fields, new Set());
      if (!body) {
        ctx.stdout(out);
        throw new CommandError(`error: field "${split.fields[split.fields.length - 1]}" does not exist`);
      }
      out += `${body}\n`;
      ctx.stdout(out);
      return 0;
    },
  };
}
