/**
 * `kubectl delete`: by TYPE NAME, TYPE/NAME, -f, -l, --all or --field-selector; with grace
 * periods, --now, --force, cascading policies, and waiting (a watch on the virtual clock) until
 * the objects are gone.
 */
import type { WatchEventObject } from '../../../sim';
import { isWatchHandle } from '../../../sim';
import { DRY_RUN_FLAG, dryRunStrategy, dryRunSuffix } from '../../cmdutil';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath } from '../../discovery';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import type { Target } from '../../resource';
import type { Command } from '../types';
import { collectTargets, sourcedError, targetFlags, targetOptions } from './common';

const CASCADE: Record<string, 'Background' | 'Foreground' | 'Orphan'> = { background: 'Background', true: 'Background', foreground: 'Foreground', orphan: 'Orphan', false: 'Orphan' };

/** Waits until each deleted object is gone (or replaced by one with another UID). */
async function waitDeleted(ctx: KubectlContext, deleted: { target: Target; uid: string | undefined }[], timeoutMs: number): Promise<void> {
  for (const { target, uid } of deleted) {
    let gone = false;
    const path = resourcePath(target.resource, target.namespace, target.name);
    const check = await ctx.client.request({ method: 'GET', path });
    if (check.status === 404 || (uid && (check.body as { metadata?: { uid?: string } }).metadata?.uid !== uid)) continue;
    const handle = await ctx.client.watch(
      { method: 'GET', path: resourcePath(target.resource, target.namespace), query: { watch: 'true', fieldSelector: `metadata.name=${target.name}`, resourceVersion: (check.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion } },
      (e: WatchEventObject) => {
        if (e.type === 'DELETED') gone = true;
      },
    );
    if (!isWatchHandle(handle)) continue;
    const outcome = ctx.clock ? await ctx.clock.waitUntil(() => gone, timeoutMs, ctx.signal) : 'done';
    handle.stop();
    if (outcome === 'timeout')
      throw new CommandError(`error: timed out waiting for the condition on ${target.resource.group ? `${target.resource.name}.${target.resource.group}` : target.resource.name}/${target.name}`);
    if (outcome === 'interrupted') throw new CommandError('', 130);
  }
}

async function runDelete(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const output = args.flags.get('output') as string;
  const o = targetOptions(args);
  const force = args.flags.get('force') as boolean;
  const now = args.flags.get('now') as boolean;
  let grace = args.flags.get('grace-period') as number;
  const cascadeText = args.flags.get('cascade') as string;
  const cascade = CASCADE[cascadeText];
  if (!cascade) throw new CommandError(`error: invalid cascade value (${cascadeText}). Must be "background", "foreground", or "orphan"`);
  if (cascadeText === 'true' || cascadeText === 'false')
    ctx.stderr(`warning: --cascade=${cascadeText} is deprecated (boolean value) and can be replaced with --cascade=${cascadeText === 'true' ? 'background' : 'orphan'}.\n`);
  let ignoreNotFound = args.flags.get('ignore-not-found') as boolean;
  if ((o.all || o.selector || o.fieldSelector) && !args.changed.has('ignore-not-found')) ignoreNotFound = true;
  if (now) {
    if (grace !== -1) throw new CommandError('error: --now and --grace-period cannot be specified together');
    grace = 1;
  }
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  const dryRun = dryRunStrategy(args, ctx);
  if (output && output !== 'name') throw new CommandError(`error: unexpected -o output mode: ${output}. We only support '-o name'`);
  if (o.all && o.selector) throw new CommandError('error: cannot set --all and --selector at the same time');
  if (o.all && o.fieldSelector) throw new CommandError('error: cannot set --all and --field-selector at the same time');
  if (grace === 0 && force)
    ctx.stderr('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  else if (grace > 0 && force) throw new CommandError('error: --force and --grace-period greater than 0 cannot be specified together');
  const timeout = args.flags.get('timeout') as string;
  const timeoutMs = parseGoDuration(timeout) || 168 * 3_600_000;

  const { targets } = await collectTargets(ctx, args, args.positional, o, () => 'error: resource(s) were provided, but no name was specified');
  const errors: string[] = [];
  const deleted: { target: Target; uid: string | undefined }[] = [];
  let found = 0;
  const print = (t: Target) => {
    if (output === 'name') ctx.stdout(`${qualifiedKind(t.resource)}/${t.name}\n`);
    else ctx.stdout(`${qualifiedKind(t.resource)} "${t.name}" ${grace === 0 ? 'force deleted' : 'deleted'}${dryRunSuffix(dryRun)}\n`);
  };
  for (const t of targets) {
    const path = resourcePath(t.resource, t.namespace, t.name);
    // The builder does not fetch named objects: each counts as found, even a missing one.
    found++;
    if (dryRun === 'client') {
      print(t);
      continue;
    }
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: cascade };
    if (grace >= 0) body.gracePeriodSeconds = grace;
    const res = await ctx.client.request({ method: 'DELETE', path, body, ...(dryRun === 'server' ? { query: { dryRun: 'All' } } : {}) });
    if (res.status >= 400) {
      if (!(ignoreNotFound && res.status === 404)) errors.push(sourcedError(res, 'deleting', t.source));
      continue;
    }
    print(t);
    const b = res.body as { kind?: string; details?: { uid?: string }; metadata?: { uid?: string } };
    deleted.push({ target: t, uid: b.kind === 'Status' ? b.details?.uid : b.metadata?.uid });
  }
  if (errors.length) {
    ctx.stderr(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  if (found === 0) {
    ctx.stdout('No resources found\n');
    return 0;
  }
  if ((args.flags.get('wait') as boolean) && dryRun === 'none') await waitDeleted(ctx, deleted, timeoutMs);
  return 0;
}

export function deleteCommand(): Command {
  return {
    name: 'delete',
    short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
    long: `Delete objects. Say which ones in exactly one way: with files (-f, -k, JSON or YAML), with a type and names, or with a type and a label selector (-l) or --all.

 Some objects, pods above all, are not removed at once: they get a grace period to shut down. --grace-period=N sets it in seconds and --now sets it to 1. A pod whose node is down or cut off from the API server may stay in Terminating much longer than its grace period. Objects without graceful deletion ignore --grace-period.

 --force (with --grace-period=0) removes a pod from the API without waiting for its node to confirm that the containers have stopped. They may keep running for a while, next to a replacement pod with the same name; if two copies of your application must never run at once, or if they share storage, only force-delete a pod you know is dead.

 delete does not check resource versions: a change someone else makes to the object at the same moment is lost with it.

 After deleting a CustomResourceDefinition, cached API discovery can be stale for a long time; "kubectl api-resources" refreshes it.`,
    example: `  # Delete the object described in pod.json
  kubectl delete -f ./pod.json
  
  # Delete the object described by the JSON on standard input
  cat pod.json | kubectl delete -f -
  
  # Delete the pods and the services named baz and foo
  kubectl delete pod,service baz foo
  
  # Delete the pods and services labelled name=myLabel
  kubectl delete pods,services -l name=myLabel
  
  # Delete pod foo with a one-second grace period
  kubectl delete pod foo --now
  
  # Remove pod foo without waiting (for a pod on a node that is gone)
  kubectl delete pod foo --force
  
  # Delete every pod of the namespace
  kubectl delete pods --all`,
    use: 'delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])',
    flags: [
      ...targetFlags('containing the resource to delete.', { all: 'Delete all resources, in the namespace of the specified resource types.', allNamespaces: true, fieldSelector: true }),
      { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', usage: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.' },
      DRY_RUN_FLAG,
      { name: 'force', type: 'bool', default: false, usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
      { name: 'grace-period', type: 'int', default: -1, usage: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
      { name: 'ignore-not-found', type: 'bool', default: false, usage: 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.' },
      { name: 'interactive', shorthand: 'i', type: 'bool', default: false, usage: 'If true, delete resource only when user confirms.' },
      { name: 'now', type: 'bool', default: false, usage: 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).' },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output mode. Use "-o name" for shorter output (resource/name).' },
      { name: 'raw', type: 'string', default: '', usage: 'Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.' },
      { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
      { name: 'wait', type: 'bool', default: true, usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
    ],
    run: runDelete,
  };
}
