import type { MeterType, RegisterValue } from '../kmp/index.ts';

/**
 * GetType codes with public evidence: 0x0001, 0x0004 and 0x0005 are the MULTICAL 601 with Pt500,
 * Pt100 and 4-wire Pt500 sensors (Kamstrup's KMP description 5512-447, docs/loggers.md); 0x1101
 * is named MULTICAL 402 by a Domoticz plugin. Everything else is inferred from the registers.
 */
const KNOWN_TYPES = new Map<number, string>([
  [0x0001, 'MULTICAL 601'],
  [0x0004, 'MULTICAL 601'],
  [0x0005, 'MULTICAL 601'],
  [0x1101, 'MULTICAL 402'],
]);

/** Registers whose presence tells the families apart; asked once when identifying, unless the type code names the model. */
export const MODEL_PROBE_REGISTERS = [155, 266, 88, 69] as const;

export interface ModelGuess {
  model: string | undefined;
  /** How we know: the meter's type code, or a guess from the registers it answers. */
  basis: 'type-code' | 'registers' | 'unknown';
}

/** The model a GetType reply names outright, or undefined when only the registers can tell. */
export function modelOfType(type: MeterType | undefined): string | undefined {
  return type && KNOWN_TYPES.get(type.typeCode);
}

export function guessModel(type: MeterType | undefined, answered: readonly RegisterValue[]): ModelGuess {
  const known = modelOfType(type);
  if (known) return { model: known, basis: 'type-code' };
  const has = (id: number) => answered.some((v) => v.id === id);
  // t3 (88) and V2 (69) exist on the 603/803 family only.
  if (has(88) || has(69)) return { model: 'MULTICAL 603 or 803', basis: 'registers' };
  // High-resolution energy is 155 on the 402 and 266 on the 302/403.
  if (has(155) && !has(266)) return { model: 'MULTICAL 402', basis: 'registers' };
  if (has(266)) return { model: 'MULTICAL 403 or 302', basis: 'registers' };
  return { model: undefined, basis: 'unknown' };
}

/** The info-code table to apply for a model guess ('403', '603', '402' …), or undefined. */
export function infoModelOf(model: string | undefined): string | undefined {
  const m = model?.match(/MULTICAL (\d{3})/);
  return m?.[1];
}
