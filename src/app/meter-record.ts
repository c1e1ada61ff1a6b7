import type { MeterIdentity } from '../link/index.ts';
import type { MeterRecord } from '../store/index.ts';

/** What the store (and a register profile) keeps of an identified meter. */
export function meterRecordOf(
  id: MeterIdentity,
): Pick<MeterRecord, 'serial' | 'model' | 'typeHex' | 'softwareRevision'> {
  return {
    serial: id.serial,
    ...(id.model ? { model: id.model } : {}),
    ...(id.type ? { typeHex: id.type.typeHex, softwareRevision: id.type.softwareRevision ?? '' } : {}),
  };
}
