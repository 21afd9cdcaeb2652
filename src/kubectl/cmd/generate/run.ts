/** `kubectl run NAME --image=image`: a Pod (and with --expose a Service), as kubectl 1.32 makes them. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy } from '../../cmdutil';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import { attachTo } from '../workload/attach';
import type { Command } from '../types';
import { nameAndCommand } from './create-workloads';
import {
  addLastApplied,
  createObject,
  fieldManagerFlag,
  KINDS,
  kindPath,
  OUTPUT_FLAGS,
  printerFor,
  printObject,
  requireFlags,
  SAVE_CONFIG_FLAG,
  type Obj,
} from './shared';
import { DRY_RUN_FLAG } from '../../cmdutil';
import { toYaml } from '../../printers';

const CONTAINER_ORDER = [
  'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices',
  'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
];
const POD_SPEC_ORDER = [
  'volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector',
  'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext',
  'imagePullSecrets', 'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates',
  'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources',
];

export function ordered(obj: Obj, order: string[]): Obj {
  const out: Obj = {};
  for (const k of order) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

/** --overrides: a JSON merge patch (objects merge, lists replace, null removes). */
export function mergeOverrides(base: unknown, patch: unknown): unknown {
  if (patch && typeof patch === 'object' && !Array.isArray(patch)) {
    const out: Obj = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Obj) } : {};
    for (const [k, v] of Object.entries(patch as Obj)) {
      if (v === null) delete out[k];
      else out[k] = mergeOverrides(out[k], v);
    }
    return out;
  }
  return patch;
}

