/** `kubectl autoscale`: a HorizontalPodAutoscaler (autoscaling/v1, as kubectl 1.32 writes it) for a scalable workload. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, DRY_RUN_FLAG, filenameFlags } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { collectTargets } from './scale';
import { addLastApplied, fieldManagerFlag, OUTPUT_FLAGS, printerFor, printObject, requireFlags, SAVE_CONFIG_FLAG, writeQuery, type Obj } from './shared';
import { printWarnings, responseError } from '../../cmdutil';

const HPA_V1 = { group: 'autoscaling', version: 'v1', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true };
const SCALABLE = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', '/ReplicationController']);

async function runAutoscale(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  requireFlags(ctx, args, ['max']);
  const min = args.flags.get('min') as number;
  const max = args.flags.get('max') as number;
  const cpu = args.flags.get('cpu-percent') as number;
  if (max < 1) throw new CommandError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`);
  if (max < min) throw new CommandError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
  const dryRun = dryRunStrategy(args, ctx);
  const printer = printerFor(args, dryRun, ctx);
  const { targets, errors, objects } = await collectTargets(ctx, args, 'autoscale');
  if (errors.length && targets.length === 0) throw new CommandError(errors.join('\n'));
  for (const t of targets) {
    const r = t.resource;
    if (!SCALABLE.has(`${r.group}/${r.kind}`))
      throw new CommandError(`error: cannot autoscale a ${r.kind}: could not find scale subresource for ${r.group}/${r.version}, Resource=${r.name} in discovery information`);
    const object = objects.get(t)!;
    const name = (args.flags.get('name') as string) || t.name;
    const spec: Obj = { scaleTargetRef: { kind: r.kind, name: t.name, apiVersion: String(object.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version)) } };
    if (min !== -1) spec.minReplicas = min;
    spec.maxReplicas = max;
    if (cpu >= 0) spec.targetCPUUtilizationPercentage = cpu;
    const metadata: Obj = { name };
    if (args.changed.has('namespace')) metadata.namespace = ctx.namespace;
    metadata.creationTimestamp = null;
    let hpa: Obj = { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v1', metadata, spec, status: { currentReplicas: 0, desiredReplicas: 0 } };
    if (dryRun === 'client') {
      printObject(ctx, printer, hpa, HPA_V1, 'autoscaled', { goOrdered: true });
      continue;
    }
    if (args.flags.get('save-config')) hpa = addLastApplied(hpa);
    const res = await ctx.client.request({
      method: 'POST',
      path: `/apis/autoscaling/v1/namespaces/${t.namespace ?? ctx.namespace}/horizontalpodautoscalers`,
      query: writeQuery({ fieldManager: String(args.flags.get('field-manager')), dryRun }),
      body: hpa,
    });
    printWarnings(ctx, res);
    if (res.status >= 400) throw new CommandError(responseError(res));
    printObject(ctx, printer, res.body as Obj, HPA_V1, 'autoscaled');
  }
  if (errors.length) throw new CommandError(errors.join('\n'));
  return 0;
}

export const autoscale: Command = {
  name: 'autoscale',
  short: 'Auto-scale a deployment, replica set, stateful set, or replication controller',
  long: `Create a HorizontalPodAutoscaler for a deployment, replica set, stateful set or replication controller.

 The autoscaler watches the pods of that object and raises or lowers its replica count between --min and --max, aiming at the CPU use given by --cpu-percent.`,
  example: `  # Keep deployment foo between 2 and 10 pods, with the default CPU target
  kubectl autoscale deployment foo --min=2 --max=10
  
  # Keep replication controller foo at up to 5 pods, aiming at 80% CPU
  kubectl autoscale rc foo --max=5 --cpu-percent=80`,
  use: 'autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU]',
  flags: [
    ...OUTPUT_FLAGS,
    ...filenameFlags('Filename, directory, or URL to files identifying the resource to autoscale.'),
    DRY_RUN_FLAG,
    SAVE_CONFIG_FLAG,
    fieldManagerFlag('kubectl-autoscale'),
    { name: 'min', type: 'int', default: -1, usage: 'The lower limit for the number of pods that can be set by the autoscaler. If it\'s not specified or negative, the server will apply a default value.' },
    { name: 'max', type: 'int', default: -1, usage: 'The upper limit for the number of pods that can be set by the autoscaler. Required.' },
    { name: 'cpu-percent', type: 'int', default: -1, usage: "The target average CPU utilization (represented as a percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will be used." },
    { name: 'name', type: 'string', default: '', usage: 'The name for the newly created object. If not specified, the name of the input resource will be used.' },
  ],
  run: runAutoscale,
};
