/**
 * `kubectl debug` (legacy profile): an ephemeral container added to a pod through its
 * ephemeralcontainers subresource, a copy of a pod with a debug container (--copy-to), or a pod
 * on a node with the host's namespaces and its root filesystem at /host (node/NAME); with -i it
 * attaches once the container runs.
 */
import { CommandError, type KubectlContext } from '../../context';
import { responseError } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { requestError } from '../apply/common';
import { twoWayPatch } from '../apply/threeway';
import { attachTo } from './attach';
import { findContainer, waitSettled } from './stream-common';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return s;
}

interface DebugOptions {
  target: string;
  image: string;
  container: string;
  copyTo: string;
  targetContainer: string;
  args: string[];
  argsOnly: boolean;
  stdin: boolean;
  tty: boolean;
  attach: boolean;
  quiet: boolean;
  env: { name: string; value: string }[];
  pullPolicy: string;
  replace: boolean;
  sameNode: boolean;
  setImage: string[];
  keepLabels: boolean;
  profile?: string;
}

function complete(args: ParsedArgs): DebugOptions {
  const f = args.flags;
  const all = args.positional;
  const atDash = args.afterDash.length > 0 ? all.length - args.afterDash.length : -1;
  const stdin = f.get('stdin') as boolean;
  return {
    target: atDash === 0 ? '' : (all[0] ?? ''),
    args: atDash >= 0 ? all.slice(atDash) : all.slice(1),
    image: f.get('image') as string,
    container: f.get('container') as string,
    copyTo: f.get('copy-to') as string,
    targetContainer: f.get('target') as string,
    argsOnly: f.get('arguments-only') as boolean,
    stdin,
    tty: f.get('tty') as boolean,
    attach: args.changed.has('attach') ? (f.get('attach') as boolean) : stdin,
    quiet: f.get('quiet') as boolean,
    env: (f.get('env') as string[]).map((e) => {
      const eq = e.indexOf('=');
      return { name: e.slice(0, eq), value: e.slice(eq + 1) };
    }),
    pullPolicy: f.get('image-pull-policy') as string,
    replace: f.get('replace') as boolean,
    sameNode: f.get('same-node') as boolean,
    setImage: f.get('set-image') as string[],
    keepLabels: f.get('keep-labels') as boolean,
  };
}

function validate(o: DebugOptions, ctx: KubectlContext): void {
  if (o.attach && !o.container && !o.image) throw new CommandError('error: you must specify --container or create a new container using --image in order to attach.');
  if (o.copyTo) {
    if (!o.image && o.setImage.length === 0 && o.args.length === 0) throw new CommandError('error: you must specify --image, --set-image or command arguments.');
    if (o.args.length > 0 && !o.image && !o.container) throw new CommandError('error: you must specify an existing container or a new image when specifying args.');
  } else {
    if (o.replace) throw new CommandError('error: --replace may only be used with --copy-to.');
    if (o.sameNode) throw new CommandError('error: --same-node may only be used with --copy-to.');
    if (o.setImage.length) throw new CommandError('error: --set-image may only be used with --copy-to.');
    if (!o.image) throw new CommandError('error: you must specify --image when not using --copy-to.');
  }
  if (!o.target) throw new CommandError('error: NAME or filename is required for debug');
  if (o.pullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(o.pullPolicy)) throw new CommandError(`error: invalid image pull policy: ${o.pullPolicy}`);
  if (o.targetContainer) {
    if (o.copyTo) throw new CommandError('error: --target is incompatible with --copy-to. Use --share-processes instead.');
    if (!o.quiet) ctx.stdout(`Targeting container "${o.targetContainer}". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n`);
  }
  if (o.tty && !o.stdin) throw new CommandError('error: -i/--stdin is required for containers with -t/--tty=true');
}

function debugContainer(o: DebugOptions, name: string): Obj {
  return {
    name,
    ...(o.env.length ? { env: o.env } : {}),
    image: o.image,
    ...(o.pullPolicy ? { imagePullPolicy: o.pullPolicy } : {}),
    resources: {},
    ...(o.stdin ? { stdin: true } : {}),
    terminationMessagePolicy: 'File',
    ...(o.tty ? { tty: true } : {}),
    ...(o.args.length ? (o.argsOnly ? { args: o.args } : { command: o.args }) : {}),
  };
}

