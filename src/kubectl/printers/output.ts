/**
 * `-o/--output` for every verb, as cli-runtime's PrintFlags: the flags, choosing a printer from
 * the format (json, yaml, name, jsonpath…, go-template…, and custom-columns/wide where the verb
 * allows them), and printing objects with it.
 *
 * Usage in a verb:
 *   flags: [...OUTPUT_FLAGS, …]
 *   const output = outputOptions(args);                 // in complete
 *   const printer = makePrinter(ctx, output);           // in validate: unknown formats fail early
 *   printer.print([obj]);                               // or printObjects(ctx, objects, output)
 */
import { CommandError, FileAccessError, type KubectlContext } from '../context';
import type { FlagSpec, ParsedArgs } from '../flags';
import { asJsonData, toJson, toYaml } from './serialize';
import { compileJsonPath, goFloat, JsonPathError, type JsonPathProgram } from './jsonpath';
import { compileGoTemplate, TemplateExecError, type GoTemplate } from './gotemplate';
import { parseCustomColumns, printCustomColumns, type CustomColumn } from './customcolumns';

/** What PrintFlags accepts (kubectl create, apply, run, expose, label, …). */
export const PRINT_FORMATS: readonly string[] = [
  'json',
  'yaml',
  'name',
  'go-template',
  'go-template-file',
  'template',
  'templatefile',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
];

/** What `kubectl get` (and events, top-like listers) accept: PrintFlags plus custom columns and wide. */
export const GET_FORMATS: readonly string[] = [...PRINT_FORMATS, 'custom-columns', 'custom-columns-file', 'wide'];

const TEMPLATE_USAGE =
  'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].';

/** -o/--output with its usage naming `formats`, as `kubectl <verb> --help` lists them. */
export function outputFlag(formats: readonly string[] = PRINT_FORMATS): FlagSpec {
  const more = formats.includes('custom-columns')
    ? ' See custom columns [https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template [http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template [https://kubernetes.io/docs/reference/kubectl/jsonpath/].'
    : '';
  return { name: 'output', shorthand: 'o', type: 'string', default: '', usage: `Output format. One of: (${formats.join(', ')}).${more}` };
}

