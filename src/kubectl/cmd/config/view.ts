/** `kubectl config view`: the merged (or one file's) kubeconfig, minified, flattened or redacted. */
import { CommandError, FileAccessError, type KubectlContext } from '../../context';
import { makePrinter, outputOptions, toYaml } from '../../printers';
import type { Command } from '../types';
import { accessOf } from './common';
import { base64, configJson, loadModel, parseConfig, toV1, type ConfigModel } from './model';

type Obj = Record<string, unknown>;

function minify(config: ConfigModel): void {
  if (!config.currentContext) throw new CommandError('error: current-context must exist in order to minify');
  const context = config.contexts.get(config.currentContext);
  if (!context) throw new CommandError(`error: cannot locate context ${config.currentContext}`);
  const clusters = new Map<string, Obj>();
  const users = new Map<string, Obj>();
  const cluster = String(context.cluster ?? '');
  const user = String(context.user ?? '');
  if (cluster) {
    if (!config.clusters.has(cluster)) throw new CommandError(`error: cannot locate cluster ${cluster}`);
    clusters.set(cluster, config.clusters.get(cluster)!);
  }
  if (user) {
    if (!config.users.has(user)) throw new CommandError(`error: cannot locate user ${user}`);
    users.set(user, config.users.get(user)!);
  }
  config.contexts = new Map([[config.currentContext, context]]);
  config.clusters = clusters;
  config.users = users;
}

function flatten(ctx: KubectlContext, config: ConfigModel): void {
  const embed = (o: Obj, path: string, data: string) => {
    const file = o[path];
    if (typeof file !== 'string' || !file) return;
    let text: string;
    try {
      text = ctx.files!.read(file);
    } catch (err) {
      if (err instanceof FileAccessError) throw new CommandError(`error: open ${file}: no such file or directory`);
      throw err;
    }
    o[data] = base64(text);
    delete o[path];
  };
  for (const c of config.clusters.values()) embed(c, 'certificate-authority', 'certificate-authority-data');
  for (const u of config.users.values()) {
    embed(u, 'client-certificate', 'client-certificate-data');
    embed(u, 'client-key', 'client-key-data');
  }
}

/** RedactSecrets and ShortenConfig: secrets read REDACTED, embedded certificates DATA+OMITTED. */
function redact(config: ConfigModel): void {
  for (const c of config.clusters.values()) if (c['certificate-authority-data']) c['certificate-authority-data'] = 'DATA+OMITTED';
  for (const u of config.users.values()) {
    if (u.token) u.token = 'REDACTED';
    if (u.password) u.password = 'REDACTED';
    if (u['client-certificate-data']) u['client-certificate-data'] = 'DATA+OMITTED';
    if (u['client-key-data']) u['client-key-data'] = 'DATA+OMITTED';
  }
}

function copy(config: ConfigModel): ConfigModel {
  const m = (x: Map<string, Obj>) => new Map([...x].map(([k, v]) => [k, { ...v }]));
  return { ...config, clusters: m(config.clusters), users: m(config.users), contexts: m(config.contexts) };
}

const VIEW_FORMATS = ['go-template', 'go-template-file', 'json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'name', 'template', 'templatefile', 'yaml'];

export function viewCommand(): Command {
  return {
    name: 'view',
    short: 'Display merged kubeconfig settings or a specified kubeconfig file',
    long: `Print the kubeconfig in use (the merged result of all the files that are loaded), or one file given with --kubeconfig.

 Certificates, keys and tokens are hidden unless you add --raw. To pick out a single value, use -o jsonpath={...}.`,
    example: `  # Print the kubeconfig kubectl is using
  kubectl config view
  
  # The same, with certificate data and secrets shown in full
  kubectl config view --raw
  
  # Print only the password of user e2e
  kubectl config view -o jsonpath='{.users[?(@.name == "e2e")].user.password}'`,
    use: 'config view [flags]',
    flags: [
      { name: 'allow-missing-template-keys', type: 'bool', default: true, usage: 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.' },
      { name: 'flatten', type: 'bool', default: false, usage: 'Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)' },
      { name: 'merge', type: 'string', default: 'true', noOptDefault: 'true', usage: 'Merge the full hierarchy of kubeconfig files' },
      { name: 'minify', type: 'bool', default: false, usage: 'Remove all information not used by current-context from the output' },
      { name: 'output', shorthand: 'o', type: 'string', default: 'yaml', usage: 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).' },
      { name: 'raw', type: 'bool', default: false, usage: 'Display raw byte data and sensitive data' },
      { name: 'show-managed-fields', type: 'bool', default: false, usage: 'If true, keep the managedFields when printing objects in JSON or YAML format.' },
      { name: 'template', type: 'string', default: '', usage: 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].' },
    ],
    async run(args, ctx) {
      if (args.positional.length)
        throw new CommandError(`error: unexpected arguments: [${args.positional.join(' ')}]\nSee 'kubectl config view -h' for help and examples`);
      const access = accessOf(args, ctx);
      const merge = args.changed.has('merge') ? String(args.flags.get('merge')) === 'true' : !access.explicit;
      if (!merge && !access.explicit) throw new CommandError('error: if merge==false a precise file must be specified');
      let config: ConfigModel;
      if (!merge) {
        let text: string;
        try {
          text = ctx.files?.read(access.destination) ?? '';
        } catch (err) {
          if (err instanceof FileAccessError) throw new CommandError(`error: open ${access.destination}: no such file or directory`);
          throw err;
        }
        config = parseConfig(text, access.destination);
      } else config = copy(loadModel(ctx, access));
      if (args.flags.get('minify')) {
        const context = args.flags.get('context') as string;
        if (context) config.currentContext = context;
        minify(config);
      }
      if (args.flags.get('flatten')) flatten(ctx, config);
      else if (!args.flags.get('raw')) redact(config);
      const doc = toV1(config);
      const options = outputOptions(args);
      const output = options.format;
      if ((output === 'yaml' || output === '') && !(options.template && !options.formatGiven)) ctx.stdout(toYaml(doc));
      else if (output === 'json') ctx.stdout(configJson(doc));
      else if (output === 'name') ctx.stdout('config/<unknown>\n');
      else {
        const printer = makePrinter(ctx, options, VIEW_FORMATS);
        ctx.stdout(printer ? printer.print([doc]) : toYaml(doc));
      }
      return 0;
    },
  };
}
