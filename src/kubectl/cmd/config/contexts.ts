/** The context subcommands of `kubectl config`: get-contexts, current-context, use-context, set-context, delete-context, rename-context. */
import { CommandError } from '../../context';
import { tabwrite } from '../../printers';
import type { Command } from '../types';
import { accessOf, goList, modifyConfig, startingConfig } from './common';

export function getContextsCommand(): Command {
  return {
    name: 'get-contexts',
    short: 'Describe one or many contexts',
    long: 'List the contexts defined in the kubeconfig, or only the ones you name. The current context is marked with a *.',
    example: `  # Every context
  kubectl config get-contexts
  
  # Only the context my-context
  kubectl config get-contexts my-context`,
    use: 'config get-contexts [(-o|--output=)name)]',
    flags: [
      { name: 'no-headers', type: 'bool', default: false, usage: "When using the default or custom-column output format, don't print headers (default print headers)." },
      { name: 'output', shorthand: 'o', type: 'string', default: '', usage: 'Output format. One of: (name).' },
    ],
    async run(args, ctx) {
      const output = args.flags.get('output') as string;
      if (output !== '' && output !== 'name')
        throw new CommandError(`error: --output ${output} is not available in kubectl config get-contexts; resetting to default output format`);
      const nameOnly = output === 'name';
      const config = startingConfig(args, ctx);
      const errors: string[] = [];
      let names: string[];
      if (args.positional.length === 0) names = [...config.contexts.keys()];
      else {
        names = [];
        for (const n of args.positional) {
          if (config.contexts.has(n)) names.push(n);
          else errors.push(`context ${n} not found`);
        }
      }
      names.sort();
      const lines: string[][] = [];
      if (!nameOnly && !(args.flags.get('no-headers') as boolean)) lines.push(['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']);
      for (const n of names) {
        const c = config.contexts.get(n)!;
        if (nameOnly) lines.push([n]);
        else lines.push([config.currentContext === n ? '*' : ' ', n, String(c.cluster ?? ''), String(c.user ?? ''), String(c.namespace ?? '')]);
      }
      ctx.stdout(tabwrite(lines));
      if (errors.length) throw new CommandError(`error: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`);
      return 0;
    },
  };
}

export function currentContextCommand(): Command {
  return {
    name: 'current-context',
    short: 'Display the current-context',
    long: 'Print the name of the context kubectl uses when --context is not given.',
    example: `  # Which context is in use?
  kubectl config current-context`,
    use: 'config current-context [flags]',
    flags: [],
    async run(args, ctx) {
      const config = startingConfig(args, ctx);
      if (!config.currentContext) throw new CommandError('error: current-context is not set');
      ctx.stdout(`${config.currentContext}\n`);
      return 0;
    },
  };
}

export function useContextCommand(): Command {
  return {
    name: 'use-context',
    aliases: ['use'],
    short: 'Set the current-context in a kubeconfig file',
    long: 'Make the named context the current one, so that later commands use its cluster, user and namespace.',
    example: `  # Switch to the context named minikube
  kubectl config use-context minikube`,
    use: 'config use-context CONTEXT_NAME',
    flags: [],
    async run(args, ctx) {
      if (args.positional.length !== 1) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const name = args.positional[0]!;
      if (!name) throw new CommandError('error: empty context names are not allowed');
      modifyConfig(args, ctx, (config) => {
        if (!startingConfig(args, ctx).contexts.has(name)) throw new CommandError(`error: no context exists with the name: ${JSON.stringify(name)}`);
        config.currentContext = name;
      });
      ctx.stdout(`Switched to context ${JSON.stringify(name)}.\n`);
      return 0;
    },
  };
}