/** The flags PrintFlags adds: --allow-missing-template-keys, -o, --show-managed-fields, --template. */
export function outputFlags(formats: readonly string[] = PRINT_FORMATS): FlagSpec[] {
  return [
    {
      name: 'allow-missing-template-keys',
      type: 'bool',
      default: true,
      usage: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.',
    },
    outputFlag(formats),
    { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
    { name: 'template', type: 'string', default: '', usage: TEMPLATE_USAGE },
  ];
}

/** PrintFlags for most verbs (no custom-columns, no wide). */
export const OUTPUT_FLAGS: readonly FlagSpec[] = outputFlags();

export interface OutputOptions {
  /** -o as typed ('' when not given). */
  format: string;
  /** --template. */
  template: string;
  showManagedFields: boolean;
  allowMissingTemplateKeys: boolean;
  /** -o was given explicitly (a --template without -o means go-template). */
  formatGiven: boolean;
  /** --no-headers, where the verb has it (custom-columns honours it). */
  noHeaders?: boolean;
}

/** Reads the output flags (any that the verb does not declare take their defaults). */
export function outputOptions(args: ParsedArgs): OutputOptions {
  const get = <T>(name: string, fallback: T): T => (args.flags.has(name) ? (args.flags.get(name) as T) : fallback);
  return {
    format: get('output', ''),
    template: get('template', ''),
    showManagedFields: get('show-managed-fields', false),
    allowMissingTemplateKeys: get('allow-missing-template-keys', true),
    formatGiven: args.changed.has('output'),
    noHeaders: get('no-headers', false),
  };
}

/** The format the flags select ('' for the verb's default human output). */
export function effectiveFormat(output: OutputOptions | string): string {
  const o = typeof output === 'string' ? null : output;
  const format = typeof output === 'string' ? output : output.format;
  if (o && o.template && !o.formatGiven) return 'go-template';
  return format;
}

export interface PrintOptions {
  /**
   * How several objects print: 'auto' (default) prints one object as itself and others as a
   * List (kubectl get, apply -o); 'always' wraps even one (get of a collection); 'never' prints
   * each object on its own (create -f: YAML documents separated by `---`, JSON objects one after another).
   */
  list?: 'auto' | 'always' | 'never';
}

/** An object printer chosen from -o. `print` returns the text (write it to stdout). */
export interface Printer {
  /** The format's name (`json`, `jsonpath`, `custom-columns`…); '' for none. */
  readonly format: string;
  print(objects: readonly unknown[], options?: PrintOptions): string;
}

/** kubectl's NoCompatiblePrinterError. */
export function unknownFormatError(format: string, formats: readonly string[]): CommandError {
  const allowed = [...formats].sort();
  return new CommandError(`error: unable to match a printer suitable for the output format "${format}", allowed formats are: ${allowed.join(',')}`);
}

export function isListFormat(format: string): boolean {
  return ['json', 'yaml', 'name'].includes(format.toLowerCase());
}

/**
 * The printer for the output flags, or kubectl's error for a format the verb does not allow, a
 * template format with no template, an unreadable template file or a template that does not parse.
 * Returns undefined when no format is selected ('' or, where allowed, 'wide'): the verb's own output.
 */
export function makePrinter(ctx: KubectlContext, output: OutputOptions | string, formats: readonly string[] = PRINT_FORMATS): Printer | undefined {
  const o: OutputOptions =
    typeof output === 'string' ? { format: output, template: '', showManagedFields: false, allowMissingTemplateKeys: true, formatGiven: true } : output;
  const format = effectiveFormat(o);
  if (format === '') return undefined;
  const lower = format.toLowerCase();
  if (lower === 'json' || lower === 'yaml') {
    if (!formats.includes(lower)) throw unknownFormatError(format, formats);
    return serializingPrinter(lower, o.showManagedFields);
  }
  if (lower === 'name') {
    if (!formats.includes('name')) throw unknownFormatError(format, formats);
    return namePrinter();
  }
  if (format === 'wide' && formats.includes('wide')) return undefined;

  // Template formats: `-o jsonpath={..}` or `-o jsonpath --template {..}`.
  const [name, value] = splitTemplateFormat(format, o.template);
  if (!formats.includes(name) || !TEMPLATE_FORMATS.includes(name)) throw unknownFormatError(name, formats);
  const columns = name.startsWith('custom-columns');
  if (value === '')
    throw new CommandError(columns ? 'error: custom-columns format specified but no custom columns given' : 'error: template format specified but no template given');
  const text = name.endsWith('-file') || name === 'templatefile' ? readTemplateFile(ctx, value, columns) : value;
  switch (name) {
    case 'jsonpath':
    case 'jsonpath-as-json':
    case 'jsonpath-file': {
      let program: JsonPathProgram;
      try {
        program = compileJsonPath(text);
      } catch (err) {
        if (err instanceof JsonPathError) throw new CommandError(`error: error parsing jsonpath ${text}, ${err.message}`);
        throw err;
      }
      return jsonPathPrinter(program, text, name === 'jsonpath-as-json', o.allowMissingTemplateKeys);
    }
    case 'custom-columns':
    case 'custom-columns-file': {
      const cols = parseCustomColumns(text, name === 'custom-columns-file');
      return customColumnsPrinter(cols, name === 'custom-columns' && !!o.noHeaders);
    }
    default: {
      const template = compileGoTemplate(text);
      return goTemplatePrinter(template, o.allowMissingTemplateKeys);
    }
  }
}

const TEMPLATE_FORMATS = [
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'go-template',
  'go-template-file',
  'template',
  'templatefile',
  'custom-columns',
  'custom-columns-file',
];

function splitTemplateFormat(format: string, template: string): [string, string] {
  if (template !== '') return [format, template];
  // The longest format name that prefixes `format=`.
  const names = [...TEMPLATE_FORMATS].sort((a, b) => b.length - a.length);
  for (const name of names) if (format.startsWith(`${name}=`)) return [name, format.slice(name.length + 1)];
  return [format, ''];
}

function readTemplateFile(ctx: KubectlContext, path: string, columns: boolean): string {
  try {
    if (!ctx.files) throw new FileAccessError(path, 'not found');
    return ctx.files.read(path);
  } catch (err) {
    if (err instanceof FileAccessError) {
      const reason = err.reason === 'not found' ? 'no such file or directory' : err.reason;
      if (columns) throw new CommandError(`error: error reading template ${path}, open ${path}: ${reason}\n`);
      throw new CommandError(`error: error reading --template ${path}, open ${path}: ${reason}`);
    }
    throw err;
  }
}

/** Prints objects with the output flags (see makePrinter) to stdout. */
export function printObjects(ctx: KubectlContext, objects: readonly unknown[], output: OutputOptions | string, options: PrintOptions & { formats?: readonly string[] } = {}): void {
  const printer = makePrinter(ctx, output, options.formats);
  if (!printer) throw unknownFormatError(typeof output === 'string' ? output : output.format, options.formats ?? PRINT_FORMATS);
  writePrinted(ctx, () => printer.print(objects, options));
}

/** Writes what a printer prints; a go-template that fails still shows what it printed (and its debug text) on stdout. */
export function writePrinted(ctx: KubectlContext, print: () => string): void {
  try {
    ctx.stdout(print());
  } catch (err) {
    if (err instanceof TemplateExecError) ctx.stdout(err.stdoutText);
    throw err;
  }
}

/** The List kubectl wraps several objects in. */
export function asList(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: [...items], kind: 'List', metadata: { resourceVersion: '' } };
}

