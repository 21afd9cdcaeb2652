/**
 * What the verbs that change objects share: their targets (TYPE NAME, TYPE/NAME, -f, -l, --all,
 * -A, --field-selector), -o printing of the objects they changed, --validate, and kubectl's way
 * of naming a manifest's source in an error.
 */
import type { ApiResponse, KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath, type ApiResource } from '../../discovery';
import { isStatus } from '../../errors';
import type { FlagSpec, ParsedArgs } from '../../flags';
import { toJson, toYaml } from '../../printers';
import { manifestTargets, NO_RESOURCES, readManifests, resourceArgs, type Target } from '../../resource';
import { responseError } from '../../cmdutil';

export const OUTPUT_FLAG: FlagSpec = {
  name: 'output',
  shorthand: 'o',
  type: 'string',
  default: '',
  usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).',
};

export const PRINT_FORMATS = ['json', 'yaml', 'name'];

export function outputFormat(args: ParsedArgs): string {
  const o = args.flags.get('output') as string;
  if (o && !PRINT_FORMATS.includes(o))
    throw new CommandError(
      `error: unable to match a printer suitable for the output format "${o}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,go-template,go-template-file,template,templatefile,yaml`,
    );
  return o;
}

/** kubectl hides managedFields when printing objects unless --show-managed-fields. */
export function withoutManagedFields(object: KubeObject): KubeObject {
  if (!object.metadata || !('managedFields' in object.metadata)) return object;
  const { managedFields: _, ...metadata } = object.metadata as Record<string, unknown>;
  return { ...object, metadata } as KubeObject;
}

/** Prints changed objects as -o json|yaml does: one object alone, several as a List. */
export function printObjects(ctx: KubectlContext, objects: KubeObject[], format: string): void {
  if (objects.length === 0) return;
  const shown = objects.map(withoutManagedFields);
  const value = shown.length === 1 ? shown[0] : { apiVersion: 'v1', items: shown, kind: 'List', metadata: { resourceVersion: '' } };
  ctx.stdout(format === 'json' ? toJson(value) : toYaml(value));
}

/** `TYPE/NAME` for -o name. */
export function nameLine(resource: Pick<ApiResource, 'kind' | 'group'>, name: string): string {
  return `${qualifiedKind(resource)}/${name}\n`;
}

export const VALIDATE_FLAG: FlagSpec = {
  name: 'validate',
  type: 'string',
  default: 'strict',
  noOptDefault: 'strict',
  usage: `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.`,
};

