/** `kubectl expose (-f FILENAME | TYPE NAME)`: a Service for a deployment, replica set, replication controller, pod or service. */
import { CommandError, type KubectlContext } from '../../context';
import { dryRunStrategy, DRY_RUN_FLAG, filenameFlags, printWarnings, responseError } from '../../cmdutil';
import { resourcePath } from '../../discovery';
import type { ParsedArgs } from '../../flags';
import { manifestTargets, NO_RESOURCES, readManifests, resourceArgs, type Target } from '../../resource';
import type { Command } from '../types';
import { mergeOverrides, ordered } from './run';
import { addLastApplied, fieldManagerFlag, KINDS, OUTPUT_FLAGS, printerFor, printObject, SAVE_CONFIG_FLAG, writeQuery, type Obj } from './shared';

type Labels = Record<string, string>;

interface PodTemplateOwner {
  metadata?: { labels?: Labels };
  spec?: {
    selector?: { matchLabels?: Labels; matchExpressions?: unknown[] } | Labels;
    template?: { spec?: PodSpecLike };
    ports?: { port: number; protocol?: string }[];
    containers?: ContainerLike[];
  };
}
interface ContainerLike {
  ports?: { containerPort: number; protocol?: string }[];
}
interface PodSpecLike {
  containers?: ContainerLike[];
}

const EXPOSABLE = ['Pod', 'Service', 'ReplicationController', 'Deployment', 'ReplicaSet'];

function makeLabels(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

function goMatchExpressions(expressions: unknown[]): string {
  const one = (e: { key?: string; operator?: string; values?: string[] }) => `{Key:${e.key ?? ''} Operator:${e.operator ?? ''} Values:[${(e.values ?? []).join(' ')}]}`;
  return `[${(expressions as { key?: string }[]).map(one).join(' ')}]`;
}

/** The pod selector an object implies, as kubectl's MapBasedSelectorForObject. */
function selectorFor(kind: string, obj: PodTemplateOwner): string {
  const spec = obj.spec ?? {};
  switch (kind) {
    case 'Pod': {
      const labels = obj.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) throw new Error('the pod has no labels and cannot be exposed');
      return makeLabels(labels);
    }
    case 'Service': {
      const sel = spec.selector as Labels | undefined;
      if (!sel || Object.keys(sel).length === 0) throw new Error('the service has no pod selector set');
      return makeLabels(sel);
    }
    case 'ReplicationController':
      return makeLabels((spec.selector as Labels | undefined) ?? {});
    default: {
      const sel = spec.selector as { matchLabels?: Labels; matchExpressions?: unknown[] } | undefined;
      const what = kind === 'Deployment' ? 'deployment' : 'replicaset';
      if (!sel) throw new Error(`invalid ${what}: no selectors, therefore cannot be exposed`);
      if (sel.matchExpressions?.length) throw new Error(`couldn't convert expressions - "${goMatchExpressions(sel.matchExpressions)}" to map-based selector format`);
      return makeLabels(sel.matchLabels ?? {});
    }
  }
}

function containerPorts(kind: string, obj: PodTemplateOwner): { port: string; protocol: string }[] {
  if (kind === 'Service') return (obj.spec?.ports ?? []).map((p) => ({ port: String(p.port), protocol: p.protocol || 'TCP' }));
  const containers = kind === 'Pod' ? obj.spec?.containers : obj.spec?.template?.spec?.containers;
  return (containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: String(p.containerPort), protocol: p.protocol || 'TCP' })));
}