function arrange(objects: readonly unknown[], options: PrintOptions = {}): unknown[] {
  const mode = options.list ?? 'auto';
  if (mode === 'never') return [...objects];
  if (mode === 'auto' && objects.length === 1) return [objects[0]];
  return [asList(objects)];
}

function serializingPrinter(format: 'json' | 'yaml', showManagedFields: boolean): Printer {
  return {
    format,
    print(objects, options) {
      const shown = arrange(objects, options).map((v) => (showManagedFields ? v : withoutManagedFields(v)));
      if (format === 'json') return shown.map(toJson).join('');
      return shown.map((v, i) => (i > 0 ? '---\n' : '') + toYaml(v)).join('');
    },
  };
}

/** kubectl hides metadata.managedFields unless --show-managed-fields is given. */
export function withoutManagedFields(value: unknown): unknown {
  const v = value as { metadata?: Record<string, unknown>; items?: unknown[] } | null;
  if (!v || typeof v !== 'object') return value;
  if (Array.isArray(v.items)) return { ...v, items: v.items.map(withoutManagedFields) };
  if (v.metadata && typeof v.metadata === 'object' && 'managedFields' in v.metadata) {
    const { managedFields: _, ...metadata } = v.metadata;
    return { ...v, metadata };
  }
  return value;
}

/** `deployment.apps/web`, as the name printer writes an object (List items one per line). */
export function nameOf(object: unknown): string {
  const o = object as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
  if (!o.kind) throw new CommandError('error: missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
  const apiVersion = o.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const name = o.metadata?.name || '<unknown>';
  return `${o.kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

function namePrinter(): Printer {
  return {
    format: 'name',
    print(objects) {
      const lines: string[] = [];
      const visit = (obj: unknown) => {
        const items = (obj as { items?: unknown[] }).items;
        if (Array.isArray(items) && (obj as { kind?: string }).kind?.endsWith('List')) items.forEach(visit);
        else lines.push(`${nameOf(obj)}\n`);
      };
      objects.forEach(visit);
      return lines.join('');
    },
  };
}

function jsonPathPrinter(program: JsonPathProgram, text: string, asJson: boolean, allowMissing: boolean): Printer {
  return {
    format: asJson ? 'jsonpath-as-json' : 'jsonpath',
    print(objects, options) {
      return arrange(objects, options)
        .map((obj) => {
          try {
            return program.execute(asJsonData(obj), { allowMissingKeys: allowMissing, json: asJson });
          } catch (err) {
            if (err instanceof JsonPathError)
              throw new CommandError(
                `error: error executing jsonpath ${JSON.stringify(text)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${text}\n\tobject given to jsonpath engine was:\n\t\t${goSyntax(JSON.parse(JSON.stringify(obj)))}\n\n`,
              );
            throw err;
          }
        })
        .join('');
    },
  };
}

function goTemplatePrinter(template: GoTemplate, allowMissing: boolean): Printer {
  return {
    format: 'go-template',
    print(objects, options) {
      let out = '';
      for (const obj of arrange(objects, options)) {
        try {
          out += template.execute(asJsonData(obj), { allowMissingKeys: allowMissing });
        } catch (err) {
          if (err instanceof TemplateExecError) throw new TemplateExecError(out + err.stdoutText, err.message);
          throw err;
        }
      }
      return out;
    },
  };
}

/** custom-columns on objects (kubectl get gives its own rows through printCustomColumns directly). */
function customColumnsPrinter(columns: CustomColumn[], noHeaders: boolean): Printer {
  return {
    format: 'custom-columns',
    print(objects) {
      const flat: unknown[] = [];
      for (const obj of objects) {
        const items = (obj as { items?: unknown[] }).items;
        if (Array.isArray(items) && (obj as { kind?: string }).kind?.endsWith('List')) flat.push(...items);
        else flat.push(obj);
      }
      return printCustomColumns(columns, flat, { noHeaders });
    },
  };
}

/** Go's %#v of decoded JSON (map[string]interface {}{"k":"v", …}), for jsonpath's debug text. */
export function goSyntax(value: unknown): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (Array.isArray(value)) return `[]interface {}{${value.map(goSyntax).join(', ')}}`;
  if (typeof value === 'object')
    return `map[string]interface {}{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${goSyntax((value as Record<string, unknown>)[k])}`)
      .join(', ')}}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  return String(value);
}
