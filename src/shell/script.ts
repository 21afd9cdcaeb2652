/**
 * Runs a whole script as `bin/kubelab run` does: line by line, with a hook between lines
 * (the CLI advances the virtual clock there). Output is exactly what a terminal would show,
 * without prompts.
 */
import { BadSubstitution, IncompleteInput, parse, ShellSyntaxError } from './parser';
import type { OutputSink, Shell } from './shell';
import { ExitRequest } from './state';
import type { Line } from './ast';

export interface ScriptOptions {
  /** Called after each line except the last. */
  between?: () => void;
  /** Called before each line with its source text (for transcripts that echo commands). */
  beforeLine?: (source: string) => void;
}

export async function runScript(src: string, shell: Shell, out: OutputSink, options: ScriptOptions = {}): Promise<number> {
  let lines: Line[];
  try {
    lines = parse(src);
  } catch (err) {
    if (err instanceof IncompleteInput) {
      out.stderr('bash: syntax error: unexpected end of file\n');
      return 2;
    }
    if (err instanceof ShellSyntaxError || err instanceof BadSubstitution) {
      out.stderr(`bash: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    options.beforeLine?.(line.source);
    try {
      await shell.runLine(line, out);
    } catch (err) {
      if (err instanceof ExitRequest) return err.status;
      throw err;
    }
    if (i < lines.length - 1) options.between?.();
  }
  return shell.lastStatus;
}
