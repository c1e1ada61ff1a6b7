/**
 * Commands to a 601/801 logger module's address (CallOptions.dst) and the one logger command the
 * client never sends: A1 reads on from the meter's own "last read" record and moves it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CID, LOGGER_ADDRESS, encodeModuleLogRequest } from '../../src/kmp/index.ts';
import type { KmpClient } from '../../src/link/index.ts';
import { connect } from './helpers.ts';

const clients: KmpClient[] = [];
afterEach(async () => Promise.all(clients.splice(0).map((c) => c.close())));

describe('logger module addresses', () => {
  it('refuses A1 before anything reaches the wire', async () => {
    const { meter, client } = await connect({ model: '601' });
    clients.push(client);
    const a1 = encodeModuleLogRequest({
      cid: CID.GetLogPastPresent,
      log: 1,
      registers: [60],
      records: 1,
      maxLength: 128,
    });
    await expect(
      client.transact(CID.GetLogPastPresent, a1.subarray(1), (f) => f, { dst: LOGGER_ADDRESS.topModule }),
    ).rejects.toMatchObject({ kind: 'refused' });
    expect(meter.received).toHaveLength(0);
  });

  it('sends to the address asked for, and the meter’s own commands still go to 0x3F', async () => {
    const { meter, client } = await connect({ model: '801' });
    clients.push(client);
    await client.transact(CID.GetSerialNo, new Uint8Array(0), (f) => f);
    const a2 = encodeModuleLogRequest({
      cid: CID.GetLogIdPresent,
      log: 1,
      registers: [60],
      records: 1,
      maxLength: 128,
      fromId: 1,
    });
    const reply = await client.transact(CID.GetLogIdPresent, a2.subarray(1), (f) => f, {
      dst: LOGGER_ADDRESS.topModule,
    });
    expect(reply.dst).toBe(LOGGER_ADDRESS.topModule);
    expect(meter.received.map((r) => [r.cid, r.dst])).toEqual([
      [CID.GetSerialNo, 0x3f],
      [CID.GetLogIdPresent, 0x7f],
    ]);
  });
});