function containerName(o: DebugOptions, ctx: KubectlContext): string {
  if (o.container) return o.container;
  const name = `debugger-${suffix()}`;
  if (!o.quiet) ctx.stdout(`Defaulting debug container name to ${name}.\n`);
  return name;
}

/** Waits for the container to run (or the pod to end), then attaches. */
async function waitAndAttach(ctx: KubectlContext, o: DebugOptions, namespace: string, podName: string, container: string): Promise<number> {
  let pod: Obj | undefined;
  let failure: string | undefined;
  const path = `/api/v1/namespaces/${namespace}/pods`;
  const handle = await ctx.client.watch({ method: 'GET', path, query: { fieldSelector: `metadata.name=${podName}` } }, (e) => {
    if (e.type === 'DELETED') failure = `pod ${podName} was deleted`;
    pod = e.object as Obj;
  });
  if (!('stop' in handle)) throw new CommandError(responseError(handle));
  const running = () => {
    const s = pod?.status ?? {};
    const st = [...(s.containerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])].find((c: Obj) => c.name === container);
    return !!st?.state?.running || s.phase === 'Succeeded' || s.phase === 'Failed' || failure !== undefined;
  };
  const r = await waitSettled(ctx, running, 60 * 60_000);
  handle.stop();
  if (r === 'interrupted') return 130;
  if (failure) throw new CommandError(`error: ${failure}`);
  if (!pod) throw new CommandError('error: timed out waiting for the condition');
  const spec = findContainer(pod, container)!;
  return attachTo(ctx, pod, spec, { stdin: o.stdin, tty: o.tty, quiet: o.quiet, commandName: 'kubectl attach' });
}

async function debugNode(ctx: KubectlContext, o: DebugOptions, nodeName: string): Promise<number> {
  const res = await ctx.client.request({ method: 'GET', path: `/api/v1/nodes/${nodeName}` });
  if (res.status >= 400) throw new CommandError(responseError(res));
  const name = `node-debugger-${nodeName}-${suffix()}`;
  const cn = o.container || 'debugger';
  if (!o.quiet) ctx.stdout(`Creating debugging pod ${name} with container ${cn} on node ${nodeName}.\n`);
  // The profile decides the host namespaces, the node's root at /host and the securityContext.
  const profile = o.profile ?? 'legacy';
  const hostNamespaces = ['legacy', 'general', 'netadmin', 'sysadmin'].includes(profile);
  const mountRoot = ['legacy', 'general', 'sysadmin'].includes(profile);
  const security = ephemeralSecurity(profile === 'general' ? 'baseline' : profile);
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      containers: [{ ...debugContainer(o, cn), ...(security ? { securityContext: security } : {}), ...(mountRoot ? { volumeMounts: [{ mountPath: '/host', name: 'host-root' }] } : {}) }],
      ...(hostNamespaces ? { hostIPC: true, hostNetwork: true, hostPID: true } : {}),
      nodeName,
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      ...(mountRoot ? { volumes: [{ hostPath: { path: '/' }, name: 'host-root' }] } : {}),
    },
  };
  const created = await ctx.client.request({ method: 'POST', path: `/api/v1/namespaces/${ctx.namespace}/pods`, body: pod });
  if (created.status >= 400) throw new CommandError(responseError(created));
  if (!o.attach) return 0;
  return waitAndAttach(ctx, o, ctx.namespace, name, cn);
}

