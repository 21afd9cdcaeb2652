/** `kubectl replace`: PUT each manifest over the live object (--force: delete, wait, create). */
import { isWatchHandle, type KubeObject } from '../../../sim';
import { DRY_RUN_FLAG, dryRunStrategy, dryRunSuffix } from '../../cmdutil';
import { CommandError, type KubectlContext } from '../../context';
import { qualifiedKind, resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import { manifestTargets, readManifests, type Target } from '../../resource';
import type { Command } from '../types';
import { fieldValidation, OUTPUT_FLAG, outputFormat, printObjects, sourcedError, VALIDATE_FLAG } from './common';
import { sortedCopy } from './threeway';

async function waitGone(ctx: KubectlContext, resource: Target['resource'], namespace: string | undefined, name: string): Promise<void> {
  let gone = false;
  const check = await ctx.client.request({ method: 'GET', path: resourcePath(resource, namespace, name) });
  if (check.status === 404) return;
  const handle = await ctx.client.watch(
    { method: 'GET', path: resourcePath(resource, namespace), query: { watch: 'true', fieldSelector: `metadata.name=${name}`, resourceVersion: (check.body as KubeObject).metadata.resourceVersion ?? '' } },
    (e) => {
      if (e.type === 'DELETED') gone = true;
    },
  );
  if (!isWatchHandle(handle)) return;
  if (ctx.clock) await ctx.clock.waitUntil(() => gone, undefined, ctx.signal);
  handle.stop();
}

async function runReplace(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const filenames = args.flags.get('filename') as string[];
  if (filenames.length === 0) throw new CommandError('error: must specify one of -f and -k');
  const output = outputFormat(args);
  const dryRun = dryRunStrategy(args, ctx);
  const validation = fieldValidation(args);
  const force = args.flags.get('force') as boolean;
  const grace = args.flags.get('grace-period') as number;
  const targets = await manifestTargets(ctx, readManifests(ctx, filenames, args.flags.get('recursive') as boolean), ctx.namespace, args.changed.has('namespace'));
  const query: Record<string, string> = { fieldManager: args.flags.get('field-manager') as string, fieldValidation: validation };
  if (dryRun === 'server') query.dryRun = 'All';
  const errors: string[] = [];
  const printed: KubeObject[] = [];
  const deleted = new Set<Target>();
  for (const t of targets) {
    const object = sortedCopy(t.object!) as KubeObject;
    if (t.resource.namespaced && t.namespace) object.metadata = { ...object.metadata, namespace: t.namespace };
    const path = resourcePath(t.resource, t.namespace, t.name);
    const report = (obj: KubeObject) => {
      if (output === 'name') ctx.stdout(`${qualifiedKind(t.resource)}/${t.name}\n`);
      else if (output) printed.push(obj);
      else ctx.stdout(`${qualifiedKind(t.resource)}/${t.name} replaced${dryRunSuffix(dryRun)}\n`);
    };
    if (dryRun === 'client') {
      report(object);
      continue;
    }
    if (force) {
      if (!deleted.has(t)) {
        // kubectl deletes every object first, waits until each is gone, then creates them.
        for (const u of targets) {
          const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };
          if (grace >= 0) body.gracePeriodSeconds = grace;
          const upath = resourcePath(u.resource, u.namespace, u.name);
          const del = await ctx.client.request({ method: 'DELETE', path: upath, body });
          deleted.add(u);
          if (del.status >= 400) {
            if (del.status !== 404) errors.push(sourcedError(del, 'deleting', u.source));
            continue;
          }
          ctx.stdout(`${qualifiedKind(u.resource)} "${u.name}" deleted\n`);
        }
        for (const u of targets) await waitGone(ctx, u.resource, u.namespace, u.name);
      }
      const res = await ctx.client.request({ method: 'POST', path: resourcePath(t.resource, t.namespace), query, body: object });
      if (res.status >= 400) errors.push(sourcedError(res, 'creating', t.source));
      else report(res.body as KubeObject);
      continue;
    }
    if (!object.metadata.resourceVersion) {
      const got = await ctx.client.request({ method: 'GET', path });
      if (got.status >= 400) {
        errors.push(sourcedError(got, 'replacing', t.source));
        continue;
      }
      object.metadata.resourceVersion = (got.body as KubeObject).metadata.resourceVersion;
    }
    const res = await ctx.client.request({ method: 'PUT', path, query, body: object });
    for (const w of res.warnings ?? []) ctx.stderr(`Warning: ${w}\n`);
    if (res.status >= 400) errors.push(sourcedError(res, 'replacing', t.source));
    else report(res.body as KubeObject);
  }
  if (output === 'json' || output === 'yaml') printObjects(ctx, printed, output);
  if (errors.length) {
    ctx.stderr(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  return 0;
}

export function replaceCommand(): Command {
  return {
    name: 'replace',
    short: 'Replace a resource by file name or stdin',
    long: `Replace objects with the ones in the files (or standard input) you give, in JSON or YAML.

 The file must hold the whole object, not only the fields you want to change: whatever it leaves out is removed. A good way to get a complete copy to edit:

        $ kubectl get TYPE NAME -o yaml`,
    example: `  # Replace the pod with the one in pod.json
  kubectl replace -f ./pod.json
  
  # Replace it with the JSON on standard input
  cat pod.json | kubectl replace -f -
  
  # Change the image tag of a one-container pod to v4
  kubectl get pod mypod -o yaml | sed 's/\\(image: myimage\\):.*$/\\1:v4/' | kubectl replace -f -
  
  # Delete the object and create it again from the file
  kubectl replace --force -f ./pod.json`,
    use: 'replace -f FILENAME',
    flags: [
      { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'The files that contain the configurations to replace.' },
      { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
      { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process a kustomization directory. This flag can't be used together with -f or -R." },
      { name: 'force', type: 'bool', default: false, usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
      { name: 'grace-period', type: 'int', default: -1, usage: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
      { name: 'cascade', type: 'string', default: 'background', noOptDefault: 'background', usage: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.' },
      { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
      { name: 'wait', type: 'bool', default: false, usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
      { name: 'field-manager', type: 'string', default: 'kubectl-replace', usage: 'Name of the manager used to track field ownership.' },
      { name: 'save-config', type: 'bool', default: false, usage: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future." },
      DRY_RUN_FLAG,
      OUTPUT_FLAG,
      VALIDATE_FLAG,
    ],
    run: runReplace,
  };
}
