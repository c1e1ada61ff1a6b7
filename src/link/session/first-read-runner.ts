import type { MeterType, Reading } from '../../kmp/index.ts';
import { IDENTITY_REGISTERS, SERIAL_REGISTER, planFirstRead, serialFromRegister } from '../first-read-plan.ts';
import { LinkError } from '../link-error.ts';
import { guessModel, modelOfType } from '../model-guess.ts';
import type { ActivityContext } from './activity-context.ts';
import type { MeterIdentity, ReadProgress } from './session-types.ts';

/**
 * Identifies the meter and, if `chosen` is not empty, takes the first reading of it in the same
 * round: GetType, then the chosen and the identity registers together, each once (see
 * planFirstRead). Values appear in the session's `firstReadProgress` as each reply is decoded;
 * the reading is published once, when whole. None of `chosen` on the meter is an error (the
 * identity is kept).
 */
export async function runFirstRead(
  ctx: ActivityContext,
  chosen: readonly number[],
): Promise<{ identity: MeterIdentity; reading?: Reading }> {
  const { client } = ctx;
  let serial: number | undefined;
  let type: MeterType | undefined;
  try {
    type = await client.getType();
  } catch (e) {
    if (!(e instanceof LinkError) || e.kind === 'disconnected' || e.kind === 'closed') throw e;
    // Silence may be a sleeping meter or one that ignores GetType: one GetSerialNo tells them
    // apart without hammering a meter that is asleep. Any other failure leaves the type unknown.
    if (e.kind === 'no-answer' || e.kind === 'echo-only') serial = await serialOr(ctx, e);
  }
  const requests = planFirstRead(chosen, { serial: serial !== undefined, model: modelOfType(type) !== undefined });
  const wanted = new Set(chosen);
  const progress: ReadProgress = { values: [], chosen: wanted.size };
  // Each step is published as its own object: one shown before must not change under the view.
  if (chosen.length) ctx.update({ firstReadProgress: { ...progress } });
  try {
    const result = await client.readRegisters(requests.flat(), {
      onValues: (values) => {
        if (!chosen.length) return;
        progress.values = [...progress.values, ...values.filter((v) => wanted.has(v.id))];
        ctx.update({ firstReadProgress: { ...progress } });
      },
    });
    // Meters without register 1001 still answer GetSerialNo: one extra request, only for them.
    serial ??= serialFromRegister(result.values.find((v) => v.id === SERIAL_REGISTER)) ?? (await client.getSerialNo());
    const identity: MeterIdentity = {
      serial,
      type,
      registers: result.values.filter((v) => (IDENTITY_REGISTERS as readonly number[]).includes(v.id)),
      ...guessModel(type, result.values),
    };
    if (!chosen.length) {
      ctx.update({ identity });
      return { identity };
    }
    const values = result.values.filter((v) => wanted.has(v.id));
    const failed = result.failed.find((f) => f.ids.some((id) => wanted.has(id)))?.error;
    const lastUnsupported = result.unsupported.filter((id) => wanted.has(id));
    if (values.length === 0) {
      ctx.update({ identity, lastUnsupported, firstReadProgress: undefined });
      throw failed ?? new LinkError('unexpected', 'the meter has none of the requested registers');
    }
    const reading: Reading = { serial, takenAt: ctx.now(), values };
    ctx.update({ identity, lastReading: reading, lastUnsupported, lastError: failed, firstReadProgress: undefined });
    ctx.publish(reading);
    return { identity, reading };
  } finally {
    if (ctx.view.firstReadProgress) ctx.update({ firstReadProgress: undefined });
  }
}

/** The serial from a single GetSerialNo, or `silence` if that goes unanswered too. */
async function serialOr(ctx: ActivityContext, silence: LinkError): Promise<number> {
  try {
    return await ctx.client.getSerialNo({ retries: 0 });
  } catch (e) {
    if (e instanceof LinkError && (e.kind === 'disconnected' || e.kind === 'closed')) throw e;
    throw silence;
  }
}
