/** Cluster and user entries: get-clusters, set-cluster, delete-cluster, get-users, set-credentials, delete-user. */
import { CommandError, FileAccessError, type KubectlContext } from '../../context';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { accessOf, goList, modifyConfig, startingConfig } from './common';
import { base64 } from './model';

function sortedNames(m: Map<string, unknown>): string[] {
  return [...m.keys()].sort();
}


function readFileFor(ctx: KubectlContext, flag: string, path: string): string {
  try {
    if (!ctx.files) throw new FileAccessError(path, 'not found');
    return ctx.files.read(path);
  } catch (err) {
    if (err instanceof FileAccessError) throw new CommandError(`error: could not stat ${flag} file ${path}: stat ${path}: no such file or directory`);
    throw err;
  }
}

/** A file path as kubectl writes it: made absolute, then relative to the kubeconfig's folder (RelativizePathWithNoBacksteps). */
function absolute(ctx: KubectlContext, path: string, destination: string): string {
  if (!ctx.files) return path;
  const abs = ctx.files.resolve(path);
  const dir = ctx.files.resolve(destination).replace(/\/[^/]*$/, '');
  return abs.startsWith(`${dir}/`) ? abs.slice(dir.length + 1) : abs;
}

export function getClustersCommand(): Command {
  return {
    name: 'get-clusters',
    short: 'Display clusters defined in the kubeconfig',
    long: 'Print the names of the clusters listed in the kubeconfig.',
    example: `  # Which clusters does the kubeconfig know?
  kubectl config get-clusters`,
    use: 'config get-clusters [flags]',
    flags: [],
    async run(args, ctx) {
      const config = startingConfig(args, ctx);
      ctx.stdout(`NAME\n${sortedNames(config.clusters).map((n) => `${n}\n`).join('')}`);
      return 0;
    },
  };
}

export function getUsersCommand(): Command {
  return {
    name: 'get-users',
    short: 'Display users defined in the kubeconfig',
    long: 'Print the names of the users listed in the kubeconfig.',
    example: `  # Which users does the kubeconfig know?
  kubectl config get-users`,
    use: 'config get-users [flags]',
    flags: [],
    async run(args, ctx) {
      const config = startingConfig(args, ctx);
      ctx.stdout(`NAME\n${sortedNames(config.users).map((n) => `${n}\n`).join('')}`);
      return 0;
    },
  };
}

function deleteEntry(kind: 'cluster' | 'user'): Command {
  const key = kind === 'cluster' ? 'clusters' : 'users';
  return {
    name: `delete-${kind}`,
    short: `Delete the specified ${kind} from the kubeconfig`,
    long: `Remove a ${kind} entry from the kubeconfig. Contexts that refer to it are left as they are.`,
    example: `  # Remove the ${kind} named minikube
  kubectl config delete-${kind} minikube`,
    use: `config delete-${kind} NAME`,
    flags: [],
    async run(args, ctx) {
      if (args.positional.length === 0 && kind === 'user')
        throw new CommandError("error: user to delete is required\nSee 'kubectl config delete-user -h' for help and examples");
      if (args.positional.length !== 1) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const name = args.positional[0]!;
      const file = accessOf(args, ctx).destination;
      modifyConfig(args, ctx, (config) => {
        if (!config[key].has(name)) throw new CommandError(`error: cannot delete ${kind} ${name}, not in ${file}`);
        config[key].delete(name);
      });
      ctx.stdout(`deleted ${kind} ${name} from ${file}\n`);
      return 0;
    },
  };
}

export const deleteClusterCommand = () => deleteEntry('cluster');
export const deleteUserCommand = () => deleteEntry('user');

function tristate(args: ParsedArgs, name: string): boolean | undefined {
  if (!args.changed.has(name)) return undefined;
  const v = String(args.flags.get(name));
  return v === 'true';
}

const TRISTATE = (name: string, usage: string) => ({ name, type: 'string' as const, default: 'false', noOptDefault: 'true', usage });

