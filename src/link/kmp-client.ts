import type { MeterType } from '../kmp/index.ts';
import { KmpTransport } from './kmp-transport.ts';
// Types only: the logger download loads with its first use, not with the first screen.
import type { LoggerReadOptions, LoggerReadResult, LoggerSupport } from './logger-reader.ts';
import {
  getSerialNo,
  getType,
  readRegisters,
  type ReadRegistersOptions,
  type RegisterReadResult,
} from './register-reader.ts';
import type { CallOptions } from './transport.ts';

export { replyDeadlineMs } from './reply-deadline.ts';
export type { CallOptions, ClientState, ClientStats, KmpClientOptions } from './transport.ts';
export type { ReadRegistersOptions, RegisterReadResult } from './register-reader.ts';

/**
 * A KMP session over one serial port: the transport (one request in flight, deadlines, wire
 * log) with the register and logger readers on top. Read-only by construction.
 */
export class KmpClient extends KmpTransport {
  /**
   * What this connection learnt of the logger read-out (0xB8): 'silent' once the meter stayed
   * silent to it while answering GetSerialNo; then readLogger refuses at once, without asking again.
   */
  loggerSupport: LoggerSupport = 'unknown';

  getSerialNo(options?: CallOptions): Promise<number> {
    return getSerialNo(this, options);
  }

  getType(options?: CallOptions): Promise<MeterType> {
    return getType(this, options);
  }

  /** Reads any number of registers in requests of at most 8: see readRegisters in register-reader.ts. */
  readRegisters(ids: readonly number[], options?: ReadRegistersOptions): Promise<RegisterReadResult> {
    return readRegisters(this, ids, options);
  }

  /**
   * Downloads a logger of the meter, newest first, with progress, cancel, resume and a request
   * budget: see readLogger in logger-reader.ts. Only sub-commands 05, 06 and 07 are ever sent.
   */
  async readLogger(
    logger: number,
    registers: readonly number[],
    options?: LoggerReadOptions,
  ): Promise<LoggerReadResult> {
    const { readLogger } = await import('./logger-reader.ts');
    return readLogger(this, logger, registers, options);
  }
}
