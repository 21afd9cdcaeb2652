/**
 * `kubectl describe`: options → complete → validate → run, as kubectl's describe command. The
 * resource builder finds the objects (names, TYPE/NAME, whole types with -l/-A, -f manifests);
 * each is then described by its kind's describer, which reads the object and what relates to
 * it (pods, ReplicaSets, events) and formats it in kubectl's indented layout.
 */
import { CommandError, type KubectlContext } from '../../context';
import { resourcePath, type ApiResource } from '../../discovery';
import { filenameFlags } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import { manifestTargets, readManifests, resourceArgs } from '../../resource';
import type { Command } from '../types';
import { describeNamespace, describeNode, describeHorizontalPodAutoscaler, describeLimitRange, describePodDisruptionBudget, describePriorityClass, describeResourceQuota } from './cluster';
import {
  describeClusterRole,
  describeClusterRoleBinding,
  describeConfigMap,
  describePersistentVolume,
  describePersistentVolumeClaim,
  describeRole,
  describeRoleBinding,
  describeSecret,
  describeServiceAccount,
  describeStorageClass,
} from './config';
import { genericDescriber } from './generic';
import { describeEndpoints, describeEndpointSlice, describeIngress, describeIngressClass, describeNetworkPolicy, describeService } from './network';
import { describePod } from './pod';
import { describeCronJob, describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, describeReplicationController, describeStatefulSet } from './workloads';
import { apiError, DescribeError, listAll, type Describer, type DescribeEnv, type Obj } from './writer';

/** The kinds kubectl has a describer for, by group and kind; every other kind is described generically. */
const DESCRIBERS: Record<string, Describer> = {
  '/Pod': describePod,
  '/ReplicationController': describeReplicationController,
  '/Secret': describeSecret,
  '/Service': describeService,
  '/ServiceAccount': describeServiceAccount,
  '/Node': describeNode,
  '/LimitRange': describeLimitRange,
  '/ResourceQuota': describeResourceQuota,
  '/PersistentVolume': describePersistentVolume,
  '/PersistentVolumeClaim': describePersistentVolumeClaim,
  '/Namespace': describeNamespace,
  '/Endpoints': describeEndpoints,
  '/ConfigMap': describeConfigMap,
  'discovery.k8s.io/EndpointSlice': describeEndpointSlice,
  'autoscaling/HorizontalPodAutoscaler': describeHorizontalPodAutoscaler,
  'networking.k8s.io/Ingress': describeIngress,
  'networking.k8s.io/IngressClass': describeIngressClass,
  'networking.k8s.io/NetworkPolicy': describeNetworkPolicy,
  'batch/Job': describeJob,
  'batch/CronJob': describeCronJob,
  'apps/StatefulSet': describeStatefulSet,
  'apps/Deployment': describeDeployment,
  'apps/DaemonSet': describeDaemonSet,
  'apps/ReplicaSet': describeReplicaSet,
  'storage.k8s.io/StorageClass': describeStorageClass,
  'policy/PodDisruptionBudget': describePodDisruptionBudget,
  'rbac.authorization.k8s.io/Role': describeRole,
  'rbac.authorization.k8s.io/ClusterRole': describeClusterRole,
  'rbac.authorization.k8s.io/RoleBinding': describeRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': describeClusterRoleBinding,
  'scheduling.k8s.io/PriorityClass': describePriorityClass,
};

export function describerFor(resource: ApiResource): Describer {
  return DESCRIBERS[`${resource.group}/${resource.kind}`] ?? genericDescriber(resource);
}

interface DescribeOptions {
  args: string[];
  filenames: string[];
  recursive: boolean;
  selector: string;
  namespace: string;
  enforceNamespace: boolean;
  allNamespaces: boolean;
  showEvents: boolean;
  chunkSize: number;
}

interface Info {
  resource: ApiResource;
  namespace: string;
  name: string;
}

const MISSING_TYPE = 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n';

function complete(args: ParsedArgs, ctx: KubectlContext): DescribeOptions {
  const allNamespaces = args.flags.get('all-namespaces') as boolean;
  const o: DescribeOptions = {
    args: args.positional,
    filenames: args.flags.get('filename') as string[],
    recursive: args.flags.get('recursive') as boolean,
    selector: args.flags.get('selector') as string,
    namespace: ctx.namespace,
    enforceNamespace: args.changed.has('namespace') && !allNamespaces,
    allNamespaces,
    showEvents: args.flags.get('show-events') as boolean,
    chunkSize: args.flags.get('chunk-size') as number,
  };
  if (o.args.length === 0 && o.filenames.length === 0 && !(args.flags.get('kustomize') as string)) throw new CommandError(MISSING_TYPE);
  return o;
}

