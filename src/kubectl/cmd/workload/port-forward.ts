/**
 * `kubectl port-forward`: resolves the pod (POD, svc/x translating service ports to the
 * container's, deploy/x …) and the ports, says where it listens, and holds the forwarding
 * (recorded in ctx.listeners for the shell's curl) until Ctrl-C.
 */
import { CommandError, type KubectlContext } from '../../context';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { podForArgument, usageError } from './stream-common';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function splitPort(port: string): [string, string] {
  const parts = port.split(':');
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  return [port, port];
}

function containerPortByName(pod: Obj, name: string): number | undefined {
  for (const c of (pod.spec?.containers ?? []) as Obj[]) for (const p of (c.ports ?? []) as Obj[]) if (p.name === name) return p.containerPort;
  return undefined;
}

/** translateServicePortToTargetPort: service ports become the pod's container ports. */
function translateServicePorts(ports: string[], svc: Obj, pod: Obj): string[] {
  return ports.map((port) => {
    let [local, remote] = splitPort(port);
    let num = Number(remote);
    if (!/^\d+$/.test(remote)) {
      const sp = ((svc.spec?.ports ?? []) as Obj[]).find((p) => p.name === remote);
      if (!sp) throw new CommandError(`error: Service '${svc.metadata.name}' does not have a named port '${remote}'`);
      num = sp.port;
      if (local === remote) local = String(num);
    }
    const sp = ((svc.spec?.ports ?? []) as Obj[]).find((p) => p.port === num);
    if (!sp) throw new CommandError(`error: Service ${svc.metadata.name} does not have a service port ${num}`);
    let target: number | undefined;
    if (sp.targetPort === undefined) target = sp.port;
    else if (typeof sp.targetPort === 'number') target = sp.targetPort;
    else {
      target = containerPortByName(pod, sp.targetPort);
      if (target === undefined) throw new CommandError(`error: Pod '${pod.metadata.name}' does not have a named port '${sp.targetPort}'`);
    }
    remote = String(target);
    return local !== remote ? `${local}:${remote}` : remote;
  });
}

/** convertPodNamedPortToNumber. */
function namedPodPorts(ports: string[], pod: Obj): string[] {
  return ports.map((port) => {
    const [local, remote] = splitPort(port);
    if (remote === '') throw new CommandError('error: remote port cannot be empty');
    if (/^\d+$/.test(remote)) return port;
    const num = containerPortByName(pod, remote);
    if (num === undefined) throw new CommandError(`error: Pod '${pod.metadata.name}' does not have a named port '${remote}'`);
    return local === remote ? String(num) : `${local}:${num}`;
  });
}

function parsePort(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new CommandError(`error: Error parsing ${what} port '${text}': strconv.ParseUint: parsing "${text}": ${/^\d+$/.test(text) ? 'value out of range' : 'invalid syntax'}`);
  return n;
}

async function run(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  if (args.positional.length < 2) throw usageError('port-forward', 'TYPE/NAME and list of ports are required for port-forward');
  const [resourceArg, ...ports] = args.positional as [string, ...string[]];
  const timeout = parseGoDuration(args.flags.get('pod-running-timeout') as string) ?? 60_000;
  const { choice, resource, object } = await podForArgument(ctx, resourceArg, ctx.namespace, timeout);
  const pod = choice.pod;
  const translated = resource.group === '' && resource.kind === 'Service' ? translateServicePorts(ports, object, pod) : namedPodPorts(ports, pod);
  if (pod.status?.phase !== 'Running') throw new CommandError(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);
  const addresses = (args.flags.get('address') as string[]).flatMap((a) => (a === 'localhost' ? ['127.0.0.1', '::1'] : [a]));
  const pairs = translated.map((p) => {
    const [l, r] = splitPort(p);
    return { local: l === '' ? undefined : parsePort(l, 'local'), remote: parsePort(r, 'remote') };
  });
  const stops: (() => void)[] = [];
  let next = 30000 + ((pod.metadata.name as string).length * 7919) % 30000;
  for (const { local, remote } of pairs) {
    const localPort = local ?? next++;
    for (const address of addresses) {
      if (ctx.listeners?.inUse?.(address, localPort)) {
        ctx.stderr(`Unable to listen on port ${localPort}: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 ${address}:${localPort}: bind: address already in use]\n`);
        for (const s of stops) s();
        throw new CommandError(`error: unable to listen on any of the requested ports: [{${localPort} ${remote}}]`);
      }
      ctx.stdout(`Forwarding from ${address.includes(':') ? `[${address}]` : address}:${localPort} -> ${remote}\n`);
      if (ctx.listeners) stops.push(ctx.listeners.portForward({ address, localPort, namespace: pod.metadata.namespace, pod: pod.metadata.name, remotePort: remote }));
    }
  }
  // Runs until Ctrl-C (or the pod goes away, which the forwarding's connections would notice).
  await ctx.clock?.waitUntil(() => false, undefined, ctx.signal);
  for (const s of stops) s();
  return 0;
}

export const portForwardCommand: Command = {
  name: 'port-forward',
  short: 'Forward one or more local ports to a pod',
  long: `Listen on local ports and pass every connection on to a port of a pod, until you stop it with Ctrl+C.

 Name a pod, or an object with pods such as deployment/mydeployment or service/myservice (a bare NAME means a pod). For an object with several pods, one of them is picked and used for the whole session: when that pod goes away, forwarding stops and you have to start it again.`,
  use: 'port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  example: `  # Forward local ports 5000 and 6000 to the same ports of pod mypod
  kubectl port-forward pod/mypod 5000 6000

  # Forward local port 8443 to the target port of service myservice's port named https
  kubectl port-forward service/myservice 8443:https

  # Forward local port 8888 to port 5000 of the pod, on every address
  kubectl port-forward --address 0.0.0.0 pod/mypod 8888:5000

  # Forward a random local port to port 5000 of the pod
  kubectl port-forward pod/mypod :5000`,
  flags: [
    { name: 'address', type: 'stringSlice', default: ['localhost'], usage: 'Addresses to listen on (comma separated). Only accepts IP addresses or localhost as a value. When localhost is supplied, kubectl will try to bind on both 127.0.0.1 and ::1 and will fail if neither of these addresses are available to bind.' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
  ],
  run,
};
