export { Kubelet } from './kubelet';
export type { NodeStats, PodStats, ContainerStats } from './kubelet';
export { NetworkStorage } from './volumes';
export { FileTree, ContainerFs } from './fs';
export { ImageCatalog, normalizeReference } from './images';
export type { ImageInfo } from './images';
export { piDigits, behaviorFor } from './behavior';
export { MiniShell } from './script';
