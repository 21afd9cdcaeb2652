/** `kubectl proxy`: serves the API on a local port until Ctrl-C (recorded in ctx.listeners). */
import { CommandError, type KubectlContext } from '../../context';
import type { ParsedArgs } from '../../flags';
import type { Command } from '../types';

async function run(args: ParsedArgs, ctx: KubectlContext): Promise<number> {
  const f = args.flags;
  const address = f.get('address') as string;
  const port = f.get('port') as number;
  const socket = f.get('unix-socket') as string;
  let apiPrefix = f.get('api-prefix') as string;
  if (!apiPrefix.endsWith('/')) apiPrefix += '/';
  if (ctx.listeners?.inUse?.(address, port)) throw new CommandError(`error: listen tcp ${address}:${port}: bind: address already in use`);
  if (socket) ctx.stdout(`Starting to serve on ${socket}\n`);
  else ctx.stdout(`Starting to serve on ${address}:${port === 0 ? 37000 + (ctx.clock?.now() ?? 0) % 20000 : port}\n`);
  const stop = ctx.listeners?.proxy({ address, port, apiPrefix });
  const r = await ctx.clock?.waitUntil(() => false, undefined, ctx.signal);
  stop?.();
  return r === 'interrupted' ? 130 : 0;
}

export const proxyCommand: Command = {
  name: 'proxy',
  short: 'Run a proxy to the Kubernetes API server',
  long: `Serve the Kubernetes API on a local HTTP port. Requests to it are sent on to the API server with your kubeconfig credentials, so tools such as curl or a browser can use the API without logging in. With --www, files from a local directory are served as well, under --www-prefix.`,
  use: 'proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix]',
  example: `  # Serve the API on port 8011, and static files from ./local/www/ under /static/
  kubectl proxy --port=8011 --www=./local/www/

  # Serve the API on a port chosen at random
  kubectl proxy --port=0

  # Serve the API under /k8s-api, so pods are at /k8s-api/v1/pods/
  kubectl proxy --api-prefix=/k8s-api`,
  flags: [
    { name: 'accept-hosts', type: 'string', default: '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$', usage: 'Regular expression for hosts that the proxy should accept.' },
    { name: 'accept-paths', type: 'string', default: '^.*', usage: 'Regular expression for paths that the proxy should accept.' },
    { name: 'address', type: 'string', default: '127.0.0.1', usage: 'The IP address on which to serve on.' },
    { name: 'api-prefix', type: 'string', default: '/', usage: 'Prefix to serve the proxied API under.' },
    { name: 'append-server-path', type: 'bool', default: false, usage: 'If true, enables automatic path appending of the kube context server path to each request.' },
    { name: 'disable-filter', type: 'bool', default: false, usage: 'If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port.' },
    { name: 'keepalive', type: 'duration', default: '0s', usage: 'keepalive specifies the keep-alive period for an active network connection. Set to 0 to disable keepalive.' },
    { name: 'port', shorthand: 'p', type: 'int', default: 8001, usage: 'The port on which to run the proxy. Set to 0 to pick a random port.' },
    { name: 'reject-methods', type: 'string', default: '^$', usage: 'Regular expression for HTTP methods that the proxy should reject (example --reject-methods=\'POST,PUT,PATCH\'). ' },
    { name: 'reject-paths', type: 'string', default: '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach', usage: 'Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths.' },
    { name: 'unix-socket', shorthand: 'u', type: 'string', default: '', usage: 'Unix socket on which to run the proxy.' },
    { name: 'www', shorthand: 'w', type: 'string', default: '', usage: 'Also serve static files from the given directory under the specified prefix.' },
    { name: 'www-prefix', shorthand: 'P', type: 'string', default: '/static/', usage: 'Prefix to serve static files under, if static file directory is specified.' },
  ],
  run,
};
