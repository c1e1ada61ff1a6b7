/** The meter link: a KMP session over any SerialPort-like object, plus the Web Serial adapter. */
export {
  KmpClient,
  replyDeadlineMs,
  type KmpClientOptions,
  type ClientStats,
  type ClientState,
  type RegisterReadResult,
  type CallOptions,
  type ReadRegistersOptions,
} from './kmp-client.ts';
export { KmpTransport } from './kmp-transport.ts';
export type { Transport } from './transport.ts';
export { LinkError, type LinkFailure } from './link-error.ts';
// Types only, and not readLogger itself: KmpClient.readLogger loads it on first use, so it stays
// out of the first screen (any value exported from here would pull the module back in).
export type {
  LoggerEntry,
  LoggerLink,
  LoggerProgress,
  LoggerReadOptions,
  LoggerReadResult,
  LoggerSupport,
} from './logger-reader.ts';
export * from './logger-plan.ts';
export { WireLog, type WireEntry, type WireKind, type WireListener } from './wire-log.ts';
export { FrameAssembler, type AssembledPiece } from './frame-assembler.ts';
export type { SerialPortLike } from './serial-port-like.ts';
export * from './web-serial.ts';
export * from './meter-session.ts';
export * from './model-guess.ts';
export * from './first-read-plan.ts';
