/** `kubectl set image|env|resources|selector|serviceaccount|subject`. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, DRY_RUN_FLAG, filenameFlags, responseError, printWarnings, type DryRun } from '../../cmdutil';
import { resourcePath } from '../../discovery';
import type { FlagSpec, ParsedArgs } from '../../flags';
import { manifestTargets, NO_RESOURCES, readManifests, resourceArgs, type Target } from '../../resource';
import type { Command } from '../types';
import { canonicalQuantity } from './encoding';
import { fieldManagerFlag, KINDS, kindPath, OUTPUT_FLAGS, printerFor, printObject, type Obj } from './shared';

type Container = Obj & { name: string };

/** The pod spec inside a workload (pod, template, or cron job's job template). */
function podSpecOf(obj: Obj): Obj | undefined {
  const spec = obj.spec as Obj | undefined;
  if (!spec) return undefined;
  switch (obj.kind) {
    case 'Pod':
      return spec;
    case 'CronJob':
      return (((spec.jobTemplate as Obj | undefined)?.spec as Obj | undefined)?.template as Obj | undefined)?.spec as Obj | undefined;
    default:
      return (spec.template as Obj | undefined)?.spec as Obj | undefined;
  }
}

const POD_SPEC_KINDS = ['Pod', 'ReplicationController', 'Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'Job', 'CronJob'];

/** A merge patch turning `a` into `b` (lists replace whole). */
function mergeDiff(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Obj = {};
    for (const k of Object.keys(a as Obj)) if (!(k in (b as Obj))) out[k] = null;
    for (const [k, v] of Object.entries(b as Obj)) {
      const av = (a as Obj)[k];
      if (JSON.stringify(av) === JSON.stringify(v)) continue;
      out[k] = av === undefined ? v : mergeDiff(av, v);
    }
    return out;
  }
  return b;
}

interface SetRun {
  args: ParsedArgs;
  ctx: KubectlContext;
  /** Changes the object in place; may throw CommandError or push per-object errors. */
  mutate(obj: Obj, errors: string[]): void;
  operation: string;
  /** Resource arguments (without the verb's own KEY=VALUE arguments). */
  resources: string[];
}

/**
 * A manifest as kubectl's typed decoding re-encodes it: zero-valued structs appear
 * (creationTimestamp: null, resources: {}, strategy: {}, status: {}).
 */
function typedShape(input: Obj): Obj {
  const obj = JSON.parse(JSON.stringify(input)) as Obj;
  const meta = (obj.metadata ??= {}) as Obj;
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  if (!POD_SPEC_KINDS.includes(String(obj.kind))) return obj;
  const spec = (obj.spec ??= {}) as Obj;
  const template = obj.kind === 'Pod' ? undefined : obj.kind === 'CronJob' ? (((spec.jobTemplate as Obj | undefined)?.spec as Obj | undefined)?.template as Obj | undefined) : (spec.template as Obj | undefined);
  if (template) {
    const tm = (template.metadata ??= {}) as Obj;
    if (!('creationTimestamp' in tm)) tm.creationTimestamp = null;
  }
  if (obj.kind === 'Deployment' && !spec.strategy) spec.strategy = {};
  if ((obj.kind === 'DaemonSet' || obj.kind === 'StatefulSet') && !spec.updateStrategy) spec.updateStrategy = {};
  const ps = podSpecOf(obj);
  for (const c of [...containersOf(ps, 'initContainers'), ...containersOf(ps, 'containers')]) if (!c.resources) c.resources = {};
  if (!obj.status) obj.status = {};
  return obj;
}

