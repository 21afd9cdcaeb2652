/** What the `kubectl config` subcommands share: where the kubeconfig is, loading and saving it. */
import type { KubectlContext } from '../../context';
import type { ParsedArgs } from '../../flags';
import { configAccess, loadDestination, loadModel, saveModel, toV1, type ConfigAccess, type ConfigModel } from './model';

export function accessOf(args: ParsedArgs, ctx: KubectlContext): ConfigAccess {
  return configAccess(ctx, args.flags.get('kubeconfig') as string);
}

/** The merged starting configuration (for reading). */
export function startingConfig(args: ParsedArgs, ctx: KubectlContext): ConfigModel {
  return loadModel(ctx, accessOf(args, ctx));
}

/** Loads the file that is written, lets `change` modify it, and writes it back. */
export function modifyConfig<T>(args: ParsedArgs, ctx: KubectlContext, change: (config: ConfigModel, access: ConfigAccess) => T): T {
  const access = accessOf(args, ctx);
  const config = loadDestination(ctx, access);
  const before = JSON.stringify(toV1(config));
  const result = change(config, access);
  // As clientcmd's ModifyConfig, only what changed is written: no change, no write.
  if (JSON.stringify(toV1(config)) !== before) saveModel(ctx, access, config);
  return result;
}

/** Go's %v of a []string: `[a b]`. */
export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}
