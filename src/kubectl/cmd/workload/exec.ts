/**
 * `kubectl exec`: runs a command in a container (POD or TYPE/NAME, -c), with stdin (-i) and a
 * terminal (-t); its exit code becomes kubectl's ("command terminated with exit code N").
 */
import { CommandError, type KubectlContext } from '../../context';
import { parseGoDuration, type ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { exitFor, runSession } from './session';
import { defaultContainer, podForArgument, usageError } from './stream-common';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** -i/-t as kubectl's SetupTTY settles them: a TTY only with stdin and a terminal. */
export function setupTty(ctx: KubectlContext, stdin: boolean, tty: boolean, quiet: boolean): { tty: boolean; raw: boolean } {
  if (!stdin || !tty) return { tty: false, raw: false };
  if (!ctx.terminal || ctx.stdin !== undefined) {
    if (!quiet) ctx.stderr('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    return { tty: false, raw: false };
  }
  return { tty: true, raw: true };
}

/** The container named with -c (the server checks it), or the default one. */
export function chooseContainer(ctx: KubectlContext, pod: Obj, name: string, quiet: boolean): string {
  return name || defaultContainer(ctx, pod, quiet);
}

async function run(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const f = args.flags;
  const all = args.positional;
  // Where `--` was among the arguments (cobra's ArgsLenAtDash), -1 without one.
  const atDash = args.afterDash.length > 0 ? all.length - args.afterDash.length : -1;
  const resourceName = all.length > 0 && atDash !== 0 ? all[0]! : '';
  let command: string[] = [];
  if (atDash === 0 || atDash === 1) command = all.slice(atDash);
  else if (all.length > 1) throw usageError('exec', 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  const quiet = f.get('quiet') as boolean;
  const timeout = parseGoDuration(f.get('pod-running-timeout') as string) ?? 60_000;
  if (!resourceName && (f.get('filename') as string[]).length === 0) throw new CommandError('error: pod, type/name or --filename must be specified');
  if (command.length === 0) throw new CommandError('error: you must specify at least one command for the container');
  const { choice } = await podForArgument(ctx, resourceName, ctx.namespace, timeout);
  const pod = choice.pod;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CommandError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = chooseContainer(ctx, pod, f.get('container') as string, quiet);
  const stdin = f.get('stdin') as boolean;
  const { tty, raw } = setupTty(ctx, stdin, f.get('tty') as boolean, quiet);
  const status = await runSession(ctx, {
    subresource: 'exec',
    raw,
    request: { namespace: pod.metadata.namespace, pod: pod.metadata.name, container, command, stdin, stdout: true, stderr: !tty, tty },
  });
  return exitFor(ctx, status);
}

export const execCommand: Command = {
  name: 'exec',
  short: 'Execute a command in a container',
  long: 'Run a command inside a running container and show its output; with -i and -t you can interact with it, like a shell. Everything after -- is the command and its arguments.',
  use: 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  example: `  # Run 'date' in pod mypod's first container
  kubectl exec mypod -- date

  # Run 'date' in container ruby-container of pod mypod
  kubectl exec mypod -c ruby-container -- date

  # Open an interactive shell in container ruby-container of pod mypod
  kubectl exec mypod -c ruby-container -i -t -- bash -il

  # List /usr in the first container of pod mypod, sorted by modification time
  kubectl exec mypod -i -t -- ls -t /usr

  # Run 'date' in the first container of a pod of deployment mydeployment, or of service myservice
  kubectl exec deploy/mydeployment -- date
  kubectl exec svc/myservice -- date`,
  flags: [
    { name: 'container', shorthand: 'c', type: 'string', default: '', usage: 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen' },
    { name: 'filename', shorthand: 'f', type: 'stringSlice', default: [], usage: 'to use to exec into the resource' },
    { name: 'pod-running-timeout', type: 'duration', default: '1m0s', usage: 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running' },
    { name: 'quiet', shorthand: 'q', type: 'bool', default: false, usage: 'Only print output from the remote session' },
    { name: 'stdin', shorthand: 'i', type: 'bool', default: false, usage: 'Pass stdin to the container' },
    { name: 'tty', shorthand: 't', type: 'bool', default: false, usage: 'Stdin is a TTY' },
  ],
  run,
};