async function setTargets(args: ParsedArgs, ctx: KubectlContext, resources: string[], local: boolean): Promise<{ target: Target; object: Obj }[]> {
  const filenames = (args.flags.get('filename') as string[] | undefined) ?? [];
  const selector = (args.flags.get('selector') as string | undefined) ?? '';
  const all = Boolean(args.flags.get('all'));
  if (all && selector) throw new CommandError('error: cannot set --all and --selector at the same time');
  const out: { target: Target; object: Obj }[] = [];
  if (filenames.length) {
    const manifests = readManifests(ctx, filenames, Boolean(args.flags.get('recursive')));
    const targets = await manifestTargets(ctx, manifests, ctx.namespace, args.changed.has('namespace'));
    for (const t of targets) {
      if (local) out.push({ target: t, object: typedShape(t.object as unknown as Obj) });
      else {
        const res = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
        if (res.status >= 400) throw new CommandError(responseError(res));
        out.push({ target: t, object: res.body as Obj });
      }
    }
    return out;
  }
  if (local) throw new CommandError('error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'');
  const parsed = await resourceArgs(ctx, resources, ctx.namespace);
  if (parsed.types.length && (all || selector)) {
    for (const type of parsed.types) {
      const res = await ctx.client.request({ method: 'GET', path: resourcePath(type, ctx.namespace), query: selector ? { labelSelector: selector } : {} });
      if (res.status >= 400) throw new CommandError(responseError(res));
      for (const item of (res.body as { items?: Obj[] }).items ?? []) {
        const name = String((item.metadata as Obj).name);
        out.push({ target: { resource: type, namespace: type.namespaced ? ctx.namespace : undefined, name }, object: { ...item, apiVersion: type.group ? `${type.group}/${type.version}` : type.version, kind: type.kind } });
      }
    }
    return out;
  }
  if (parsed.types.length) throw new CommandError('error: resource(s) were provided, but no name was specified');
  if (parsed.targets.length === 0) throw new CommandError(NO_RESOURCES);
  for (const t of parsed.targets) {
    const res = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
    if (res.status >= 400) throw new CommandError(responseError(res));
    out.push({ target: t, object: res.body as Obj });
  }
  return out;
}

async function runSet(r: SetRun): Promise<number> {
  const { args, ctx } = r;
  const local = Boolean(args.flags.get('local'));
  const dryRun: DryRun = dryRunStrategy(args, ctx);
  if (local && dryRun === 'server') throw new CommandError('error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  const printer = printerFor(args, local ? 'client' : dryRun, ctx);
  const items = await setTargets(args, ctx, r.resources, local);
  const errors: string[] = [];
  for (const { target, object } of items) {
    const modified = JSON.parse(JSON.stringify(object)) as Obj;
    const before = errors.length;
    r.mutate(modified, errors);
    if (errors.length > before && JSON.stringify(modified) === JSON.stringify(object)) continue;
    const patch = mergeDiff(object, modified) as Obj;
    if (Object.keys(patch).length === 0) continue;
    if (local || dryRun === 'client') {
      printObject(ctx, printer, modified, target.resource, r.operation);
      continue;
    }
    const res = await ctx.client.request({
      method: 'PATCH',
      path: resourcePath(target.resource, target.namespace, target.name),
      query: { ...(dryRun === 'server' ? { dryRun: 'All' } : {}), fieldManager: String(args.flags.get('field-manager')) },
      contentType: 'application/merge-patch+json',
      body: patch,
    });
    printWarnings(ctx, res);
    if (res.status >= 400) {
      errors.push(`failed to patch ${r.operation.replace(/ updated$/, '')} update to pod template: ${responseError(res).replace(/^Error from server \([^)]*\): /, '')}`);
      continue;
    }
    printObject(ctx, printer, res.body as Obj, target.resource, r.operation);
  }
  if (errors.length) throw new CommandError(errors.map((e) => (e.startsWith('error: ') ? e : `error: ${e}`)).join('\n'));
  return 0;
}

const COMMON_FLAGS = (what: string, sub = ''): FlagSpec[] => [
  ...OUTPUT_FLAGS,
  ...filenameFlags(`Filename, directory, or URL to files identifying the resource to get from a server.`).map((f) => (f.name === 'filename' ? { ...f, usage: `Filename, directory, or URL to files identifying the resource ${what}` } : f)),
  DRY_RUN_FLAG,
  fieldManagerFlag('kubectl-set'),
  { name: 'all', type: 'bool', default: false, usage: 'Select all resources, in the namespace of the specified resource types' },
  { name: 'selector', shorthand: 'l', type: 'string', default: '', usage: "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints." },
  { name: 'local', type: 'bool', default: false, usage: `If true, set ${sub ? `${sub} ` : ''}will NOT contact api-server but run locally.` },
];

/** Splits positional arguments into resources and the verb's KEY=VALUE (or KEY-) arguments. */
function splitArgs(positional: string[], isPair: (a: string) => boolean): { resources: string[]; pairs: string[] } {
  const at = positional.findIndex(isPair);
  return at < 0 ? { resources: positional, pairs: [] } : { resources: positional.slice(0, at), pairs: positional.slice(at) };
}

function containersOf(spec: Obj | undefined, key: 'containers' | 'initContainers'): Container[] {
  return ((spec?.[key] as Container[] | undefined) ?? []);
}

// ---------------------------------------------------------------- image

const image: Command = {
  name: 'image',
  short: 'Update the image of a pod template',
  long: `Change the image of containers, in pods or in the pod templates of workload objects. Each argument CONTAINER=IMAGE names a container (or * for all of them) and its new image. Changing a template starts a rollout.

 Types that can be changed (any case):

        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`,
  example: `  # In deployment nginx, container busybox gets image busybox and container nginx nginx:1.9.1
  kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1
  
  # Container nginx of every deployment and replication controller gets nginx:1.9.1
  kubectl set image deployments,rc nginx=nginx:1.9.1 --all
  
  # Every container of daemon set abc gets nginx:1.9.1
  kubectl set image daemonset abc *=nginx:1.9.1
  
  # Change a local file only and print the result as YAML; the server is not contacted
  kubectl set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml`,
  use: 'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N',
  flags: [...COMMON_FLAGS('to get from a server.', 'image')],
  run(args, ctx) {
    const { resources, pairs } = splitArgs(args.positional, (a) => a.includes('='));
    const images = new Map<string, string>();
    for (const p of pairs) {
      const at = p.indexOf('=');
      images.set(p.slice(0, at), p.slice(at + 1));
    }
    if (resources.length === 0 && !(args.flags.get('filename') as string[]).length) throw new CommandError(NO_RESOURCES);
    if (images.size === 0) throw new CommandError('error: at least one image update is required');
    if (images.has('*') && images.size > 1) throw new CommandError('error: all containers are already specified by *, but saw more than one container_name=container_image pairs');
    return runSet({
      args,
      ctx,
      resources,
      operation: 'image updated',
      mutate(obj, errors) {
        const spec = podSpecOf(obj);
        for (const [name, img] of images) {
          let found = false;
          for (const c of [...containersOf(spec, 'initContainers'), ...containersOf(spec, 'containers')]) {
            if (name === '*' || c.name === name) {
              c.image = img;
              found = true;
            }
          }
          if (!found) errors.push(`error: unable to find container named "${name}"`);
        }
      },
    });
  },
};

// ---------------------------------------------------------------- env

function envName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
}

function listEnv(ctx: KubectlContext, obj: Obj, containerSelector: string, resolve: boolean): void {
  const spec = podSpecOf(obj);
  const name = String((obj.metadata as Obj).name);
  for (const [key, label] of [['initContainers', 'init container'], ['containers', 'container']] as const) {
    for (const c of containersOf(spec, key)) {
      if (containerSelector !== '*' && !globMatch(containerSelector, c.name)) continue;
      ctx.stdout(`# ${obj.kind} ${name}, ${label} ${c.name}\n`);
      for (const from of (c.envFrom as Obj[] | undefined) ?? []) {
        const cm = from.configMapRef as Obj | undefined;
        const sec = from.secretRef as Obj | undefined;
        if (cm) ctx.stdout(`# ${from.prefix ? `${from.prefix} ` : ''}configmap ${cm.name}\n`);
        if (sec) ctx.stdout(`# ${from.prefix ? `${from.prefix} ` : ''}secret ${sec.name}\n`);
      }
      for (const e of (c.env as Obj[] | undefined) ?? []) {
        if (e.valueFrom === undefined) {
          ctx.stdout(`${e.name}=${e.value ?? ''}\n`);
          continue;
        }
        const vf = e.valueFrom as Obj;
        const cmk = vf.configMapKeyRef as Obj | undefined;
        const sk = vf.secretKeyRef as Obj | undefined;
        const fr = vf.fieldRef as Obj | undefined;
        const rf = vf.resourceFieldRef as Obj | undefined;
        void resolve;
        if (cmk) ctx.stdout(`# ${e.name} from configmap ${cmk.name}, key ${cmk.key}\n`);
        else if (sk) ctx.stdout(`# ${e.name} from secret ${sk.name}, key ${sk.key}\n`);
        else if (fr) ctx.stdout(`# ${e.name} from field path ${fr.fieldPath}\n`);
        else if (rf) ctx.stdout(`# ${e.name} from resource ${rf.resource}\n`);
      }
    }
  }
}

function globMatch(pattern: string, name: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name);
}

