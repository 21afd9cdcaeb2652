/** The kubectl emulator: `runKubectl(args, context)` behaves as kubectl 1.32 would. */
export { runKubectl } from './cmd/root';
export { CLIENT_VERSION } from './cmd/info/version';
export { CommandError, FileAccessError } from './context';
export { kubeadmAdminKubeconfig } from './kubeconfig';
export type { ApiProxy, KubectlClock, KubectlContext, KubectlFiles, KubectlTerminal, LocalListeners, PortForwarding, Signal } from './context';
export { parseFlags, FlagError } from './flags';
export type { FlagSpec, ParsedArgs } from './flags';
export { tabwrite, printTable, toJson, toYaml } from './printers';
export { humanDuration } from '../sim';
export type { ApiClient } from '../sim';