/** --validate as the server's fieldValidation. */
export function fieldValidation(args: ParsedArgs): 'Strict' | 'Warn' | 'Ignore' {
  const v = (args.flags.get('validate') as string).toLowerCase();
  if (v === 'true' || v === 'strict') return 'Strict';
  if (v === 'warn') return 'Warn';
  if (v === 'false' || v === 'ignore') return 'Ignore';
  throw new CommandError(`error: invalid - validate option "${args.flags.get('validate') as string}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/**
 * A failed request as kubectl's CheckErr prints it when nothing wrapped the error: Invalid
 * statuses list their causes (`The Deployment "web" is invalid: spec.replicas: …`).
 */
export function requestError(res: ApiResponse): string {
  const body = res.body as { reason?: string; message?: string; details?: { kind?: string; name?: string; causes?: { field?: string; message?: string }[] } };
  if (!isStatus(res.body) || body.reason !== 'Invalid') return responseError(res);
  const d = body.details;
  let s = 'The request is invalid';
  if (!d) return body.message ? `${s}: ${body.message}` : s;
  if (d.kind || d.name) s = `The ${d.kind ?? ''} ${JSON.stringify(d.name ?? '')} is invalid`;
  else if (body.message && !d.causes?.length) s += `: ${body.message}`;
  const causes = d.causes ?? [];
  if (causes.length === 0) return s;
  if (causes.length === 1) return `${s}: ${causes[0]!.field}: ${causes[0]!.message}`;
  return `${s}: ${causes.length} errors:\n${causes.map((c) => `* ${c.field}: ${c.message}`).join('\n')}`;
}

/** `Error from server (X): error when creating "web.yaml": …`, as AddSourceToErr words it. */
export function sourcedError(res: ApiResponse, verb: string, source: string | undefined): string {
  const message = responseError(res);
  if (!source || !isStatus(res.body)) return message;
  const m = /^(Error from server(?: \([^)]*\))?: )(.*)$/s.exec(message);
  return m ? `${m[1]}error when ${verb} "${source}": ${m[2]}` : message;
}

export interface TargetOptions {
  filenames: string[];
  recursive: boolean;
  selector: string;
  fieldSelector: string;
  all: boolean;
  allNamespaces: boolean;
}

export function targetFlags(purpose: string, extra: { all?: string; allNamespaces?: boolean; fieldSelector?: boolean } = {}): FlagSpec[] {
  const flags: FlagSpec[] = [
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: purpose },
    { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process the kustomization directory. This flag can't be used together with -f or -R." },
    { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
  ];
  if (extra.all) flags.push({ name: 'all', type: 'bool', default: false, usage: extra.all });
  if (extra.allNamespaces) flags.push({ name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If true, check the specified action in all namespaces.' });
  if (extra.fieldSelector)
    flags.push({ name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." });
  return flags;
}

export function targetOptions(args: ParsedArgs): TargetOptions {
  const get = <T>(n: string, d: T) => (args.flags.has(n) ? (args.flags.get(n) as T) : d);
  return {
    filenames: get<string[]>('filename', []),
    recursive: get('recursive', false),
    selector: get('selector', ''),
    fieldSelector: get('field-selector', ''),
    all: get('all', false),
    allNamespaces: get('all-namespaces', false),
  };
}

/**
 * The objects a command acts on, from arguments or files; types without names are listed
 * (with -l, --field-selector, --all). `missing` says what is wrong when a type has no names
 * and no selector.
 */
export async function collectTargets(
  ctx: KubectlContext,
  args: ParsedArgs,
  positional: string[],
  o: TargetOptions,
  missing: (types: ApiResource[]) => string,
): Promise<{ targets: Target[]; listed: boolean; namespaceOf: (r: ApiResource) => string | undefined }> {
  const namespace = ctx.namespace;
  const explicitNs = args.changed.has('namespace');
  const namespaceOf = (r: ApiResource) => (r.namespaced ? (o.allNamespaces ? undefined : namespace) : undefined);
  if (o.filenames.length > 0) {
    if (positional.length > 0) throw new CommandError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    const manifests = readManifests(ctx, o.filenames, o.recursive);
    if (manifests.length === 0) throw new CommandError('error: no objects passed to apply');
    return { targets: await manifestTargets(ctx, manifests, namespace, explicitNs), listed: false, namespaceOf };
  }
  if (positional.length === 0) throw new CommandError(NO_RESOURCES);
  const parsed = await resourceArgs(ctx, positional, namespace);
  if (parsed.targets.length > 0) {
    if (o.selector) throw new CommandError('error: name cannot be provided when a selector is specified');
    if (o.all) throw new CommandError('error: name cannot be provided when a selector is specified');
    return { targets: parsed.targets, listed: false, namespaceOf };
  }
  if (!o.selector && !o.all && !o.fieldSelector) throw new CommandError(missing(parsed.types));
  const targets: Target[] = [];
  for (const resource of parsed.types) {
    const query: Record<string, string> = {};
    if (o.selector) query.labelSelector = o.selector;
    if (o.fieldSelector) query.fieldSelector = o.fieldSelector;
    const res = await ctx.client.request({ method: 'GET', path: resourcePath(resource, namespaceOf(resource)), query });
    if (res.status >= 400) throw new CommandError(responseError(res));
    for (const item of (res.body as { items: KubeObject[] }).items)
      targets.push({ resource, namespace: resource.namespaced ? item.metadata.namespace : undefined, name: item.metadata.name ?? '', object: item });
  }
  return { targets, listed: true, namespaceOf };
}