const env: Command = {
  name: 'env',
  short: 'Update environment variables on a pod template',
  long: `Show or change the environment variables of containers, in pods or in the pod templates of workload objects.

 KEY=VALUE adds or changes a variable and KEY- removes it. --list prints the variables instead. --from copies all the keys of a config map or secret (with --prefix before their names). -c limits the change to the containers whose names match (wildcards allowed). "--env -" reads KEY=VALUE lines from standard input.

 Types that can be changed (any case):

        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`,
  example: `  # Add STORAGE_DIR=/local to deployment registry
  kubectl set env deployment/registry STORAGE_DIR=/local
  
  # Show the variables of deployment sample-build
  kubectl set env deployment/sample-build --list
  
  # Load every key of config map myconfigmap, as MYSQL_<key>
  kubectl set env --from=configmap/myconfigmap --prefix=MYSQL_ deployment/myapp
  
  # Remove ENV from container c1 of every deployment
  kubectl set env deployments --all --containers="c1" ENV-`,
  use: 'set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N',
  flags: [
    ...COMMON_FLAGS('to update the env', 'env'),
    { name: 'containers', shorthand: 'c', type: 'string', default: '*', usage: 'The names of containers in the selected pod templates to change - may use wildcards' },
    { name: 'env', shorthand: 'e', type: 'stringArray', default: [], usage: 'Specify a key-value pair for an environment variable to set into each container.' },
    { name: 'from', type: 'string', default: '', usage: 'The name of a resource from which to inject environment variables' },
    { name: 'keys', type: 'stringSlice', default: [], usage: 'Comma-separated list of keys to import from specified resource' },
    { name: 'list', type: 'bool', default: false, usage: 'If true, display the environment and any changes in the standard format. this flag will removed when we have kubectl view env.' },
    { name: 'overwrite', type: 'bool', default: true, usage: 'If true, allow environment to be overwritten, otherwise reject updates that overwrite existing environment.' },
    { name: 'prefix', type: 'string', default: '', usage: 'Prefix to append to variable names' },
    { name: 'resolve', type: 'bool', default: false, usage: 'If true, show secret or configmap references when listing variables' },
  ],
  async run(args, ctx) {
    const { resources, pairs } = splitArgs(args.positional, (a) => a.includes('=') || a.endsWith('-'));
    const list = Boolean(args.flags.get('list'));
    if (list && args.changed.has('output')) throw new CommandError('error: --list and --output may not be specified together');
    if ((args.flags.get('keys') as string[]).length && !args.flags.get('from')) throw new CommandError('error: when specifying --keys, a configmap or secret must be provided with --from');
    if (resources.length === 0 && !(args.flags.get('filename') as string[]).length) throw new CommandError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
    const envArgs = [...(args.flags.get('env') as string[]), ...pairs];
    const set: Obj[] = [];
    const remove: string[] = [];
    for (const e of envArgs) {
      if (e.endsWith('-') && !e.includes('=')) {
        remove.push(e.slice(0, -1));
        continue;
      }
      const at = e.indexOf('=');
      if (at <= 0) throw new CommandError(`error: environment variables must be of the form key=value and can only contain letters, numbers, and underscores`);
      set.push({ name: e.slice(0, at), value: e.slice(at + 1) });
    }
    const from = args.flags.get('from') as string;
    if (from) {
      const [type, name] = from.split('/') as [string, string | undefined];
      const keys = args.flags.get('keys') as string[];
      const kind = ['configmap', 'configmaps', 'cm'].includes(type.toLowerCase()) ? 'configmap' : ['secret', 'secrets'].includes(type.toLowerCase()) ? 'secret' : '';
      if (!kind || !name) throw new CommandError('error: unsupported resource specified in --from');
      const res = await ctx.client.request({ method: 'GET', path: kindPath(kind === 'configmap' ? KINDS.configmap : KINDS.secret, ctx.namespace, name) });
      if (res.status >= 400) throw new CommandError(responseError(res));
      const data = ((res.body as Obj).data as Obj | undefined) ?? {};
      for (const key of Object.keys(data).sort()) {
        if (keys.length && !keys.includes(key)) continue;
        const ref = kind === 'configmap' ? { configMapKeyRef: { name, key } } : { secretKeyRef: { name, key } };
        set.push({ name: envName(key), valueFrom: ref });
      }
    }
    const prefix = args.flags.get('prefix') as string;
    if (prefix) for (const e of set) e.name = `${prefix}${e.name}`;
    const selector = args.flags.get('containers') as string;
    if (list) {
      const items = await setTargets(args, ctx, resources, Boolean(args.flags.get('local')));
      for (const { object } of items) listEnv(ctx, object, selector, Boolean(args.flags.get('resolve')));
      return 0;
    }
    const overwrite = Boolean(args.flags.get('overwrite'));
    return runSet({
      args,
      ctx,
      resources,
      operation: 'env updated',
      mutate(obj) {
        const spec = podSpecOf(obj);
        const chosen = [...containersOf(spec, 'containers'), ...containersOf(spec, 'initContainers')].filter((c) => globMatch(selector, c.name));
        if (chosen.length === 0) ctx.stderr(`Warning: ${String(obj.kind)}/${String((obj.metadata as Obj).name)} does not have any containers matching "${selector}"\n`);
        for (const c of chosen) {
          let list = [...((c.env as Obj[] | undefined) ?? [])];
          for (const e of set) {
            const at = list.findIndex((x) => x.name === e.name);
            if (at >= 0) {
              if (!overwrite) throw new CommandError(`error: '${e.name}' already has a value (${list[at]!.value ?? ''}), and --overwrite is false`);
              list[at] = e;
            } else list.push(e);
          }
          list = list.filter((x) => !remove.includes(String(x.name)));
          if (list.length) c.env = list;
          else delete c.env;
        }
      },
    });
  },
};

