import { LOGGER_ADDRESS } from '../../kmp/module-logger.ts';
import { LinkError } from '../link-error.ts';
import type { LoggerReadOptions, LoggerReadResult } from '../logger-reader.ts';
import type { ActivityContext } from './activity-context.ts';

/**
 * Downloads one of the meter's loggers as the session's activity: its progress is shown while
 * the activity is the download's own (polling stays shown over it), and handed on to the caller.
 * A meter without the 0xB8 read-out is tried on the 601/801 logger module addresses (0x7F, then
 * 0xBF), and the address that answered is kept by serial in `moduleAddresses`. A meter found
 * without any logger read-out is added to `withoutLoggers` by serial.
 */
export async function runLoggerDownload(
  ctx: ActivityContext,
  withoutLoggers: Set<number>,
  logger: number,
  registers: readonly number[],
  options: LoggerReadOptions,
  moduleAddresses: Map<number, number> = new Map(),
): Promise<LoggerReadResult> {
  const serial = ctx.view.identity?.serial;
  const model = ctx.view.identity?.model ?? '';
  const opts: LoggerReadOptions = {
    ...options,
    signal: ctx.signal,
    onProgress: (p) => {
      if (ctx.view.activity.kind === 'logger') ctx.update({ activity: { kind: 'logger', logger, ...p } });
      options.onProgress?.(p);
    },
  };
  try {
    const known = serial !== undefined ? moduleAddresses.get(serial) : undefined;
    if (known !== undefined) return await (await moduleReader())(ctx.client, known, logger, registers, opts);
    // The 601 (by its type code) has no 0xB8 read-out: straight to its logger module.
    if (!/MULTICAL 601/.test(model)) {
      try {
        return await ctx.client.readLogger(logger, registers, opts);
      } catch (e) {
        // A meter known to be a 402 has neither; an identified meter of no known model may be an
        // 801 or a 601 not named by its type. One not yet identified is not probed further.
        if (!(e instanceof LinkError && e.kind === 'no-logger') || /MULTICAL 40\d/.test(model) || serial === undefined)
          throw e;
      }
    }
    const read = await moduleReader();
    for (const address of [LOGGER_ADDRESS.topModule, LOGGER_ADDRESS.baseModule]) {
      try {
        const result = await read(ctx.client, address, logger, registers, opts);
        if (serial !== undefined) moduleAddresses.set(serial, address);
        return result;
      } catch (e) {
        if (!(e instanceof LinkError && e.kind === 'no-logger')) throw e;
      }
    }
    throw new LinkError('no-logger');
  } catch (e) {
    if (e instanceof LinkError && e.kind === 'no-logger' && serial !== undefined) withoutLoggers.add(serial);
    throw e;
  }
}

/** The 601/801 reader, loaded on first use like the 0xB8 one, so the first screen carries neither. */
async function moduleReader() {
  return (await import('../module-log-reader.ts')).readModuleLog;
}
