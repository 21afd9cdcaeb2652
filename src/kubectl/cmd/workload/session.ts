/**
 * Running an exec or attach session from kubectl: stdin from the terminal (raw, with -t) or what
 * was piped in, output to stdout/stderr, the window size, Ctrl-C, and the final Status turned into
 * kubectl's messages and exit code.
 */
import { isExecSession, type ExecRequest, type ExecSession, type StreamStatus } from '../../../sim';
import { CommandError, type KubectlContext } from '../../context';
import { responseError } from '../../cmdutil';
import { waitSettled } from './stream-common';

export interface SessionOptions {
  subresource: 'exec' | 'attach';
  request: ExecRequest;
  /** Whether a terminal drives stdin (else ctx.stdin is sent and closed). */
  raw: boolean;
  /** Called once the session is up (attach's "If you don't see a command prompt" line). */
  onOpen?(session: ExecSession): void;
}

/** Opens the session and runs it to its end; the Status it ended with (130 when interrupted). */
export async function runSession(ctx: KubectlContext, o: SessionOptions): Promise<StreamStatus | 130> {
  const output = { stdout: (t: string) => ctx.stdout(t), stderr: (t: string) => ctx.stderr(t) };
  const opened = o.subresource === 'exec' ? await ctx.client.exec(o.request, output) : await ctx.client.attach(o.request, output);
  if (!isExecSession(opened)) throw new CommandError(responseError(opened));
  const session = opened;
  let status: StreamStatus | undefined;
  void session.done.then((s) => (status = s));
  o.onOpen?.(session);
  const cleanups: (() => void)[] = [];
  if (o.request.stdin) {
    if (ctx.terminal && (o.raw || ctx.stdin === undefined)) {
      if (o.request.tty) session.resize(ctx.terminal.columns, ctx.terminal.rows);
      cleanups.push(
        ctx.terminal.onInput((text) => {
          // Without a TTY the terminal's line discipline ends input at ^D.
          if (!o.request.tty && text.includes('\x04')) {
            session.write(text.slice(0, text.indexOf('\x04')));
            session.closeStdin();
          } else session.write(text);
        }),
      );
    } else {
      if (ctx.stdin) session.write(ctx.stdin);
      session.closeStdin();
    }
  }
  const result = await waitSettled(ctx, () => status !== undefined, Infinity);
  for (const c of cleanups) c();
  if (result === 'interrupted' || (result !== 'done' && ctx.signal?.aborted)) {
    session.close();
    return 130;
  }
  if (!status) {
    session.close();
    status = await session.done;
  }
  return status;
}

/** The exit code and messages kubectl gives for a session's Status. */
export function exitFor(ctx: KubectlContext, status: StreamStatus | 130): number {
  if (status === 130) return 130;
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message ?? 1);
    ctx.stderr(`command terminated with exit code ${code}\n`);
    return code;
  }
  throw new CommandError(`error: ${status.message ?? 'unknown error'}`);
}