/** The builder's part: the objects to describe, and the errors met finding them. */
async function resolveInfos(o: DescribeOptions, ctx: KubectlContext, env: DescribeEnv): Promise<{ infos: Info[]; errors: DescribeError[] }> {
  const infos: Info[] = [];
  const errors: DescribeError[] = [];
  if (o.filenames.length > 0) {
    const manifests = readManifests(ctx, o.filenames, o.recursive);
    for (const t of await manifestTargets(ctx, manifests, o.namespace, o.enforceNamespace)) infos.push({ resource: t.resource, namespace: t.namespace ?? '', name: t.name });
  }
  if (o.args.length === 0) return { infos, errors };
  const { types, targets } = await resourceArgs(ctx, o.args, o.namespace);
  if (targets.length > 0 && o.selector) throw new CommandError('error: name cannot be provided when a selector is specified');
  for (const t of targets) {
    const res = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
    if (res.status >= 400) errors.push(apiError(res.body));
    else infos.push({ resource: t.resource, namespace: t.namespace ?? '', name: t.name });
  }
  for (const type of types) {
    const namespace = type.namespaced && !o.allNamespaces ? o.namespace : undefined;
    try {
      const items = await listAll(env, resourcePath(type, namespace), o.selector ? { labelSelector: o.selector } : {});
      for (const item of items) infos.push({ resource: type, namespace: item.metadata?.namespace ?? '', name: item.metadata?.name ?? '' });
    } catch (err) {
      if (!(err instanceof DescribeError)) throw err;
      errors.push(err);
    }
  }
  return { infos, errors };
}

/** kubectl describe TYPE NAME with no object of that name: every object whose name starts with it. */
async function describeMatching(o: DescribeOptions, ctx: KubectlContext, env: DescribeEnv, original: DescribeError): Promise<number> {
  const { types } = await resourceArgs(ctx, [o.args[0]!], o.namespace);
  const type = types[0]!;
  const describer = describerFor(type);
  const items = await listAll(env, resourcePath(type, type.namespaced ? o.namespace : undefined));
  let found = false;
  for (const item of items) {
    const name: string = item.metadata?.name ?? '';
    if (!name.startsWith(o.args[1]!)) continue;
    found = true;
    ctx.stdout(`${await describer(env, item.metadata?.namespace ?? '', name)}\n`);
  }
  if (!found) throw new CommandError(original.message);
  return 0;
}

async function run(o: DescribeOptions, ctx: KubectlContext): Promise<number> {
  const env: DescribeEnv = {
    client: ctx.client,
    settings: { showEvents: o.showEvents, chunkSize: o.chunkSize },
    now: ctx.clock?.now() ?? Date.now(),
  };
  const { infos, errors } = await resolveInfos(o, ctx, env);
  if (errors.length === 1 && errors[0]!.notFound && o.args.length === 2 && o.filenames.length === 0 && infos.length === 0)
    return describeMatching(o, ctx, env, errors[0]!);
  const seen = new Set(errors.map((e) => e.message));
  let first = true;
  for (const info of infos) {
    let text: string;
    try {
      text = await describerFor(info.resource)(env, info.namespace, info.name);
    } catch (err) {
      if (!(err instanceof DescribeError)) throw err;
      if (!seen.has(err.message)) {
        seen.add(err.message);
        errors.push(err);
      }
      continue;
    }
    ctx.stdout(first ? text : `\n\n${text}`);
    first = false;
  }
  if (infos.length === 0 && errors.length === 0) ctx.stderr(o.allNamespaces ? 'No resources found\n' : `No resources found in ${o.namespace} namespace.\n`);
  for (const e of errors) ctx.stderr(`${e.message}\n`);
  return errors.length ? 1 : 0;
}

export function describeCommand(): Command {
  return {
    name: 'describe',
    short: 'Show details of a specific resource or group of resources',
    long: `Show details of a specific resource or group of resources.

 Prints a readable, detailed account of each selected object together with what relates to it, such as its events or the objects it controls. Select one object by name, every object of a type, objects whose names begin with a prefix, or objects matching a label selector:

        $ kubectl describe TYPE NAME_PREFIX

 An object named exactly NAME_PREFIX is described if it exists; otherwise every object of TYPE whose name starts with NAME_PREFIX is.

Use "kubectl api-resources" for a complete list of supported resources.`,
    example: `  # Show one node in detail
  kubectl describe node worker-1
  
  # Show a pod, named in TYPE/NAME form
  kubectl describe pod/web
  
  # Show the objects a manifest file names
  kubectl describe -f web.yaml
  
  # Show every pod in the namespace
  kubectl describe pods
  
  # Show the pods labelled app=web
  kubectl describe pods -l app=web
  
  # Show every pod whose name begins with "web-" (for example a deployment's pods)
  kubectl describe pods web-`,
    use: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)',
    flags: [
      { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
      { name: 'chunk-size', type: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.' },
      ...filenameFlags('Filename, directory, or URL to files containing the resource to describe'),
      { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
      { name: 'show-events', type: 'bool', default: true, usage: 'If true, display events related to the described object.' },
    ],
    async run(args, ctx) {
      const o = complete(args, ctx);
      return run(o, ctx);
    },
  };
}

export type { Obj };
