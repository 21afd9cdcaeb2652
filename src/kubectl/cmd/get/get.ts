/**
 * `kubectl get`: options → complete → validate → run, as kubectl's get command. Human output
 * prints the server's Tables (several types one after another, each with its kind prefix when
 * more than one kind is shown); other formats print the objects (one object, or a List).
 */
import type { KubeObject, Table } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { apiVersionOfResource, qualifiedKind, resourcePath, type ApiResource } from '../../discovery';
import { isStatus, serverErrorMessage } from '../../errors';
import type { FlagSpec, ParsedArgs } from '../../flags';
import { asList, GET_FORMATS, makePrinter, outputFlags, outputOptions, writePrinted, type OutputOptions, type Printer } from '../../printers';
import { filenameFlags } from '../../cmdutil';
import type { Command } from '../types';
import { HumanPrinter } from './human';
import { sortObjects, sortTable } from './sort';
import { requests, type GetOptions } from './options';
import { watch } from './watch';

const MISSING_TYPE = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples`;

function complete(args: ParsedArgs, ctx: KubectlContext): GetOptions {
  const flag = <T>(name: string) => args.flags.get(name) as T;
  const output = outputOptions(args);
  const o: GetOptions = {
    args: args.positional,
    filenames: flag<string[]>('filename'),
    recursive: flag<boolean>('recursive'),
    namespace: ctx.namespace,
    explicitNamespace: args.changed.has('namespace'),
    allNamespaces: flag<boolean>('all-namespaces'),
    output,
    human: (output.format === '' && output.template === '') || output.format === 'wide',
    wide: output.format === 'wide',
    selector: flag<string>('selector'),
    fieldSelector: flag<string>('field-selector'),
    showLabels: flag<boolean>('show-labels'),
    labelColumns: flag<string[]>('label-columns'),
    noHeaders: flag<boolean>('no-headers'),
    ignoreNotFound: flag<boolean>('ignore-not-found'),
    showKind: flag<boolean>('show-kind'),
    sortBy: flag<string>('sort-by'),
    watch: flag<boolean>('watch'),
    watchOnly: flag<boolean>('watch-only'),
    outputWatchEvents: flag<boolean>('output-watch-events'),
    raw: flag<string>('raw'),
    chunkSize: flag<number>('chunk-size'),
    subresource: flag<string>('subresource'),
  };
  if (o.allNamespaces) o.explicitNamespace = false;
  if (o.raw) {
    if (o.args.length > 0) throw new CommandError('error: arguments may not be passed when --raw is specified');
    return o;
  }
  if (o.watch && o.sortBy) ctx.stderr('warning: --watch requested, --sort-by will be ignored for watch events received\n');
  else if (o.watchOnly && o.sortBy) ctx.stderr('warning: --watch-only requested, --sort-by will be ignored\n');
  else if (!o.watch && !o.watchOnly && o.args.length === 0 && o.filenames.length === 0) throw new CommandError(MISSING_TYPE);
  return o;
}

function validate(o: GetOptions): void {
  if (o.raw) {
    if (o.watch || o.watchOnly || o.selector) throw new CommandError('error: --raw may not be specified with other flags that filter the server request or alter the output');
    if (o.output.format) throw new CommandError('error: --raw and --output are mutually exclusive');
    if (!o.raw.startsWith('/')) throw new CommandError(`error: --raw must be a valid URL path: parse "${o.raw}": invalid URI for request`);
  }
  if (o.showLabels && o.output.format !== '' && o.output.format !== 'wide')
    throw new CommandError(`error: --show-labels option cannot be used with ${o.output.format} printer`);
  if (o.outputWatchEvents && !(o.watch || o.watchOnly)) throw new CommandError('error: --output-watch-events option can only be used with --watch or --watch-only');
}

/** One request's outcome: a Table (human output) or objects. */
export interface Info {
  resource: ApiResource;
  table?: Table;
  objects: KubeObject[];
}

export interface Fetched {
  infos: Info[];
  errors: string[];
  /** One object named (`get pod a`, `get pod/a`, one manifest): print it alone, not in a List. */
  singleItemImplied: boolean;
}

function listQuery(o: GetOptions): Record<string, string> {
  const q: Record<string, string> = {};
  if (o.selector) q.labelSelector = o.selector;
  if (o.fieldSelector) q.fieldSelector = o.fieldSelector;
  if (o.chunkSize > 0 && !o.sortBy) q.limit = String(o.chunkSize);
  if (o.human && o.sortBy) q.includeObject = 'Object';
  return q;
}

async function fetchAll(ctx: KubectlContext, o: GetOptions): Promise<Fetched> {
  const { lists, targets, single } = await requests(ctx, o);
  const infos: Info[] = [];
  const errors: string[] = [];
  const as = o.human ? 'Table' : 'Object';
  const fail = (body: unknown, status: number) => {
    if (isStatus(body)) {
      if (o.ignoreNotFound && body.code === 404) return;
      const msg = serverErrorMessage(body);
      if (!errors.includes(msg)) errors.push(msg);
    } else errors.push(`error: the server responded with the status code ${status}`);
  };
  for (const resource of lists) {
    const ns = resource.namespaced && !o.allNamespaces ? o.namespace : undefined;
    const query = listQuery(o);
    const table: Table | undefined = undefined;
    let items: KubeObject[] = [];
    let merged = table as Table | undefined;
    // Chunked lists follow `continue` until the server has given everything.
    for (;;) {
      const res = await ctx.client.request({ method: 'GET', path: resourcePath(resource, ns), query, as, readOnly: true });
      if (res.status >= 400) {
        fail(res.body, res.status);
        merged = undefined;
        items = [];
        break;
      }
      const body = res.body as Table & { items?: KubeObject[]; metadata: { continue?: string } };
      if (o.human) {
        if (merged) for (const row of body.rows) merged.rows.push(row);
        else merged = body;
      }
      else items.push(...(body.items ?? []).map((item) => withKind(item, resource)));
      if (!body.metadata?.continue) {
        if (o.human && merged) infos.push({ resource, table: merged, objects: [] });
        else if (!o.human) infos.push({ resource, objects: items });
        break;
      }
      query.continue = body.metadata.continue;
    }
  }
  for (const t of targets) {
    const path = resourcePath(t.resource, t.namespace, t.name, o.subresource || undefined);
    const res = await ctx.client.request({ method: 'GET', path, ...(o.human && o.sortBy ? { query: { includeObject: 'Object' } } : {}), as, readOnly: true });
    if (res.status >= 400) {
      fail(res.body, res.status);
      continue;
    }
    if (o.human) infos.push({ resource: t.resource, table: res.body as Table, objects: [] });
    else infos.push({ resource: t.resource, objects: [withKind(res.body as KubeObject, t.resource)] });
  }
  return { infos, errors, singleItemImplied: single };
}

function withKind(obj: KubeObject, r: ApiResource): KubeObject {
  if (obj.kind && obj.apiVersion) return obj;
  return { ...obj, apiVersion: obj.apiVersion || apiVersionOfResource(r), kind: obj.kind || r.kind };
}

async function run(o: GetOptions, ctx: KubectlContext): Promise<number> {
  if (o.raw) return rawGet(o, ctx);
  if (o.watch || o.watchOnly) return watch(o, ctx);
  const fetched = await fetchAll(ctx, o);
  if (!o.human) return printGeneric(o, ctx, fetched);

  const { errors } = fetched;
  let infos = fetched.infos;
  // kubectl sorts several responses as objects (the Tables themselves) before printing each.
  if (o.sortBy && infos.length > 1) {
    const order = sortObjects(
      infos.map((i, n) => ({ ...(i.table as unknown as KubeObject), __n: n }) as KubeObject),
      o.sortBy,
    );
    infos = order.map((t) => infos[(t as unknown as { __n: number }).__n]!);
  }
  const kinds = new Set(infos.map((i) => `${i.resource.group}/${i.resource.kind}`));
  const withKind = kinds.size > 1 || o.showKind;
  let written = 0;
  let out = '';
  let last: ApiResource | undefined;
  let printer: HumanPrinter | undefined;
  let separatorReady = false;
  const emit = (text: string) => {
    if (!text) return;
    if (separatorReady) {
      out += '\n';
      separatorReady = false;
    }
    out += text;
    written += text.length;
  };
  let allNamespaced = !o.allNamespaces;
  for (const info of infos) {
    allNamespaced = allNamespaced && info.resource.namespaced;
    if (!printer || !last || last.name !== info.resource.name || last.group !== info.resource.group) {
      if (printer) emit(printer.flush());
      if (last && !o.noHeaders && written > 0) separatorReady = true;
      printer = new HumanPrinter({
        wide: o.wide,
        noHeaders: o.noHeaders,
        withNamespace: o.allNamespaces && info.resource.namespaced,
        kind: withKind ? qualifiedKind(info.resource) : undefined,
        showLabels: o.showLabels,
        labelColumns: o.labelColumns,
      });
      last = info.resource;
    }
    let table = info.table!;
    if (o.sortBy) {
      // A Table whose rows lack the field prints nothing (kubectl drops its printer's error).
      try {
        table = sortTable(table, o.sortBy);
      } catch (err) {
        if (err instanceof CommandError) continue;
        throw err;
      }
    }
    printer.print(table);
  }
  if (printer) emit(printer.flush());
  ctx.stdout(out);
  if (written === 0 && !o.ignoreNotFound && errors.length === 0) {
    ctx.stderr(allNamespaced ? `No resources found in ${o.namespace} namespace.\n` : 'No resources found\n');
  }
  for (const e of errors) ctx.stderr(`${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

function printGeneric(o: GetOptions, ctx: KubectlContext, fetched: Fetched): number {
  const { errors, singleItemImplied } = fetched;
  const objects = fetched.infos.flatMap((i) => i.objects);
  if (singleItemImplied && errors.length > 0) {
    for (const e of errors) ctx.stderr(`${e}\n`);
    return 1;
  }
  const finish = () => {
    for (const e of errors) ctx.stderr(`${e}\n`);
    return errors.length > 0 ? 1 : 0;
  };
  if (objects.length === 0 && o.ignoreNotFound) return finish();
  const printer = makePrinter(ctx, o.output, GET_FORMATS) as Printer;
  if (singleItemImplied && objects.length === 1) {
    writePrinted(ctx, () => printer.print([objects[0]], { list: 'never' }));
    return finish();
  }
  const items = o.sortBy && objects.length > 0 ? sortObjects(objects, o.sortBy) : objects;
  writePrinted(ctx, () => printer.print([asList(items)], { list: 'never' }));
  return finish();
}

async function rawGet(o: GetOptions, ctx: KubectlContext): Promise<number> {
  const [path, search] = o.raw.split('?', 2) as [string, string | undefined];
  const query = search
    ? Object.fromEntries(
        search
          .split('&')
          .filter(Boolean)
          .map((kv) => {
            const [k, v = ''] = kv.split('=', 2) as [string, string?];
            return [decodeURIComponent(k), decodeURIComponent(v.replace(/\+/g, ' '))];
          }),
      )
    : undefined;
  const res = await ctx.client.request({ method: 'GET', path, ...(query ? { query } : {}) });
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  if (res.status >= 400) {
    if (isStatus(res.body)) ctx.stderr(`${serverErrorMessage(res.body)}\n`);
    else ctx.stderr(`Error from server: ${text}\n`);
    return 1;
  }
  ctx.stdout(text);
  return 0;
}

const GET_FLAGS: FlagSpec[] = [
  { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
  ...outputFlags(GET_FORMATS).filter((f) => f.name !== 'output'),
  { name: 'chunk-size', type: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.' },
  { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
  ...filenameFlags('Filename, directory, or URL to files identifying the resource to get from a server.'),
  { name: 'ignore-not-found', type: 'bool', default: false, usage: 'If the requested object does not exist the command will return exit code 0.' },
  { name: 'label-columns', shorthand: 'L', type: 'stringSlice', default: [], usage: 'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...' },
  { name: 'no-headers', type: 'bool', default: false, usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
  {
    name: 'output',
    shorthand: 'o',
    type: 'string',
    default: '',
    usage:
      'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].',
  },
  { name: 'output-watch-events', type: 'bool', default: false, usage: 'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.' },
  { name: 'raw', type: 'string', default: '', usage: 'Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.' },
  { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
  { name: 'server-print', type: 'bool', default: true, usage: 'If true, have the server return the appropriate table output. Supports extension APIs and CRDs.' },
  { name: 'show-kind', type: 'bool', default: false, usage: 'If present, list the resource type for the requested object(s).' },
  { name: 'show-labels', type: 'bool', default: false, usage: 'When printing, show all labels as the last column (default hide labels column)' },
  { name: 'sort-by', type: 'string', default: '', usage: "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string." },
  { name: 'subresource', type: 'string', default: '', usage: 'If specified, gets the subresource of the requested object. This flag is beta and may change in the future.' },
  { name: 'watch', shorthand: 'w', type: 'bool', default: false, usage: 'After listing/getting the requested object, watch for changes.' },
  { name: 'watch-only', type: 'bool', default: false, usage: 'Watch for changes to the requested object(s), without listing/getting first.' },
];

export function getCommand(): Command {
  return {
    name: 'get',
    short: 'Display one or many resources',
    use: 'get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]',
    flags: GET_FLAGS,
    async run(args, ctx) {
      const options = complete(args, ctx);
      validate(options);
      return run(options, ctx);
    },
  };
}
