/**
 * `kubectl apply`: client-side apply (last-applied annotation + three-way patch) and
 * server-side apply (an apply patch owned by a field manager), with its view-last-applied and
 * set-last-applied subcommands.
 */
import type { KubeObject } from '../../../sim';
import { DRY_RUN_FLAG, dryRunStrategy, dryRunSuffix, type DryRun } from '../../cmdutil';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import { toYaml } from '../../printers';
import { manifestTargets, readManifests, resourceArgs, type Target } from '../../resource';
import type { Command } from '../types';
import { fieldValidation, OUTPUT_FLAG, outputFormat, printObjects, sourcedError, VALIDATE_FLAG } from './common';
import { goJson, LAST_APPLIED, lastAppliedOf, pruneNulls, sortedCopy, threeWayPatch, twoWayPatch, withLastApplied } from './threeway';

const CONFLICT_HELP = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

interface ApplyOptions {
  serverSide: boolean;
  forceConflicts: boolean;
  fieldManager: string;
  dryRun: DryRun;
  output: string;
  validation: 'Strict' | 'Warn' | 'Ignore';
  enforceNamespace: boolean;
}

/** `resource deployments/web` as info.ObjectName() names it in messages. */
function objectName(t: Target): string {
  return `${t.resource.name}/${t.name}`;
}

function patchErrorTarget(t: Target, patch: string): string {
  const gv = t.resource.group ? `${t.resource.group}/${t.resource.version}` : t.resource.version;
  return `error when applying patch:\n${patch}\nto:\nResource: "${gv}, Resource=${t.resource.name}", GroupVersionKind: "${gv}, Kind=${t.resource.kind}"\nName: "${t.name}", Namespace: "${t.namespace ?? ''}"\nfor: "${t.source}": error when patching "${t.source}": `;
}

