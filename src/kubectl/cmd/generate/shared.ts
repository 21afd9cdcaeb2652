/**
 * What the object-making verbs share: the printing flags (-o json|yaml|name), --dry-run,
 * --save-config, --validate and --field-manager; Go-ordered JSON as kubectl prints its typed
 * objects; and sending a generated object to the server as kubectl's typed clients do.
 */
import type { ApiResponse, KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { DRY_RUN_FLAG, dryRunStrategy, expectOk, klogStamp, operationLine, printWarnings, responseError, type DryRun } from '../../cmdutil';
import { isStatus } from '../../errors';
import { resourcePath } from '../../discovery';
import type { FlagSpec, ParsedArgs } from '../../flags';
import { makePrinter, outputOptions, toYaml, writePrinted, type Printer as SharedPrinter } from '../../printers';

export type Obj = Record<string, unknown>;

/** A resource a generator writes to: enough to build its path and name it in output. */
export interface Kind {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export const KINDS = {
  namespace: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  pod: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
  service: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  configmap: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  secret: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  serviceaccount: { group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  resourcequota: { group: '', version: 'v1', plural: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
  deployment: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  job: { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  cronjob: { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob', namespaced: true },
  ingress: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress', namespaced: true },
  role: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true },
  clusterrole: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  rolebinding: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  clusterrolebinding: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  priorityclass: { group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', kind: 'PriorityClass', namespaced: false },
  pdb: { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true },
  hpa: { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true },
} satisfies Record<string, Kind>;

export function apiVersionOf(k: Kind): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

export function kindPath(k: Kind, namespace: string | undefined, name?: string, sub?: string): string {
  return resourcePath({ group: k.group, version: k.version, name: k.plural, namespaced: k.namespaced }, namespace, name, sub);
}

/** ObjectMeta in Go's field order, as a generator fills it (creationTimestamp null). */
export function objectMeta(name: string, namespace: string, extra: { labels?: Obj | undefined; annotations?: Obj | undefined } = {}): Obj {
  const m: Obj = { name };
  if (namespace) m.namespace = namespace;
  m.creationTimestamp = null;
  if (extra.labels && Object.keys(extra.labels).length) m.labels = extra.labels;
  if (extra.annotations && Object.keys(extra.annotations).length) m.annotations = extra.annotations;
  return m;
}

// ---------------------------------------------------------------- JSON as Go writes it

function escapeHtml(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** encoding/json with MarshalIndent's four spaces, keys in the object's own (Go struct) order. */
export function goJson(value: unknown): string {
  return `${escapeHtml(JSON.stringify(value, null, 4))}\n`;
}

/** json.Marshal: compact, keys in order. */
export function goJsonCompact(value: unknown): string {
  return escapeHtml(JSON.stringify(value));
}

const META_ORDER = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/** A server's object with its top level and metadata in Go's order (kind, apiVersion, metadata…). */
export function goOrder(obj: Obj): Obj {
  const out: Obj = {};
  if ('kind' in obj) out.kind = obj.kind;
  if ('apiVersion' in obj) out.apiVersion = obj.apiVersion;
  const meta = obj.metadata as Obj | undefined;
  if (meta) {
    const m: Obj = {};
    for (const k of META_ORDER) if (k in meta) m[k] = meta[k];
    for (const k of Object.keys(meta)) if (!(k in m)) m[k] = meta[k];
    out.metadata = m;
  }
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

// ---------------------------------------------------------------- flags

export const OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
  { name: 'template', type: 'string', default: '', usage: 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].' },
  { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.' },
  { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
];

export const VALIDATE_FLAG: FlagSpec = {
  name: 'validate',
  type: 'string',
  default: 'strict',
  noOptDefault: 'strict',
  usage:
    'Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.',
};

export const SAVE_CONFIG_FLAG: FlagSpec = {
  name: 'save-config',
  type: 'bool',
  default: false,
  usage: 'If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.',
};

export function fieldManagerFlag(name: string): FlagSpec {
  return { name: 'field-manager', type: 'string', default: name, usage: 'Name of the manager used to track field ownership.' };
}

/** The flags every `create <generator>` subcommand has. */
export function generatorFlags(): FlagSpec[] {
  return [...OUTPUT_FLAGS, DRY_RUN_FLAG, SAVE_CONFIG_FLAG, VALIDATE_FLAG, fieldManagerFlag('kubectl-create')];
}

export function validationDirective(args: ParsedArgs): 'Strict' | 'Warn' | 'Ignore' {
  const v = String(args.flags.get('validate') ?? 'strict').toLowerCase();
  if (v === 'strict' || v === 'true') return 'Strict';
  if (v === 'warn') return 'Warn';
  if (v === 'ignore' || v === 'false') return 'Ignore';
  throw new CommandError(`error: invalid - validate option "${args.flags.get('validate')}"; must be one of: strict (or true), warn, ignore (or false)`);
}

const ALLOWED_OUTPUTS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml';

/** How results print: -o json|yaml|name, or the operation line. */
export interface Printer {
  output: string;
  dryRun: DryRun;
  showManagedFields: boolean;
  /** jsonpath / go-template output, through the shared printers. */
  template?: SharedPrinter;
}

export function printerFor(args: ParsedArgs, dryRun: DryRun, ctx?: KubectlContext): Printer {
  const output = String(args.flags.get('output') ?? '');
  const showManagedFields = Boolean(args.flags.get('show-managed-fields'));
  const templated = Boolean(args.flags.get('template')) && !args.changed.has('output');
  if (!['', 'json', 'yaml', 'name'].includes(output) || templated) {
    const known = ['go-template', 'go-template-file', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'template', 'templatefile'];
    if (!templated && !known.includes(output.split('=')[0]!)) throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED_OUTPUTS}`);
    if (!ctx) throw new CommandError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED_OUTPUTS}`);
    const template = makePrinter(ctx, outputOptions(args));
    if (template) return { output: 'template', dryRun, showManagedFields, template };
  }
  return { output, dryRun, showManagedFields };
}

/** Prints one object as kubectl's PrintObj does after an operation. */
export function printObject(ctx: KubectlContext, p: Printer, obj: Obj, kind: Pick<Kind, 'group' | 'kind'>, operation: string, opts: { goOrdered?: boolean } = {}): void {
  let shown = obj;
  if (!p.showManagedFields && (obj.metadata as Obj | undefined)?.managedFields) {
    const { managedFields: _, ...meta } = obj.metadata as Obj;
    shown = { ...obj, metadata: meta };
  }
  const name = String((obj.metadata as Obj | undefined)?.name ?? '');
  switch (p.output) {
    case 'template':
      writePrinted(ctx, () => p.template!.print([shown]));
      return;
    case 'json':
      ctx.stdout(goJson(opts.goOrdered ? shown : goOrder(shown)));
      return;
    case 'yaml':
      ctx.stdout(toYaml(shown));
      return;
    case 'name':
      ctx.stdout(`${kind.group ? `${kind.kind.toLowerCase()}.${kind.group}` : kind.kind.toLowerCase()}/${name}\n`);
      return;
    default:
      ctx.stdout(operationLine(kind, name, operation, p.dryRun));
  }
}

// ---------------------------------------------------------------- sending

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** --save-config: the object's own JSON (without the annotation) in its last-applied annotation. */
export function addLastApplied(obj: Obj): Obj {
  const meta = { ...(obj.metadata as Obj) };
  const annotations = { ...((meta.annotations as Obj | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  const withoutAnnotation = { ...obj, metadata: withAnnotations(meta, annotations) };
  annotations[LAST_APPLIED] = `${goJsonCompact(withoutAnnotation)}\n`;
  return { ...obj, metadata: withAnnotations(meta, annotations) };
}

/** Sets metadata.annotations keeping Go's field order (annotations right after labels). */
function withAnnotations(meta: Obj, annotations: Obj): Obj {
  const m: Obj = {};
  const present = Object.keys(annotations).length > 0;
  for (const k of META_ORDER) {
    if (k === 'annotations') {
      if (present) m.annotations = annotations;
    } else if (k in meta) m[k] = meta[k];
  }
  for (const k of Object.keys(meta)) if (!(k in m) && k !== 'annotations') m[k] = meta[k];
  return m;
}

export interface WriteOptions {
  fieldManager: string;
  validation?: 'Strict' | 'Warn' | 'Ignore';
  dryRun: DryRun;
}

export function writeQuery(o: WriteOptions): Record<string, string> {
  const q: Record<string, string> = {};
  if (o.dryRun === 'server') q.dryRun = 'All';
  if (o.fieldManager) q.fieldManager = o.fieldManager;
  if (o.validation) q.fieldValidation = o.validation;
  return q;
}

/**
 * Creates `obj` (unless --dry-run=client) and returns what to print: the object itself, or the
 * server's answer. A failure throws `error: <prefix><message>` when kubectl wraps it, else
 * the standard `Error from server (…)` line.
 */
export async function createObject(ctx: KubectlContext, kind: Kind, namespace: string, obj: Obj, o: WriteOptions, errorPrefix?: string): Promise<{ object: Obj; fromServer: boolean }> {
  if (o.dryRun === 'client') return { object: obj, fromServer: false };
  const res = await ctx.client.request({ method: 'POST', path: kindPath(kind, namespace), query: writeQuery(o), body: obj });
  printWarnings(ctx, res);
  if (res.status >= 400) throw new CommandError(errorPrefix !== undefined ? `error: ${errorPrefix}${statusMessage(res)}` : responseError(res));
  return { object: res.body as Obj, fromServer: true };
}

/** The server error's own message, as Go's `%v` of a StatusError prints it. */
export function statusMessage(res: ApiResponse): string {
  if (isStatus(res.body)) return String((res.body as { message?: string }).message ?? '');
  return typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
}

export { expectOk };

/** cobra's required-flag failure, which kubectl prints through klog. */
export function requireFlags(ctx: KubectlContext, args: ParsedArgs, names: string[]): void {
  const missing = names.filter((n) => !args.changed.has(n));
  if (missing.length === 0) return;
  const list = missing.map((n) => `\\"${n}\\"`).join(' ');
  throw new CommandError(`E${klogStamp(ctx)} run.go:72] "command failed" err="required flag(s) ${list} not set"`);
}

/** `exactly one NAME is required, got N` as a usage error. */
export function nameArg(args: ParsedArgs, commandPath: string): string {
  if (args.positional.length !== 1)
    throw new CommandError(`error: exactly one NAME is required, got ${args.positional.length}\nSee 'kubectl ${commandPath} -h' for help and examples`);
  return args.positional[0]!;
}

/** The namespace a generator writes into metadata: only an explicit -n puts it there. */
export function enforcedNamespace(args: ParsedArgs, ctx: KubectlContext): string {
  return args.changed.has('namespace') ? ctx.namespace : '';
}

export interface GeneratorRun {
  name: string;
  args: ParsedArgs;
  ctx: KubectlContext;
  /** The namespace requests go to. */
  namespace: string;
  /** The namespace the object names (explicit -n only). */
  metaNamespace: string;
  dryRun: DryRun;
}

export interface GeneratorResult {
  kind: Kind;
  object: Obj;
  /** `failed to create deployment: ` — the wrapping kubectl puts around server errors. */
  errorPrefix?: string;
}

/**
 * The common run of a `create <generator>`: required flags, NAME, dry-run and printer, the
 * generator's object, --save-config, the create request and the printed result.
 */
export async function runGenerator(
  args: ParsedArgs,
  ctx: KubectlContext,
  commandPath: string,
  required: string[],
  build: (r: GeneratorRun) => Promise<GeneratorResult> | GeneratorResult,
  nameOptional = false,
): Promise<number> {
  requireFlags(ctx, args, required);
  const name = nameOptional && args.positional.length === 0 ? '' : nameArg(args, commandPath);
  const dryRun = dryRunStrategy(args, ctx);
  const printer = printerFor(args, dryRun, ctx);
  const validation = validationDirective(args);
  const built = await build({ name, args, ctx, namespace: ctx.namespace, metaNamespace: enforcedNamespace(args, ctx), dryRun });
  let object = built.object;
  if (args.flags.get('save-config')) object = addLastApplied(object);
  const fieldManager = String(args.flags.get('field-manager') ?? '');
  const result = await createObject(ctx, built.kind, ctx.namespace, object, { fieldManager, validation, dryRun }, built.errorPrefix);
  printObject(ctx, printer, result.object, built.kind, 'created', { goOrdered: !result.fromServer });
  return 0;
}
