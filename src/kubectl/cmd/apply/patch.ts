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
    long: `Change some fields of an object without sending the whole object. The patch (JSON or YAML) is one of three kinds, chosen with --type:

  *  strategic (the default): a partial object; lists such as containers are merged by their key (the name), not replaced. Custom resources do not support it.
  *  merge: a JSON merge patch (RFC 7386); a list you give replaces the whole list.
  *  json: a JSON patch (RFC 6902), a list of operations like {"op": "replace", "path": ..., "value": ...}.`,
    example: `  # Mark node k8s-node-1 unschedulable, with a patch written in JSON
  kubectl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'
  
  # The same patch written in YAML
  kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'
  
  # The same, for the node described in node.json
  kubectl patch -f node.json -p '{"spec":{"unschedulable":true}}'
  
  # Change the image of one container; the container is found by its name
  kubectl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new image"}]}}'
  
  # Change the image of the first container with a JSON patch
  kubectl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", "value":"new image"}]'
  
  # Set the replicas of a deployment through its scale subresource
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
