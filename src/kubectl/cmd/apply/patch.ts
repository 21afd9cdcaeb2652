/** `kubectl patch`: a strategic, JSON merge or JSON patch sent to each object (or its subresource). */
import { parse } from 'yaml';
import type { KubeObject, PatchType } from '../../../sim';
import { DRY_RUN_FLAG, dryRunStrategy } from '../../cmdutil';
import { CommandError, FileAccessError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath } from '../../discovery';
import type { FlagSpec, ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { collectTargets, nameLine, OUTPUT_FLAG, outputFormat, printObjects, requestError, targetFlags, targetOptions } from './common';
import { goJson } from './threeway';

const TYPES: Record<string, PatchType> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

function readPatch(args: ParsedArgs, ctx: KubectlContext): unknown {
  const inline = args.flags.get('patch') as string;
  const file = args.flags.get('patch-file') as string;
  let text = inline;
  if (file) {
    try {
      if (!ctx.files) throw new FileAccessError(file, 'not found');
      text = ctx.files.read(file);
    } catch (err) {
      if (err instanceof FileAccessError) throw new CommandError(`error: unable to read patch file: open ${file}: no such file or directory`);
      throw err;
    }
  }
  try {
    return parse(text, { version: '1.1' }) as unknown;
  } catch (err) {
    throw new CommandError(`error: unable to parse ${JSON.stringify(inline)}: yaml: ${(err as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
}

async function runPatch(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const inline = args.flags.get('patch') as string;
  const file = args.flags.get('patch-file') as string;
  if (inline && file) throw new CommandError('error: cannot specify --patch and --patch-file together');
  if (!inline && !file) throw new CommandError('error: must specify --patch or --patch-file containing the contents of the patch');
  const typeName = (args.flags.get('type') as string).toLowerCase();
  const contentType = TYPES[typeName];
  if (!contentType) throw new CommandError(`error: --type must be one of [json merge strategic], not ${JSON.stringify(args.flags.get('type'))}`);
  const output = outputFormat(args);
  const dryRun = dryRunStrategy(args, ctx);
  const subresource = args.flags.get('subresource') as string;
  const patch = readPatch(args, ctx);
  const o = targetOptions(args);
  const { targets } = await collectTargets(ctx, args, args.positional, { ...o, selector: '', all: false }, () => 'error: resource(s) were provided, but no name was specified');
  if (targets.length === 0) throw new CommandError('error: no objects passed to patch');
  const errors: string[] = [];
  const printed: KubeObject[] = [];
  for (const t of targets) {
    const path = resourcePath(t.resource, t.namespace, t.name, subresource || undefined);
    const got = await ctx.client.request({ method: 'GET', path });
    if (got.status >= 400) {
      errors.push(requestError(got));
      continue;
    }
    const query: Record<string, string> = { fieldManager: args.flags.get('field-manager') as string };
    if (dryRun !== 'none') query.dryRun = 'All';
    const res = await ctx.client.request({ method: 'PATCH', path, query, body: patch, contentType });
    for (const w of res.warnings ?? []) ctx.stderr(`Warning: ${w}\n`);
    if (res.status >= 400) {
      errors.push(requestError(res));
      continue;
    }
    const before = got.body as KubeObject;
    const after = res.body as KubeObject;
    const changed = goJson(before) !== goJson(after);
    // kubectl names what the server returned (a Scale for --subresource=scale).
    const kind = subresource && after.kind !== t.resource.kind ? { kind: after.kind, group: (after.apiVersion ?? '').split('/').slice(0, -1).join('/') } : t.resource;
    if (output === 'name') ctx.stdout(nameLine(kind, t.name));
    else if (output) printed.push(after);
    else ctx.stdout(`${qualifiedKind(kind)}/${t.name} ${changed ? 'patched' : 'patched (no change)'}\n`);
  }
  if (output === 'json' || output === 'yaml') printObjects(ctx, printed, output);
  if (errors.length) {
    ctx.stderr(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  return 0;
}

export function patchCommand(): Command {
  return {
    name: 'patch',
    short: 'Update fields of a resource',
    long: `Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.

 JSON and YAML formats are accepted.

 Note: Strategic merge patch is not supported for custom resources.`,
    example: `  # Partially update a node using a strategic merge patch, specifying the patch as JSON
  kubectl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'

  # Partially update a node using a strategic merge patch, specifying the patch as YAML
  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'

  # Partially update a node identified by the type and name specified in "node.json" using strategic merge patch
  kubectl patch -f node.json -p '{"spec":{"unschedulable":true}}'

  # Update a container's image; spec.containers[*].name is required because it's a merge key
  kubectl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'

  # Update a container's image using a JSON patch with positional arrays
  kubectl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'

  # Update a deployment's replicas through the 'scale' subresource using a merge patch
  kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'`,
    use: 'patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]',
    flags: ([
      ...targetFlags('Filename, directory, or URL to files identifying the resource to update'),
      { name: 'patch', shorthand: 'p', type: 'string', default: '', usage: 'The patch to be applied to the resource JSON file.' },
      { name: 'patch-file', type: 'string', default: '', usage: 'A file containing a patch to be applied to the resource.' },
      { name: 'type', type: 'string', default: 'strategic', usage: 'The type of patch being provided; one of [json merge strategic]' },
      { name: 'subresource', type: 'string', default: '', usage: "If specified, patch will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future." },
      { name: 'local', type: 'bool', default: false, usage: 'If true, patch will operate on the content of the file, not the server-side resource.' },
      { name: 'field-manager', type: 'string', default: 'kubectl-patch', usage: 'Name of the manager used to track field ownership.' },
      DRY_RUN_FLAG,
      OUTPUT_FLAG,
    ] as FlagSpec[]).filter((f) => f.name !== 'selector'),
    run: runPatch,
  };
}
