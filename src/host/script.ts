/**
 * `bin/kubelab run`: a script in a fresh session on the default cluster, printing exactly
 * what the terminal would show, without prompts.
 */
import type { ClusterOptions } from '../sim';
import { runScript } from '../shell';
import { Session } from './session';

export interface RunScriptOptions {
  seed?: number;
  /** Print each line as `$ command` before its output. */
  echo?: boolean;
  /** Cluster add-ons the script's cluster starts with (a lab's setup turns these on). */
  cluster?: Pick<ClusterOptions, 'loadBalancerPool' | 'ingressNginx' | 'metricsServer'>;
}

export async function runScriptInSession(
  src: string,
  out: { stdout(t: string): void; stderr(t: string): void },
  options: RunScriptOptions = {},
): Promise<number> {
  const session = new Session({ timing: 'manual', ...options.cluster, ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  try {
    return await runScript(src, session.shell, out, {
      between: () => session.cluster.clock.advance(1000),
      ...(options.echo ? { beforeLine: (line: string) => out.stdout(`$ ${line}\n`) } : {}),
    });
  } finally {
    session.dispose();
  }
}
