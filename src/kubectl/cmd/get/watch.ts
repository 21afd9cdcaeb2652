/**
 * `kubectl get -w` / `--watch-only`: the current list (unless watch-only), then a line per change
 * from a watch on the same collection, until Ctrl-C or the wait ends. Rows line up with the
 * ones before (the tabwriter remembers widths); --output-watch-events adds the event type.
 */
import type { KubeObject, Table, WatchEventObject } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { apiVersionOfResource, resourcePath, type ApiResource } from '../../discovery';
import { isStatus, serverErrorMessage } from '../../errors';
import { GET_FORMATS, makePrinter, writePrinted, type Printer } from '../../printers';
import { requests, type GetOptions } from './options';
import { HumanPrinter } from './human';

export async function watch(o: GetOptions, ctx: KubectlContext): Promise<number> {
  const { lists, targets } = await requests(ctx, o);
  const kinds = new Set([...lists, ...targets.map((t) => t.resource)].map((r) => `${r.group}/${r.kind}`));
  if (kinds.size > 1) throw new CommandError('error: watch is only supported on individual resources and resource collections - more than 1 resource was found');
  const resource: ApiResource | undefined = lists[0] ?? targets[0]?.resource;
  if (!resource) throw new CommandError('error: no resources found');
  const named = targets[0];
  const ns = resource.namespaced && !o.allNamespaces ? (named?.namespace ?? o.namespace) : undefined;
  const as = o.human ? 'Table' : 'Object';
  const query: Record<string, string> = {};
  if (o.selector) query.labelSelector = o.selector;
  if (o.fieldSelector) query.fieldSelector = o.fieldSelector;

  const res = await ctx.client.request({ method: 'GET', path: resourcePath(resource, ns, named?.name), query, as });
  if (res.status >= 400) {
    if (isStatus(res.body)) throw new CommandError(serverErrorMessage(res.body));
    throw new CommandError(`error: the server responded with the status code ${res.status}`);
  }
  const human = o.human
    ? new HumanPrinter({ wide: o.wide, noHeaders: o.noHeaders, withNamespace: o.allNamespaces && resource.namespaced, kind: undefined, showLabels: o.showLabels, labelColumns: o.labelColumns })
    : undefined;
  const generic: Printer | undefined = o.human ? undefined : (makePrinter(ctx, o.output, GET_FORMATS) as Printer);
  const withKind = (obj: KubeObject) => (obj.kind && obj.apiVersion ? obj : { ...obj, apiVersion: obj.apiVersion || apiVersionOfResource(resource), kind: obj.kind || resource.kind });

  const print = (type: WatchEventObject['type'] | undefined, object: unknown) => {
    if (human) {
      human.print(object as Table, o.outputWatchEvents ? type : undefined);
      ctx.stdout(human.flush());
      return;
    }
    const obj = withKind(object as KubeObject);
    if (o.outputWatchEvents && type) {
      const event = { type, object: obj };
      if (generic!.format === 'json') ctx.stdout(`${JSON.stringify(event)}\n`);
      else if (generic!.format === 'name') writePrinted(ctx, () => generic!.print([obj], { list: 'never' }));
      else writePrinted(ctx, () => generic!.print([event], { list: 'never' }));
      return;
    }
    writePrinted(ctx, () => generic!.print([obj], { list: 'never' }));
  };

  let rv = '0';
  let output = !o.watchOnly;
  const body = res.body as (Table & { items?: undefined }) | { items: KubeObject[]; metadata: { resourceVersion: string } } | KubeObject;
  const isList = !named;
  if (isList) {
    rv = (body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    if (output) {
      if (human) print('ADDED', body);
      else for (const item of (body as { items: KubeObject[] }).items) print('ADDED', item);
    }
    output = true;
  } else {
    if (output) print('ADDED', body);
    output = false;
  }

  const watchQuery: Record<string, string> = { ...query, resourceVersion: rv, allowWatchBookmarks: 'true' };
  if (named) watchQuery.fieldSelector = `metadata.name=${named.name}`;
  let closed = false;
  const handle = await ctx.client.watch(
    { method: 'GET', path: resourcePath(resource, ns), query: watchQuery, as },
    (event) => {
      if (event.type === 'BOOKMARK') return;
      if (event.type === 'ERROR') {
        closed = true;
        return;
      }
      if (output) print(event.type, event.object);
      output = true;
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
