/** `kubectl create deployment|job|cronjob|namespace|serviceaccount|quota|priorityclass|poddisruptionbudget`. */
import { CommandError } from '../../context';
import type { Command } from '../types';
import { responseError } from '../../cmdutil';
import { resourcePath } from '../../discovery';
import { resourceArgs } from '../../resource';
import { canonicalQuantity } from './encoding';
import { generatorFlags, KINDS, objectMeta, runGenerator, type Obj } from './shared';

/** Container name from an image: its last path part without tag or digest. */
function containerNameFor(image: string): string {
  let name = image.split('/').pop() ?? image;
  if (name.includes(':')) name = name.split(':')[0]!;
  if (name.includes('@')) name = name.split('@')[0]!;
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${randomSuffix(5)}`;
  return name;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
function randomSuffix(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)];
  return s;
}

function container(name: string, image: string, command: string[]): Obj {
  const c: Obj = { name, image };
  if (command.length) c.command = command;
  c.resources = {};
  return c;
}

const deployment: Command = {
  name: 'deployment',
  aliases: ['deploy'],
  short: 'Create a deployment with the specified name',
  long: 'Create a deployment NAME whose pods run the images given with --image, one container per image. Arguments after -- become the command of the (single) container.',
  example: `  # Deployment my-dep with one busybox pod
  kubectl create deployment my-dep --image=busybox
  
  # Its container runs "date" instead of the image's command
  kubectl create deployment my-dep --image=busybox -- date
  
  # Three nginx pods
  kubectl create deployment my-dep --image=nginx --replicas=3
  
  # Declare container port 5701
  kubectl create deployment my-dep --image=busybox --port=5701
  
  # Pods with three containers, one per image
  kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx`,
  use: 'create deployment NAME --image=image -- [COMMAND] [args...]',
  flags: [
    ...generatorFlags(),
    { name: 'image', type: 'stringSlice', default: [], usage: 'Image names to run. A deployment can have multiple images set for multi-container pod.' },
    { name: 'port', type: 'int', default: -1, usage: 'The containerPort that this deployment exposes.' },
    { name: 'replicas', shorthand: 'r', type: 'int', default: 1, usage: 'Number of replicas to create. Default is 1.' },
  ],
  run(args, ctx) {
    const { names, command } = nameAndCommand(args.positional, args.afterDash);
    return runGenerator({ ...args, positional: names }, ctx, 'create deployment', ['image'], ({ name, metaNamespace }) => {
      const images = args.flags.get('image') as string[];
      if (images.length > 1 && command.length) throw new CommandError('error: cannot specify multiple --image options and command');
      const labels = { app: name };
      const containers = images.map((image) => container(containerNameFor(image), image, command));
      const port = args.flags.get('port') as number;
      if (port >= 0 && containers[0]) {
        const { resources, ...rest } = containers[0];
        containers[0] = { ...rest, ports: [{ containerPort: port }], resources };
      }
      return {
        kind: KINDS.deployment,
        errorPrefix: 'failed to create deployment: ',
        object: {
          kind: 'Deployment',
          apiVersion: 'apps/v1',
          metadata: objectMeta(name, metaNamespace, { labels }),
          spec: {
            replicas: args.flags.get('replicas'),
            selector: { matchLabels: { ...labels } },
            template: { metadata: { creationTimestamp: null, labels: { ...labels } }, spec: { containers } },
            strategy: {},
          },
          status: {},
        },
      };
    });
  },
};

// `-- COMMAND` comes after the name: positional[0] is NAME, the rest is the command.
export function nameAndCommand(positional: string[], afterDash: string[]): { names: string[]; command: string[] } {
  const names = positional.slice(0, positional.length - afterDash.length);
  return { names, command: afterDash };
}

const job: Command = {
  name: 'job',
  short: 'Create a job with the specified name',
  long: 'Create a job NAME that runs a pod with the image given by --image until it succeeds; or, with --from, a job made from the template of a cron job.',
  example: `  # Job my-job running busybox
  kubectl create job my-job --image=busybox
  
  # The job's container runs "date"
  kubectl create job my-job --image=busybox -- date
  
  # Run cron job a-cronjob now, as job test-job
  kubectl create job test-job --from=cronjob/a-cronjob`,
  use: 'create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]',
  flags: [
    ...generatorFlags(),
    { name: 'image', type: 'string', default: '', usage: 'Image name to run.' },
    { name: 'from', type: 'string', default: '', usage: 'The name of the resource to create a Job from (only CronJob is supported).' },
  ],
  run(args, ctx) {
    const { names, command } = nameAndCommand(args.positional, args.afterDash);
    const a = { ...args, positional: names };
    return runGenerator(a, ctx, 'create job', [], async ({ name, metaNamespace }) => {
      const image = args.flags.get('image') as string;
      const from = args.flags.get('from') as string;
      if ((!image && !from) || (image && from)) throw new CommandError('error: either --image or --from must be specified');
      if (command.length && from) throw new CommandError('error: cannot specify --from and command');
      if (from) {
        const parsed = await resourceArgs(ctx, [from], ctx.namespace);
        const target = parsed.targets[0];
        if (parsed.targets.length !== 1 || !target) throw new CommandError('error: from must be an existing cronjob');
        const res = await ctx.client.request({ method: 'GET', path: resourcePath(target.resource, target.namespace, target.name) });
        if (res.status >= 400) throw new CommandError(responseError(res));
        if (target.resource.kind !== 'CronJob') throw new CommandError(`error: unknown object type *${target.resource.version}.${target.resource.kind}`);
        const cj = res.body as { metadata: { name: string; uid: string }; spec: { jobTemplate: { metadata?: { labels?: Obj; annotations?: Obj }; spec: Obj } } };
        const tplMeta = cj.spec.jobTemplate.metadata ?? {};
        const metadata: Obj = { name };
        if (metaNamespace) metadata.namespace = metaNamespace;
        metadata.creationTimestamp = null;
        if (tplMeta.labels) metadata.labels = tplMeta.labels;
        metadata.annotations = { 'cronjob.kubernetes.io/instantiate': 'manual', ...(tplMeta.annotations ?? {}) };
        metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true }];
        return {
          kind: KINDS.job,
          errorPrefix: 'failed to create job: ',
          object: { kind: 'Job', apiVersion: 'batch/v1', metadata, spec: cj.spec.jobTemplate.spec, status: {} },
        };
      }
      return {
        kind: KINDS.job,
        errorPrefix: 'failed to create job: ',
        object: {
          kind: 'Job',
          apiVersion: 'batch/v1',
          metadata: objectMeta(name, metaNamespace),
          spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container(name, image, command)], restartPolicy: 'Never' } } },
          status: {},
        },
      };
    });
  },
};

const cronjob: Command = {
  name: 'cronjob',
  aliases: ['cj'],
  short: 'Create a cron job with the specified name',
  long: 'Create a cron job NAME that starts a job with the image given by --image on the schedule given by --schedule (cron syntax).',
  example: `  # Start a busybox job every minute
  kubectl create cronjob my-job --image=busybox --schedule="*/1 * * * *"
  
  # The same, running "date"
  kubectl create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date`,
  use: 'create cronjob NAME --image=image --schedule=\'0/5 * * * ?\' -- [COMMAND] [args...]',
  flags: [
    ...generatorFlags(),
    { name: 'image', type: 'string', default: '', usage: 'Image name to run.' },
    { name: 'schedule', type: 'string', default: '', usage: 'A schedule in the Cron format the job should be run with.' },
    { name: 'restart', type: 'string', default: '', usage: "job's restart policy. supported values: OnFailure, Never" },
  ],
  run(args, ctx) {
    const { names, command } = nameAndCommand(args.positional, args.afterDash);
    return runGenerator({ ...args, positional: names }, ctx, 'create cronjob', ['image', 'schedule'], ({ name, metaNamespace }) => {
      const restart = (args.flags.get('restart') as string) || 'OnFailure';
      return {
        kind: KINDS.cronjob,
        errorPrefix: 'failed to create cronjob: ',
        object: {
          kind: 'CronJob',
          apiVersion: 'batch/v1',
          metadata: objectMeta(name, metaNamespace),
          spec: {
            schedule: args.flags.get('schedule'),
            jobTemplate: {
              metadata: { name, creationTimestamp: null },
              spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container(name, args.flags.get('image') as string, command)], restartPolicy: restart } } },
            },
          },
          status: {},
        },
      };
    });
  },
};

const namespace: Command = {
  name: 'namespace',
  aliases: ['ns'],
  short: 'Create a namespace with the specified name',
  long: 'Create a namespace NAME, in which namespaced objects can then be created.',
  example: `  # Namespace my-namespace
  kubectl create namespace my-namespace`,
  use: 'create namespace NAME [--dry-run=server|client|none]',
  flags: generatorFlags(),
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create namespace', [], ({ name }) => ({
      kind: KINDS.namespace,
      object: { kind: 'Namespace', apiVersion: 'v1', metadata: objectMeta(name, ''), spec: {}, status: {} },
    })),
};

const serviceaccount: Command = {
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Create a service account with the specified name',
  long: 'Create a service account NAME: an identity for pods to use towards the API server.',
  example: `  # Service account my-service-account in the current namespace
  kubectl create serviceaccount my-service-account`,
  use: 'create serviceaccount NAME [--dry-run=server|client|none]',
  flags: generatorFlags(),
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create serviceaccount', [], ({ name, metaNamespace }) => ({
      kind: KINDS.serviceaccount,
      errorPrefix: 'failed to create serviceaccount: ',
      object: { kind: 'ServiceAccount', apiVersion: 'v1', metadata: objectMeta(name, metaNamespace) },
    })),
};

const quota: Command = {
  name: 'quota',
  aliases: ['resourcequota'],
  short: 'Create a quota with the specified name',
  long: 'Create a resource quota NAME, which caps what the namespace may use in total (--hard) and optionally applies only to some pods (--scopes).',
  example: `  # Limit CPU, memory and the number of several kinds of objects
  kubectl create quota my-quota --hard=cpu=1,memory=1G,pods=2,services=3,replicationcontrollers=2,resourcequotas=1,secrets=5,persistentvolumeclaims=10
  
  # At most 100 BestEffort pods (pods without requests or limits)
  kubectl create quota best-effort --hard=pods=100 --scopes=BestEffort`,
  use: 'create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    { name: 'hard', type: 'string', default: '', usage: 'A comma-delimited set of resource=quantity pairs that define a hard limit.' },
    { name: 'scopes', type: 'string', default: '', usage: 'A comma-delimited set of quota scopes that must all match each object tracked by the quota.' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create quota', [], ({ name, metaNamespace }) => {
      const spec: Obj = {};
      const hardText = args.flags.get('hard') as string;
      if (hardText) {
        const hard: Obj = {};
        for (const statement of hardText.split(',')) {
          const parts = statement.split('=');
          if (parts.length !== 2) throw new CommandError(`error: Invalid argument syntax ${statement}, expected <resource>=<value>`);
          hard[parts[0]!] = canonicalQuantity(parts[1]!);
        }
        spec.hard = Object.fromEntries(Object.keys(hard).sort().map((k) => [k, hard[k]]));
      }
      const scopesText = args.flags.get('scopes') as string;
      if (scopesText) {
        const scopes = scopesText.split(',');
        if (scopes.some((s) => s === '')) throw new CommandError('error: invalid resource quota scope ""');
        spec.scopes = scopes;
      }
      return {
        kind: KINDS.resourcequota,
        errorPrefix: 'failed to create quota: ',
        object: { kind: 'ResourceQuota', apiVersion: 'v1', metadata: objectMeta(name, metaNamespace), spec, status: {} },
      };
    }),
};

const priorityclass: Command = {
  name: 'priorityclass',
  aliases: ['pc'],
  short: 'Create a priority class with the specified name',
  long: 'Create a priority class NAME. Pods that name it in priorityClassName get its --value as priority; with --global-default it also applies to pods that name none.',
  example: `  # Priority class high-priority, value 1000
  kubectl create priorityclass high-priority --value=1000 --description="high priority"
  
  # The default for pods without a priority class
  kubectl create priorityclass default-priority --value=1000 --global-default=true --description="default priority"
  
  # High priority, but its pods never evict others to make room
  kubectl create priorityclass high-priority --value=1000 --description="high priority" --preemption-policy="Never"`,
  use: 'create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    { name: 'value', type: 'int', default: 0, usage: 'the value of this priority class.' },
    { name: 'global-default', type: 'bool', default: false, usage: 'global-default specifies whether this PriorityClass should be considered as the default priority.' },
    { name: 'description', type: 'string', default: '', usage: 'description is an arbitrary string that usually provides guidelines on when this priority class should be used.' },
    { name: 'preemption-policy', type: 'string', default: 'PreemptLowerPriority', usage: 'preemption-policy is the policy for preempting pods with lower priority.' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create priorityclass', [], ({ name }) => {
      const object: Obj = { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: objectMeta(name, ''), value: args.flags.get('value') };
      if (args.flags.get('global-default')) object.globalDefault = true;
      if (args.flags.get('description')) object.description = args.flags.get('description');
      object.preemptionPolicy = args.flags.get('preemption-policy');
      return { kind: KINDS.priorityclass, errorPrefix: 'failed to create priorityclass: ', object };
    }),
};

/** `app=web,tier=fe` as matchLabels (equality requirements only). */
export function parseSelectorLabels(text: string): Obj {
  const out: Obj = {};
  for (const part of text.split(',')) {
    const m = /^\s*([^=!\s]+)\s*==?\s*([^=!\s]*)\s*$/.exec(part);
    if (!m) throw new CommandError(`error: couldn't parse the selector string "${text}": unable to parse requirement: found '${part}', expected: '=', '!=', '==', 'in', notin'`);
    out[m[1]!] = m[2];
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

const pdb: Command = {
  name: 'poddisruptionbudget',
  aliases: ['pdb'],
  short: 'Create a pod disruption budget with the specified name',
  long: 'Create a pod disruption budget NAME for the pods matching --selector: voluntary evictions (such as a node drain) are refused when they would leave fewer than --min-available (or more than --max-unavailable down).',
  example: `  # Keep at least one pod labelled app=rails running during evictions
  kubectl create poddisruptionbudget my-pdb --selector=app=rails --min-available=1
  
  # Keep at least half of the pods labelled app=nginx running
  kubectl create pdb my-pdb --selector=app=nginx --min-available=50%`,
  use: 'create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none]',
  flags: [
    ...generatorFlags(),
    { name: 'min-available', type: 'string', default: '', usage: 'The minimum number or percentage of available pods this budget requires.' },
    { name: 'max-unavailable', type: 'string', default: '', usage: 'The maximum number or percentage of unavailable pods this budget requires.' },
    { name: 'selector', type: 'string', default: '', usage: 'A label selector to use for this budget. Only equality-based selector requirements are supported.' },
  ],
  run: (args, ctx) =>
    runGenerator(args, ctx, 'create poddisruptionbudget', [], ({ name, metaNamespace }) => {
      const min = args.flags.get('min-available') as string;
      const max = args.flags.get('max-unavailable') as string;
      const selector = args.flags.get('selector') as string;
      if (!selector) throw new CommandError('error: a selector must be specified');
      if (!min && !max) throw new CommandError('error: one of min-available or max-unavailable must be specified');
      if (min && max) throw new CommandError('error: min-available and max-unavailable cannot be both specified');
      if (min && !/^[0-9]+%?$/.test(min)) throw new CommandError('error: invalid format specified for min-available');
      if (max && !/^[0-9]+%?$/.test(max)) throw new CommandError('error: invalid format specified for max-unavailable');
      const intOrString = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
      const spec: Obj = {};
      if (min) spec.minAvailable = intOrString(min);
      spec.selector = { matchLabels: parseSelectorLabels(selector) };
      if (max) spec.maxUnavailable = intOrString(max);
      return {
        kind: KINDS.pdb,
        errorPrefix: 'failed to create poddisruptionbudgets: ',
        object: {
          kind: 'PodDisruptionBudget',
          apiVersion: 'policy/v1',
          metadata: objectMeta(name, metaNamespace),
          spec,
          status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
        },
      };
    }),
};

export const workloadGenerators: Command[] = [deployment, job, cronjob, namespace, serviceaccount, quota, priorityclass, pdb];
