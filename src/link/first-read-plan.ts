import { MAX_REGISTERS_PER_REQUEST } from '../kmp/index.ts';
import { MODEL_PROBE_REGISTERS } from './model-guess.ts';

/** Registers read while identifying: info code and counter, meter clock and date, hour counter, config numbers. */
export const IDENTITY_REGISTERS = [99, 113, 1002, 1003, 1004, 152, 153, 168] as const;

/** Register 1001 holds the serial number GetSerialNo answers (Kamstrup's KMP description; docs/protocol.md). */
export const SERIAL_REGISTER = 1001;

/** What the meter has already told before the registers are read, so they are not asked again. */
export interface KnownBeforeRegisters {
  /** GetSerialNo has answered: register 1001 is asked only if it is one of the chosen registers. */
  serial: boolean;
  /** The GetType code named the model: the model probes are not needed. */
  model: boolean;
}

/**
 * The GetRegister requests that identify a meter and take its first reading together, each
 * register once, at most 8 per request. The chosen registers come first, in their order, so the
 * first reply already carries values for the readings table; then what the identity needs that
 * they do not cover; then the model probes. The serial comes from register 1001 rather than from
 * a GetSerialNo request of its own: it then rides in a request that is sent anyway.
 */
export function planFirstRead(chosen: readonly number[], known: KnownBeforeRegisters): number[][] {
  const ids = new Set<number>(chosen);
  for (const id of IDENTITY_REGISTERS) ids.add(id);
  if (!known.serial) ids.add(SERIAL_REGISTER);
  if (!known.model) for (const id of MODEL_PROBE_REGISTERS) ids.add(id);
  const order = [...ids];
  const requests: number[][] = [];
  for (let i = 0; i < order.length; i += MAX_REGISTERS_PER_REQUEST)
    requests.push(order.slice(i, i + MAX_REGISTERS_PER_REQUEST));
  return requests;
}

/** The serial number in a register 1001 value, or undefined if it is not a plausible 32-bit serial. */
export function serialFromRegister(value: { value: number } | undefined): number | undefined {
  if (!value) return undefined;
  const n = value.value;
  return Number.isSafeInteger(n) && n > 0 && n <= 0xffffffff ? n : undefined;
}