function parseLabels(text: string): Obj | undefined {
  if (!text) return undefined;
  const out: Obj = {};
  for (const spec of text.split(',')) {
    const parts = spec.split('=');
    if (parts.length !== 2 || parts[1] === undefined) throw new CommandError(`error: unexpected label spec: ${spec}`);
    if (!parts[0]) throw new CommandError('error: unexpected empty label key');
    out[parts[0]] = parts[1];
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

function parseEnvs(envs: string[]): Obj[] {
  return envs.map((env) => {
    const at = env.indexOf('=');
    if (at < 0) throw new CommandError(`error: invalid env: ${env}`);
    const name = env.slice(0, at);
    if (!name) throw new CommandError(`error: invalid env: ${env}`);
    return { name, value: env.slice(at + 1) };
  });
}

const IMAGE_RE = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$/;

function usage(message: string): CommandError {
  return new CommandError(`error: ${message}\nSee 'kubectl run -h' for help and examples`);
}

async function runRun(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  requireFlags(ctx, args, ['image']);
  const { names, command } = nameAndCommand(args.positional, args.afterDash);
  const name = names[0];
  if (!name) throw usage('NAME is required for run');
  const extra = [...names.slice(1), ...command];
  const image = args.flags.get('image') as string;
  const dryRun = dryRunStrategy(args, ctx);
  const printer = printerFor(args, dryRun, ctx);
  const interactive = Boolean(args.flags.get('stdin'));
  const tty = Boolean(args.flags.get('tty'));
  const attach = args.changed.has('attach') ? Boolean(args.flags.get('attach')) : interactive;
  const remove = Boolean(args.flags.get('rm'));
  const expose = Boolean(args.flags.get('expose'));
  const port = args.flags.get('port') as string;
  const restart = args.flags.get('restart') as string;
  const pullPolicy = args.flags.get('image-pull-policy') as string;
  if (!image) throw new CommandError('error: --image is required');
  if (!IMAGE_RE.test(image)) throw new CommandError(`error: Invalid image name "${image}": invalid reference format`);
  if (tty && !interactive) throw usage('-i/--stdin is required for containers with -t/--tty=true');
  if (expose && !port) throw usage('--port must be set when exposing a service');
  if (port && !/^[+-]?\d+$/.test(port)) throw new CommandError(`error: strconv.Atoi: parsing "${port}": invalid syntax`);
  if (remove && !attach) throw usage('--rm should only be used for attached containers');
  if (dryRun !== 'none' && attach) throw usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw usage(`invalid restart policy: ${restart}`);
  if (pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(pullPolicy)) throw usage(`invalid image pull policy: ${pullPolicy}`);
  const userLabels = parseLabels(args.flags.get('labels') as string);
  const labels = userLabels ?? { run: name };
  const annotations: Obj = {};
  for (const a of args.flags.get('annotations') as string[]) {
    const at = a.indexOf('=');
    if (at <= 0) throw new CommandError(`error: invalid annotation spec: ${a}`);
    annotations[a.slice(0, at)] = a.slice(at + 1);
  }
  const envs = parseEnvs(args.flags.get('env') as string[]);

  const container: Obj = { name, image };
  if (extra.length) container[args.flags.get('command') ? 'command' : 'args'] = extra;
  if (port) container.ports = [{ containerPort: Number(port) }];
  if (envs.length) container.env = envs;
  container.resources = {};
  if (pullPolicy) container.imagePullPolicy = pullPolicy;
  if (args.flags.get('privileged')) container.securityContext = { privileged: true };
  if (interactive) {
    container.stdin = true;
    if (!args.flags.get('leave-stdin-open')) container.stdinOnce = true;
  }
  if (tty) container.tty = true;
  const meta: Obj = { name, creationTimestamp: null, labels };
  if (Object.keys(annotations).length) meta.annotations = Object.fromEntries(Object.keys(annotations).sort().map((k) => [k, annotations[k]]));
  let pod: Obj = { kind: 'Pod', apiVersion: 'v1', metadata: meta, spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' }, status: {} };

  const overrides = args.flags.get('overrides') as string;
  if (overrides) {
    let patch: unknown;
    try {
      patch = JSON.parse(overrides);
    } catch {
      throw new CommandError('error: Invalid JSON Patch');
    }
    pod = mergeOverrides(pod, patch) as Obj;
    const spec = pod.spec as Obj;
    pod = {
      ...pod,
      spec: ordered({ ...spec, containers: ((spec.containers as Obj[] | undefined) ?? []).map((c) => ordered({ resources: {}, ...c }, CONTAINER_ORDER)) }, POD_SPEC_ORDER),
    };
    const m = { ...(pod.metadata as Obj) };
    for (const k of ['labels', 'annotations']) if (m[k] && typeof m[k] === 'object') m[k] = Object.fromEntries(Object.keys(m[k] as Obj).sort().map((x) => [x, (m[k] as Obj)[x]]));
    pod = { ...pod, metadata: m };
  }
  const metaNamespace = args.changed.has('namespace') ? ctx.namespace : '';
  const withNamespace = (o: Obj): Obj => (metaNamespace && dryRun === 'client' ? { ...o, metadata: ordered({ ...(o.metadata as Obj), namespace: metaNamespace }, ['name', 'namespace']) } : o);
  const fieldManager = String(args.flags.get('field-manager'));
  const save = (o: Obj) => (args.flags.get('save-config') && dryRun !== 'client' ? addLastApplied(o) : o);

  const printed: { object: Obj; kind: typeof KINDS.pod; fromServer: boolean }[] = [];
  const createdPod = await createObject(ctx, KINDS.pod, ctx.namespace, save(pod), { fieldManager, dryRun });
  const errors: string[] = [];
  if (expose) {
    const smeta: Obj = { name, creationTimestamp: null };
    if (userLabels) smeta.labels = userLabels;
    const service: Obj = {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: smeta,
      spec: { ports: [{ protocol: 'TCP', port: Number(port), targetPort: Number(port) }], selector: labels },
      status: { loadBalancer: {} },
    };
    try {
      const s = await createObject(ctx, KINDS.service, ctx.namespace, save(service), { fieldManager, dryRun });
      printed.push({ object: withNamespace(s.object), kind: KINDS.service, fromServer: s.fromServer });
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      errors.push(err.message);
    }
  }
  printed.push({ object: withNamespace(createdPod.object), kind: KINDS.pod, fromServer: createdPod.fromServer });

  if (attach) return attachAndWait(ctx, args, createdPod.object, restart, remove);

  if (printer.output === 'yaml' && printed.length > 1) ctx.stdout(printed.map((p) => toYaml(stripManaged(p.object, printer.showManagedFields))).join('---\n---\n'));
  else for (const p of printed) printObject(ctx, printer, p.object, p.kind, 'created', { goOrdered: !p.fromServer });
  if (errors.length) throw new CommandError(errors.join('\n'));
  return 0;
}

function stripManaged(o: Obj, keep: boolean): Obj {
  const meta = o.metadata as Obj | undefined;
  if (keep || !meta?.managedFields) return o;
  const { managedFields: _, ...rest } = meta;
  return { ...o, metadata: rest };
}

interface PodLike {
  metadata: { name: string; namespace?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { state?: { terminated?: { exitCode: number; reason?: string; message?: string } } }[] };
}

/**
 * --attach/-i/-it as kubectl run does: waits for the pod to run and be ready, attaches to its
 * container (the terminal or piped stdin feed a shell waiting on stdin), or prints its logs if it
 * already ended; then (restart Never/OnFailure) waits for it to end, deletes it with --rm, and
 * exits with the container's code.
 */
async function attachAndWait(ctx: KubectlContext, args: ParsedArgs, created: Obj, restart: string, remove: boolean): Promise<number> {
  const name = String((created.metadata as Obj).name);
  const path = kindPath(KINDS.pod, ctx.namespace, name);
  try {
    return await attachAndWaitForExit(ctx, args, name, path, restart);
  } finally {
    if (remove) {
      const res = await ctx.client.request({ method: 'DELETE', path });
      if (res.status < 400) ctx.stdout(`pod "${name}" deleted\n`);
    }
  }
}

async function attachAndWaitForExit(ctx: KubectlContext, args: ParsedArgs, name: string, path: string, restart: string): Promise<number> {
  let pod: PodLike | undefined;
  const refresh = async () => {
    const res = await ctx.client.request({ method: 'GET', path });
    pod = res.status < 400 ? (res.body as PodLike) : undefined;
  };
  const phase = () => pod?.status?.phase ?? '';
  const done = () => ['Succeeded', 'Failed'].includes(phase());
  const waitFor = async (cond: () => boolean, timeoutMs: number) => {
    await refresh();
    if (cond() || !ctx.clock) return;
    const handle = await ctx.client.watch({ method: 'GET', path: kindPath(KINDS.pod, ctx.namespace), query: { fieldSelector: `metadata.name=${name}` } }, (ev) => {
      pod = ev.object as unknown as PodLike;
    });
    await ctx.clock.waitUntil(cond, timeoutMs, ctx.signal);
    if ('stop' in handle) handle.stop();
  };
  const printLogs = async () => {
    const logs = await ctx.client.request({ method: 'GET', path: `${path}/log` });
    if (logs.status < 400 && typeof logs.body === 'string') ctx.stdout(logs.body);
  };
  const ready = () => phase() === 'Running' && (pod?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const timeout = parseGoDuration(args.flags.get('pod-running-timeout') as string) ?? 60_000;
  await waitFor(() => ready() || done(), timeout);
  if (!ready() && !done()) throw new CommandError('error: timed out waiting for the condition');
  if (done()) await printLogs();
  else {
    const full = await ctx.client.request({ method: 'GET', path });
    const podObj = (full.status < 400 ? full.body : pod) as Obj;
    const container = ((podObj.spec as Obj | undefined)?.containers as Obj[] | undefined)?.[0] ?? { name };
    try {
      await attachTo(ctx, podObj, container, { stdin: Boolean(args.flags.get('stdin')), tty: Boolean(args.flags.get('tty')), quiet: Boolean(args.flags.get('quiet')), commandName: 'kubectl attach' });
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      ctx.stderr(`warning: couldn't attach to pod/${name}, falling back to streaming logs: ${err.message.replace(/^error: /, '')}\n`);
      await printLogs();
    }
  }
  const waitForExit = restart !== 'Always' && !args.flags.get('leave-stdin-open');
  if (!waitForExit) return 0;
  await waitFor(restart === 'OnFailure' ? () => phase() === 'Succeeded' : done, timeout);
  if (phase() === 'Failed') {
    const term = pod?.status?.containerStatuses?.[0]?.state?.terminated;
    if (!term || term.exitCode === 0) throw new CommandError(`error: pod ${ctx.namespace}/${name} failed with unknown exit code`);
    throw new CommandError(`pod ${ctx.namespace}/${name} terminated (${term.reason ?? 'Error'})\n${term.message ?? ''}`.replace(/\n$/, ''), term.exitCode);
  }
  return 0;
}

export const run: Command = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  long: 'Start a single pod that runs one container with the image you give. Arguments after -- are passed to the container (or, with --command, replace its command).',
  example: `  # A pod named nginx running the nginx image
  kubectl run nginx --image=nginx
  
  # Declare that the container listens on port 5701
  kubectl run hazelcast --image=hazelcast/hazelcast --port=5701
  
  # Give the container two environment variables
  kubectl run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"
  
  # Put labels app=hazelcast and env=prod on the pod
  kubectl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"
  
  # Only show the pod that would be created
  kubectl run nginx --image=nginx --dry-run=client
  
  # Change fields of the generated pod with a piece of JSON
  kubectl run nginx --image=nginx --overrides='{ "apiVersion": "v1", "spec": { ... } }'
  
  # Run busybox interactively on a terminal; it is not restarted when it exits
  kubectl run -i -t busybox --image=busybox --restart=Never
  
  # Keep the image's command but give it your own arguments
  kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>
  
  # Replace the image's command and arguments
  kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>`,
  use: 'run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    SAVE_CONFIG_FLAG,
    fieldManagerFlag('kubectl-run'),
    { name: 'annotations', type: 'stringArray', default: [], usage: 'Annotations to apply to the pod.' },
    { name: 'attach', type: 'bool', default: false, usage: "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned." },
    { name: 'command', type: 'bool', default: false, usage: "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default." },
    { name: 'env', type: 'stringArray', default: [], usage: 'Environment variables to set in the container.' },
    { name: 'expose', type: 'bool', default: false, usage: 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.' },
    { name: 'image', type: 'string', default: '', usage: 'The image for the container to run.' },
    { name: 'image-pull-policy', type: 'string', default: '', usage: 'The image pull policy for the container.  If left empty, this value will not be specified by the client and defaulted by the server.' },
    { name: 'labels', shorthand: 'l', type: 'string', default: '', usage: 'Comma separated labels to apply to the pod. Will override previous values.' },
    { name: 'leave-stdin-open', type: 'bool', default: false, usage: 'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.' },
    { name: 'overrides', type: 'string', default: '', usage: 'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    { name: 'port', type: 'string', default: '', usage: 'The port that this container exposes.' },
    { name: 'privileged', type: 'bool', default: false, usage: 'If true, run the container in privileged mode.' },
    { name: 'quiet', shorthand: 'q', type: 'bool', default: false, usage: 'If true, suppress prompt messages.' },
    { name: 'restart', type: 'string', default: 'Always', usage: 'The restart policy for this Pod.  Legal values [Always, OnFailure, Never].' },
    { name: 'rm', type: 'bool', default: false, usage: "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'." },
    { name: 'stdin', shorthand: 'i', type: 'bool', default: false, usage: 'Keep stdin open on the container in the pod, even if nothing is attached.' },
    { name: 'tty', shorthand: 't', type: 'bool', default: false, usage: 'Allocate a TTY for the container in the pod.' },
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'to use to replace the resource.' },
    { name: 'recursive', shorthand: 'R', type: 'bool', default: false, usage: 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.' },
    { name: 'kustomize', shorthand: 'k', type: 'string', default: '', usage: "Process a kustomization directory. This flag can't be used together with -f or -R." },
    { name: 'cascade', type: 'string', default: 'background', usage: 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.' },
    { name: 'force', type: 'bool', default: false, usage: 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.' },
    { name: 'grace-period', type: 'int', default: -1, usage: 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).' },
    { name: 'override-type', type: 'string', default: 'merge', usage: 'The method used to override the generated object: json, merge, or strategic.' },
    { name: 'timeout', type: 'duration', default: '0s', usage: 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object' },
    { name: 'wait', type: 'bool', default: false, usage: 'If true, wait for resources to be gone before returning. This waits for finalizers.' },
    { name: 'detach-keys', type: 'string', default: 'ctrl-p,ctrl-q', usage: 'Override the key sequence for detaching a container.', hidden: true },
  ],
  run: runRun,
};