async function applyOne(ctx: KubectlContext, o: ApplyOptions, t: Target, printed: KubeObject[]): Promise<void> {
  const object = JSON.parse(JSON.stringify(t.object)) as KubeObject;
  if (t.resource.namespaced && t.namespace) object.metadata = { ...object.metadata, namespace: t.namespace };
  if (!t.name) {
    if (object.metadata?.generateName) throw new CommandError(`error: from ${object.metadata.generateName}: cannot use generate name with apply`);
  }
  const query: Record<string, string> = { fieldManager: o.fieldManager, fieldValidation: o.validation };
  if (o.dryRun === 'server') query.dryRun = 'All';
  const path = resourcePath(t.resource, t.namespace, t.name);
  const report = (obj: KubeObject, operation: string) => {
    if (o.output && o.output !== 'name') printed.push(obj);
    else if (o.output === 'name') ctx.stdout(`${qualifiedKind(t.resource)}/${t.name}\n`);
    else ctx.stdout(`${qualifiedKind(t.resource)}/${t.name} ${operation}${dryRunSuffix(o.dryRun)}\n`);
  };

  if (o.serverSide) {
    if (o.dryRun === 'client') throw new CommandError('error: --dry-run=client doesn\'t work with --server-side (did you mean --dry-run=server instead?)');
    const res = await ctx.client.request({
      method: 'PATCH',
      path,
      query: { ...query, force: String(o.forceConflicts) },
      body: sortedCopy(object),
      contentType: 'application/apply-patch+yaml',
    });
    for (const w of res.warnings ?? []) ctx.stderr(`Warning: ${w}\n`);
    if (res.status >= 400) {
      const message = sourcedError(res, 'serverside-apply', undefined);
      throw new CommandError(res.status === 409 ? `${message.replace(/^Error from server \(Conflict\): /, 'error: ')}\n${CONFLICT_HELP}` : message);
    }
    let applied = res.body as KubeObject;
    if (o.fieldManager === 'kubectl' && o.dryRun === 'none') {
      const last = applied.metadata.annotations?.[LAST_APPLIED];
      const owned = ((applied.metadata as { managedFields?: { operation: string; fieldsV1?: unknown }[] }).managedFields ?? []).some(
        (m) => m.operation === 'Apply' && JSON.stringify(m.fieldsV1 ?? {}).includes(`"f:${LAST_APPLIED}"`),
      );
      if (last !== undefined && !owned) {
        const just = { apiVersion: object.apiVersion, kind: object.kind, metadata: { annotations: { [LAST_APPLIED]: last }, name: t.name, ...(t.namespace ? { namespace: t.namespace } : {}) } };
        const saved = await ctx.client.request({ method: 'PATCH', path, query: { fieldManager: 'kubectl-last-applied', fieldValidation: o.validation }, body: just, contentType: 'application/apply-patch+yaml' });
        if (saved.status >= 400) ctx.stderr(`Warning: failed to migrate kubectl.kubernetes.io/last-applied-configuration for Server-Side Apply. This is non-fatal and will be retried next time you apply. Error: ${(saved.body as { message?: string }).message ?? ''}\n`);
        else applied = saved.body as KubeObject;
      }
    }
    report(applied, 'serverside-applied');
    return;
  }

  const modified = withLastApplied(object);
  const got = await ctx.client.request({ method: 'GET', path });
  if (got.status === 404) {
    const body = pruneNulls(sortedCopy(modified)) as KubeObject;
    if (o.dryRun === 'client') {
      report(body, 'created');
      return;
    }
    const res = await ctx.client.request({ method: 'POST', path: resourcePath(t.resource, t.namespace), query, body });
    for (const w of res.warnings ?? []) ctx.stderr(`Warning: ${w}\n`);
    if (res.status >= 400) throw new CommandError(sourcedError(res, 'creating', t.source));
    report(res.body as KubeObject, 'created');
    return;
  }
  if (got.status >= 400) throw new CommandError(sourcedError(got, 'retrieving current configuration of', t.source));
  const current = got.body as KubeObject;
  if (current.metadata.annotations?.[LAST_APPLIED] === undefined)
    ctx.stderr(
      `Warning: resource ${objectName(t)} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
    );
  const { patch, type } = threeWayPatch(lastAppliedOf(current), modified as never, current as never, object.apiVersion, object.kind);
  const text = goJson(patch);
  if (text === '{}') {
    if (o.output && o.output !== 'name') printed.push(current);
    else report(current, 'unchanged');
    return;
  }
  if (o.dryRun === 'client') {
    report(current, 'configured');
    return;
  }
  const res = await ctx.client.request({ method: 'PATCH', path, query, body: patch, contentType: type });
  for (const w of res.warnings ?? []) ctx.stderr(`Warning: ${w}\n`);
  if (res.status >= 400) {
    const message = sourcedError(res, 'patching', undefined);
    const m = /^(Error from server(?: \([^)]*\))?: )(.*)$/s.exec(message);
    throw new CommandError(m ? `${m[1]}${patchErrorTarget(t, text)}${m[2]}` : message);
  }
  report(res.body as KubeObject, 'configured');
}

async function runApply(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const filenames = args.flags.get('filename') as string[];
  const kustomize = args.flags.get('kustomize') as string;
  if (kustomize) throw new CommandError('error: kustomize is not available in Kubelab');
  if (filenames.length === 0) throw new CommandError('error: must specify one of -f and -k');
  if (args.positional.length > 0)
    throw new CommandError(`error: Unexpected args: [${args.positional.join(' ')}]\nSee 'kubectl apply -h' for help and examples`);
  const serverSide = args.flags.get('server-side') as boolean;
  const o: ApplyOptions = {
    serverSide,
    forceConflicts: args.flags.get('force-conflicts') as boolean,
    fieldManager: args.changed.has('field-manager') ? (args.flags.get('field-manager') as string) : serverSide ? 'kubectl' : 'kubectl-client-side-apply',
    dryRun: dryRunStrategy(args, ctx),
    output: outputFormat(args),
    validation: fieldValidation(args),
    enforceNamespace: args.changed.has('namespace'),
  };
  if (o.forceConflicts && !serverSide) throw new CommandError('error: --force-conflicts only works with --server-side');
  const errors: string[] = [];
  let targets: Target[] = [];
  try {
    targets = await manifestTargets(ctx, readManifests(ctx, filenames, args.flags.get('recursive') as boolean), ctx.namespace, o.enforceNamespace);
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    errors.push(err.message);
  }
  if (targets.length === 0 && errors.length === 0) throw new CommandError('error: no objects passed to apply');
  const printed: KubeObject[] = [];
  for (const t of targets) {
    try {
      await applyOne(ctx, o, t, printed);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      errors.push(err.message);
    }
  }
  if (errors.length) {
    ctx.stderr(errors.map((e) => (e.endsWith('\n') ? e : `${e}\n`)).join(''));
    return 1;
  }
  if (o.output === 'json' || o.output === 'yaml') printObjects(ctx, printed, o.output);
  return 0;
}

function formatLastApplied(ctx: KubectlContext, text: string, output: string): string {
  const value = JSON.parse(text) as unknown;
  void ctx;
  return output === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYaml(value);
}

function viewLastApplied(): Command {
  return {
    name: 'view-last-applied',
    short: 'View the latest last-applied-configuration annotations of a resource/object',
    long: 'Print the kubectl.kubernetes.io/last-applied-configuration annotation of objects, chosen by type and name or by the files they came from.\n\nThis is what "kubectl apply" remembers having applied last time. It is printed as YAML unless you ask for JSON with -o json.',
    example: '  # What was last applied to deployment nginx? (YAML)\n  kubectl apply view-last-applied deployment/nginx\n  \n  # The same for the objects in deploy.yaml, as JSON\n  kubectl apply view-last-applied -f deploy.yaml -o json',
    use: 'apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME)',
    flags: [
      { name: 'output', shorthand: 'o', type: 'string', default: 'yaml', usage: 'Output format. Must be one of (yaml, json)' },
      { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'Filename, directory, or URL to files that contains the last-applied-configuration annotations' },
      { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
      { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process the kustomization directory. This flag can't be used together with -f or -R." },
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
      { name: 'all', type: 'bool', default: false, usage: 'Select all resources in the namespace of the specified resource types' },
    ],
    async run(args, ctx) {
      const output = args.flags.get('output') as string;
      if (output !== 'yaml' && output !== 'json') throw new CommandError(`error: unexpected -o output mode: ${output}, the flag 'output' must be one of yaml|json`);
      const targets = await lastAppliedTargets(args, ctx);
      const texts: string[] = [];
      for (const t of targets) {
        const res = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
        if (res.status >= 400) throw new CommandError(sourcedError(res, 'retrieving', undefined));
        const last = (res.body as KubeObject).metadata.annotations?.[LAST_APPLIED];
        if (last === undefined)
          throw new CommandError(`error: no last-applied-configuration annotation found on resource: ${t.name}`);
        texts.push(formatLastApplied(ctx, last, output));
      }
      ctx.stdout(texts.join(''));
      return 0;
    },
  };
}

async function lastAppliedTargets(args: ParsedArgs, ctx: KubectlContext): Promise<Target[]> {
  const filenames = args.flags.get('filename') as string[];
  if (filenames.length) return manifestTargets(ctx, readManifests(ctx, filenames, args.flags.get('recursive') as boolean), ctx.namespace, args.changed.has('namespace'));
  if (args.positional.length === 0)
    throw new CommandError(`error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`);
  const parsed = await resourceArgs(ctx, args.positional, ctx.namespace);
  if (parsed.targets.length) return parsed.targets;
  const out: Target[] = [];
  for (const resource of parsed.types) {
    const selector = args.flags.get('selector') as string;
    const res = await ctx.client.request({ method: 'GET', path: resourcePath(resource, ctx.namespace), query: selector ? { labelSelector: selector } : {} });
    if (res.status >= 400) throw new CommandError(sourcedError(res, 'listing', undefined));
    for (const item of (res.body as { items: KubeObject[] }).items) out.push({ resource, namespace: item.metadata.namespace, name: item.metadata.name ?? '' });
  }
  return out;
}

function setLastApplied(): Command {
  return {
    name: 'set-last-applied',
    short: 'Set the last-applied-configuration annotation on a live object to match the contents of a file',
    long: 'Write the contents of a file into the last-applied-configuration annotation of the live object it names, and change nothing else. The next "kubectl apply" then computes its changes as if that file had been applied last.',
    example: '  # Record deploy.yaml as the last applied configuration of its object\n  kubectl apply set-last-applied -f deploy.yaml\n  \n  # Do it for every file in a directory\n  kubectl apply set-last-applied -f path/\n  \n  # Also add the annotation to objects that do not have it yet\n  kubectl apply set-last-applied -f deploy.yaml --create-annotation=true',
    use: 'apply set-last-applied -f FILENAME',
    flags: [
      { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'Filename, directory, or URL to files that contains the last-applied-configuration annotations' },
      { name: 'create-annotation', type: 'bool', default: false, usage: 'Will create \'last-applied-configuration\' annotations if current objects doesn\'t have one' },
      DRY_RUN_FLAG,
      OUTPUT_FLAG,
    ],
    async run(args, ctx) {
      const filenames = args.flags.get('filename') as string[];
      if (filenames.length === 0) throw new CommandError('error: must specify one of -f and -k');
      const dryRun = dryRunStrategy(args, ctx);
      const output = outputFormat(args);
      const targets = await manifestTargets(ctx, readManifests(ctx, filenames, false), ctx.namespace, args.changed.has('namespace'));
      for (const t of targets) {
        const object = JSON.parse(JSON.stringify(t.object)) as KubeObject;
        if (t.resource.namespaced && t.namespace) object.metadata = { ...object.metadata, namespace: t.namespace };
        const path = resourcePath(t.resource, t.namespace, t.name);
        const got = await ctx.client.request({ method: 'GET', path });
        if (got.status >= 400) throw new CommandError(sourcedError(got, 'retrieving', undefined));
        const current = got.body as KubeObject;
        if (current.metadata.annotations?.[LAST_APPLIED] === undefined && !(args.flags.get('create-annotation') as boolean))
          throw new CommandError(
            `error: no last-applied-configuration annotation found on resource: ${t.name}, to create the annotation, run the command with --create-annotation`,
          );
        const config = withLastApplied(object).metadata.annotations![LAST_APPLIED]!;
        const patch = { metadata: { annotations: { [LAST_APPLIED]: config } } };
        const two = twoWayPatch({}, patch, object.apiVersion, object.kind);
        let result = current;
        if (dryRun !== 'client') {
          const res = await ctx.client.request({ method: 'PATCH', path, query: dryRun === 'server' ? { dryRun: 'All' } : {}, body: patch, contentType: two.type });
          if (res.status >= 400) throw new CommandError(sourcedError(res, 'patching', undefined));
          result = res.body as KubeObject;
        }
        if (output === 'name') ctx.stdout(`${qualifiedKind(t.resource)}/${t.name}\n`);
        else if (output) printObjects(ctx, [result], output);
        else ctx.stdout(`${qualifiedKind(t.resource)}/${t.name} configured${dryRunSuffix(dryRun)}\n`);
      }
      return 0;
    },
  };
}

export function applyCommand(): Command {
  return {
    name: 'apply',
    short: 'Apply a configuration to a resource by file name or stdin',
    long: `Make the cluster match the objects described in files (or standard input), in JSON or YAML: objects that do not exist are created, existing ones are changed to match. Every object in the files must have a name.

 apply remembers what it applied in an annotation, so that next time it can also remove fields you deleted from the file. Objects you intend to manage with apply should therefore be created by apply (or by "create --save-config").

 --prune is an alpha feature and still incomplete; do not use it unless you know its current limits (https://issues.k8s.io/34274).`,
    example: `  # Create or update the pod described in pod.json
  kubectl apply -f ./pod.json
  
  # Apply what the kustomization in dir/ (dir/kustomization.yaml) builds
  kubectl apply -k dir/
  
  # Apply the JSON on standard input
  cat pod.json | kubectl apply -f -
  
  # Apply every .json file in the current directory
  kubectl apply -f '*.json'
  
  # Alpha: apply manifest.yaml, then delete the objects labelled app=nginx
  # that are no longer in it
  kubectl apply --prune -f manifest.yaml -l app=nginx`,
    use: 'apply (-f FILENAME | -k DIRECTORY)',
    flags: [
      { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'The files that contain the configurations to apply.' },
      { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
      { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process a kustomization directory. This flag can't be used together with -f or -R." },
      { name: 'server-side', type: 'bool', default: false, usage: 'If true, apply runs in the server instead of the client.' },
      { name: 'force-conflicts', type: 'bool', default: false, usage: 'If true, server-side apply will force the changes against conflicts.' },
      { name: 'field-manager', type: 'string', default: 'kubectl-client-side-apply', usage: 'Name of the manager used to track field ownership.' },
      DRY_RUN_FLAG,
      OUTPUT_FLAG,
      VALIDATE_FLAG,
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
      { name: 'prune', type: 'bool', default: false, usage: 'Automatically delete resource objects, that do not appear in the configs and are created by either apply or create --save-config. Should be used with either -l or --all.' },
      { name: 'all', type: 'bool', default: false, usage: 'Select all resources in the namespace of the specified resource types.' },
      { name: 'overwrite', type: 'bool', default: true, usage: 'Automatically resolve conflicts between the modified and live configuration by using values from the modified configuration' },
      { name: 'force', type: 'bool', default: false, usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
      { name: 'grace-period', type: 'int', default: -1, usage: 'Period of time in seconds given to resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
      { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
      { name: 'wait', type: 'bool', default: false, usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
    ],
    subcommands: [viewLastApplied(), setLastApplied()],
    run: runApply,
  };
}
