/**
 * What a command acts on, from its arguments as kubectl's resource builder reads them:
 * `TYPE NAME...`, `TYPE/NAME...`, `TYPE1,TYPE2 [NAME...]`, or `-f` manifests. Each target knows
 * its resource, namespace and name, and the manifest object when it came from a file.
 */
import type { KubeObject } from '../../sim';
import { CommandError, type KubectlContext } from '../context';
import { categoryResources, discoverOnce, resolveKind, resolveResource, type ApiResource } from '../discovery';
import type { Manifest } from './manifests';

export interface Target {
  resource: ApiResource;
  /** Undefined for cluster-scoped resources. */
  namespace: string | undefined;
  name: string;
  /** The object from a manifest (-f). */
  object?: KubeObject;
  /** The manifest's file. */
  source?: string;
}

export interface ResourceArgs {
  /** Resource types named without names (`kubectl get pods,svc`): the caller lists them. */
  types: ApiResource[];
  /** Named objects. */
  targets: Target[];
}

export const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** Resolves a type as typed (`po`, `deployments.apps`, `Node`) or fails as kubectl does. */
export async function resolveType(ctx: KubectlContext, typed: string): Promise<ApiResource> {
  const found = resolveResource(await discoverOnce(ctx), typed);
  if (!found) throw new CommandError(`error: the server doesn't have a resource type "${typed}"`);
  return found;
}

/** Reads positional resource arguments in either of kubectl's two forms. */
export async function resourceArgs(ctx: KubectlContext, args: readonly string[], namespace: string): Promise<ResourceArgs> {
  if (args.length === 0) return { types: [], targets: [] };
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length > 0) {
    if (slashed.length !== args.length)
      throw new CommandError(
        "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      );
    const targets: Target[] = [];
    for (const a of args) {
      const [type, ...rest] = a.split('/');
      const name = rest.join('/');
      if (!type || !name || type.includes(',') || rest.length > 1) throw new CommandError('error: arguments in resource/name form must have a single resource and name');
      const resource = await resolveType(ctx, type);
      targets.push({ resource, namespace: resource.namespaced ? namespace : undefined, name });
    }
    return { types: [], targets };
  }
  const [typeList, ...names] = args;
  const types: ApiResource[] = [];
  const add = (r: ApiResource) => {
    if (!types.some((x) => x.group === r.group && x.name === r.name)) types.push(r);
  };
  for (const t of typeList!.split(',')) {
    if (!t) continue;
    // A category (`all`) stands for its resources, as kubectl's category expander.
    const members = categoryResources(await discoverOnce(ctx), t);
    if (members.length > 0) members.forEach(add);
    else add(await resolveType(ctx, t));
  }
  if (names.length === 0) return { types, targets: [] };
  return { types: [], targets: types.flatMap((resource) => names.map((name) => ({ resource, namespace: resource.namespaced ? namespace : undefined, name }))) };
}

/**
 * Targets for manifests. A manifest's own namespace wins unless -n was given explicitly and
 * differs, which is an error, as in kubectl.
 */
export async function manifestTargets(ctx: KubectlContext, manifests: readonly Manifest[], namespace: string, enforceNamespace: boolean): Promise<Target[]> {
  const resources = await discoverOnce(ctx);
  return manifests.map(({ object, source }) => {
    const resource = resolveKind(resources, object.apiVersion, object.kind);
    const name = object.metadata?.name ?? '';
    if (!resource)
      throw new CommandError(
        `error: resource mapping not found for name: "${name}" namespace: "${object.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${object.kind}" in version "${object.apiVersion}"\nensure CRDs are installed first`,
      );
    let ns: string | undefined;
    if (resource.namespaced) {
      const own = object.metadata?.namespace;
      if (own && enforceNamespace && own !== namespace)
        throw new CommandError(
          `error: the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`,
        );
      ns = own || namespace;
    }
    return { resource, namespace: ns, name, object, source };
  });
}
