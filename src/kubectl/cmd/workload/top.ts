/** `kubectl top node|pod`: usage from the metrics.k8s.io API, printed as kubectl's TopCmdPrinter. */
import { CommandError, type KubectlContext } from '../../context';
import { responseError } from '../../cmdutil';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';
import { tabbed } from './targets';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** A resource.Quantity as (integer mantissa, decimal exponent, binary exponent). */
function parseQuantity(text: string | undefined): { mantissa: number; exp10: number; exp2: number } {
  const m = /^([+-]?\d*\.?\d*)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/.exec(String(text ?? '0').trim());
  if (!m || m[1] === '') return { mantissa: 0, exp10: 0, exp2: 0 };
  const [int, frac = ''] = m[1]!.split('.');
  const mantissa = Number(`${int}${frac}`);
  const exp10 = (m[3] !== undefined ? Number(m[3]) : m[2] && m[2] in DECIMAL ? DECIMAL[m[2]]! : 0) - frac.length;
  const exp2 = m[2] && m[2] in BINARY ? BINARY[m[2]]! : 0;
  return { mantissa, exp10, exp2 };
}

/** Quantity.ScaledValue(scale): the value in units of 10^scale, rounded up. */
function scaledValue(text: string | undefined, scale: number): number {
  const q = parseQuantity(text);
  const shift = q.exp10 - scale;
  const base = q.mantissa * 2 ** q.exp2;
  if (shift >= 0) return base * 10 ** shift;
  const divisor = 10 ** -shift;
  return Math.ceil(base / divisor);
}

const milliValue = (t: string | undefined) => scaledValue(t, -3);
const value = (t: string | undefined) => scaledValue(t, 0);

async function metricsAvailable(ctx: KubectlContext): Promise<boolean> {
  const res = await ctx.client.request({ method: 'GET', path: '/apis' });
  const groups = (res.body as { groups?: { name: string; versions: { version: string }[] }[] }).groups ?? [];
  return groups.some((g) => g.name === 'metrics.k8s.io' && g.versions.some((v) => v.version === 'v1beta1'));
}

function usageCells(usage: Obj, available?: Obj): string {
  let out = '';
  for (const res of ['cpu', 'memory']) {
    const q = usage[res] as string | undefined;
    out += res === 'cpu' ? `${milliValue(q)}m\t` : `${Math.trunc(value(q) / (1024 * 1024))}Mi\t`;
    if (available && res in available) {
      const total = milliValue(available[res]);
      const fraction = total === 0 ? 0 : (milliValue(q) / total) * 100;
      out += `${Math.trunc(fraction)}%\t`;
    }
  }
  return out;
}

function validateSortBy(sortBy: string): void {
  if (sortBy && sortBy !== 'cpu' && sortBy !== 'memory') throw new CommandError('error: --sort-by accepts only cpu or memory');
}

