import { registerById } from '../../../kmp/index.ts';
import type { MeterRecord, ScanRecord } from '../../../store/index.ts';

export const REGISTER_PROFILE_FORMAT = 'kmp-web-register-profile';

/**
 * What one meter answered in a register scan, as a file to keep or share: which registers a
 * model has is the question peers' issue trackers ask most after "why no answer", and a file
 * from a real meter answers it for the next owner of the same model.
 */
export interface RegisterProfile {
  format: typeof REGISTER_PROFILE_FORMAT;
  version: 1;
  appVersion: string;
  meter: { serial: number; model?: string; typeHex?: string; softwareRevision?: string };
  scannedAt: string;
  registers: Array<{
    id: number;
    name?: string;
    description?: string;
    unit: string;
    unitCode: number;
    decimal: string;
  }>;
  notOnThisMeter: number[];
  stoppedEarly?: string;
}

export function buildRegisterProfile(
  meter: Pick<MeterRecord, 'serial' | 'model' | 'typeHex' | 'softwareRevision'>,
  scan: ScanRecord,
  appVersion: string,
): RegisterProfile {
  return {
    format: REGISTER_PROFILE_FORMAT,
    version: 1,
    appVersion,
    meter: {
      serial: meter.serial,
      ...(meter.model ? { model: meter.model } : {}),
      ...(meter.typeHex ? { typeHex: meter.typeHex } : {}),
      ...(meter.softwareRevision ? { softwareRevision: meter.softwareRevision } : {}),
    },
    scannedAt: new Date(scan.at).toISOString(),
    registers: [...scan.supported]
      .sort((a, b) => a.id - b.id)
      .map((v) => {
        const known = registerById(v.id);
        return {
          id: v.id,
          ...(known ? { name: known.key, description: known.description } : {}),
          unit: v.unit,
          unitCode: v.unitCode,
          decimal: v.decimal,
        };
      }),
    notOnThisMeter: [...scan.unsupported].sort((a, b) => a - b),
    ...(scan.stoppedEarly ? { stoppedEarly: scan.stoppedEarly } : {}),
  };
}
