/** `kubectl cluster-info`: where the control plane and the cluster services labelled kubernetes.io/cluster-service=true answer. */
import { CommandError } from '../../context';
import { expectOk } from '../../cmdutil';
import { loadKubeconfig } from '../../kubeconfig';
import type { Command } from '../types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function clusterInfoCommand(): Command {
  return {
    name: 'cluster-info',
    short: 'Display cluster information',
    long: `Print where the control plane is, and the services labelled kubernetes.io/cluster-service=true (such as CoreDNS). For a full dump of cluster state to investigate problems, see 'kubectl cluster-info dump'.`,
    example: `  # Where is the control plane?
  kubectl cluster-info`,
    use: 'cluster-info [flags]',
    flags: [],
    async run(args, ctx) {
      if (args.positional.length) throw new CommandError(`error: unknown command "${args.positional[0]}" for "kubectl cluster-info"`);
      const loaded = loadKubeconfig(ctx, args.flags.get('kubeconfig') as string);
      const contextName = (args.flags.get('context') as string) || loaded.config['current-context'];
      const context = loaded.config.contexts.find((c) => c.name === contextName)?.context;
      const clusterName = (args.flags.get('cluster') as string) || context?.cluster;
      const host = ((args.flags.get('server') as string) || (loaded.config.clusters.find((c) => c.name === clusterName)?.cluster.server as string | undefined) || 'https://172.30.1.2:6443').replace(/\/+$/, '');
      const namespace = args.changed.has('namespace') ? ctx.namespace : 'kube-system';
      const list = expectOk<{ items: Obj[] }>(
        await ctx.client.request({ method: 'GET', path: `/api/v1/namespaces/${namespace}/services`, query: { labelSelector: 'kubernetes.io/cluster-service=true' } }),
      );
      let out = `Kubernetes control plane is running at ${host}\n`;
      for (const svc of list.items) {
        let link = '';
        const ingress = svc.status?.loadBalancer?.ingress ?? [];
        if (ingress.length) {
          const ip = ingress[0].ip || ingress[0].hostname;
          for (const p of svc.spec?.ports ?? []) link += `http://${ip}:${p.port} `;
        } else {
          let name: string = svc.metadata.name;
          const port = svc.spec?.ports?.[0];
          if (port) {
            const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
            name = scheme ? `${scheme}:${name}:${port.name ?? ''}` : port.name ? `${name}:${port.name}` : name;
          }
          link = `${host}/api/v1/namespaces/${svc.metadata.namespace}/services/${name}/proxy`;
        }
        out += `${svc.metadata.labels?.['kubernetes.io/name'] || svc.metadata.name} is running at ${link}\n`;
      }
      out += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
      ctx.stdout(out);
      return 0;
    },
  };
}
