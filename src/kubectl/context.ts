import type { ApiClient } from '../sim';

/** Ctrl-C, as the shell's Interrupt provides it (kubectl cannot import the shell). */
export interface Signal {
  readonly aborted: boolean;
  /** Calls `listener` once when interrupted; returns a function that unregisters it. */
  onAbort(listener: () => void): () => void;
}

/**
 * The files kubectl reads and writes: the shell's home in the app, the host's in
 * `bin/kubelab kubectl`. Paths are as the user typed them; relative ones are the implementation's
 * to resolve against its working directory.
 */
export interface KubectlFiles {
  /** The file's text; throws a FileAccessError when it does not exist or is a directory. */
  read(path: string): string;
  write(path: string, content: string): void;
  /** 'file', 'dir' or undefined when nothing is there. */
  stat(path: string): 'file' | 'dir' | undefined;
  /** Entry names of a directory, sorted as Go's os.ReadDir sorts them. */
  list(path: string): string[];
  /** The path made absolute (for messages and kubeconfig locations). */
  resolve(path: string): string;
}

export class FileAccessError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'not found' | 'is a directory' | 'permission denied',
  ) {
    super(`${path}: ${reason}`);
  }
}

/**
 * Time for commands that wait (rollout status, wait, delete, logs -f, get -w): the simulated clock
 * in the app and scripts, the wall clock against a real API.
 */
export interface KubectlClock {
  now(): number;
  /**
   * Lets time pass until `done()` holds or `timeoutMs` has passed (never, when undefined), and
   * says which. Scripts run the virtual clock forward at once, event by event; the app waits for
   * the paced clock. Interrupting resolves with 'interrupted'.
   */
  waitUntil(done: () => boolean, timeoutMs: number | undefined, signal?: Signal): Promise<'done' | 'timeout' | 'interrupted'>;
}

/**
 * The terminal kubectl runs on, when it has one (exec -it, attach -it, debug -it): what is typed,
 * key by key as a raw-mode terminal gives it, and the window's size.
 */
export interface KubectlTerminal {
  columns: number;
  rows: number;
  /** Calls `listener` with each piece typed; returns a function that stops it. */
  onInput(listener: (text: string) => void): () => void;
}

/** A `kubectl port-forward` listening on the learner's machine (the shell's curl can reach it). */
export interface PortForwarding {
  /** Where it listens: 127.0.0.1, ::1, 0.0.0.0 or another address given with --address. */
  address: string;
  localPort: number;
  namespace: string;
  pod: string;
  remotePort: number;
}

/** A `kubectl proxy` serving the API on the learner's machine. */
export interface ApiProxy {
  address: string;
  port: number;
  apiPrefix: string;
}

/** Where kubectl's local listeners are recorded while they run (for the shell's network tools). */
export interface LocalListeners {
  /** Records a listener; returns a function that removes it when kubectl stops. */
  portForward(forwarding: PortForwarding): () => void;
  proxy(proxy: ApiProxy): () => void;
  /** Whether a local port is taken already (by another port-forward or proxy). */
  inUse?(address: string, port: number): boolean;
}

/** What a kubectl invocation runs against and writes to. */
export interface KubectlContext {
  client: ApiClient;
  /** The namespace when no kubeconfig gives one and -n is not given. */
  namespace: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, when something is piped or redirected into kubectl (`-f -`). */
  stdin?: string;
  /** Files for -f, --kubeconfig and `kubectl config`; absent means kubectl can read no files. */
  files?: KubectlFiles;
  /** Environment variables (KUBECONFIG, KUBE_EDITOR, HOME). */
  env?: ReadonlyMap<string, string>;
  clock?: KubectlClock;
  /** Ctrl-C for the running command. */
  signal?: Signal;
  /** The terminal, when stdin is one (interactive sessions); absent in scripts and pipes. */
  terminal?: KubectlTerminal;
  /** Records port-forward and proxy listeners; absent means nothing can reach them. */
  listeners?: LocalListeners;
  /**
   * Opens `text` (written at `path`) in the user's editor for `kubectl edit` and resolves to
   * the saved text, or undefined when the editor was closed without saving. Absent where no
   * editor exists (scripts): kubectl edit then fails saying so.
   */
  edit?(path: string, text: string): Promise<string | undefined>;
}

/** An error that ends a command with a message on stderr and an exit code, as kubectl's CheckErr does. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
