import { LinkError } from '../link-error.ts';
import type { LoggerReadOptions, LoggerReadResult } from '../logger-reader.ts';
import type { ActivityContext } from './activity-context.ts';

/**
 * Downloads one of the meter's loggers as the session's activity: its progress is shown while
 * the activity is the download's own (polling stays shown over it), and handed on to the caller.
 * A meter found without the logger read-out is added to `withoutLoggers` by serial.
 */
export async function runLoggerDownload(
  ctx: ActivityContext,
  withoutLoggers: Set<number>,
  logger: number,
  registers: readonly number[],
  options: LoggerReadOptions,
): Promise<LoggerReadResult> {
  const serial = ctx.view.identity?.serial;
  try {
    return await ctx.client.readLogger(logger, registers, {
      ...options,
      signal: ctx.signal,
      onProgress: (p) => {
        if (ctx.view.activity.kind === 'logger') ctx.update({ activity: { kind: 'logger', logger, ...p } });
        options.onProgress?.(p);
      },
    });
  } catch (e) {
    if (e instanceof LinkError && e.kind === 'no-logger' && serial !== undefined) withoutLoggers.add(serial);
    throw e;
  }
}