// ---------------------------------------------------------------- resources

function parseResourceList(text: string): Obj {
  const out: Obj = {};
  if (!text) return out;
  for (const statement of text.split(',')) {
    const parts = statement.split('=');
    if (parts.length !== 2) throw new CommandError(`error: invalid argument syntax ${statement}, expected <resource>=<value>`);
    out[parts[0]!] = canonicalQuantity(parts[1]!);
  }
  return out;
}

const resourcesCmd: Command = {
  name: 'resources',
  short: 'Update resource requests/limits on objects with pod templates',
  long: `Set the CPU and memory requests and limits of containers in the pod templates of workload objects.

 A request is what the scheduler reserves for the container; a limit is the most it may use. When you give a limit but no request for a resource, the request becomes equal to the limit.

 Types that can be changed (any case): replicationcontroller, deployment, daemonset, job, replicaset.`,
  example: `  # Limit container nginx of deployment nginx to 200m CPU and 512Mi memory
  kubectl set resources deployment nginx -c=nginx --limits=cpu=200m,memory=512Mi
  
  # Requests and limits for every container of deployment nginx
  kubectl set resources deployment nginx --limits=cpu=200m,memory=512Mi --requests=cpu=100m,memory=256Mi
  
  # Clear the requests and limits again
  kubectl set resources deployment nginx --limits=cpu=0,memory=0 --requests=cpu=0,memory=0
  
  # Change a local file only and print the result as YAML; the server is not contacted
  kubectl set resources -f path/to/file.yaml --limits=cpu=200m,memory=512Mi --local -o yaml`,
  use: 'set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS]',
  flags: [
    ...COMMON_FLAGS('to get from a server.', 'resources'),
    { name: 'containers', shorthand: 'c', type: 'string', default: '*', usage: 'The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards' },
    { name: 'limits', type: 'string', default: '', usage: "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges." },
    { name: 'requests', type: 'string', default: '', usage: "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges." },
  ],
  run(args, ctx) {
    const limits = parseResourceList(args.flags.get('limits') as string);
    const requests = parseResourceList(args.flags.get('requests') as string);
    if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0)
      throw new CommandError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
    const selector = args.flags.get('containers') as string;
    return runSet({
      args,
      ctx,
      resources: args.positional,
      operation: 'resource requirements updated',
      mutate(obj, errors) {
        const spec = podSpecOf(obj);
        let found = false;
        for (const c of [...containersOf(spec, 'initContainers'), ...containersOf(spec, 'containers')]) {
          if (!globMatch(selector, c.name)) continue;
          found = true;
          const res = { ...((c.resources as Obj | undefined) ?? {}) };
          if (Object.keys(limits).length) res.limits = { ...((res.limits as Obj | undefined) ?? {}), ...limits };
          if (Object.keys(requests).length) res.requests = { ...((res.requests as Obj | undefined) ?? {}), ...requests };
          c.resources = res;
        }
        if (!found) errors.push(`error: unable to find container named ${selector}`);
      },
    });
  },
};

