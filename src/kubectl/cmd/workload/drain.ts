/**
 * `kubectl cordon`, `uncordon` and `drain`, as kubectl's drain package: cordon patches
 * spec.unschedulable; drain then lists the node's pods, filters them (DaemonSet-managed, mirror,
 * emptyDir, unmanaged), evicts (or deletes) the rest and waits on the clock for each to go,
 * retrying evictions a PodDisruptionBudget refuses every 5 s.
 */
import type { KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, dryRunSuffix, responseError, type DryRun } from '../../cmdutil';
import { parseGoDuration, type FlagSpec, type ParsedArgs } from '../../flags';
import { isStatus } from '../../errors';
import type { Command } from '../types';
import { DRY_RUN_FLAG } from '../../cmdutil';
import { resourceArgs } from '../../resource';
import { waitFor } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SELECTOR: FlagSpec = { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." };

/** Nodes named (NODE, node/NODE) or selected, read from the server. */
async function nodeInfos(args: ParsedArgs, ctx: KubectlContext, use: string, verb: string): Promise<Obj[]> {
  const selector = args.flags.get('selector') as string;
  if (args.positional.length === 0 && !args.changed.has('selector')) throw new CommandError(`error: USAGE: ${use} [flags]\nSee 'kubectl ${verb} -h' for help and examples`);
  if (args.positional.length > 0 && selector) throw new CommandError(`error: error: cannot specify both a node name and a --selector option\nSee 'kubectl ${verb} -h' for help and examples`);
  const nodes: Obj[] = [];
  if (args.positional.length === 0) {
    const res = await ctx.client.request({ method: 'GET', path: '/api/v1/nodes', query: selector ? { labelSelector: selector } : {} });
    if (res.status >= 400) throw new CommandError(responseError(res));
    return (res.body as { items: Obj[] }).items;
  }
  const names = args.positional.some((a) => a.includes('/')) ? (await resourceArgs(ctx, args.positional, ctx.namespace)).targets : args.positional.map((name) => ({ name, resource: { kind: 'Node', group: '' } }));
  for (const t of names) {
    if (t.resource.kind !== 'Node') throw new CommandError(`error: expected resource of type node, got ${JSON.stringify(t.resource)}`);
    const res = await ctx.client.request({ method: 'GET', path: `/api/v1/nodes/${encodeURIComponent(t.name)}` });
    if (res.status >= 400) throw new CommandError(responseError(res));
    nodes.push(res.body as Obj);
  }
  return nodes;
}

async function cordonOrUncordon(ctx: KubectlContext, nodes: Obj[], desired: boolean, dryRun: DryRun): Promise<void> {
  const verb = desired ? 'cordon' : 'uncordon';
  for (const node of nodes) {
    const name = node.metadata.name as string;
    if (Boolean(node.spec?.unschedulable) === desired) {
      ctx.stdout(`node/${name} already ${verb}ed${dryRunSuffix(dryRun)}\n`);
      continue;
    }
    if (dryRun !== 'client') {
      const res = await ctx.client.request({
        method: 'PATCH',
        path: `/api/v1/nodes/${encodeURIComponent(name)}`,
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { unschedulable: desired ? true : null } },
        ...(dryRun === 'server' ? { query: { dryRun: 'All' } } : {}),
      });
      if (res.status >= 400) {
        ctx.stderr(`error: unable to ${verb} node ${JSON.stringify(name)}: ${statusMessage(res.body)}\n`);
        continue;
      }
    }
    ctx.stdout(`node/${name} ${verb}ed${dryRunSuffix(dryRun)}\n`);
  }
}

function statusMessage(body: unknown): string {
  return isStatus(body) ? String(body.message) : JSON.stringify(body);
}

/** Go's time.Duration.String() for whole milliseconds. */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

interface DrainOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  gracePeriod: number;
  timeoutMs: number;
  podSelector: string;
  disableEviction: boolean;
  dryRun: DryRun;
}

interface Filtered {
  pods: Obj[];
  warnings: Map<string, string[]>;
  errors: Map<string, string[]>;
}

