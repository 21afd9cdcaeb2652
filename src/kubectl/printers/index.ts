export { printTable } from './table';
export type { TablePrintOptions } from './table';
export { tabwrite } from './tabwriter';
export { toJson, toYaml } from './serialize';