// ---------------------------------------------------------------- selector, serviceaccount, subject

const selectorCmd: Command = {
  name: 'selector',
  short: 'Set the selector on a resource',
  long: `Replace the label selector of an object; any selector it had before is dropped. For now only services can be changed.

 Keys and values follow the rules for labels (letters, digits, '-', '_' and '.', at most 63 characters, starting with a letter or digit). With --resource-version, the update only succeeds if the object is still at that version.`,
  example: `  # Build a service and a deployment whose selector and labels agree, then create them
  kubectl create service clusterip my-svc --clusterip="None" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml | kubectl create -f -
  kubectl create deployment my-dep -o yaml --dry-run=client | kubectl label --local -f - environment=qa -o yaml | kubectl create -f -`,
  use: 'set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]',
  flags: [...COMMON_FLAGS('to get from a server.', 'selector'), { name: 'resource-version', type: 'string', default: '', usage: 'If non-empty, the selectors update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.' }],
  run(args, ctx) {
    const hasFiles = (args.flags.get('filename') as string[]).length > 0;
    const resources = hasFiles ? [] : args.positional.slice(0, -1);
    const expr = args.positional[args.positional.length - 1];
    if (!expr || (!hasFiles && resources.length === 0)) throw new CommandError('error: one selector is required');
    const selector: Obj = {};
    for (const part of expr.split(',')) {
      const m = /^\s*([^=!\s]+)\s*==?\s*(\S*)\s*$/.exec(part);
      if (!m) throw new CommandError(`error: unable to parse requirement: ${part}`);
      selector[m[1]!] = m[2];
    }
    return runSet({
      args,
      ctx,
      resources,
      operation: 'selector updated',
      mutate(obj) {
        if (obj.kind !== 'Service') throw new CommandError('error: setting a selector is only supported for Services');
        (obj.spec as Obj).selector = selector;
      },
    });
  },
};

