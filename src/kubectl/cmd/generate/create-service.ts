/** `kubectl create service clusterip|nodeport|loadbalancer|externalname`. */
import { CommandError } from '../../context';
import type { FlagSpec } from '../../flags';
import type { Command } from '../types';
import { generatorFlags, KINDS, objectMeta, runGenerator, type Obj } from './shared';

const TCP_FLAG: FlagSpec = { name: 'tcp', type: 'stringSlice', default: [], usage: 'Port pairs can be specified as \'<port>:<targetPort>\'.' };

function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const [portText, target] = spec.split(':') as [string, string | undefined];
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new CommandError(`error: strconv.ParseUint: parsing "${portText}": ${/^\d+$/.test(portText) ? 'value out of range' : 'invalid syntax'}`);
  const port = Number(portText);
  if (target === undefined) return { port, targetPort: port };
  if (/^[+-]?\d+$/.test(target)) {
    const n = Number(target);
    if (n < 1 || n > 65535) throw new CommandError('error: must be between 1 and 65535, inclusive');
    return { port, targetPort: n };
  }
  const errs = isValidPortName(target);
  if (errs.length) throw new CommandError(`error: ${errs.join(',')}`);
  return { port, targetPort: target };
}

function serviceCommand(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName', def: Omit<Command, 'run' | 'flags'>, flags: FlagSpec[], required: string[] = []): Command {
  const path = `create service ${def.name}`;
  return {
    ...def,
    flags: [...generatorFlags(), ...flags],
    run: (args, ctx) =>
      runGenerator(args, ctx, path, required, ({ name, metaNamespace }) => {
        const tcp = (args.flags.get('tcp') as string[] | undefined) ?? [];
        const clusterIP = (args.flags.get('clusterip') as string | undefined) ?? '';
        const externalName = (args.flags.get('external-name') as string | undefined) ?? '';
        const nodePort = (args.flags.get('node-port') as number | undefined) ?? 0;
        if (clusterIP === 'None' && type !== 'ClusterIP') throw new CommandError('error: ClusterIP=None can only be used with ClusterIP service type');
        if (clusterIP !== 'None' && tcp.length === 0 && type !== 'ExternalName') throw new CommandError('error: at least one tcp port specifier must be provided');
        if (type === 'ExternalName' && !/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(externalName))
          throw new CommandError(`error: invalid service external name ${externalName}`);
        const ports = tcp.map((t) => {
          const { port, targetPort } = parsePorts(t);
          const p: Obj = { name: t.replace(/:/g, '-'), protocol: 'TCP', port, targetPort };
          if (nodePort) p.nodePort = nodePort;
          return p;
        });
        const spec: Obj = {};
        if (ports.length) spec.ports = ports;
        spec.selector = { app: name };
        if (clusterIP) spec.clusterIP = clusterIP;
        spec.type = type;
        if (externalName) spec.externalName = externalName;
        return {
          kind: KINDS.service,
          errorPrefix: `failed to create ${type} service: `,
          object: { kind: 'Service', apiVersion: 'v1', metadata: objectMeta(name, metaNamespace, { labels: { app: name } }), spec, status: { loadBalancer: {} } },
        };
      }),
  };
}

const clusterip = serviceCommand(
  'ClusterIP',
  {
    name: 'clusterip',
    short: 'Create a ClusterIP service',
    long: 'Create a service of type ClusterIP: it gets a virtual IP address reachable only inside the cluster. --clusterip=None makes it headless (no address; DNS returns the pod IPs).',
    example: `  # Service my-cs: port 5678 sends to port 8080 of the pods
  kubectl create service clusterip my-cs --tcp=5678:8080
  
  # A headless service my-cs
  kubectl create service clusterip my-cs --clusterip="None"`,
    use: 'create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]',
  },
  [TCP_FLAG, { name: 'clusterip', type: 'string', default: '', usage: 'Assign your own ClusterIP or set to \'None\' for a \'headless\' service (no loadbalancing).' }],
);

const nodeport = serviceCommand(
  'NodePort',
  {
    name: 'nodeport',
    short: 'Create a NodePort service',
    long: 'Create a service of type NodePort: besides a cluster IP, it is opened on one port of every node (--node-port, or one chosen for you).',
    example: `  # NodePort service my-ns for pod port 8080
  kubectl create service nodeport my-ns --tcp=5678:8080`,
    use: 'create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none]',
  },
  [TCP_FLAG, { name: 'node-port', type: 'int', default: 0, usage: 'Port used to expose the service on each node in a cluster.' }],
);

const loadbalancer = serviceCommand(
  'LoadBalancer',
  {
    name: 'loadbalancer',
    short: 'Create a LoadBalancer service',
    long: 'Create a service of type LoadBalancer: a NodePort service for which the cloud provider, if there is one, sets up an external load balancer.',
    example: `  # LoadBalancer service my-lbs for pod port 8080
  kubectl create service loadbalancer my-lbs --tcp=5678:8080`,
    use: 'create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none]',
  },
  [TCP_FLAG],
);

const externalname = serviceCommand(
  'ExternalName',
  {
    name: 'externalname',
    short: 'Create an ExternalName service',
    long: `Create a service of type ExternalName: a DNS alias (CNAME) for a host name outside the cluster.

 Pods can then use the service's name for something that runs elsewhere, for example in another cluster or outside Kubernetes, and you can repoint it later without touching them.`,
    example: `  # my-ns.<namespace>.svc becomes an alias of bar.com
  kubectl create service externalname my-ns --external-name bar.com`,
    use: 'create service externalname NAME --external-name external.name [--dry-run=server|client|none]',
  },
  [TCP_FLAG, { name: 'external-name', type: 'string', default: '', usage: 'External name of service' }],
  ['external-name'],
);

const service: Command = {
  name: 'service',
  aliases: ['svc'],
  short: 'Create a service using a specified subcommand',
  long: 'Create a service of the type named by the subcommand.',
  use: 'create service [flags]',
  flags: [],
  subcommands: [clusterip, externalname, loadbalancer, nodeport],
};

export const serviceGenerators: Command[] = [service];
