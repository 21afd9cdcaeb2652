/** The bash-like shell of the simulated controlplane host. */
export { Shell } from './shell';
export type { OutputSink } from './shell';
export type { HostProgram, HostProgramIO, ShellServices } from './services';
export { TerminalSession } from './terminal';
export { runScript } from './script';
export type { ScriptOptions } from './script';
export { VirtualFs, FsError } from './fs';
export type { FsSnapshot } from './fs';
export { parse, IncompleteInput, ShellSyntaxError } from './parser';
export { ExitRequest } from './state';
export { Interrupt, InterruptedError } from './interrupt';