const serviceaccount: Command = {
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Update the service account of a resource',
  long: `Change the service account that the pods of a workload object run as (spec.serviceAccountName of its pod template).

 Types that can be changed (any case):

 replicationcontroller (rc), deployment (deploy), daemonset (ds), job, replicaset (rs), statefulset`,
  example: `  # Pods of deployment nginx-deployment run as serviceaccount1 from now on
  kubectl set serviceaccount deployment nginx-deployment serviceaccount1
  
  # Change a local file only and print the result as YAML; the server is not contacted
  kubectl set sa -f nginx-deployment.yaml serviceaccount1 --local --dry-run=client -o yaml`,
  use: 'set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT',
  flags: [...COMMON_FLAGS('to get from a server.', 'serviceaccount')],
  run(args, ctx) {
    const hasFiles = (args.flags.get('filename') as string[]).length > 0;
    const sa = args.positional[args.positional.length - 1];
    const resources = args.positional.slice(0, -1);
    if (!sa || (!hasFiles && resources.length === 0)) throw new CommandError(`error: serviceaccount is required\nSee 'kubectl set serviceaccount -h' for help and examples`);
    return runSet({
      args,
      ctx,
      resources,
      operation: 'serviceaccount updated',
      mutate(obj) {
        const spec = podSpecOf(obj);
        if (!spec || !POD_SPEC_KINDS.includes(String(obj.kind))) throw new CommandError(`error: ${String(obj.kind).toLowerCase()}s "${(obj.metadata as Obj).name}" has no pod template`);
        spec.serviceAccountName = sa;
      },
    });
  },
};

