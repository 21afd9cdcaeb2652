/**
 * The root `kubectl` command: finds the verb among the arguments (global flags may come first),
 * parses its flags, and reports unknown commands and flags in cobra's words.
 */
import { CommandError, type KubectlContext } from '../context';
import { FlagError, parseFlags, type FlagSpec, type ParsedArgs } from '../flags';
import { impersonation, loadKubeconfig, resolveNamespace } from '../kubeconfig';
import { suggestionsFor } from '../suggest';
import { GLOBAL_FLAGS } from './global-flags';
import { commandHelp, HELP_FLAG } from './help';
import { COMMANDS } from './index';
import type { Command } from './types';

/** Every kubectl 1.32 verb in the order `kubectl --help` lists them (cobra suggests in this order). */
const HELP_GROUPS: { title: string; commands: [string, string][] }[] = [
  {
    title: 'Basic Commands (Beginner)',
    commands: [
      ['create', 'Create a resource from a file or from stdin'],
      ['expose', 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service'],
      ['run', 'Run a particular image on the cluster'],
      ['set', 'Set specific features on objects'],
    ],
  },
  {
    title: 'Basic Commands (Intermediate)',
    commands: [
      ['explain', 'Get documentation for a resource'],
      ['get', 'Display one or many resources'],
      ['edit', 'Edit a resource on the server'],
      ['delete', 'Delete resources by file names, stdin, resources and names, or by resources and label selector'],
    ],
  },
  {
    title: 'Deploy Commands',
    commands: [
      ['rollout', 'Manage the rollout of a resource'],
      ['scale', 'Set a new size for a deployment, replica set, or replication controller'],
      ['autoscale', 'Auto-scale a deployment, replica set, stateful set, or replication controller'],
    ],
  },
  {
    title: 'Cluster Management Commands',
    commands: [
      ['certificate', 'Modify certificate resources'],
      ['cluster-info', 'Display cluster information'],
      ['top', 'Display resource (CPU/memory) usage'],
      ['cordon', 'Mark node as unschedulable'],
      ['uncordon', 'Mark node as schedulable'],
      ['drain', 'Drain node in preparation for maintenance'],
      ['taint', 'Update the taints on one or more nodes'],
    ],
  },
  {
    title: 'Troubleshooting and Debugging Commands',
    commands: [
      ['describe', 'Show details of a specific resource or group of resources'],
      ['logs', 'Print the logs for a container in a pod'],
      ['attach', 'Attach to a running container'],
      ['exec', 'Execute a command in a container'],
      ['port-forward', 'Forward one or more local ports to a pod'],
      ['proxy', 'Run a proxy to the Kubernetes API server'],
      ['cp', 'Copy files and directories to and from containers'],
      ['auth', 'Inspect authorization'],
      ['debug', 'Create debugging sessions for troubleshooting workloads and nodes'],
      ['events', 'List events'],
    ],
  },
  {
    title: 'Advanced Commands',
    commands: [
      ['diff', 'Diff the live version against a would-be applied version'],
      ['apply', 'Apply a configuration to a resource by file name or stdin'],
      ['patch', 'Update fields of a resource'],
      ['replace', 'Replace a resource by file name or stdin'],
      ['wait', 'Experimental: Wait for a specific condition on one or many resources'],
      ['kustomize', 'Build a kustomization target from a directory or URL'],
    ],
  },
  {
    title: 'Settings Commands',
    commands: [
      ['label', 'Update the labels on a resource'],
      ['annotate', 'Update the annotations on a resource'],
      ['completion', 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)'],
    ],
  },
  {
    title: 'Other Commands',
    commands: [
      ['api-resources', 'Print the supported API resources on the server'],
      ['api-versions', 'Print the supported API versions on the server, in the form of "group/version"'],
      ['config', 'Modify kubeconfig files'],
      ['plugin', 'Provides utilities for interacting with plugins'],
      ['version', 'Print the client and server version information'],
    ],
  },
];

/** Commands not in a help group but still known to cobra (for suggestions). */
const UNGROUPED = ['alpha', 'options'];

const ALL_COMMAND_NAMES = [...HELP_GROUPS.flatMap((g) => g.commands.map(([n]) => n)), ...UNGROUPED];

function rootHelp(): string {
  const groups = HELP_GROUPS.map(
    (g) => `${g.title}:\n${g.commands.map(([n, d]) => `  ${n.padEnd(15)} ${d}`).join('\n')}\n`,
  ).join('\n');
  return `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

${groups}
Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;
}

/** Finds the first argument that is not a flag or a flag's value, given the flags known so far. */
function firstPositional(args: readonly string[], specs: readonly FlagSpec[]): number {
  const takesValue = new Map<string, boolean>();
  for (const f of specs) {
    const value = f.type !== 'bool' && f.noOptDefault === undefined;
    takesValue.set(`--${f.name}`, value);
    if (f.shorthand) takesValue.set(`-${f.shorthand}`, value);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return -1;
    if (a.startsWith('-') && a.length > 1) {
      if (!a.includes('=') && takesValue.get(a)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** Runs `kubectl <args>` and returns its exit code. */
export async function runKubectl(args: readonly string[], ctx: KubectlContext): Promise<number> {
  const index = firstPositional(args, GLOBAL_FLAGS);
  const verb = index >= 0 ? args[index] : undefined;
  if (verb === undefined) {
    if (args.some((a) => a === '-h' || a === '--help') || args.length === 0) {
      ctx.stdout(rootHelp());
      return 0;
    }
    try {
      parseFlags(args, GLOBAL_FLAGS);
    } catch (err) {
      if (err instanceof FlagError) {
        ctx.stderr(`Error: ${err.message}\nSee 'kubectl --help' for usage.\n`);
        return 1;
      }
      throw err;
    }
    ctx.stdout(rootHelp());
    return 0;
  }

  const command = COMMANDS.find((c) => c.name === verb || c.aliases?.includes(verb));
  if (!command) {
    if (ALL_COMMAND_NAMES.includes(verb)) {
      ctx.stderr(`error: "kubectl ${verb}" is not available in Kubelab yet\n`);
      return 1;
    }
    const suggestions = suggestionsFor(verb, ALL_COMMAND_NAMES);
    // cobra's own error: "Error: " and, after suggestions, a blank line.
    const hint = suggestions.length ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}\n` : '\n';
    ctx.stderr(`Error: unknown command "${verb}" for "kubectl"${hint}`);
    return 1;
  }
  return runCommand(command, [command.name], [...args.slice(0, index), ...args.slice(index + 1)], ctx);
}

