import type { ClusterNetwork } from '../fabric';
import type { Resolver } from '../resolver';
import type { Source } from '../types';

/** What a network tool writes to and reads from, in the process that runs it. */
export interface ToolIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** What the process reads on stdin (`nc` sends it). */
  stdin: string;
  /** Writes a file the tool saves (`wget -O f`, `curl -o f`); throws the file system's error. */
  writeFile(path: string, content: string): void;
}

/** Where a tool runs: its network identity, resolver and the system it comes from. */
export interface ToolContext {
  network: ClusterNetwork;
  resolver: Resolver;
  source: Source;
  now(): number;
  /** The hostname of the machine or pod (curl/wget user agents do not need it; ping does not either). */
  hostname: string;
}

/**
 * A network tool run: a generator that yields the virtual milliseconds it waits (timeouts,
 * ping intervals) and returns its exit status, so shells drive it on the virtual clock.
 */
export type Tool = (args: string[], io: ToolIO) => Generator<number, number, void>;

export type ToolFactory = (ctx: ToolContext) => Tool;

export type { Source };
