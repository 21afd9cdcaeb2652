/** `kubectl taint`: add, overwrite and remove node taints, as kubectl's taint command. */
import { CommandError, type KubectlContext } from '../../context';
import { responseError } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import { effectiveFormat, outputOptions, printObjects } from '../../printers';
import type { Command } from '../types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function taintString(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;
}

function qualifiedNameErrors(key: string): string[] {
  const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
  const parts = key.split('/');
  const errs: string[] = [];
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix) || prefix.length > 253)
      errs.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  } else if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  else if (!NAME.test(name))
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  return errs;
}

function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key: string;
  let value = '';
  let effect = '';
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    effect = parts[1]!;
    if (!EFFECTS.includes(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0]!.split('=');
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      const errs: string[] = [];
      if (value.length > 63) errs.push('must be no more than 63 characters');
      if (value && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value))
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
      if (errs.length) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
    }
  } else throw new Error(`invalid taint spec: ${spec}`);
  const errs = qualifiedNameErrors(key);
  if (errs.length) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new Error(`invalid taint spec: ${spec}`);
    if (add.some((x) => x.key === t.key && x.effect === t.effect)) throw new Error(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
    add.push(t);
  }
  return { add, remove };
}

const match = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/** reorganizeTaints: the operation word and the node's new taints. */
function reorganize(old: Taint[], overwrite: boolean, add: Taint[], remove: Taint[]): { operation: string; taints: Taint[]; errors: string[] } {
  let taints = [...add];
  for (const o of old) if (!taints.some((t) => match(t, o))) taints.push(o);
  const added = old.length !== taints.length;
  const errors: string[] = [];
  let removed = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => (r.effect ? !match(r, t) : t.key !== r.key));
    removed = taints.length !== before;
    if (!removed) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { operation, taints, errors };
}

async function runTaint(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const overwrite = args.flags.get('overwrite') as boolean;
  const all = args.flags.get('all') as boolean;
  const selector = args.flags.get('selector') as string;
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const s of args.positional) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) taintArgs.push(s);
    else if (taintArgs.length > 0) throw new CommandError(`error: all resources must be specified before taint changes: ${s}`);
    else resources.push(s);
  }
  if (resources.length < 1) throw new CommandError('error: one or more resources must be specified as <resource> <name>');
  if (taintArgs.length < 1) throw new CommandError('error: at least one taint update is required');
  let parsed: { add: Taint[]; remove: Taint[] };
  try {
    parsed = parseTaints(taintArgs);
  } catch (err) {
    throw new CommandError(`error: ${(err as Error).message}\nSee 'kubectl taint -h' for help and examples`);
  }
  if (all && selector) throw new CommandError("error: setting 'all' parameter with a non empty selector is prohibited");
  if (!all && resources.length < 2 && !selector) throw new CommandError("error: at least one resource name must be specified since 'all' parameter is not set");
  const type = resources[0]!.split('/')[0]!;
  if (!['no', 'node', 'nodes'].includes(type.toLowerCase().replace(/\.v1$/, ''))) throw new CommandError(`error: invalid resource type ${type}, only node types are supported`);
  const conflicts = parsed.add.filter((a) => parsed.remove.some((r) => a.key === r.key && a.effect === r.effect)).map((t) => `${t.key}=${t.effect}`);
  if (conflicts.length) throw new CommandError(`error: can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);

  let nodes: Obj[];
  if (all || selector) {
    const res = await ctx.client.request({ method: 'GET', path: '/api/v1/nodes', query: selector ? { labelSelector: selector } : {} });
    if (res.status >= 400) throw new CommandError(responseError(res));
    nodes = (res.body as { items: Obj[] }).items;
  } else {
    nodes = [];
    for (const name of resources.slice(1)) {
      const res = await ctx.client.request({ method: 'GET', path: `/api/v1/nodes/${encodeURIComponent(name)}` });
      if (res.status >= 400) throw new CommandError(responseError(res));
      nodes.push(res.body as Obj);
    }
  }
  for (const node of nodes) {
    const old = (node.spec?.taints ?? []) as Taint[];
    if (!overwrite) {
      const exists = parsed.add.filter((t) => old.some((o) => o.key === t.key && o.effect === t.effect)).map((t) => t.key);
      if (exists.length) throw new CommandError(`error: node ${node.metadata.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
    }
    const { operation, taints, errors } = reorganize(old, overwrite, parsed.add, parsed.remove);
    if (errors.length) throw new CommandError(`error: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
    const res = await ctx.client.request({
      method: 'PATCH',
      path: `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`,
      contentType: 'application/strategic-merge-patch+json',
      body: { spec: { taints: taints.length ? taints : null } },
      ...(args.flags.get('dry-run') === 'server' ? { query: { dryRun: 'All' } } : {}),
    });
    if (res.status >= 400) throw new CommandError(responseError(res));
    const dry = args.flags.get('dry-run') as string;
    const output = outputOptions(args);
    const format = effectiveFormat(output);
    // PrintFlags: any -o prints the patched node (-o name without the operation); none prints the operation.
    if (format !== '') {
      printObjects(ctx, [res.body], output, { list: 'never' });
      continue;
    }
    ctx.stdout(`node/${node.metadata.name} ${operation}${dry === 'server' ? ' (server dry run)' : ''}\n`);
  }
  return 0;
}

export function taintCommand(): Command {
  return {
    name: 'taint',
    short: 'Update the taints on one or more nodes',
    long: `Add, change or remove taints on nodes. A taint is key=value:effect (the value may be left out); the key is a qualified name (an optional DNS-subdomain prefix and '/', then up to 63 alphanumerics, '-', '_' or '.'), the value a label value, and the effect NoSchedule, PreferNoSchedule or NoExecute. A trailing '-' removes a taint, by key and effect or by key alone. Only nodes can be tainted.`,
    example: `  # Taint node foo so that only pods tolerating dedicated=special-user go there
  kubectl taint nodes foo dedicated=special-user:NoSchedule
  
  # Remove that taint (key and effect)
  kubectl taint nodes foo dedicated:NoSchedule-
  
  # Remove every taint with the key dedicated
  kubectl taint nodes foo dedicated-
  
  # Taint the nodes labelled myLabel=X
  kubectl taint node -l myLabel=X dedicated=foo:PreferNoSchedule
  
  # A taint without a value
  kubectl taint nodes foo bar:NoSchedule`,
    use: 'taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N',
    flags: [
      { name: 'all', type: 'bool', default: false, usage: 'Select all nodes in the cluster' },
      { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.' },
      { name: 'dry-run', type: 'string', default: 'none', noOptDefault: 'unchanged', usage: 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.' },
      { name: 'field-manager', type: 'string', default: 'kubectl-taint', usage: 'Name of the manager used to track field ownership.' },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
      { name: 'overwrite', type: 'bool', default: false, usage: 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.' },
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
      { name: 'template', type: 'string', default: '', usage: 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].' },
      { name: 'validate', type: 'string', default: 'strict', noOptDefault: 'strict', usage: "Must be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields." },
    ],
    run: runTaint,
  };
}