async function debugPod(ctx: KubectlContext, o: DebugOptions, podName: string): Promise<number> {
  const path = `/api/v1/namespaces/${ctx.namespace}/pods/${podName}`;
  const res = await ctx.client.request({ method: 'GET', path });
  if (res.status >= 400) throw new CommandError(responseError(res));
  const pod = res.body as Obj;
  if (o.copyTo) {
    const copy: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: o.copyTo, ...(o.keepLabels && pod.metadata.labels ? { labels: pod.metadata.labels } : {}) }, spec: structuredCloneJson(pod.spec) };
    const spec = copy.spec;
    if (!o.sameNode) delete spec.nodeName;
    spec.shareProcessNamespace = true;
    delete spec.ephemeralContainers;
    for (const c of spec.containers as Obj[]) {
      delete c.livenessProbe;
      delete c.readinessProbe;
      delete c.startupProbe;
    }
    for (const si of o.setImage) {
      const [n, img] = si.split('=');
      for (const c of spec.containers as Obj[]) if (n === '*' || c.name === n) c.image = img;
    }
    let cn = o.container;
    if (o.image) {
      cn = containerName(o, ctx);
      const existing = (spec.containers as Obj[]).find((c) => c.name === cn);
      if (existing) Object.assign(existing, debugContainer(o, cn));
      else spec.containers.push(debugContainer(o, cn));
    }
    if (o.replace) {
      const del = await ctx.client.request({ method: 'DELETE', path, body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 } });
      if (del.status >= 400 && del.status !== 404) throw new CommandError(responseError(del));
    }
    const created = await ctx.client.request({ method: 'POST', path: `/api/v1/namespaces/${ctx.namespace}/pods`, body: copy });
    if (created.status >= 400) throw new CommandError(responseError(created));
    if (!o.attach) return 0;
    return waitAndAttach(ctx, o, ctx.namespace, o.copyTo, cn || (spec.containers[0].name as string));
  }
  const cn = containerName(o, ctx);
  const security = ephemeralSecurity(o.profile ?? 'legacy');
  const ec = { ...debugContainer(o, cn), ...(security ? { securityContext: security } : {}), ...(o.targetContainer ? { targetContainerName: o.targetContainer } : {}) };
  const patched = await ctx.client.request({
    method: 'PATCH',
    path: `${path}/ephemeralcontainers`,
    contentType: 'application/strategic-merge-patch+json',
    // CreateTwoWayMergePatch from the pod to the pod with the container added, as kubectl sends it.
    body: twoWayPatch(pod, { ...pod, spec: { ...pod.spec, ephemeralContainers: [...(pod.spec?.ephemeralContainers ?? []), ec] } }, 'v1', 'Pod').patch,
  });
  if (patched.status === 404 && (patched.body as Obj)?.details?.kind !== 'pods')
    throw new CommandError(`error: ephemeral containers are disabled for this cluster (error from server: "${(patched.body as Obj)?.message ?? ''}")`);
  if (patched.status >= 400) throw new CommandError(requestError(patched));
  if (!o.attach) return 0;
  return waitAndAttach(ctx, o, ctx.namespace, podName, cn);
}

function structuredCloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

const PROFILES = ['legacy', 'general', 'baseline', 'restricted', 'netadmin', 'sysadmin'];

/** What a profile sets on a new ephemeral container's securityContext (profiles.go, ephemeral style). */
function ephemeralSecurity(profile: string): Obj | undefined {
  switch (profile) {
    case 'general':
      return { capabilities: { add: ['SYS_PTRACE'] } };
    case 'restricted':
      return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
    case 'netadmin':
      return { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } };
    case 'sysadmin':
      return { privileged: true };
    default:
      return undefined;
  }
}

async function run(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const o = complete(args);
  const profile = args.flags.get('profile') as string;
  if (!PROFILES.includes(profile)) throw new CommandError(`error: unknown profile: ${profile}`);
  o.profile = profile;
  validate(o, ctx);
  if (args.flags.get('profile') === 'legacy')
    ctx.stderr('--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n');
  const slash = o.target.indexOf('/');
  const type = slash >= 0 ? o.target.slice(0, slash) : 'pod';
  const name = slash >= 0 ? o.target.slice(slash + 1) : o.target;
  if (['node', 'nodes', 'no'].includes(type)) return debugNode(ctx, o, name);
  if (['pod', 'pods', 'po'].includes(type)) return debugPod(ctx, o, name);
  throw new CommandError(`error: "${type}" not supported by debug`);
}