function checkBool(args: ParsedArgs, name: string): void {
  const v = String(args.flags.get(name));
  if (args.changed.has(name) && !['true', 'false'].includes(v))
    throw new CommandError(`Error: invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax\nSee 'kubectl config --help' for usage.`);
}

export function setClusterCommand(): Command {
  return {
    name: 'set-cluster',
    short: 'Set a cluster entry in kubeconfig',
    long: `Add a cluster to the kubeconfig, or change one: its API server address and how to trust it.

 If the cluster already exists, only the fields you pass are changed; the others keep their values.`,
    example: `  # Point cluster e2e at a new server address; nothing else changes
  kubectl config set-cluster e2e --server=https://1.2.3.4
  
  # Copy the CA certificate into the kubeconfig instead of referring to the file
  kubectl config set-cluster e2e --embed-certs --certificate-authority=~/.kube/e2e/kubernetes.ca.crt
  
  # Do not verify the server's certificate for cluster e2e
  kubectl config set-cluster e2e --insecure-skip-tls-verify=true`,
    use: 'config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com]',
    flags: [
      { name: 'certificate-authority', type: 'string', default: '', usage: 'Path to certificate-authority file for the cluster entry in kubeconfig' },
      TRISTATE('embed-certs', 'embed-certs for the cluster entry in kubeconfig'),
      TRISTATE('insecure-skip-tls-verify', 'insecure-skip-tls-verify for the cluster entry in kubeconfig'),
      { name: 'proxy-url', type: 'string', default: '', usage: 'proxy-url for the cluster entry in kubeconfig' },
      { name: 'server', type: 'string', default: '', usage: 'server for the cluster entry in kubeconfig' },
      { name: 'tls-server-name', type: 'string', default: '', usage: 'tls-server-name for the cluster entry in kubeconfig' },
    ],
    async run(args, ctx) {
      checkBool(args, 'embed-certs');
      checkBool(args, 'insecure-skip-tls-verify');
      if (args.positional.length !== 1) throw new CommandError(`error: Unexpected args: ${goList(args.positional)}`);
      const name = args.positional[0]!;
      if (!name) throw new CommandError('error: you must specify a non-empty cluster name');
      const insecure = tristate(args, 'insecure-skip-tls-verify');
      const embed = tristate(args, 'embed-certs');
      const ca = args.flags.get('certificate-authority') as string;
      if (insecure && ca) throw new CommandError('error: you cannot specify a certificate authority and insecure mode at the same time');
      let caData: string | undefined;
      if (embed) {
        if (!ca) throw new CommandError('error: you must specify a --certificate-authority to embed');
        caData = base64(readFileFor(ctx, 'certificate-authority', ca));
      }
      modifyConfig(args, ctx, (config) => {
        const c = { ...(config.clusters.get(name) ?? {}) };
        if (args.changed.has('server')) c.server = args.flags.get('server');
        if (args.changed.has('tls-server-name')) c['tls-server-name'] = args.flags.get('tls-server-name');
        if (insecure !== undefined) {
          c['insecure-skip-tls-verify'] = insecure;
          if (insecure) {
            delete c['certificate-authority'];
            delete c['certificate-authority-data'];
          }
        }
        if (args.changed.has('certificate-authority')) {
          if (embed) {
            c['certificate-authority-data'] = caData;
            delete c['certificate-authority'];
            delete c['insecure-skip-tls-verify'];
          } else if (ca) {
            c['certificate-authority'] = absolute(ctx, ca, accessOf(args, ctx).destination);
            delete c['certificate-authority-data'];
            delete c['insecure-skip-tls-verify'];
          }
        }
        if (args.changed.has('proxy-url')) c['proxy-url'] = args.flags.get('proxy-url');
        config.clusters.set(name, c);
      });
      ctx.stdout(`Cluster ${JSON.stringify(name)} set.\n`);
      return 0;
    },
  };
}

