/** `kubectl attach`: the output (and with -i, the stdin) of a running container, until it stops. */
import { CommandError, type KubectlContext } from '../../context';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { setupTty } from './exec';
import { exitFor, runSession } from './session';
import { defaultContainer, findContainer, podForArgument } from './stream-common';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Attaches to `container` of `pod` as kubectl attach (and debug -it) do; the exit code. */
export async function attachTo(ctx: KubectlContext, pod: Obj, container: Obj, o: { stdin: boolean; tty: boolean; quiet: boolean; commandName: string }): Promise<number> {
  let tty = o.tty;
  if (tty && !container.tty) {
    tty = false;
    if (!o.quiet) ctx.stderr(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
  } else if (!tty && container.tty) tty = true;
  const settled = setupTty(ctx, o.stdin, tty, o.quiet);
  if (!o.quiet) ctx.stderr("If you don't see a command prompt, try pressing enter.\n");
  const status = await runSession(ctx, {
    subresource: 'attach',
    raw: settled.raw,
    request: { namespace: pod.metadata.namespace, pod: pod.metadata.name, container: container.name, stdin: o.stdin, stdout: true, stderr: !settled.raw, tty: settled.tty },
  });
  const code = exitFor(ctx, status);
  if (!o.quiet && o.stdin && settled.raw && pod.spec?.restartPolicy === 'Always') {
    const ephemeral = (pod.spec?.ephemeralContainers ?? []).some((c: Obj) => c.name === container.name);
    ctx.stdout(
      ephemeral
        ? `Session ended, the ephemeral container will not be restarted but may be reattached using '${o.commandName} ${pod.metadata.name} -c ${container.name} -i -t' if it is still running\n`
        : `Session ended, resume using '${o.commandName} ${pod.metadata.name} -c ${container.name} -i -t' command when the pod is running\n`,
    );
  }
  return code;
}

async function run(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const f = args.flags;
  const pos = args.positional;
  if (pos.length === 0) throw new CommandError('error: at least 1 argument is required for attach');
  if (pos.length > 2) throw new CommandError('error: ' + `expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${pos.length}: [${pos.join(' ')}]`);
  const arg = pos.length === 2 ? `${pos[0]}/${pos[1]}` : pos[0]!;
  const timeout = parseGoDuration(f.get('pod-running-timeout') as string) ?? 60_000;
  const { choice } = await podForArgument(ctx, arg, ctx.namespace, timeout);
  const pod = choice.pod;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CommandError(`error: cannot attach a container in a completed pod; current phase is ${phase}`);
  const quiet = f.get('quiet') as boolean;
  const name = (f.get('container') as string) || defaultContainer(ctx, pod, quiet);
  const container = findContainer(pod, name);
  if (!container) throw new CommandError(`error: cannot attach to the container: container ${name} not found in pod ${pod.metadata.name}`);
  return attachTo(ctx, pod, container, { stdin: f.get('stdin') as boolean, tty: f.get('tty') as boolean, quiet, commandName: 'kubectl attach' });
}

export const attachCommand: Command = {
  name: 'attach',
  short: 'Attach to a running container',
  long: 'Connect to the main process of a running container: see its output, and with -i type into it. Unlike exec, nothing new is started.',
  use: 'attach (POD | TYPE/NAME) -c CONTAINER',
  example: `  # See the output of pod mypod's first container (or the kubectl.kubernetes.io/default-container one)
  kubectl attach mypod

  # See the output of container ruby-container of pod mypod
  kubectl attach mypod -c ruby-container

  # Type into container ruby-container of pod mypod, on a terminal
  kubectl attach mypod -c ruby-container -i -t

  # Attach to the first pod of replica set nginx
  kubectl attach rs/nginx`,
  flags: [
    { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    { name: 'quiet', shorthand: 'q', type: 'bool', default: false, usage: 'Only print output from the remote session' },
    { name: 'stdin', shorthand: 'i', type: 'bool', default: false, usage: 'Pass stdin to the container' },
    { name: 'tty', shorthand: 't', type: 'bool', default: false, usage: 'Stdin is a TTY' },
  ],
  run,
};
