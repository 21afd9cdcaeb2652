/**
 * The root `kubectl` command: finds the verb among the arguments (global flags may come first),
 * parses its flags, and reports unknown commands and flags in cobra's words.
 */
import { CommandError, type KubectlContext } from '../context';
import { FlagError, parseFlags, type FlagSpec } from '../flags';
import { suggestionsFor } from '../suggest';
import { getCommand } from './get';
import { GLOBAL_FLAGS } from './global-flags';
import type { Command } from './types';
import { versionCommand } from './version';

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

const IMPLEMENTED: Command[] = [getCommand(), versionCommand()];

/** Splits off the verb: the first argument that is neither a global flag nor a global flag's value. */
function findVerb(args: readonly string[]): { verb?: string; index: number } {
  const takesValue = new Map<string, boolean>();
  for (const f of GLOBAL_FLAGS) {
    takesValue.set(`--${f.name}`, f.type !== 'bool');
    if (f.shorthand) takesValue.set(`-${f.shorthand}`, f.type !== 'bool');
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { index: -1 };
    if (a.startsWith('-')) {
      if (!a.includes('=') && takesValue.get(a)) i++;
      continue;
    }
    return { verb: a, index: i };
  }
  return { index: -1 };
}

/** Runs `kubectl <args>` and returns its exit code. */
export async function runKubectl(args: readonly string[], ctx: KubectlContext): Promise<number> {
  const { verb, index } = findVerb(args);
  if (!verb) {
    if (args.some((a) => a === '-h' || a === '--help') || args.length === 0) {
      ctx.stdout(rootHelp());
      return 0;
    }
    try {
      parseFlags(args, GLOBAL_FLAGS);
    } catch (err) {
      if (err instanceof FlagError) {
        ctx.stderr(`error: ${err.message}\nSee 'kubectl --help' for usage.\n`);
        return 1;
      }
      throw err;
    }
    ctx.stdout(rootHelp());
    return 0;
  }

  const command = IMPLEMENTED.find((c) => c.name === verb);
  if (!command) {
    if (ALL_COMMAND_NAMES.includes(verb)) {
      ctx.stderr(`error: "kubectl ${verb}" is not available in Kubelab yet\n`);
      return 1;
    }
    const suggestions = suggestionsFor(verb, ALL_COMMAND_NAMES);
    // kubectl's CheckErr ends the message with exactly one newline.
    const hint = suggestions.length ? `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}` : '\n';
    ctx.stderr(`error: unknown command "${verb}" for "kubectl"${hint}`);
    return 1;
  }

  const rest = [...args.slice(0, index), ...args.slice(index + 1)];
  const specs: FlagSpec[] = [
    ...GLOBAL_FLAGS,
    ...command.flags,
    { name: 'help', shorthand: 'h', type: 'bool', default: false, usage: `help for ${command.name}` },
  ];
  try {
    const parsed = parseFlags(rest, specs);
    if (parsed.flags.get('help')) {
      ctx.stdout(commandHelp(command));
      return 0;
    }
    return await command.run(parsed, ctx);
  } catch (err) {
    if (err instanceof FlagError) {
      ctx.stderr(`error: ${err.message}\nSee 'kubectl ${command.name} --help' for usage.\n`);
      return 1;
    }
    if (err instanceof CommandError) {
      ctx.stderr(`${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

function commandHelp(command: Command): string {
  const flags = command.flags
    .map((f) => {
      const name = f.shorthand ? `-${f.shorthand}, --${f.name}` : `    --${f.name}`;
      const value = f.type === 'bool' ? '' : `='${String(f.default ?? '')}'`;
      return `    ${name}${value}:\n\t${f.usage}\n`;
    })
    .join('\n');
  return `${command.short}.

Options:
${flags}
Usage:
  kubectl ${command.name} [options]

Use "kubectl options" for a list of global command-line options (applies to all commands).
`;
}
