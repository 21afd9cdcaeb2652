/** Resolving what a command acts on: resource arguments, -f manifests, REST paths. */
export { manifestTargets, NO_RESOURCES, resolveType, resourceArgs } from './builder';
export type { ResourceArgs, Target } from './builder';
export { parseManifests, readManifests } from './manifests';
export type { Manifest } from './manifests';
