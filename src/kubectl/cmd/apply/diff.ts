/**
 * `kubectl diff`: the live object against what applying the manifest would make of it (a
 * server dry run of the apply patch, or of the create), printed as `diff -u -N` of their YAML
 * in LIVE-… and MERGED-… directories. Exit 0: no differences, 1: differences, >1: error.
 */
import type { KubeObject } from '../../../sim';
import { klogStamp } from '../../cmdutil';
import { CommandError, type KubectlContext } from '../../context';
import type { ParsedArgs } from '../../flags';
import { toYaml } from '../../printers';
import { manifestTargets, readManifests, type Target } from '../../resource';
import type { Command } from '../types';
import { resourcePath } from '../../discovery';
import { fieldValidation, sourcedError, VALIDATE_FLAG, withoutManagedFields } from './common';
import { goJson, LAST_APPLIED, lastAppliedOf, sortedCopy, threeWayPatch } from './threeway';
import { unifiedHunks } from './unified-diff';

function fileName(t: Target): string {
  return `${t.resource.group ? `${t.resource.group}.` : ''}${t.resource.version}.${t.resource.kind}.${t.namespace ?? ''}.${t.name}`;
}

/** GNU diff's file time: `2024-11-24 00:59:17.734987316 +0000`. */
function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000000 +0000`;
}

async function merged(ctx: KubectlContext, t: Target, live: KubeObject | undefined, args: ParsedArgs, lock = true): Promise<KubeObject> {
  const object = JSON.parse(JSON.stringify(t.object)) as KubeObject;
  if (t.resource.namespaced && t.namespace) object.metadata = { ...object.metadata, namespace: t.namespace };
  const serverSide = args.flags.get('server-side') as boolean;
  const fieldManager = args.changed.has('field-manager') ? (args.flags.get('field-manager') as string) : serverSide ? 'kubectl' : 'kubectl-client-side-apply';
  const query: Record<string, string> = { dryRun: 'All', fieldManager };
  const path = resourcePath(t.resource, t.namespace, t.name);
  let res;
  if (serverSide) {
    res = await ctx.client.request({ method: 'PATCH', path, query: { ...query, force: String(args.flags.get('force-conflicts') as boolean) }, body: sortedCopy(object), contentType: 'application/apply-patch+yaml' });
  } else if (!live) {
    res = await ctx.client.request({ method: 'POST', path: resourcePath(t.resource, t.namespace), query, body: sortedCopy(object) });
  } else {
    const annotations = { ...(object.metadata.annotations ?? {}) };
    delete annotations[LAST_APPLIED];
    const modified = { ...object, metadata: { ...object.metadata, annotations } };
    const { patch, type } = threeWayPatch(lastAppliedOf(live), modified as never, live as never, object.apiVersion, object.kind);
    if (goJson(patch) === '{}') return live;
    const withVersion = lock ? { ...patch, metadata: { ...((patch.metadata as object | undefined) ?? {}), resourceVersion: live.metadata.resourceVersion } } : patch;
    res = await ctx.client.request({ method: 'PATCH', path, query, body: withVersion, contentType: type });
  }
  if (res.status === 409 && lock) {
    // kubectl retries a conflicting dry run, then diffs without the resourceVersion lock.
    const gv = t.resource.group ? `${t.resource.group}/${t.resource.version}` : t.resource.version;
    ctx.stderr(`W${klogStamp(ctx)} diff.go:723] Object (${gv}, Kind=${t.resource.kind}: ${t.name}) keeps changing, diffing without lock\n`);
    return merged(ctx, t, live, args, false);
  }
  if (res.status >= 400) throw new CommandError(sourcedError(res, live ? 'patching' : 'creating', undefined), 1);
  return res.body as KubeObject;
}

async function runDiff(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  try {
    return await diff(args, ctx);
  } catch (err) {
    // Errors exit above 1, which means "differences found".
    if (err instanceof CommandError) throw new CommandError(err.message, Math.max(err.exitCode, 2));
    throw err;
  }
}

async function diff(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const filenames = args.flags.get('filename') as string[];
  if (filenames.length === 0) throw new CommandError('error: must specify one of -f and -k', 1);
  fieldValidation(args);
  let targets: Target[];
  try {
    targets = await manifestTargets(ctx, readManifests(ctx, filenames, args.flags.get('recursive') as boolean), ctx.namespace, args.changed.has('namespace'));
  } catch (err) {
    if (err instanceof CommandError) throw new CommandError(err.message, 1);
    throw err;
  }
  const showManaged = args.flags.get('show-managed-fields') as boolean;
  const now = ctx.clock?.now() ?? 0;
  const seed = Math.floor(now % 1_000_000_000);
  const liveDir = `/tmp/LIVE-${100_000_000 + ((seed * 7919) % 900_000_000)}`;
  const mergedDir = `/tmp/MERGED-${100_000_000 + ((seed * 104_729) % 900_000_000)}`;
  let out = '';
  for (const t of targets) {
    const got = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
    if (got.status >= 400 && got.status !== 404) throw new CommandError(sourcedError(got, 'retrieving', undefined), 1);
    const live = got.status === 404 ? undefined : (got.body as KubeObject);
    const after = await merged(ctx, t, live, args);
    const show = (o: KubeObject | undefined) => (o ? toYaml(showManaged ? o : withoutManagedFields(o)) : '');
    const hunks = unifiedHunks(show(live), show(after));
    if (!hunks) continue;
    const name = fileName(t);
    out += `diff -u -N ${liveDir}/${name} ${mergedDir}/${name}\n--- ${liveDir}/${name}\t${stamp(now)}\n+++ ${mergedDir}/${name}\t${stamp(now)}\n${hunks}`;
  }
  ctx.stdout(out);
  return out ? 1 : 0;
}

export function diffCommand(): Command {
  return {
    name: 'diff',
    short: 'Diff the live version against a would-be applied version',
    long: `Show what "kubectl apply" would change: the objects in the files (or standard input) are compared with the live ones in the cluster, as YAML.

 The comparison is done by "diff -u -N" from your PATH. Set KUBECTL_EXTERNAL_DIFF to use another program, with arguments if you like, e.g. KUBECTL_EXTERNAL_DIFF="colordiff -N -u".

 Exit status: 0 when nothing would change, 1 when something would, above 1 when kubectl or the diff program failed. A program set in KUBECTL_EXTERNAL_DIFF should use the same codes.`,
    example: `  # What would applying pod.json change?
  kubectl diff -f pod.json
  
  # The same for a manifest on standard input
  cat service.yaml | kubectl diff -f -`,
    use: 'diff -f FILENAME',
    flags: [
      { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'Filename, directory, or URL to files contains the configuration to diff' },
      { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
      { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process the kustomization directory. This flag can't be used together with -f or -R." },
      { name: 'server-side', type: 'bool', default: false, usage: 'If true, apply runs in the server instead of the client.' },
      { name: 'force-conflicts', type: 'bool', default: false, usage: 'If true, server-side apply will force the changes against conflicts.' },
      { name: 'field-manager', type: 'string', default: 'kubectl-client-side-apply', usage: 'Name of the manager used to track field ownership.' },
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
      { name: 'prune', type: 'bool', default: false, usage: 'Include resources that would be deleted by pruning. Can be used with -l and default shows all resources would be pruned' },
      { name: 'concurrency', type: 'int', default: 1, usage: 'Number of objects to process in parallel when diffing against the live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time.' },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, include managed fields in the diff.' },
      VALIDATE_FLAG,
    ],
    run: runDiff,
  };
}
