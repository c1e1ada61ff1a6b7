import type { Reading } from '../../kmp/index.ts';
import { LinkError } from '../link-error.ts';
import type { ActivityContext } from './activity-context.ts';

/**
 * One reading of `ids`, published to the session's reading listeners. Never yields an empty
 * reading: no values at all is an error. Every link failure is kept as the session's last error.
 */
export async function readOnce(ctx: ActivityContext, ids: readonly number[]): Promise<Reading> {
  const { client } = ctx;
  try {
    const result = await client.readRegisters(ids);
    if (result.values.length === 0)
      throw result.failed[0]?.error ?? new LinkError('unexpected', 'the meter has none of the requested registers');
    const serial = ctx.view.identity?.serial ?? (await client.getSerialNo());
    const reading: Reading = { serial, takenAt: ctx.now(), values: result.values };
    ctx.update({ lastReading: reading, lastUnsupported: result.unsupported, lastError: result.failed[0]?.error });
    ctx.publish(reading);
    return reading;
  } catch (e) {
    if (e instanceof LinkError) ctx.update({ lastError: e });
    throw e;
  }
}