/** Descends into subcommands as cobra's Find does, then parses flags and runs the command found. */
async function runCommand(command: Command, path: string[], rest: string[], ctx: KubectlContext): Promise<number> {
  const specs: FlagSpec[] = [...GLOBAL_FLAGS, ...command.flags, HELP_FLAG(command.name)];
  if (command.subcommands?.length) {
    const at = firstPositional(rest, specs);
    const word = at >= 0 ? rest[at]! : undefined;
    const sub = word === undefined ? undefined : command.subcommands.find((c) => c.name === word || c.aliases?.includes(word));
    if (sub) return runCommand(sub, [...path, sub.name], [...rest.slice(0, at), ...rest.slice(at + 1)], ctx);
    if (!command.run && word !== undefined && !rest.includes('-h') && !rest.includes('--help')) {
      ctx.stderr(`error: unknown command "${word}"\nSee 'kubectl ${path.join(' ')} -h' for help and examples\n`);
      return 1;
    }
  }
  const name = path.join(' ');
  try {
    const parsed = parseFlags(rest, specs);
    if (parsed.flags.get('help') || !command.run) {
      ctx.stdout(commandHelp(command, name));
      return 0;
    }
    return await command.run(parsed, await withKubeconfig(parsed, ctx));
  } catch (err) {
    if (err instanceof FlagError) {
      ctx.stderr(`Error: ${err.message}\nSee 'kubectl ${name} --help' for usage.\n`);
      return 1;
    }
    if (err instanceof CommandError) {
      ctx.stderr(err.message.endsWith('\n') ? err.message : `${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/** The context with the namespace the kubeconfig (and --context, -n) chooses. */
async function withKubeconfig(parsed: ParsedArgs, ctx: KubectlContext): Promise<KubectlContext> {
  const loaded = loadKubeconfig(ctx, parsed.flags.get('kubeconfig') as string);
  const namespace = resolveNamespace(ctx, loaded, { namespace: parsed.flags.get('namespace') as string, context: parsed.flags.get('context') as string });
  const client = impersonation(ctx, loaded, {
    as: (parsed.flags.get('as') as string | undefined) ?? '',
    groups: (parsed.flags.get('as-group') as string[] | undefined) ?? [],
    uid: (parsed.flags.get('as-uid') as string | undefined) ?? '',
    context: parsed.flags.get('context') as string,
    user: (parsed.flags.get('user') as string | undefined) ?? '',
  });
  return { ...ctx, namespace, client };
}
