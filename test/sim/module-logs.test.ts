/**
 * The virtual 601 and 801 loggers (src/sim/module-log-protocol.ts) as a client sees them: A0–A3
 * on 0x7F (the 601's top module, the 801's own logger) or 0xBF (a 601 base module), never on the
 * meter's 0x3F; records cut to fit MaxL with the flag that says so; a 601 without a module silent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CID,
  LOGGER_ADDRESS,
  MODULE_LOG_INFO,
  decodeModuleLogReply,
  encodeModuleLogRequest,
  loggerRowTime,
  moduleLogReplyLength,
  type ModuleLogRequest,
} from '../../src/kmp/index.ts';
import { KmpClient, LinkError } from '../../src/link/index.ts';
import type { VirtualMeterOptions } from '../../src/sim/index.ts';
import { connect } from '../link/helpers.ts';

const clients: KmpClient[] = [];
afterEach(async () => Promise.all(clients.splice(0).map((c) => c.close())));

async function meterWith(options: VirtualMeterOptions) {
  const c = await connect({ ...options, now: () => Date.parse('2026-03-10T12:30:00Z') });
  clients.push(c.client);
  return c;
}

const ask = (client: KmpClient, request: ModuleLogRequest, dst: number = LOGGER_ADDRESS.topModule) =>
  client.transact(
    request.cid,
    encodeModuleLogRequest(request).subarray(1),
    (f) => decodeModuleLogReply(Uint8Array.of(f.cid, ...f.data)),
    {
      dst,
      retries: 0,
    },
  );

const byId = (fromId: number, records = 50): ModuleLogRequest => ({
  cid: CID.GetLogIdPresent,
  log: 3,
  registers: [1003, 1002, 60, 68],
  records,
  maxLength: 128,
  fromId,
});

describe('the virtual 601 and 801 loggers', () => {
  it.each(['601', '801'] as const)(
    'the %s answers A2 on 0x7F: ascending records, cut to MaxL, with the flag',
    async (model) => {
      const { client, meter } = await meterWith({ model });
      const reply = await ask(client, byId(1));
      const n = 4;
      expect(reply.records.length).toBeGreaterThan(1);
      expect(moduleLogReplyLength(reply.records.length, n)).toBeLessThanOrEqual(128);
      expect(moduleLogReplyLength(reply.records.length + 1, n)).toBeGreaterThan(128);
      expect(reply.info & MODULE_LOG_INFO.maxLengthReached).toBeTruthy();
      const ids = reply.records.map((r) => r.id);
      expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
      expect(reply.lastReadId).toBe(ids.at(-1));
      // Each record stamped by 1003 and 1002 at the start of a month.
      expect(reply.records.map((r) => loggerRowTime(r.values))).toEqual(
        reply.records.map(() => expect.stringMatching(/^\d{4}-\d\d-01T00:00:00$/)),
      );
      expect(meter.received.every((r) => r.dst === LOGGER_ADDRESS.topModule)).toBe(true);
    },
  );

  it('reads up to the newest record and says the end of the log was reached', async () => {
    const { client } = await meterWith({ model: '601' });
    const first = await ask(client, byId(1, 1));
    const newest = first.newestId!;
    const tail = await ask(client, byId(newest - 1, 5));
    expect(tail.records.map((r) => r.id)).toEqual([newest - 1, newest]);
    expect(tail.info & MODULE_LOG_INFO.endOfLog).toBeTruthy();
    const beyond = await ask(client, byId(newest + 1));
    expect(beyond).toMatchObject({ records: [], info: MODULE_LOG_INFO.outOfRange });
  });

  it('A0 finds the first record at or after a time, A3 the records before it, going back', async () => {
    const { client } = await meterWith({ model: '801' });
    const base = { log: 3, registers: [1003, 1002, 60], records: 3, maxLength: 128 };
    const a0 = await ask(client, { cid: CID.GetLogTimePresent, ...base, time: '2025-06-15T00:00:00' });
    expect(a0.records.map((r) => loggerRowTime(r.values))).toEqual([
      '2025-07-01T00:00:00',
      '2025-08-01T00:00:00',
      '2025-09-01T00:00:00',
    ]);
    const a3 = await ask(client, { cid: CID.GetLogTimePast, ...base, time: '2025-06-15T00:00:00', offset: 0 });
    expect(a3.records.map((r) => loggerRowTime(r.values))).toEqual([
      '2025-06-01T00:00:00',
      '2025-05-01T00:00:00',
      '2025-04-01T00:00:00',
    ]);
    // Energy only grows: going back, each record's E1 is no larger.
    const e1 = a3.records.map((r) => Number(r.values.find((v) => v.id === 60)!.decimal));
    expect(e1).toEqual([...e1].sort((a, b) => b - a));
  });

  it('a 601 without a logger module stays silent on 0x7F; one with a base module answers on 0xBF only', async () => {
    const none = await meterWith({ model: '601', loggerModule: 'none' });
    await expect(ask(none.client, byId(1))).rejects.toBeInstanceOf(LinkError);
    const base = await meterWith({ model: '601', loggerModule: 'base' });
    await expect(ask(base.client, byId(1))).rejects.toMatchObject({ kind: 'no-answer' });
    const reply = await ask(base.client, byId(1), LOGGER_ADDRESS.baseModule);
    expect(reply.records.length).toBeGreaterThan(0);
  });

  it('never answers the 0xB8 read-out, as the older generation does not know it', async () => {
    const { client } = await meterWith({ model: '601' });
    await expect(
      client.transact(CID.Logger, Uint8Array.of(0x05, 0x03), (f) => f, { retries: 0 }),
    ).rejects.toMatchObject({ kind: 'no-answer' });
  });
});
