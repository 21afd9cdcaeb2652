/** `kubectl create -f FILENAME` and the generator subcommands under it. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, filenameFlags, DRY_RUN_FLAG } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import { manifestTargets, readManifests } from '../../resource';
import { toYaml, writePrinted } from '../../printers';
import type { Command } from '../types';
import { configGenerators } from './create-config';
import { rbacGenerators } from './create-rbac';
import { serviceGenerators } from './create-service';
import { workloadGenerators } from './create-workloads';
import {
  addLastApplied,
  fieldManagerFlag,
  goJson,
  goOrder,
  OUTPUT_FLAGS,
  printerFor,
  SAVE_CONFIG_FLAG,
  VALIDATE_FLAG,
  validationDirective,
  writeQuery,
  type Obj,
} from './shared';
import { resourcePath } from '../../discovery';
import { operationLine, printWarnings, responseError } from '../../cmdutil';
import { isStatus, serverErrorMessage } from '../../errors';
import type { Status } from '../../../sim';

async function runCreate(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const filenames = args.flags.get('filename') as string[];
  const kustomize = args.flags.get('kustomize') as string;
  if (args.positional.length > 0) throw new CommandError(`error: Unexpected args: [${args.positional.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  if (filenames.length === 0 && !kustomize) throw new CommandError('error: must specify one of -f and -k');
  if (kustomize) throw new CommandError('error: kustomize is not supported by Kubelab yet');
  if (args.flags.get('edit')) throw new CommandError('error: --edit is not supported by Kubelab yet');
  if (args.flags.get('raw')) throw new CommandError('error: --raw is not supported by Kubelab yet');
  const dryRun = dryRunStrategy(args, ctx);
  const printer = printerFor(args, dryRun, ctx);
  const validation = validationDirective(args);
  const fieldManager = String(args.flags.get('field-manager'));
  const manifests = readManifests(ctx, filenames, Boolean(args.flags.get('recursive')));
  const targets = await manifestTargets(ctx, manifests, ctx.namespace, args.changed.has('namespace'));
  const selector = args.flags.get('selector') as string;
  const errors: string[] = [];
  let count = 0;
  for (const t of targets) {
    let object = { ...(t.object as unknown as Obj) };
    if (selector && !matchesSelector(((object.metadata as Obj | undefined)?.labels as Record<string, string> | undefined) ?? {}, selector)) continue;
    if (t.namespace) object = { ...object, metadata: { ...(object.metadata as Obj), namespace: t.namespace } };
    if (args.flags.get('save-config')) object = addLastApplied(object);
    if (dryRun !== 'client') {
      const res = await ctx.client.request({ method: 'POST', path: resourcePath(t.resource, t.namespace), query: writeQuery({ fieldManager, validation, dryRun }), body: object });
      printWarnings(ctx, res);
      if (res.status >= 400) {
        errors.push(isStatus(res.body) ? addSource(serverErrorMessage(res.body as Status), t.source ?? '') : responseError(res));
        continue;
      }
      object = res.body as Obj;
    }
    count++;
    const shown = printer.showManagedFields ? object : stripManaged(object);
    if (printer.template) writePrinted(ctx, () => printer.template!.print([shown]));
    else if (printer.output === 'yaml') ctx.stdout(`${count > 1 ? '---\n' : ''}${toYaml(shown)}`);
    else if (printer.output === 'json') ctx.stdout(goJson(goOrder(shown)));
    else if (printer.output === 'name') ctx.stdout(`${operationLine(t.resource, t.name, '').replace(/ \n$/, '\n')}`);
    else ctx.stdout(operationLine(t.resource, String((object.metadata as Obj).name ?? t.name), 'created', dryRun));
  }
  if (errors.length) throw new CommandError(errors.join('\n'));
  if (count === 0) throw new CommandError('error: no objects passed to create');
  return 0;
}

function stripManaged(obj: Obj): Obj {
  const meta = obj.metadata as Obj | undefined;
  if (!meta?.managedFields) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** `Error from server (AlreadyExists): error when creating "x.yaml": …` */
function addSource(message: string, source: string): string {
  const m = /^(Error from server(?: \([^)]*\))?: )([\s\S]*)$/.exec(message);
  return m ? `${m[1]}error when creating "${source}": ${m[2]}` : message;
}

function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  return selector.split(',').every((req) => {
    const ne = /^\s*([^!=\s]+)\s*!=\s*(\S*)\s*$/.exec(req);
    if (ne) return labels[ne[1]!] !== ne[2];
    const eq = /^\s*([^!=\s]+)\s*==?\s*(\S*)\s*$/.exec(req);
    if (eq) return labels[eq[1]!] === eq[2];
    const neg = /^\s*!(\S+)\s*$/.exec(req);
    if (neg) return !(neg[1]! in labels);
    return req.trim() in labels;
  });
}

export const create: Command = {
  name: 'create',
  short: 'Create a resource from a file or from stdin',
  long: `Create the objects described in files or on standard input, in JSON or YAML. Objects that already exist are an error (use "kubectl apply" to create or update).

 The subcommands below build common objects from flags, without a file.`,
  example: `  # Create the pod described in pod.json
  kubectl create -f ./pod.json
  
  # Create it from JSON on standard input
  cat pod.json | kubectl create -f -
  
  # Open registry.yaml in an editor, as JSON, and create what you save
  kubectl create -f registry.yaml --edit -o json`,
  use: 'create -f FILENAME',
  flags: [
    ...filenameFlags('Filename, directory, or URL to files to use to create the resource'),
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    { name: 'edit', type: 'bool', default: false, usage: 'Edit the API resource before creating' },
    { name: 'raw', type: 'string', default: '', usage: 'Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file.' },
    SAVE_CONFIG_FLAG,
    { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
    VALIDATE_FLAG,
    { name: 'windows-line-endings', type: 'bool', default: false, usage: 'Only relevant if --edit=true. Defaults to the line ending native to your platform.' },
    fieldManagerFlag('kubectl-create'),
  ],
  subcommands: [...workloadGenerators, ...serviceGenerators, ...configGenerators, ...rbacGenerators],
  run: runCreate,
};
