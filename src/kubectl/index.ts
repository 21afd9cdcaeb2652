/** The kubectl emulator: `runKubectl(args, context)` behaves as kubectl 1.32 would. */
export { runKubectl } from './cmd/root';
export { CLIENT_VERSION } from './cmd/version';
export type { KubectlContext } from './context';
export { parseFlags, FlagError } from './flags';
export type { FlagSpec, ParsedArgs } from './flags';
export { tabwrite, printTable, toJson, toYaml } from './printers';
export { humanDuration } from '../sim';
export type { ApiClient } from '../sim';
