/**
 * The KMP codec: pure functions over bytes, no DOM, no I/O, no timers.
 * Layered like the protocol: physical (stuffing, start/stop), data link (CRC),
 * application (commands, registers, the KMP number format), plus units, the
 * register catalogue and info-code decoding.
 */
export * from './constants.ts';
export * from './errors.ts';
export * from './words.ts';
export * from './list-words.ts';
export * from './hex.ts';
export { crc16 } from './crc.ts';
export { stuff, unstuff } from './stuffing.ts';
export { encodeFrame, decodeFrame, type DecodedFrame, type Direction } from './frame.ts';
export { decodeKmpNumber, encodeKmpNumber, type KmpNumber } from './number.ts';
export * from './units.ts';
export * from './registers.ts';
export * from './date-time-dst.ts';
export * from './logger.ts';
export * from './logger-reply-encoding.ts';
export * from './logger-time.ts';
export * from './module-logger.ts';
export * from './messages.ts';
export * from './reading.ts';
export * from './plausibility.ts';
export * from './catalogue.ts';
export * from './info-codes.ts';
export { MIN_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS } from './polling.ts';
