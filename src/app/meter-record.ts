import type { MeterIdentity, MeterSession } from '../link/index.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import type { MeterRecord } from '../store/schema.ts';
import type { Notices } from './notices.ts';

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

/**
 * Remembers each meter the session identifies, by serial, so History, Publish and the broker's
 * device descriptions know its model after the connection is gone. A failed write is reported.
 * Returns what stops it.
 */
export function rememberIdentities(
  session: Pick<MeterSession, 'subscribe' | 'identity'>,
  store: Pick<KmpStore, 'putMeter'>,
  notices: Notices,
): () => void {
  let last: MeterIdentity | undefined;
  return session.subscribe(() => {
    const id = session.identity;
    if (!id || id === last) return;
    last = id;
    store.putMeter(meterRecordOf(id)).catch((e: unknown) => notices.report(e));
  });
}
