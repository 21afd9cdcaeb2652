/**
 * `kubectl get`: options → complete → validate → run, as kubectl's get command.
 */
import type { KubeObject, Table } from '../../../sim';
import { apiVersionOfResource, discoverResources, resolveResource, type ApiResource } from '../../discovery';
import { CommandError, type KubectlContext } from '../../context';
import { isStatus, serverErrorMessage } from '../../errors';
import type { ParsedArgs } from '../../flags';
import { printTable, toJson, toYaml } from '../../printers';
import type { Command } from '../types';

type OutputFormat = '' | 'wide' | 'name' | 'json' | 'yaml';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['', 'wide', 'name', 'json', 'yaml'];

interface GetOptions {
  type: ApiResource;
  names: string[];
  namespace: string;
  allNamespaces: boolean;
  output: OutputFormat;
  selector: string;
  showLabels: boolean;
  noHeaders: boolean;
  ignoreNotFound: boolean;
  showManagedFields: boolean;
}

const MISSING_TYPE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples
`;

async function complete(args: ParsedArgs, ctx: KubectlContext): Promise<GetOptions> {
  const [first, ...rest] = args.positional;
  if (!first) throw new CommandError(MISSING_TYPE.replace(/\n$/, ''));
  let typeArg = first;
  let names = rest;
  if (first.includes('/')) {
    // TYPE/NAME form: every argument must use it.
    const pairs = args.positional.map((a) => a.split('/'));
    if (pairs.some((p) => p.length !== 2 || !p[0] || !p[1]))
      throw new CommandError(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`);
    const types = new Set(pairs.map((p) => p[0]));
    if (types.size > 1) throw new CommandError('error: Kubelab does not yet support several resource types in one get');
    typeArg = pairs[0]![0]!;
    names = pairs.map((p) => p[1]!);
  }
  if (typeArg.includes(',')) throw new CommandError('error: Kubelab does not yet support several resource types in one get');
  const type = resolveResource(await discoverResources(ctx.client), typeArg);
  if (!type) throw new CommandError(`error: the server doesn't have a resource type "${typeArg}"`);
  const namespaceFlag = args.flags.get('namespace') as string;
  return {
    type,
    names,
    namespace: namespaceFlag || ctx.namespace,
    allNamespaces: args.flags.get('all-namespaces') as boolean,
    output: args.flags.get('output') as OutputFormat,
    selector: args.flags.get('selector') as string,
    showLabels: args.flags.get('show-labels') as boolean,
    noHeaders: args.flags.get('no-headers') as boolean,
    ignoreNotFound: args.flags.get('ignore-not-found') as boolean,
    showManagedFields: args.flags.get('show-managed-fields') as boolean,
  };
}

function validate(o: GetOptions): void {
  if (!OUTPUT_FORMATS.includes(o.output))
    throw new CommandError(
      `error: unable to match a printer suitable for the output format "${o.output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
    );
  if (o.names.length > 0 && o.selector)
    throw new CommandError('error: when specifying a selector, you may not also specify resource names');
}

function collectionPath(o: GetOptions): string {
  const base = o.type.group ? `/apis/${o.type.group}/${o.type.version}` : `/api/${o.type.version}`;
  if (o.type.namespaced && !o.allNamespaces) return `${base}/namespaces/${o.namespace}/${o.type.name}`;
  return `${base}/${o.type.name}`;
}

function resourceName(type: ApiResource): string {
  return type.group ? `${type.kind.toLowerCase()}.${type.group}` : type.kind.toLowerCase();
}

async function run(o: GetOptions, ctx: KubectlContext): Promise<number> {
  const asTable = o.output === '' || o.output === 'wide';
  const path = collectionPath(o);
  const objects: KubeObject[] = [];
  const tables: Table[] = [];
  let exitCode = 0;

  const fetch = async (p: string, query?: Record<string, string>) => {
    const res = await ctx.client.request({ method: 'GET', path: p, ...(query ? { query } : {}), as: asTable ? 'Table' : 'Object' });
    if (res.status >= 400) {
      if (isStatus(res.body)) {
        if (o.ignoreNotFound && res.body.code === 404) return;
        ctx.stderr(`${serverErrorMessage(res.body)}\n`);
      }
      exitCode = 1;
      return;
    }
    if (asTable) tables.push(res.body as Table);
    else if (Array.isArray((res.body as { items?: unknown }).items)) objects.push(...(res.body as { items: KubeObject[] }).items);
    else objects.push(res.body as KubeObject);
  };

  if (o.names.length > 0) {
    for (const name of o.names) await fetch(`${path}/${name}`);
  } else {
    await fetch(path, o.selector ? { labelSelector: o.selector } : undefined);
  }

  const count = asTable ? tables.reduce((n, t) => n + t.rows.length, 0) : objects.length;
  if (count === 0 && o.names.length === 0 && exitCode === 0) {
    if (o.output === 'json' || o.output === 'yaml') {
      ctx.stdout(render(o, { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } }));
    } else {
      ctx.stderr(
        o.type.namespaced && !o.allNamespaces ? `No resources found in ${o.namespace} namespace.\n` : 'No resources found\n',
      );
    }
    return exitCode;
  }

  if (asTable) {
    const merged: Table | undefined = tables[0] && { ...tables[0], rows: tables.flatMap((t) => t.rows) };
    if (merged)
      ctx.stdout(
        printTable(merged, {
          wide: o.output === 'wide',
          noHeaders: o.noHeaders,
          withNamespace: o.allNamespaces && o.type.namespaced,
          showLabels: o.showLabels,
        }),
      );
  } else if (o.output === 'name') {
    ctx.stdout(objects.map((obj) => `${resourceName(o.type)}/${obj.metadata.name}\n`).join(''));
  } else if (objects.length === 1 && o.names.length === 1) {
    ctx.stdout(render(o, objects[0]));
  } else {
    const items = objects.map((obj) => ({ ...obj, apiVersion: obj.apiVersion ?? apiVersionOfResource(o.type), kind: obj.kind ?? o.type.kind }));
    ctx.stdout(render(o, { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }));
  }
  return exitCode;
}

function render(o: GetOptions, value: unknown): string {
  const shown = o.showManagedFields ? value : withoutManagedFields(value);
  return o.output === 'json' ? toJson(shown) : toYaml(shown);
}

/** kubectl hides metadata.managedFields unless --show-managed-fields is given. */
function withoutManagedFields(value: unknown): unknown {
  const v = value as { metadata?: Record<string, unknown>; items?: unknown[] };
  if (Array.isArray(v.items)) return { ...v, items: v.items.map(withoutManagedFields) };
  if (v.metadata && 'managedFields' in v.metadata) {
    const { managedFields: _, ...metadata } = v.metadata;
    return { ...v, metadata };
  }
  return value;
}

export function getCommand(): Command {
  return {
    name: 'get',
    short: 'Display one or many resources',
    use: 'get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
    flags: [
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, wide).' },
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: 'Selector (label query) to filter on.' },
      { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'List the requested object(s) across all namespaces.' },
      { name: 'show-labels', type: 'bool', default: false, usage: 'When printing, show all labels as the last column.' },
      { name: 'no-headers', type: 'bool', default: false, usage: 'When using the default or custom-column output format, don\'t print headers.' },
      { name: 'ignore-not-found', type: 'bool', default: false, usage: 'If the requested object does not exist the command will return exit code 0.' },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
    ],
    async run(args, ctx) {
      const options = await complete(args, ctx);
      validate(options);
      return run(options, ctx);
    },
  };
}
