/**
 * Every logger a 0xB8 meter has (types 0 to 7): the configuration (sub 05) of each, one request
 * apiece, so the page can show each logger's depth, registers and header before anything is
 * downloaded. A type the meter does not have stays silent; two silent answers before any
 * configuration came back mean no logger read-out at all, and nothing more is asked.
 */
import { CID, LOGGER_SUB, decodeLoggerConfig, loggerRequestData, type LoggerConfig } from '../kmp/index.ts';
import { LinkError } from './link-error.ts';
import type { Transport } from './transport.ts';

/** Logger types asked: configuration, info, year, month, day, hour and the two minute loggers. */
export const LISTED_LOGGER_TYPES = [0, 1, 2, 3, 4, 5, 6, 7] as const;

export interface LoggerListProgress {
  done: number;
  total: number;
  requests: number;
}

export interface LoggerList {
  configs: LoggerConfig[];
  /** Types that stayed silent. */
  absent: number[];
  requests: number;
}

export async function listLoggers(
  client: Transport,
  options: { signal?: AbortSignal; onProgress?: (p: LoggerListProgress) => void } = {},
): Promise<LoggerList> {
  const configs: LoggerConfig[] = [];
  const absent: number[] = [];
  let requests = 0;
  for (const logger of LISTED_LOGGER_TYPES) {
    if (options.signal?.aborted) break;
    requests++;
    try {
      const config = await client.transact(
        CID.Logger,
        loggerRequestData({ sub: LOGGER_SUB.config, logger }),
        (f) => decodeLoggerConfig(f.data),
        { retries: 0 },
      );
      if (config.logger === logger) configs.push(config);
      else absent.push(logger);
    } catch (e) {
      if (!(e instanceof LinkError) || (e.kind !== 'no-answer' && e.kind !== 'echo-only')) throw e;
      absent.push(logger);
      if (!configs.length && absent.length >= 2) throw new LinkError('no-logger');
    }
    options.onProgress?.({ done: requests, total: LISTED_LOGGER_TYPES.length, requests });
  }
  return { configs, absent, requests };
}