function parseLabels(text: string): Labels {
  const out: Labels = {};
  for (const spec of text.split(',')) {
    const parts = spec.split('=');
    if (parts.length !== 2 || !parts[0]) throw new CommandError(`error: invalid label spec: ${spec}`);
    out[parts[0]] = parts[1]!;
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
}

async function runExpose(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const dryRun = dryRunStrategy(args, ctx);
  const printer = printerFor(args, dryRun, ctx);
  const filenames = args.flags.get('filename') as string[];
  let targets: Target[];
  if (filenames.length) {
    targets = await manifestTargets(ctx, readManifests(ctx, filenames, Boolean(args.flags.get('recursive'))), ctx.namespace, args.changed.has('namespace'));
  } else {
    const parsed = await resourceArgs(ctx, args.positional, ctx.namespace);
    targets = parsed.targets;
    if (targets.length === 0) {
      if (parsed.types.length) throw new CommandError(`error: resource(s) were provided, but no name was specified`);
      throw new CommandError(`${NO_RESOURCES}`);
    }
  }
  const flag = (n: string) => String(args.flags.get(n) ?? '');
  for (const t of targets) {
    let obj = t.object as unknown as PodTemplateOwner | undefined;
    if (!filenames.length) {
      const res = await ctx.client.request({ method: 'GET', path: resourcePath(t.resource, t.namespace, t.name) });
      if (res.status >= 400) throw new CommandError(responseError(res));
      obj = res.body as PodTemplateOwner;
    }
    const kind = t.resource.kind;
    if (!EXPOSABLE.includes(kind)) throw new CommandError(`error: cannot expose a ${kind}${t.resource.group ? `.${t.resource.group}` : ''}`);
    const name = flag('name') || t.name.slice(0, 63);
    let selector = flag('selector');
    if (!selector) {
      try {
        selector = selectorFor(kind, obj!);
      } catch (err) {
        throw new CommandError(`error: couldn't retrieve selectors via --selector flag or introspection: ${(err as Error).message}`);
      }
    }
    const headless = flag('cluster-ip') === 'None';
    const found = containerPorts(kind, obj!);
    let portList: string[] = [];
    if (flag('port')) portList = [flag('port')];
    else {
      if (found.length === 0 && !headless) throw new CommandError("error: couldn't find port via --port flag or introspection");
      portList = found.map((p) => p.port);
    }
    const protocols = new Map(found.map((p) => [p.port, p.protocol]));
    const labelsText = flag('labels') || makeLabels(obj?.metadata?.labels ?? {});
    if (!selector) throw new CommandError('error: selector must be specified');
    const sel = parseLabels(selector);
    const labels = labelsText ? parseLabels(labelsText) : undefined;
    const ports: Obj[] = portList.map((p, i) => {
      if (!/^[+-]?\d+$/.test(p)) throw new CommandError(`error: strconv.Atoi: parsing "${p}": invalid syntax`);
      const port: Obj = {};
      if (portList.length > 1) port.name = `port-${i + 1}`;
      port.protocol = flag('protocol') || protocols.get(p) || 'TCP';
      port.port = Number(p);
      const target = flag('target-port');
      port.targetPort = target ? (/^\d+$/.test(target) ? Number(target) : target) : Number(p);
      return port;
    });
    const spec: Obj = {};
    if (ports.length) spec.ports = ports;
    spec.selector = sel;
    if (flag('cluster-ip')) spec.clusterIP = flag('cluster-ip');
    if (flag('type')) spec.type = flag('type');
    if (flag('external-ip')) spec.externalIPs = [flag('external-ip')];
    const affinity = flag('session-affinity');
    if (affinity) {
      if (!['None', 'ClientIP'].includes(affinity)) throw new CommandError(`error: unknown session affinity: ${affinity}`);
      spec.sessionAffinity = affinity;
    }
    if (spec.type === 'LoadBalancer' && flag('load-balancer-ip')) spec.loadBalancerIP = flag('load-balancer-ip');
    const metadata: Obj = { name, creationTimestamp: null };
    if (labels && Object.keys(labels).length) metadata.labels = labels;
    let service: Obj = { kind: 'Service', apiVersion: 'v1', metadata, spec: ordered(spec, ['ports', 'selector', 'clusterIP', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP']), status: { loadBalancer: {} } };
    const overrides = flag('overrides');
    if (overrides) {
      let patch: unknown;
      try {
        patch = JSON.parse(overrides);
      } catch {
        throw new CommandError('error: Invalid JSON Patch');
      }
      service = mergeOverrides(service, patch) as Obj;
    }
    if (dryRun === 'client') {
      if (args.changed.has('namespace')) service = { ...service, metadata: ordered({ ...(service.metadata as Obj), namespace: ctx.namespace }, ['name', 'namespace']) };
      printObject(ctx, printer, service, KINDS.service, 'exposed', { goOrdered: true });
      continue;
    }
    if (args.flags.get('save-config')) service = addLastApplied(service);
    const res = await ctx.client.request({
      method: 'POST',
      path: resourcePath({ group: '', version: 'v1', name: 'services', namespaced: true }, t.namespace ?? ctx.namespace),
      query: writeQuery({ fieldManager: flag('field-manager'), dryRun }),
      body: service,
    });
    printWarnings(ctx, res);
    if (res.status >= 400) throw new CommandError(responseError(res));
    printObject(ctx, printer, res.body as Obj, KINDS.service, 'exposed');
  }
  return 0;
}

export const expose: Command = {
  name: 'expose',
  short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service',
  long: `Create a service that sends traffic to the pods of an existing object.

 The service takes its selector from the object: a pod's labels, or the selector of a deployment, replica set, replication controller or service. Deployments and replica sets only work if their selector is made of matchLabels alone. Without --port, the service gets every port the object declares; without --labels, it copies the object's labels.

 Objects you can expose (any case):

 pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)`,
  example: `  # Service on port 80 for replication controller nginx, sending to container port 8000
  kubectl expose rc nginx --port=80 --target-port=8000
  
  # Service named frontend on port 444 for pod valid-pod
  kubectl expose pod valid-pod --port=444 --name=frontend
  
  # Service on port 80 for deployment nginx, sending to container port 8000
  kubectl expose deployment nginx --port=80 --target-port=8000`,
  use: 'expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]',
  flags: [
    ...OUTPUT_FLAGS,
    ...filenameFlags('Filename, directory, or URL to files identifying the resource to expose a service'),
    DRY_RUN_FLAG,
    SAVE_CONFIG_FLAG,
    fieldManagerFlag('kubectl-expose'),
    { name: 'protocol', type: 'string', default: '', usage: "The network protocol for the service to be created. Default is 'TCP'." },
    { name: 'port', type: 'string', default: '', usage: 'The port that the service should serve on. Copied from the resource being exposed, if unspecified' },
    { name: 'type', type: 'string', default: '', usage: "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'." },
    { name: 'load-balancer-ip', type: 'string', default: '', usage: 'IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created and used (cloud-provider specific).' },
    { name: 'selector', type: 'string', default: '', usage: 'A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the replication controller or replica set.)' },
    { name: 'labels', shorthand: 'l', type: 'string', default: '', usage: 'Labels to apply to the service created by this call.' },
    { name: 'target-port', type: 'string', default: '', usage: 'Name or number for the port on the container that the service should direct traffic to. Optional.' },
    { name: 'external-ip', type: 'string', default: '', usage: 'Additional external IP address (not managed by Kubernetes) to accept for the service. If this IP is routed to a node, the service can be accessed by this IP in addition to its generated service IP.' },
    { name: 'name', type: 'string', default: '', usage: 'The name for the newly created object.' },
    { name: 'session-affinity', type: 'string', default: '', usage: "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'" },
    { name: 'cluster-ip', type: 'string', default: '', usage: "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service." },
    { name: 'overrides', type: 'string', default: '', usage: 'An inline JSON override for the generated object. If this is non-empty, it is used to override the generated object. Requires that the object supply a valid apiVersion field.' },
  ],
  run: runExpose,
};