const subject: Command = {
  name: 'subject',
  short: 'Update the user, group, or service account in a role binding or cluster role binding',
  long: 'Add users, groups or service accounts to the subjects of a role binding or cluster role binding.',
  example: `  # Add service account serviceaccount1 to cluster role binding admin
  kubectl set subject clusterrolebinding admin --serviceaccount=namespace:serviceaccount1
  
  # Add user1, user2 and group1 to role binding admin
  kubectl set subject rolebinding admin --user=user1 --user=user2 --group=group1
  
  # Change a generated binding locally and print it as YAML; the server is not contacted
  kubectl create rolebinding admin --role=admin --user=admin -o yaml --dry-run=client | kubectl set subject --local -f - --user=foo -o yaml`,
  use: 'set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]',
  flags: [
    ...COMMON_FLAGS('to update the subjects', 'subject'),
    { name: 'user', type: 'stringArray', default: [], usage: 'Usernames to bind to the role' },
    { name: 'group', type: 'stringArray', default: [], usage: 'Groups to bind to the role' },
    { name: 'serviceaccount', type: 'stringArray', default: [], usage: 'Service accounts to bind to the role' },
  ],
  run(args, ctx) {
    const users = args.flags.get('user') as string[];
    const groups = args.flags.get('group') as string[];
    const sas = args.flags.get('serviceaccount') as string[];
    if (!users.length && !groups.length && !sas.length) throw new CommandError('error: you must specify at least one value of user, group or serviceaccount');
    for (const sa of sas) {
      const parts = sa.split(':');
      if (parts.length !== 2) throw new CommandError('error: serviceaccount must be <namespace>:<name>');
    }
    const RBAC = 'rbac.authorization.k8s.io';
    return runSet({
      args,
      ctx,
      resources: args.positional,
      operation: 'subjects updated',
      mutate(obj) {
        if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') throw new CommandError(`error: setting subjects is only supported for RoleBinding/ClusterRoleBinding`);
        const subjects = [...((obj.subjects as Obj[] | undefined) ?? [])];
        const add = (s: Obj) => {
          if (!subjects.some((x) => x.kind === s.kind && x.name === s.name && (x.namespace ?? '') === (s.namespace ?? ''))) subjects.push(s);
        };
        for (const u of users) add({ kind: 'User', apiGroup: RBAC, name: u });
        for (const g of groups) add({ kind: 'Group', apiGroup: RBAC, name: g });
        for (const sa of sas) {
          const [ns, name] = sa.split(':') as [string, string];
          add({ kind: 'ServiceAccount', name, namespace: ns || ctx.namespace });
        }
        obj.subjects = subjects;
      },
    });
  },
};

export const set: Command = {
  name: 'set',
  short: 'Set specific features on objects',
  long: `Change one aspect of existing objects (image, environment, resources, selector, service account, subjects) without editing the whole object.`,
  use: 'set SUBCOMMAND',
  flags: [],
  subcommands: [env, image, resourcesCmd, selectorCmd, serviceaccount, subject],
};