export function setContextCommand(): Command {
  return {
    name: 'set-context',
    short: 'Set a context entry in kubeconfig',
    long: `Add a context to the kubeconfig, or change one. A context ties together a cluster, a user and a namespace.

 If the context already exists, only the fields you pass are changed; the others keep their values. --current means the current context.`,
    example: `  # Make context gce use user cluster-admin, leaving its other fields alone
  kubectl config set-context gce --user=cluster-admin`,
    use: 'config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace]',
    flags: [
      { name: 'current', type: 'bool', default: false, usage: 'Modify the current context' },
      { name: 'cluster', type: 'string', default: '', usage: 'cluster for the context entry in kubeconfig' },
      { name: 'user', type: 'string', default: '', usage: 'user for the context entry in kubeconfig' },
      { name: 'namespace', type: 'string', default: '', usage: 'namespace for the context entry in kubeconfig' },
    ],
    async run(args, ctx) {
      if (args.positional.length > 1) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const current = args.flags.get('current') as boolean;
      const given = args.positional[0] ?? '';
      if (!given && !current) throw new CommandError('error: you must specify a non-empty context name or --current');
      if (given && current) throw new CommandError('error: you cannot specify both a context name and --current');
      const { name, existed } = modifyConfig(args, ctx, (config) => {
        const name = current ? config.currentContext : given;
        if (!name) throw new CommandError('error: no current context is set');
        const existed = config.contexts.has(name);
        const context = { ...(config.contexts.get(name) ?? {}) };
        // The global --cluster, --user and -n flags name the context's fields here.
        if (args.changed.has('cluster')) context.cluster = args.flags.get('cluster');
        if (args.changed.has('user')) context.user = args.flags.get('user');
        if (args.changed.has('namespace')) context.namespace = args.flags.get('namespace');
        config.contexts.set(name, context);
        return { name, existed };
      });
      ctx.stdout(`Context ${JSON.stringify(name)} ${existed ? 'modified' : 'created'}.\n`);
      return 0;
    },
  };
}

export function deleteContextCommand(): Command {
  return {
    name: 'delete-context',
    short: 'Delete the specified context from the kubeconfig',
    long: 'Remove a context from the kubeconfig. Its cluster and user entries are kept.',
    example: `  # Remove the context named minikube
  kubectl config delete-context minikube`,
    use: 'config delete-context NAME',
    flags: [],
    async run(args, ctx) {
      if (args.positional.length !== 1) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const name = args.positional[0]!;
      const file = accessOf(args, ctx).destination;
      modifyConfig(args, ctx, (config) => {
        if (!config.contexts.has(name)) throw new CommandError(`error: cannot delete context ${name}, not in ${file}`);
        if (config.currentContext === name) ctx.stderr('warning: this removed your active context, use "kubectl config use-context" to select a different one\n');
        config.contexts.delete(name);
      });
      ctx.stdout(`deleted context ${name} from ${file}\n`);
      return 0;
    },
  };
}

export function renameContextCommand(): Command {
  return {
    name: 'rename-context',
    short: 'Rename a context from the kubeconfig file',
    long: `Give a context in the kubeconfig a new name.

 CONTEXT_NAME is its present name and NEW_NAME the one it gets. If it is the current context, current-context follows the rename.`,
    example: `  # Call context old-name new-name from now on
  kubectl config rename-context old-name new-name`,
    use: 'config rename-context CONTEXT_NAME NEW_NAME',
    flags: [],
    async run(args, ctx) {
      if (args.positional.length !== 2) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const [from, to] = args.positional as [string, string];
      if (!to) throw new CommandError('error: You must specify a new non-empty context name');
      const file = accessOf(args, ctx).destination;
      modifyConfig(args, ctx, (config) => {
        const context = config.contexts.get(from);
        if (!context) throw new CommandError(`error: cannot rename the context ${JSON.stringify(from)}, it's not in ${file}`);
        if (config.contexts.has(to))
          throw new CommandError(`error: cannot rename the context ${JSON.stringify(from)}, the context ${JSON.stringify(to)} already exists in ${file}`);
        config.contexts.delete(from);
        config.contexts.set(to, context);
        if (config.currentContext === from) config.currentContext = to;
      });
      ctx.stdout(`Context ${JSON.stringify(from)} renamed to ${JSON.stringify(to)}.\n`);
      return 0;
    },
  };
}