export function setCredentialsCommand(): Command {
  return {
    name: 'set-credentials',
    short: 'Set a user entry in kubeconfig',
    long: `Add a user (a set of credentials) to the kubeconfig, or change one. If the user already exists, only the fields you pass are changed.

 A user can log in with one of:

        a client certificate:  --client-certificate=certfile --client-key=keyfile
        a bearer token:        --token=bearer_token
        a user name and password:  --username=basic_user --password=basic_password

 A token and a user name/password cannot be given together.`,
    example: `  # Change only the client key of user cluster-admin
  kubectl config set-credentials cluster-admin --client-key=~/.kube/admin.key
  
  # Give user cluster-admin a user name and password
  kubectl config set-credentials cluster-admin --username=admin --password=uXFGweU9l35qcif
  
  # Copy the client certificate into the kubeconfig instead of referring to the file
  kubectl config set-credentials cluster-admin --client-certificate=~/.kube/admin.crt --embed-certs=true`,
    use: 'config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [--auth-provider=provider_name] [--auth-provider-arg=key=value] [--exec-command=exec_command] [--exec-api-version=exec_api_version] [--exec-arg=arg] [--exec-env=key=value]',
    flags: [
      { name: 'auth-provider', type: 'string', default: '', usage: 'Auth provider for the user entry in kubeconfig' },
      { name: 'auth-provider-arg', type: 'stringSlice', default: [], usage: "'key=value' arguments for the auth provider" },
      { name: 'client-certificate', type: 'string', default: '', usage: 'Path to client-certificate file for the user entry in kubeconfig' },
      { name: 'client-key', type: 'string', default: '', usage: 'Path to client-key file for the user entry in kubeconfig' },
      TRISTATE('embed-certs', 'Embed client cert/key for the user entry in kubeconfig'),
      { name: 'exec-api-version', type: 'string', default: '', usage: 'API version of the exec credential plugin for the user entry in kubeconfig' },
      { name: 'exec-arg', type: 'stringSlice', default: [], usage: 'New arguments for the exec credential plugin command for the user entry in kubeconfig' },
      { name: 'exec-command', type: 'string', default: '', usage: 'Command for the exec credential plugin for the user entry in kubeconfig' },
      { name: 'exec-env', type: 'stringArray', default: [], usage: "'key=value' environment values for the exec credential plugin" },
      { name: 'exec-interactive-mode', type: 'string', default: '', usage: 'InteractiveMode of the exec credentials plugin for the user entry in kubeconfig' },
      TRISTATE('exec-provide-cluster-info', 'ProvideClusterInfo of the exec credentials plugin for the user entry in kubeconfig'),
      { name: 'password', type: 'string', default: '', usage: 'password for the user entry in kubeconfig' },
      { name: 'token', type: 'string', default: '', usage: 'token for the user entry in kubeconfig' },
      { name: 'username', type: 'string', default: '', usage: 'username for the user entry in kubeconfig' },
    ],
    async run(args, ctx) {
      checkBool(args, 'embed-certs');
      if (args.positional.length !== 1) throw new CommandError(`error: unexpected args: ${goList(args.positional)}`);
      const name = args.positional[0]!;
      if (!name) throw new CommandError('error: you must specify a non-empty user name');
      const token = args.flags.get('token') as string;
      const username = args.flags.get('username') as string;
      const password = args.flags.get('password') as string;
      const methods: string[] = [];
      if (token) methods.push('--token');
      if (username || password) methods.push('--username/--password');
      if (methods.length > 1) throw new CommandError(`error: you cannot specify more than one authentication method at the same time: ${methods.join(', ')}`);
      const embed = tristate(args, 'embed-certs');
      const cert = args.flags.get('client-certificate') as string;
      const key = args.flags.get('client-key') as string;
      if (embed) {
        if (!cert && !key) throw new CommandError('error: you must specify a --client-certificate or --client-key to embed');
      }
      const mode = args.flags.get('exec-interactive-mode') as string;
      if (args.changed.has('exec-interactive-mode') && !['IfAvailable', 'Never', 'Always'].includes(mode))
        throw new CommandError('error: invalid interactive mode type, can be only IfAvailable, Never, Always');
      const certData = embed && cert ? base64(readFileFor(ctx, 'client-certificate', cert)) : undefined;
      const keyData = embed && key ? base64(readFileFor(ctx, 'client-key', key)) : undefined;
      modifyConfig(args, ctx, (config) => {
        const u = { ...(config.users.get(name) ?? {}) };
        if (args.changed.has('client-certificate')) {
          if (embed) {
            u['client-certificate-data'] = certData;
            delete u['client-certificate'];
          } else {
            u['client-certificate'] = cert ? absolute(ctx, cert, accessOf(args, ctx).destination) : '';
            if (cert) delete u['client-certificate-data'];
          }
        }
        if (args.changed.has('client-key')) {
          if (embed) {
            u['client-key-data'] = keyData;
            delete u['client-key'];
          } else {
            u['client-key'] = key ? absolute(ctx, key, accessOf(args, ctx).destination) : '';
            if (key) delete u['client-key-data'];
          }
        }
        let setToken = false;
        let setBasic = false;
        if (args.changed.has('token')) {
          u.token = token;
          setToken = token.length > 0;
        }
        if (args.changed.has('username')) {
          u.username = username;
          setBasic ||= username.length > 0;
        }
        if (args.changed.has('password')) {
          u.password = password;
          setBasic ||= password.length > 0;
        }
        if (setToken || setBasic) {
          if (!setToken) delete u.token;
          if (!setBasic) {
            delete u.username;
            delete u.password;
          }
        }
        if (args.changed.has('auth-provider')) {
          const provider = args.flags.get('auth-provider') as string;
          const prev = (u['auth-provider'] as { name?: string; config?: Record<string, string> } | undefined) ?? {};
          u['auth-provider'] = provider ? { name: provider, ...(prev.name === provider && prev.config ? { config: prev.config } : {}) } : undefined;
        }
        const providerArgs = args.flags.get('auth-provider-arg') as string[];
        if (providerArgs.length && u['auth-provider']) {
          const ap = u['auth-provider'] as { name: string; config?: Record<string, string> };
          const cfg = { ...(ap.config ?? {}) };
          for (const a of providerArgs) {
            if (a.endsWith('-') && !a.includes('=')) delete cfg[a.slice(0, -1)];
            else {
              const i = a.indexOf('=');
              if (i > 0) cfg[a.slice(0, i)] = a.slice(i + 1);
            }
          }
          u['auth-provider'] = { ...ap, config: cfg };
        }
        if (args.changed.has('exec-command') || args.changed.has('exec-api-version') || args.changed.has('exec-arg') || args.changed.has('exec-env')) {
          const exec: Record<string, unknown> = { provideClusterInfo: false, ...((u.exec as Record<string, unknown> | undefined) ?? {}) };
          if (args.changed.has('exec-command')) exec.command = args.flags.get('exec-command');
          if (args.changed.has('exec-api-version')) exec.apiVersion = args.flags.get('exec-api-version');
          if (args.changed.has('exec-arg')) exec.args = args.flags.get('exec-arg');
          if (args.changed.has('exec-interactive-mode')) exec.interactiveMode = mode;
          if (args.changed.has('exec-provide-cluster-info')) exec.provideClusterInfo = tristate(args, 'exec-provide-cluster-info');
          const env = [...((exec.env as { name: string; value: string }[] | undefined) ?? [])];
          for (const e of args.flags.get('exec-env') as string[]) {
            if (e.endsWith('-') && !e.includes('=')) {
              const at = env.findIndex((x) => x.name === e.slice(0, -1));
              if (at >= 0) env.splice(at, 1);
            } else {
              const i = e.indexOf('=');
              const entry = { name: e.slice(0, i), value: e.slice(i + 1) };
              const at = env.findIndex((x) => x.name === entry.name);
              if (at >= 0) env[at] = entry;
              else env.push(entry);
            }
          }
          if (env.length) exec.env = env;
          u.exec = exec;
        }
        for (const k of Object.keys(u)) if (u[k] === undefined) delete u[k];
        config.users.set(name, u);
      });
      ctx.stdout(`User ${JSON.stringify(name)} set.\n`);
      return 0;
    },
  };
}