async function podsForDeletion(ctx: KubectlContext, node: string, o: DrainOptions): Promise<Filtered> {
  const res = await ctx.client.request({ method: 'GET', path: '/api/v1/pods', query: { fieldSelector: `spec.nodeName=${node}`, ...(o.podSelector ? { labelSelector: o.podSelector } : {}), limit: '500' } });
  if (res.status >= 400) throw new CommandError(responseError(res));
  const out: Filtered = { pods: [], warnings: new Map(), errors: new Map() };
  const add = (m: Map<string, string[]>, key: string, pod: Obj) => m.set(key, [...(m.get(key) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  for (const pod of (res.body as { items: Obj[] }).items) {
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const ref = (pod.metadata.ownerReferences ?? []).find((r: Obj) => r.controller);
    let warning: string | undefined;
    // daemonSetFilter
    if (ref && ref.kind === 'DaemonSet' && ref.apiVersion === 'apps/v1' && !finished) {
      const ds = await ctx.client.request({ method: 'GET', path: `/apis/apps/v1/namespaces/${pod.metadata.namespace}/daemonsets/${ref.name}` });
      if (ds.status >= 400) {
        if (ds.status === 404 && o.force) warning = statusMessage(ds.body);
        else {
          add(out.errors, statusMessage(ds.body), pod);
          continue;
        }
      } else if (!o.ignoreDaemonSets) {
        add(out.errors, 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)', pod);
        continue;
      } else {
        add(out.warnings, 'ignoring DaemonSet-managed Pods', pod);
        continue;
      }
    }
    // mirrorPodFilter
    if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    // localStorageFilter
    if ((pod.spec?.volumes ?? []).some((v: Obj) => v.emptyDir) && !finished) {
      if (!o.deleteEmptyDirData) {
        add(out.errors, 'Pods with local storage (use --delete-emptydir-data to override)', pod);
        continue;
      }
      warning = 'deleting Pods with local storage';
    }
    // unreplicatedFilter
    if (!finished && !ref) {
      if (!o.force) {
        add(out.errors, 'Pods that declare no controller (use --force to override)', pod);
        continue;
      }
      warning = 'deleting Pods that declare no controller';
    }
    if (warning) add(out.warnings, warning, pod);
    out.pods.push(pod);
  }
  return out;
}

function aggregate(errors: string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

/** Evicts (or deletes) the pods and waits for each to be gone; the errors, as kubectl words them. */
async function deleteOrEvict(ctx: KubectlContext, pods: Obj[], o: DrainOptions): Promise<string[]> {
  const errors: string[] = [];
  const useEviction = !o.disableEviction;
  const deadline = o.timeoutMs > 0 ? (ctx.clock?.now() ?? 0) + o.timeoutMs : Infinity;
  const globalTimeout = o.timeoutMs > 0 ? goDurationString(o.timeoutMs) : '2562047h47m16.854775807s';
  interface Pending {
    pod: Obj;
    done: boolean;
    /** When the next eviction attempt is due (a refused one waits 5 s). */
    retryAt?: number;
  }
  const pending: Pending[] = pods.map((pod) => ({ pod, done: false }));
  const pathOf = (pod: Obj) => `/api/v1/namespaces/${pod.metadata.namespace}/pods/${encodeURIComponent(pod.metadata.name)}`;
  const attempt = async (p: Pending): Promise<'sent' | 'done' | 'retry'> => {
    const { pod } = p;
    if (useEviction) {
      ctx.stdout(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}${o.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
      if ((ctx.clock?.now() ?? 0) >= deadline) {
        errors.push(`error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${JSON.stringify(pod.metadata.namespace)}: global timeout reached: ${globalTimeout}`);
        return 'done';
      }
      const res = await ctx.client.request({
        method: 'POST',
        path: `${pathOf(pod)}/eviction`,
        ...(o.dryRun === 'server' ? { query: { dryRun: 'All' } } : {}),
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace }, ...(o.gracePeriod >= 0 ? { deleteOptions: { gracePeriodSeconds: o.gracePeriod } } : {}) },
      });
      if (res.status === 404) return 'done';
      if (res.status === 429) {
        ctx.stderr(`error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${JSON.stringify(pod.metadata.namespace)} (will retry after 5s): ${statusMessage(res.body)}\n`);
        return 'retry';
      }
      if (res.status >= 400) {
        errors.push(`error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${JSON.stringify(pod.metadata.namespace)}: ${statusMessage(res.body)}`);
        return 'done';
      }
      return o.dryRun === 'server' ? 'done' : 'sent';
    }
    const res = await ctx.client.request({
      method: 'DELETE',
      path: pathOf(pod),
      query: { ...(o.dryRun === 'server' ? { dryRun: 'All' } : {}) },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', ...(o.gracePeriod >= 0 ? { gracePeriodSeconds: o.gracePeriod } : {}) },
    });
    if (res.status === 404) return 'done';
    if (res.status >= 400) {
      errors.push(statusMessage(res.body));
      return 'done';
    }
    return o.dryRun === 'server' ? 'done' : 'sent';
  };

  // Watch the pods so that each one's disappearance is seen as the clock runs.
  const gone = new Set<string>();
  const uids = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.metadata.uid as string]));
  const checkGone = async (p: Pending): Promise<boolean> => {
    const res = await ctx.client.request({ method: 'GET', path: pathOf(p.pod) });
    return res.status === 404 || (res.body as KubeObject).metadata?.uid !== p.pod.metadata.uid;
  };
  const handle = await ctx.client.watch({ method: 'GET', path: '/api/v1/pods', query: { watch: 'true' } }, (e) => {
    const obj = e.object as KubeObject;
    const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    if (e.type === 'DELETED' && uids.get(key) === obj.metadata.uid) gone.add(key);
  });
  const stop = 'stop' in handle ? () => handle.stop() : () => undefined;
  try {
    const waiting: Pending[] = [];
    for (const p of pending) {
      const r = await attempt(p);
      if (r === 'done') p.done = true;
      else if (r === 'retry') p.retryAt = (ctx.clock?.now() ?? 0) + 5000;
      else waiting.push(p);
    }
    const finish = (p: Pending) => {
      p.done = true;
      ctx.stdout(`pod/${p.pod.metadata.name} ${useEviction ? 'evicted' : 'deleted'}\n`);
    };
    for (;;) {
      for (const p of waiting) if (!p.done && (gone.has(`${p.pod.metadata.namespace}/${p.pod.metadata.name}`) || (await checkGone(p)))) finish(p);
      const open = pending.filter((p) => !p.done);
      if (open.length === 0) break;
      const retries = open.filter((p) => p.retryAt !== undefined);
      const nextRetry = Math.min(...retries.map((p) => p.retryAt!));
      const now = ctx.clock?.now() ?? 0;
      const until = Math.min(nextRetry, deadline);
      const result = await waitFor(ctx, () => open.some((p) => p.retryAt === undefined && gone.has(`${p.pod.metadata.namespace}/${p.pod.metadata.name}`)), until === Infinity ? undefined : Math.max(0, until - now));
      if (result === 'interrupted') throw new CommandError('', 130);
      const t = ctx.clock?.now() ?? 0;
      if (t >= deadline) {
        for (const p of open) {
          if (p.retryAt !== undefined) errors.push(`error when evicting pods/${JSON.stringify(p.pod.metadata.name)} -n ${JSON.stringify(p.pod.metadata.namespace)}: global timeout reached: ${globalTimeout}`);
          else errors.push(`error when waiting for pod ${JSON.stringify(p.pod.metadata.name)} in namespace ${JSON.stringify(p.pod.metadata.namespace)} to terminate: global timeout reached: ${globalTimeout}`);
          p.done = true;
        }
        break;
      }
      for (const p of retries) {
        if (p.retryAt! > t) continue;
        p.retryAt = undefined;
        const r = await attempt(p);
        if (r === 'done') p.done = true;
        else if (r === 'retry') p.retryAt = (ctx.clock?.now() ?? 0) + 5000;
        else waiting.push(p);
      }
    }
  } finally {
    stop();
  }
  return errors;
}

