/**
 * `kubectl events` (1.32): core/v1 Events of a namespace (or all, -A), oldest first, as LAST SEEN,
 * TYPE, REASON, OBJECT, MESSAGE; --for TYPE/NAME filters by the involved object, --types by
 * Normal/Warning, -w keeps printing new ones, -o prints the EventList with the shared printers.
 */
import { humanDuration, type KubeObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { apiVersionOfResource } from '../../discovery';
import { isStatus, serverErrorMessage } from '../../errors';
import { goSort } from '../../gosort';
import type { ParsedArgs } from '../../flags';
import { makePrinter, OUTPUT_FLAGS, outputOptions, PRINT_FORMATS, RememberingTabWriter, writePrinted } from '../../printers';
import { resolveType } from '../../resource';
import type { Command } from '../types';

interface EventObject extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count: number; lastObservedTime: string };
  involvedObject: { kind?: string; name?: string; apiVersion?: string };
}

interface EventsOptions {
  namespace: string;
  allNamespaces: boolean;
  watch: boolean;
  types: string[];
  noHeaders: boolean;
  forSelector?: string;
  chunkSize: number;
}

async function complete(args: ParsedArgs, ctx: KubectlContext): Promise<EventsOptions> {
  const o: EventsOptions = {
    namespace: ctx.namespace,
    allNamespaces: args.flags.get('all-namespaces') as boolean,
    watch: args.flags.get('watch') as boolean,
    types: [...new Set(args.flags.get('types') as string[])].sort(),
    noHeaders: args.flags.get('no-headers') as boolean,
    chunkSize: args.flags.get('chunk-size') as number,
  };
  const forObject = args.flags.get('for') as string;
  if (forObject) {
    if (!forObject.includes('/')) throw new CommandError('error: --for must be in resource/name form');
    const seg = forObject.split('/');
    if (seg.length !== 2) throw new CommandError('error: arguments in resource/name form may not have more than one slash');
    // The mapper's error prints bare here (kubectl events does not prefix it with "error: ").
    const r = await resolveType(ctx, seg[0]!).catch((err: unknown) => {
      if (err instanceof CommandError) throw new CommandError(err.message.replace(/^error: /, ''));
      throw err;
    });
    o.forSelector = `involvedObject.kind=${r.kind},involvedObject.apiVersion=${apiVersionOfResource(r)},involvedObject.name=${seg[1]}`;
  }
  return o;
}

function validate(o: EventsOptions): void {
  for (const t of o.types) if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning') throw new CommandError('error: valid --types are Normal or Warning');
}

function keep(o: EventsOptions, e: EventObject): boolean {
  return o.types.length === 0 || o.types.some((t) => t.toLowerCase() === (e.type ?? '').toLowerCase());
}

function eventTime(e: EventObject): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  return t ? Date.parse(t) : Number.NEGATIVE_INFINITY;
}

function since(now: number, t: string | null | undefined): string {
  if (!t) return '<unknown>';
  return humanDuration(now - Date.parse(t));
}

