import type { ApiClient } from '../sim';

/** What a kubectl invocation runs against and writes to. */
export interface KubectlContext {
  client: ApiClient;
  /** The current context's namespace (kubeconfig), used when -n is not given. */
  namespace: string;
  stdout(text: string): void;
  stderr(text: string): void;
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