export const debugCommand: Command = {
  name: 'debug',
  short: 'Create debugging sessions for troubleshooting workloads and nodes',
  long: `Start a container for troubleshooting, next to a workload or on a node. A bare NAME means a pod.

 What happens depends on what you name:

  *  A pod: an ephemeral container with your --image joins the running pod, so you can bring tools into it without restarting it.
  *  A pod with --copy-to: a new pod is made as a copy of it (optionally with changes, such as another image) and the debug container goes there.
  *  A node: a new pod runs on that node, in its host namespaces, with the node's root filesystem mounted at /host.`,
  use: 'debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ]',
  example: `  # Add an ephemeral busybox container to pod mypod and attach to it
  kubectl debug mypod -it --image=busybox
  
  # The same, sharing the process namespace of container app
  kubectl debug mypod -it --image=busybox --target=app
  
  # Debug a copy of mypod with a busybox container added
  kubectl debug mypod -it --image=busybox --copy-to=my-debugger
  
  # Open a shell on node mynode (its filesystem is at /host)
  kubectl debug node/mynode -it --image=busybox`,
  flags: [
    { name: 'arguments-only', type: 'bool', default: false, usage: 'If specified, everything after -- will be passed to the new container as Args instead of Command.' },
    { name: 'attach', type: 'bool', default: false, usage: 'If true, wait for the container to start running, and then attach as if \'kubectl attach ...\' were called.  Default false, unless \'-i/--stdin\' is set, in which case the default is true.' },
    { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Container name to use for debug container.' },
    { name: 'copy-to', type: 'string', default: '', usage: 'Create a copy of the target Pod with this name.' },
    { name: 'custom', type: 'string', default: '', usage: 'Path to a JSON or YAML file containing a partial container spec to customize built-in debug profiles.' },
    { name: 'env', type: 'stringArray', default: [], usage: 'Environment variables to set in the container.' },
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'identifying the resource to debug' },
    { name: 'image', type: 'string', default: '', usage: 'Container image to use for debug container.' },
    { name: 'image-pull-policy', type: 'string', default: '', usage: 'The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.' },
    { name: 'keep-annotations', type: 'bool', default: false, usage: 'If true, keep the original pod annotations.(This flag only works when used with \'--copy-to\')' },
    { name: 'keep-init-containers', type: 'bool', default: true, usage: 'Run the init containers for the pod. Defaults to true.(This flag only works when used with \'--copy-to\')' },
    { name: 'keep-labels', type: 'bool', default: false, usage: 'If true, keep the original pod labels.(This flag only works when used with \'--copy-to\')' },
    { name: 'keep-liveness', type: 'bool', default: false, usage: 'If true, keep the original pod liveness probes.(This flag only works when used with \'--copy-to\')' },
    { name: 'keep-readiness', type: 'bool', default: false, usage: 'If true, keep the original pod readiness probes.(This flag only works when used with \'--copy-to\')' },
    { name: 'keep-startup', type: 'bool', default: false, usage: 'If true, keep the original startup probes.(This flag only works when used with \'--copy-to\')' },
    { name: 'profile', type: 'string', default: 'legacy', usage: 'Options are "legacy", "general", "baseline", "netadmin", "restricted" or "sysadmin".' },
    { name: 'quiet', shorthand: 'q', type: 'bool', default: false, usage: 'If true, suppress informational messages.' },
    { name: 'replace', type: 'bool', default: false, usage: 'When used with \'--copy-to\', delete the original Pod.' },
    { name: 'same-node', type: 'bool', default: false, usage: 'When used with \'--copy-to\', schedule the copy of target Pod on the same node.' },
    { name: 'set-image', type: 'stringSlice', default: [], usage: 'When used with \'--copy-to\', a list of name=image pairs for changing container images, similar to how \'kubectl set image\' works.' },
    { name: 'share-processes', type: 'bool', default: true, usage: 'When used with \'--copy-to\', enable process namespace sharing in the copy.' },
    { name: 'stdin', shorthand: 'i', type: 'bool', default: false, usage: 'Keep stdin open on the container(s) in the pod, even if nothing is attached.' },
    { name: 'target', type: 'string', default: '', usage: 'When using an ephemeral container, target processes in this container name.' },
    { name: 'tty', shorthand: 't', type: 'bool', default: false, usage: 'Allocate a TTY for the debugging container.' },
  ],
  run,
};