async function runDrain(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const podSelector = args.flags.get('pod-selector') as string;
  const o: DrainOptions = {
    force: args.flags.get('force') as boolean,
    ignoreDaemonSets: args.flags.get('ignore-daemonsets') as boolean,
    deleteEmptyDirData: (args.flags.get('delete-emptydir-data') as boolean) || (args.flags.get('delete-local-data') as boolean),
    gracePeriod: args.flags.get('grace-period') as number,
    timeoutMs: parseGoDuration(args.flags.get('timeout') as string) ?? 0,
    podSelector,
    disableEviction: args.flags.get('disable-eviction') as boolean,
    dryRun: 'none',
  };
  const nodes = await nodeInfos(args, ctx, 'drain NODE', 'drain');
  o.dryRun = dryRunStrategy(args, ctx);
  await cordonOrUncordon(ctx, nodes, true, o.dryRun);
  const fatal: string[] = [];
  const fatalErrors: string[][] = [];
  const remaining: string[] = [];
  for (const node of nodes) {
    const name = node.metadata.name as string;
    const list = await podsForDeletion(ctx, name, o);
    let error: string | undefined;
    let errorList: string[] = [];
    if (list.errors.size > 0) {
      errorList = [...list.errors].map(([msg, pods]) => `cannot delete ${msg}: ${pods.join(', ')}`);
      error = aggregate(errorList);
    } else {
      if (list.warnings.size > 0) ctx.stderr(`Warning: ${[...list.warnings].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`).join('; ')}\n`);
      if (o.dryRun === 'client') for (const pod of list.pods) ctx.stdout(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name} (dry run)\n`);
      else {
        const errors = await deleteOrEvict(ctx, list.pods, o);
        if (errors.length > 0) {
          const pendingPods = (await podsForDeletion(ctx, name, o)).pods;
          if (pendingPods.length > 0) ctx.stderr(`There are pending pods in node ${JSON.stringify(name)} when an error occurred: ${aggregate(errors)}\n${pendingPods.map((p) => `pod/${p.metadata.name}\n`).join('')}`);
          errorList = errors;
          error = aggregate(errors);
        }
      }
    }
    if (error === undefined) ctx.stdout(`node/${name} drained${dryRunSuffix(o.dryRun)}\n`);
    else {
      ctx.stderr(`error: unable to drain node ${JSON.stringify(name)} due to error: ${error}, continuing command...\n`);
      fatal.push(error);
      fatalErrors.push(errorList);
      remaining.push(name);
    }
  }
  if (remaining.length > 0) ctx.stderr(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join('')}`);
  // Each node's error is an aggregate itself: a single one is printed as its errors, one per line.
  if (fatal.length === 1) throw new CommandError(fatalErrors[0]!.join('\n'));
  if (fatal.length > 1) throw new CommandError(fatal.join('\n'));
  return 0;
}

export function nodeCommands(): Command[] {
  return [
    {
      name: 'cordon',
      short: 'Mark node as unschedulable',
      long: 'Mark a node unschedulable: the scheduler places no new pods on it; the pods already there keep running.',
      example: `  # Stop scheduling pods onto node foo
  kubectl cordon foo`,
      use: 'cordon NODE',
      flags: [DRY_RUN_FLAG, SELECTOR],
      async run(args, ctx) {
        const nodes = await nodeInfos(args, ctx, 'cordon NODE', 'cordon');
        await cordonOrUncordon(ctx, nodes, true, dryRunStrategy(args, ctx));
        return 0;
      },
    },
    {
      name: 'uncordon',
      short: 'Mark node as schedulable',
      long: 'Mark a node schedulable again.',
      example: `  # Let the scheduler place pods on node foo again
  kubectl uncordon foo`,
      use: 'uncordon NODE',
      flags: [DRY_RUN_FLAG, SELECTOR],
      async run(args, ctx) {
        const nodes = await nodeInfos(args, ctx, 'uncordon NODE', 'uncordon');
        await cordonOrUncordon(ctx, nodes, false, dryRunStrategy(args, ctx));
        return 0;
      },
    },
    {
      name: 'drain',
      short: 'Drain node in preparation for maintenance',
      long: `Prepare a node for maintenance: cordon it, then evict its pods (or delete them with --disable-eviction).

 Evictions honour PodDisruptionBudgets: a refused eviction is retried every 5 seconds. Pods that belong to a DaemonSet are left alone only with --ignore-daemonsets; pods no controller manages are deleted only with --force (nothing recreates them); pods with emptyDir volumes only with --delete-emptydir-data (their data is lost). Mirror pods of static pods are skipped.

 Once the node is back in service, run "kubectl uncordon" to make it schedulable again.`,
      example: `  # Drain node "foo", even with pods that no controller manages
  kubectl drain foo --force
  
  # The same, giving each pod 15 minutes to stop
  kubectl drain foo --grace-period=900`,
      use: 'drain NODE',
      flags: [
        { name: 'chunk-size', type: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.' },
        { name: 'delete-emptydir-data', type: 'bool', default: false, usage: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).' },
        { name: 'delete-local-data', type: 'bool', default: false, usage: 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).', hidden: true },
        { name: 'disable-eviction', type: 'bool', default: false, usage: 'Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.' },
        DRY_RUN_FLAG,
        { name: 'force', type: 'bool', default: false, usage: 'Continue even if there are pods that do not declare a controller.' },
        { name: 'grace-period', type: 'int', default: -1, usage: 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.' },
        { name: 'ignore-daemonsets', type: 'bool', default: false, usage: 'Ignore DaemonSet-managed pods.' },
        { name: 'pod-selector', type: 'string', default: '', usage: 'Label selector to filter pods on the node' },
        SELECTOR,
        { name: 'skip-wait-for-delete-timeout', type: 'int', default: 0, usage: 'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.' },
        { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up, zero means infinite' },
      ],
      run: runDrain,
    },
  ];
}
