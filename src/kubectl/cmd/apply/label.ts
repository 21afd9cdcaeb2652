/**
 * `kubectl label` and `kubectl annotate`: key=value and key- changes to the objects' metadata,
 * sent as a JSON merge patch between the object before and after, as kubectl does.
 */
import type { KubeObject } from '../../../sim';
import { DRY_RUN_FLAG, dryRunStrategy, dryRunSuffix } from '../../cmdutil';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import type { Target } from '../../resource';
import type { Command } from '../types';
import { collectTargets, OUTPUT_FLAG, outputFormat, printObjects, requestError, targetFlags, targetOptions } from './common';
import { goJson, jsonMergePatch } from './threeway';

type Kind = 'label' | 'annotation';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(v))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  return errs;
}

function splitArgs(args: string[], kind: Kind): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const pair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (pair) pairs.push(s);
    else if (pairs.length) throw new CommandError(`error: all resources must be specified before ${kind} changes: ${s}`);
    else resources.push(s);
  }
  return { resources, pairs };
}

function parsePairs(pairs: string[], kind: Kind): { add: Map<string, string>; remove: string[] } {
  const add = new Map<string, string>();
  const remove: string[] = [];
  if (kind === 'label') {
    for (const spec of pairs) {
      if (spec.includes('=')) {
        const parts = spec.split('=');
        if (parts.length !== 2) throw new CommandError(`error: invalid label spec: ${spec}`);
        const errs = labelValueErrors(parts[1]!);
        if (errs.length) throw new CommandError(`error: invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}`);
        add.set(parts[0]!, parts[1]!);
      } else if (spec.endsWith('-')) remove.push(spec.slice(0, -1));
      else throw new CommandError(`error: unknown label spec: ${spec}`);
    }
    if (remove.some((r) => add.has(r))) throw new CommandError('error: can not both modify and remove a label in the same command');
    return { add, remove };
  }
  const invalid: string[] = [];
  for (const spec of pairs) {
    if (spec.includes('=') && spec[0] !== '=') {
      const i = spec.indexOf('=');
      add.set(spec.slice(0, i), spec.slice(i + 1));
    } else if (spec.endsWith('-') && spec !== '-') remove.push(spec.slice(0, -1));
    else invalid.push(spec);
  }
  if (invalid.length) throw new CommandError(`error: invalid annotation format: ${invalid.join(', ')}`);
  const both = remove.filter((r) => add.has(r));
  if (both.length) throw new CommandError(`error: can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
  return { add, remove };
}

/** Applies the changes to the object's labels or annotations, as labelFunc/updateAnnotations do. */
function change(object: KubeObject, kind: Kind, add: Map<string, string>, remove: string[], overwrite: boolean, resourceVersion: string): void {
  const field = kind === 'label' ? 'labels' : 'annotations';
  const current = { ...((object.metadata[field] as Record<string, string> | undefined) ?? {}) };
  if (!overwrite) {
    const clashes = [...add].filter(([k, v]) => k in current && current[k] !== v && !(kind === 'annotation' && k === 'kubernetes.io/change-cause'));
    if (clashes.length) {
      if (kind === 'label') throw new CommandError(clashes.map(([k]) => `error: '${k}' already has a value (${current[k]}), and --overwrite is false`).join('\n'));
      throw new CommandError(`error: --overwrite is false but found the following declared annotation(s): ${clashes.map(([k]) => `'${k}' already has a value (${current[k]})`).join('; ')}`);
    }
  }
  for (const [k, v] of add) current[k] = v;
  for (const k of remove) delete current[k];
  object.metadata = { ...object.metadata, [field]: current };
  if (resourceVersion) object.metadata.resourceVersion = resourceVersion;
}

async function run(kind: Kind, args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const { resources, pairs } = splitArgs(args.positional, kind);
  const list = args.flags.get('list') as boolean;
  const output = outputFormat(args);
  const overwrite = args.flags.get('overwrite') as boolean;
  const resourceVersion = args.flags.get('resource-version') as string;
  const o = targetOptions(args);
  if (list && output) throw new CommandError('error: --list and --output may not be specified together');
  if (o.all && o.selector) throw new CommandError('error: cannot set --all and --selector at the same time');
  if (o.all && o.fieldSelector) throw new CommandError('error: cannot set --all and --field-selector at the same time');
  if (resources.length === 0 && o.filenames.length === 0) throw new CommandError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const { add, remove } = parsePairs(pairs, kind);
  if (add.size === 0 && remove.length === 0 && !list) throw new CommandError(`error: at least one ${kind} update is required`);
  const dryRun = dryRunStrategy(args, ctx);
  const { targets, listed } = await collectTargets(ctx, args, resources, o, () => `error: resource(s) were provided, but no name was specified`);
  const one = !listed && targets.length === 1 && (o.filenames.length > 0 || !resources[0]!.includes(',')) && resources.length <= 2;
  if (!one && resourceVersion) throw new CommandError('error: --resource-version may only be used with a single resource');
  const errors: string[] = [];
  const printed: KubeObject[] = [];
  for (const t of targets) {
    try {
      printed.push(await changeOne(kind, ctx, t, { add, remove, overwrite, resourceVersion, list, output, dryRun, one, fieldManager: args.flags.get('field-manager') as string }));
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      errors.push(err.message);
    }
  }
  if (output === 'json' || output === 'yaml') printObjects(ctx, printed, output);
  if (errors.length) {
    ctx.stderr(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  return 0;
}

interface ChangeOptions {
  add: Map<string, string>;
  remove: string[];
  overwrite: boolean;
  resourceVersion: string;
  list: boolean;
  output: string;
  dryRun: 'none' | 'client' | 'server';
  one: boolean;
  fieldManager: string;
}

async function changeOne(kind: Kind, ctx: KubectlContext, t: Target, o: ChangeOptions): Promise<KubeObject> {
  const path = resourcePath(t.resource, t.namespace, t.name);
  const got = await ctx.client.request({ method: 'GET', path });
  if (got.status >= 400) throw new CommandError(requestError(got));
  const object = got.body as KubeObject;
  const field = kind === 'label' ? 'labels' : 'annotations';
  let result = object;
  let message: string;
  if (o.dryRun === 'client' || o.list) {
    // Only metadata changes, so comparing it is comparing the objects (as kubectl does).
    const before = goJson(object.metadata);
    change(object, kind, o.add, o.remove, o.overwrite, o.resourceVersion);
    message = changeMessage(kind, before, goJson(object.metadata), o.overwrite);
  } else {
    if (o.resourceVersion) object.metadata.resourceVersion = '';
    if (kind === 'label')
      for (const r of o.remove) if (!(r in (object.metadata.labels ?? {}))) ctx.stdout(`label ${JSON.stringify(r)} not found.\n`);
    const old = JSON.parse(JSON.stringify(object)) as KubeObject;
    change(object, kind, o.add, o.remove, o.overwrite, o.resourceVersion);
    message = changeMessage(kind, goJson(old.metadata), goJson(object.metadata), o.overwrite);
    const patch = jsonMergePatch(old as never, object as never);
    const query: Record<string, string> = { fieldManager: o.fieldManager };
    if (o.dryRun === 'server') query.dryRun = 'All';
    const res = await ctx.client.request({ method: 'PATCH', path, query, body: patch, contentType: 'application/merge-patch+json' });
    if (res.status >= 400) throw new CommandError(requestError(res));
    result = res.body as KubeObject;
  }
  if (o.list) {
    if (!o.one) ctx.stdout(`Listing ${field} for ${t.resource.kind}.${t.resource.group}/${t.name}:\n`);
    const indent = o.one ? '' : ' ';
    for (const [k, v] of Object.entries((result.metadata[field] as Record<string, string> | undefined) ?? {})) ctx.stdout(`${indent}${k}=${v}\n`);
    return result;
  }
  if (o.output === 'name') ctx.stdout(`${qualifiedKind(t.resource)}/${t.name}\n`);
  else if (!o.output) ctx.stdout(`${qualifiedKind(t.resource)}/${t.name} ${message}${dryRunSuffix(o.dryRun)}\n`);
  return kind === 'label' ? object : result;
}

function changeMessage(kind: Kind, before: string, after: string, overwrite: boolean): string {
  if (kind === 'annotation') return 'annotated';
  if (before === after) return 'not labeled';
  return !overwrite && after.length < before.length ? 'unlabeled' : 'labeled';
}

function flags(kind: Kind): Command['flags'] {
  const plural = kind === 'label' ? 'labels' : 'annotations';
  return [
    ...targetFlags(`Filename, directory, or URL to files identifying the resource to update the ${kind === 'label' ? 'labels' : 'annotation'}`, {
      all: `Select all resources, in the namespace of the specified resource types`,
      allNamespaces: true,
      fieldSelector: true,
    }),
    { name: 'overwrite', type: 'bool', default: false, usage: `If true, allow ${plural} to be overwritten, otherwise reject ${kind} updates that overwrite existing ${plural}.` },
    { name: 'list', type: 'bool', default: false, usage: `If true, display the ${plural} for a given resource.` },
    { name: 'local', type: 'bool', default: false, usage: `If true, ${kind} will NOT contact api-server but run locally.` },
    { name: 'resource-version', type: 'string', default: '', usage: `If non-empty, the ${kind === 'label' ? 'labels' : 'annotation'} update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.` },
    { name: 'field-manager', type: 'string', default: kind === 'label' ? 'kubectl-label' : 'kubectl-annotate', usage: 'Name of the manager used to track field ownership.' },
    DRY_RUN_FLAG,
    OUTPUT_FLAG,
  ];
}

export function labelCommand(): Command {
  return {
    name: 'label',
    short: 'Update the labels on a resource',
    long: `Add, change or remove labels on one or more objects.

  *  KEY=VALUE sets a label; KEY- (a trailing dash) removes it.
  *  A key is a name of at most 63 characters (letters, digits, '-', '_' and '.', starting and ending with a letter or digit), optionally preceded by a DNS subdomain and '/', as in example.com/tier. A value follows the same rules and may be empty.
  *  Changing a label the object already has is refused unless you pass --overwrite.
  *  With --resource-version, the update only succeeds if the object is still at that version.`,
    example: `  # Add label unhealthy=true to pod foo
  kubectl label pods foo unhealthy=true
  
  # Set label status on pod foo, replacing its current value
  kubectl label --overwrite pods foo status=unhealthy
  
  # Label every pod of the namespace
  kubectl label pods --all status=unhealthy
  
  # Label pod foo, but only if nobody changed it since resource version 1
  kubectl label pods foo status=unhealthy --resource-version=1
  
  # Remove label bar from pod foo (no --overwrite needed)
  kubectl label pods foo bar-`,
    use: 'label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]',
    flags: flags('label'),
    run: (args, ctx) => run('label', args, ctx),
  };
}

export function annotateCommand(): Command {
  return {
    name: 'annotate',
    short: 'Update the annotations on a resource',
    long: `Add, change or remove annotations on one or more objects.

 Annotations are key/value notes attached to an object. Unlike labels they are not used for selecting objects, so their values can be long and free-form (a JSON document, a URL, a description). Tools and controllers often keep their own bookkeeping in annotations.

 KEY=VALUE sets an annotation and KEY- removes it. Changing an annotation that is already there needs --overwrite. With --resource-version, the update only succeeds if the object is still at that version.

Use "kubectl api-resources" for a complete list of supported resources.`,
    example: `  # Annotate pod foo with description='my frontend'
  # (when a key is given more than once, its last value wins)
  kubectl annotate pods foo description='my frontend'
  
  # Replace the description that pod foo already has
  kubectl annotate --overwrite pods foo description='my frontend running nginx'
  
  # Annotate every pod of the namespace
  kubectl annotate pods --all description='my frontend running nginx'
  
  # Annotate pod foo, but only if nobody changed it since resource version 1
  kubectl annotate pods foo description='my frontend running nginx' --resource-version=1
  
  # Remove annotation description from pod foo (no --overwrite needed)
  kubectl annotate pods foo description-`,
    use: 'annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]',
    flags: flags('annotation'),
    run: (args, ctx) => run('annotation', args, ctx),
  };
}
