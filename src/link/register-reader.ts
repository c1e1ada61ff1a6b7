import {
  CID,
  MAX_REGISTERS_PER_REQUEST,
  checkRegisterIds,
  decodeGetTypeResponse,
  decodeRegisters,
  decodeSerialNoResponse,
  getRegisterBody,
  type DecodedFrame,
  type MeterType,
  type RegisterValue,
} from '../kmp/index.ts';
import { LinkError } from './link-error.ts';
import { RequestBudget } from './request-budget.ts';
import type { CallOptions, Transport } from './transport.ts';

export interface RegisterReadResult {
  /** Values in the order they were asked for. */
  values: RegisterValue[];
  /** Ids the meter left out of its reply: it does not have them. */
  unsupported: number[];
  /** Ids that could not be read even one at a time, with why. */
  failed: Array<{ ids: number[]; error: LinkError }>;
}

export interface ReadRegistersOptions extends CallOptions {
  /**
   * Called with each reply's values as soon as it is decoded (its CRC checked), so a view can
   * draw them before the last request of the read has been answered.
   */
  onValues?: (values: readonly RegisterValue[]) => void;
}

/** The meter's serial number (GetSerialNo). */
export function getSerialNo(link: Transport, options?: CallOptions): Promise<number> {
  return link.transact(CID.GetSerialNo, new Uint8Array(0), (f) => decodeSerialNoResponse(f.data), options);
}

/** The meter's type and software revision (GetType). */
export function getType(link: Transport, options?: CallOptions): Promise<MeterType> {
  return link.transact(CID.GetType, new Uint8Array(0), (f) => decodeGetTypeResponse(f.data), options);
}

/**
 * Reads any number of registers in requests of at most 8. A request that keeps failing is
 * split into smaller ones, down to single registers, while the line lets replies through:
 * after three times a healthy read's requests without one good reply it stops (see
 * RequestBudget). Silence before any answer gets one single-register probe and then gives up:
 * the meter is asleep or the head is off, and more requests would only drain its battery.
 */
export async function readRegisters(
  link: Transport,
  ids: readonly number[],
  options?: ReadRegistersOptions,
): Promise<RegisterReadResult> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += MAX_REGISTERS_PER_REQUEST)
    checkRegisterIds(unique.slice(i, i + MAX_REGISTERS_PER_REQUEST));
  const found = new Map<number, RegisterValue>();
  const unsupported: number[] = [];
  const failed: RegisterReadResult['failed'] = [];
  let answered = false;
  let probed = false;
  const budget = options?.budget ?? RequestBudget.forRead(Math.ceil(unique.length / MAX_REGISTERS_PER_REQUEST));
  const call = { ...options, budget };

  const readBatch = async (batch: number[]): Promise<void> => {
    // Nothing got through for a while: the rest is not asked for (see RequestBudget).
    if (budget.exhausted) {
      failed.push({ ids: batch, error: budget.gaveUp() });
      return;
    }
    try {
      const regs = await link.transact(
        CID.GetRegister,
        getRegisterBody(batch).subarray(2),
        (f) => parseRegisterReply(f, batch),
        call,
      );
      answered = true;
      for (const r of regs) found.set(r.id, r);
      for (const id of batch) if (!found.has(id)) unsupported.push(id);
      if (regs.length) options?.onValues?.(regs);
    } catch (e) {
      if (!(e instanceof LinkError)) throw e;
      if (e.kind === 'disconnected' || e.kind === 'closed') throw e;
      if (!answered && (e.kind === 'no-answer' || e.kind === 'echo-only')) {
        // Silence before any answer: most likely asleep or the head is off. One single-register
        // probe tells that apart from a meter that drops long requests, without hammering it.
        if (batch.length === 1 || probed || budget.exhausted) throw e;
        probed = true;
        await readBatch(batch.slice(0, 1));
        if (batch.length > 1) await readBatch(batch.slice(1));
        return;
      }
      if (batch.length === 1 || budget.exhausted) {
        failed.push({ ids: batch, error: e });
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await readBatch(batch.slice(0, half));
      await readBatch(batch.slice(half));
    }
  };

  for (let i = 0; i < unique.length; i += MAX_REGISTERS_PER_REQUEST)
    await readBatch(unique.slice(i, i + MAX_REGISTERS_PER_REQUEST));
  if (!answered && failed.length) throw failed[0]!.error;
  return { values: unique.filter((id) => found.has(id)).map((id) => found.get(id)!), unsupported, failed };
}

/** Register blocks of a reply, checked against what was asked: a block we did not ask for means a stray frame. */
function parseRegisterReply(frame: DecodedFrame, asked: readonly number[]): RegisterValue[] {
  const regs = decodeRegisters(frame.data);
  const seen = new Set<number>();
  for (const r of regs) {
    if (!asked.includes(r.id) || seen.has(r.id))
      throw new LinkError('unexpected', `reply holds register ${r.id}, which was not asked for or came twice`);
    seen.add(r.id);
  }
  return regs;
}