function interval(now: number, e: EventObject): string {
  const first = e.eventTime ? since(now, e.eventTime) : since(now, e.firstTimestamp);
  if (e.series) return `${since(now, e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(now, e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}

function esc(s: string): string {
  return s.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
}

class EventTable {
  private readonly writer = new RememberingTabWriter();
  private headed = false;
  constructor(private readonly o: EventsOptions) {}
  print(events: EventObject[], now: number): string {
    if (!this.o.noHeaders && !this.headed) {
      this.writer.write([...(this.o.allNamespaces ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
      this.headed = true;
    }
    for (const e of events)
      this.writer.write([
        ...(this.o.allNamespaces ? [e.metadata.namespace ?? ''] : []),
        interval(now, e),
        esc(e.type ?? ''),
        esc(e.reason ?? ''),
        `${esc(e.involvedObject.kind ?? '')}/${esc(e.involvedObject.name ?? '')}`,
        esc((e.message ?? '').trim()),
      ]);
    return this.writer.flush();
  }
}

async function run(o: EventsOptions, args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const output = outputOptions(args);
  const printer = output.format ? makePrinter(ctx, output, PRINT_FORMATS) : undefined;
  const path = o.allNamespaces ? '/api/v1/events' : `/api/v1/namespaces/${o.namespace}/events`;
  const query: Record<string, string> = {};
  if (o.forSelector) query.fieldSelector = o.forSelector;
  const now = () => ctx.clock?.now() ?? 0;
  const withKind = (e: EventObject): EventObject => ({ ...e, apiVersion: e.apiVersion || 'v1', kind: e.kind || 'Event' });

  if (o.watch) {
    const table = new EventTable(o);
    let closed = false;
    const handle = await ctx.client.watch(
      { method: 'GET', path, query },
      (ev) => {
        if (ev.type === 'DELETED' || ev.type === 'BOOKMARK') return;
        if (ev.type === 'ERROR') {
          closed = true;
          return;
        }
        const e = withKind(ev.object as EventObject);
        if (!keep(o, e)) return;
        if (printer) writePrinted(ctx, () => printer.print([e], { list: 'never' }));
        else ctx.stdout(table.print([e], now()));
      },
      () => {
        closed = true;
      },
    );
    if (!('stop' in handle)) {
      if (isStatus(handle.body)) throw new CommandError(serverErrorMessage(handle.body));
      return 1;
    }
    if (ctx.clock) await ctx.clock.waitUntil(() => closed, undefined, ctx.signal);
    handle.stop();
    return 0;
  }

  const items: EventObject[] = [];
  const q: Record<string, string> = { ...query, limit: String(o.chunkSize > 0 ? o.chunkSize : 500) };
  for (;;) {
    const res = await ctx.client.request({ method: 'GET', path, query: q });
    if (res.status >= 400) {
      if (isStatus(res.body)) throw new CommandError(serverErrorMessage(res.body));
      throw new CommandError(`error: the server responded with the status code ${res.status}`);
    }
    const body = res.body as { items: EventObject[]; metadata?: { continue?: string } };
    items.push(...body.items);
    if (!body.metadata?.continue) break;
    q.continue = body.metadata.continue;
  }
  const events = items.filter((e) => keep(o, e)).map(withKind);
  if (events.length === 0) {
    ctx.stderr(o.allNamespaces ? 'No events found.\n' : `No events found in ${o.namespace} namespace.\n`);
    return 0;
  }
  // Oldest first with sort.Sort (pdqsort): ties land where Go's algorithm leaves them.
  const sorted = goSort([...events], (a, b) => eventTime(a) < eventTime(b));
  // The name printer refuses a typed EventList, and kubectl events drops that error: nothing prints.
  if (printer?.format === 'name') return 0;
  if (printer) writePrinted(ctx, () => printer.print([{ apiVersion: 'v1', items: sorted, kind: 'EventList', metadata: {} }], { list: 'never' }));
  else ctx.stdout(new EventTable(o).print(sorted, now()));
  return 0;
}

export function eventsCommand(): Command {
  return {
    name: 'events',
    short: 'List events',
    long: 'Show events for the current namespace (or all namespaces with -A), oldest first, optionally only those of one object (--for) or of some types (--types); -w keeps printing new events as they happen.',
    example: `  # Events of the current namespace
  kubectl events
  
  # Events of every namespace
  kubectl events --all-namespaces
  
  # Events about pod web-pod-13je7, and then new ones as they come
  kubectl events --for pod/web-pod-13je7 --watch
  
  # Events as YAML
  kubectl events -oyaml
  
  # Only Warning and Normal events
  kubectl events --types=Warning,Normal`,
    use: `events [(-o|--output=)${PRINT_FORMATS.join('|')}] [--for TYPE/NAME] [--watch] [--types=Normal,Warning]`,
    flags: [
      { name: 'all-namespaces', shorthand: 'A', type: 'bool', default: false, usage: 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.' },
      { name: 'chunk-size', type: 'int', default: 500, usage: 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.' },
      { name: 'for', type: 'string', default: '', usage: 'Filter events to only those pertaining to the specified resource.' },
      { name: 'no-headers', type: 'bool', default: false, usage: "When using the default output format, don't print headers." },
      { name: 'types', type: 'stringSlice', default: [], usage: 'Output only events of given types.' },
      { name: 'watch', shorthand: 'w', type: 'bool', default: false, usage: 'After listing the requested events, watch for more events.' },
      ...OUTPUT_FLAGS,
    ],
    async run(args, ctx) {
      const o = await complete(args, ctx);
      validate(o);
      return run(o, args, ctx);
    },
  };
}