async function topNode(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const [name, ...extra] = args.positional;
  if (extra.length > 0) throw new CommandError(`error: top node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples`);
  const selector = args.flags.get('selector') as string;
  const sortBy = args.flags.get('sort-by') as string;
  validateSortBy(sortBy);
  if (name && selector) throw new CommandError('error: only one of NAME or selector can be provided');
  if (!(await metricsAvailable(ctx))) throw new CommandError('error: Metrics API not available');
  const query = selector ? { labelSelector: selector } : undefined;
  const mres = await ctx.client.request({ method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/nodes${name ? `/${encodeURIComponent(name)}` : ''}`, ...(query ? { query } : {}) });
  if (mres.status >= 400) throw new CommandError(responseError(mres));
  const metrics = (name ? [mres.body] : (mres.body as { items: Obj[] }).items) as Obj[];
  if (metrics.length === 0) throw new CommandError('error: metrics not available yet');
  const nres = await ctx.client.request({ method: 'GET', path: `/api/v1/nodes${name ? `/${encodeURIComponent(name)}` : ''}`, ...(query ? { query } : {}) });
  if (nres.status >= 400) throw new CommandError(responseError(nres));
  const nodes = (name ? [nres.body] : (nres.body as { items: Obj[] }).items) as Obj[];
  const showCapacity = args.flags.get('show-capacity') as boolean;
  const available = new Map<string, Obj>(nodes.map((n) => [n.metadata.name, (showCapacity ? n.status?.capacity : n.status?.allocatable) ?? {}]));
  const sorted = [...metrics].sort((a, b) => {
    if (sortBy === 'cpu') return milliValue(b.usage?.cpu) - milliValue(a.usage?.cpu);
    if (sortBy === 'memory') return value(b.usage?.memory) - value(a.usage?.memory);
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  let text = args.flags.get('no-headers') ? '' : 'NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n';
  for (const m of sorted) {
    text += `${m.metadata.name}\t${usageCells(m.usage ?? {}, available.get(m.metadata.name))}\n`;
    available.delete(m.metadata.name);
  }
  for (const missing of available.keys()) text += `${missing}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`;
  ctx.stdout(tabbed(text, 6, 3));
  return 0;
}

async function topPod(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const [name, ...extra] = args.positional;
  if (extra.length > 0) throw new CommandError(`error: top pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples`);
  const selector = args.flags.get('selector') as string;
  const fieldSelector = args.flags.get('field-selector') as string;
  const sortBy = args.flags.get('sort-by') as string;
  const allNamespaces = args.flags.get('all-namespaces') as boolean;
  const containers = args.flags.get('containers') as boolean;
  const noHeaders = args.flags.get('no-headers') as boolean;
  const sum = args.flags.get('sum') as boolean;
  validateSortBy(sortBy);
  if (name && (selector || fieldSelector)) throw new CommandError('error: only one of NAME or selector can be provided');
  if (!(await metricsAvailable(ctx))) throw new CommandError('error: Metrics API not available');
  const ns = allNamespaces ? '' : `/namespaces/${ctx.namespace}`;
  const mres = await ctx.client.request({ method: 'GET', path: `/apis/metrics.k8s.io/v1beta1${ns}/pods${name ? `/${encodeURIComponent(name)}` : ''}`, ...(selector ? { query: { labelSelector: selector } } : {}) });
  if (mres.status >= 400) throw new CommandError(responseError(mres));
  let metrics = (name ? [mres.body] : (mres.body as { items: Obj[] }).items) as Obj[];
  if (metrics.length > 0 && fieldSelector) {
    const pods = await ctx.client.request({ method: 'GET', path: `/api/v1${ns}/pods`, query: { fieldSelector, ...(selector ? { labelSelector: selector } : {}) } });
    if (pods.status >= 400) throw new CommandError(responseError(pods));
    const keep = new Set((pods.body as { items: Obj[] }).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    metrics = metrics.filter((m) => keep.has(`${m.metadata.namespace}/${m.metadata.name}`));
  }
  if (metrics.length === 0) {
    const pods = await ctx.client.request({ method: 'GET', path: `/api/v1/namespaces/${ctx.namespace}/pods`, query: { ...(selector ? { labelSelector: selector } : {}), ...(fieldSelector ? { fieldSelector } : {}) } });
    if (pods.status >= 400) throw new CommandError(responseError(pods));
    if ((pods.body as { items: Obj[] }).items.length > 0) throw new CommandError('error: metrics not available yet');
    ctx.stderr(allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
    return 0;
  }
  const total = (m: Obj, res: string) => (m.containers ?? []).reduce((n: number, c: Obj) => n + (res === 'cpu' ? milliValue(c.usage?.cpu) : value(c.usage?.memory)), 0);
  const sorted = [...metrics].sort((a, b) => {
    if (sortBy === 'cpu') return total(b, 'cpu') - total(a, 'cpu');
    if (sortBy === 'memory') return total(b, 'memory') - total(a, 'memory');
    if (allNamespaces && a.metadata.namespace !== b.metadata.namespace) return a.metadata.namespace < b.metadata.namespace ? -1 : 1;
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  let text = '';
  let width = 3;
  if (!noHeaders) {
    if (allNamespaces) (text += 'NAMESPACE\t'), width++;
    if (containers) (text += 'POD\t'), width++;
    text += 'NAME\tCPU(cores)\tMEMORY(bytes)\t\n';
  }
  const nsCell = (m: Obj) => (allNamespaces ? `${m.metadata.namespace}\t` : '');
  for (const m of sorted) {
    if (containers) {
      const cs = [...(m.containers ?? [])].sort((a: Obj, b: Obj) => {
        if (sortBy === 'cpu') return milliValue(b.usage?.cpu) - milliValue(a.usage?.cpu);
        if (sortBy === 'memory') return value(b.usage?.memory) - value(a.usage?.memory);
        return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
      });
      for (const c of cs) text += `${nsCell(m)}${m.metadata.name}\t${c.name}\t${usageCells(c.usage ?? {})}\n`;
    } else text += `${nsCell(m)}${m.metadata.name}\t${usageCells({ cpu: `${total(m, 'cpu')}m`, memory: String(total(m, 'memory')) })}\n`;
  }
  if (sum) {
    const cpu = metrics.reduce((n, m) => n + total(m, 'cpu'), 0);
    const mem = metrics.reduce((n, m) => n + total(m, 'memory'), 0);
    text += `${'\t'.repeat(width - 2)}________\t________\t\n${'\t'.repeat(width - 3)}\t${usageCells({ cpu: `${cpu}m`, memory: String(mem) })}\n`;
  }
  ctx.stdout(tabbed(text, 6, 3));
  return 0;
}

export function topCommand(): Command {
  const common = [
    { name: 'no-headers', type: 'bool' as const, default: false, usage: 'If present, print output without headers' },
    { name: 'selector', shorthand: 'l', type: 'string' as const, default: '', usage: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
    { name: 'sort-by', type: 'string' as const, default: '', usage: "If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'." },
    { name: 'use-protocol-buffers', type: 'bool' as const, default: true, usage: 'Enables using protocol-buffers to access Metrics API.' },
  ];
  return {
    name: 'top',
    short: 'Display resource (CPU/memory) usage',
    long: `Show how much CPU and memory nodes and pods use.

 The numbers come from the Metrics API, which needs Metrics Server (or another metrics provider) running in the cluster.`,
    use: 'top',
    flags: [],
    subcommands: [
      {
        name: 'node',
        aliases: ['nodes', 'no'],
        short: 'Display resource (CPU/memory) usage of nodes',
        long: 'Show the CPU and memory that nodes use, and what share of their allocatable resources that is.',
        example: `  # Usage of every node
  kubectl top node
  
  # Usage of one node
  kubectl top node NODE_NAME`,
        use: 'top node [NAME | -l label]',
        flags: [...common, { name: 'show-capacity', type: 'bool', default: false, usage: 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.' }],
        run: topNode,
      },
      {
        name: 'pod',
        aliases: ['pods', 'po'],
        short: 'Display resource (CPU/memory) usage of pods',
        long: `Show the CPU and memory that pods use.

 Metrics Server takes a minute or so to have figures for a pod after it starts.`,
        example: `  # Pods in the default namespace
  kubectl top pod
  
  # Pods in another namespace
  kubectl top pod --namespace=NAMESPACE
  
  # One pod, with its containers
  kubectl top pod POD_NAME --containers
  
  # Pods labelled name=myLabel
  kubectl top pod -l name=myLabel`,
        use: 'top pod [NAME | -l label]',
        flags: [
          ...common.map((f) => (f.name === 'sort-by' ? { ...f, usage: "If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'." } : f)),
          { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
          { name: 'containers', type: 'bool', default: false, usage: 'If present, print usage of containers within a pod.' },
          { name: 'field-selector', type: 'string', default: '', usage: "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type." },
          { name: 'sum', type: 'bool', default: false, usage: 'Print the sum of the resource usage' },
        ],
        run: topPod,
      },
    ],
  };
}
