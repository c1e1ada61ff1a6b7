import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  CID,
  KmpError,
  LOGGER_TYPE,
  STOP,
  decodeFrame,
  decodeLoggerReply,
  encodeGetSerialNo,
  encodeLoggerRequest,
  fromHex,
  toHex,
  type LoggerRequest,
} from '../../src/kmp/index.ts';
import { createVirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';
import { REAL } from '../fixtures/logger-frames.ts';

/** Writes a frame to the meter's port and returns what came back until a stop byte (or nothing, after `ms`). */
async function rig(options: VirtualMeterOptions = {}) {
  const meter = createVirtualMeter({ frozen: true, model: '603', ...options });
  await meter.port.open({ baudRate: 1200, stopBits: 2 });
  const reader = meter.port.readable!.getReader();
  const writer = meter.port.writable!.getWriter();
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const exchange = async (wire: Uint8Array, ms = 200): Promise<Uint8Array> => {
    const got: number[] = [];
    await writer.write(wire);
    const deadline = Date.now() + ms;
    while (!got.includes(STOP) || got[0] === 0x80) {
      if (got[0] === 0x80 && got.includes(STOP)) got.splice(0, got.indexOf(STOP) + 1); // the echo
      const left = deadline - Date.now();
      if (left <= 0) break;
      pending ??= reader.read();
      const r = await Promise.race([pending, new Promise<undefined>((res) => setTimeout(res, left))]);
      if (!r || r.done) break;
      pending = undefined;
      got.push(...r.value);
    }
    return Uint8Array.from(got);
  };
  const ask = async (request: LoggerRequest) => {
    const f = decodeFrame(await exchange(encodeLoggerRequest(request)));
    expect([f.direction, f.cid]).toEqual(['response', CID.Logger]);
    return f.data;
  };
  return { meter, exchange, ask };
}

/** The moment and installation that make the virtual 603 hold exactly what the captured one did. */
const CAPTURED: VirtualMeterOptions = {
  now: () => new Date(2026, 3, 21, 12, 7, 30).getTime(),
  installedAt: new Date(2024, 5, 1).getTime(),
};

describe('the virtual 603 answers the captured logger requests byte for byte', () => {
  it.each([
    ['yearly configuration', REAL.configRequest, REAL.yearConfigReply],
    ['yearly ids 2 and 1 of 1003', REAL.yearByIdRequest, REAL.yearByIdReply],
    ['the empty minute logger 2', REAL.minuteFromEndRequest, REAL.minuteEmptyReply],
  ])('%s', async (_n, request, reply) => {
    const { exchange } = await rig(CAPTURED);
    expect(toHex(await exchange(fromHex(request)))).toBe(reply);
  });

  it('and through an echoing head, in random chunks', async () => {
    const { exchange } = await rig({ ...CAPTURED, echo: true, chunking: 'random' });
    expect(toHex(await exchange(fromHex(REAL.yearByIdRequest)))).toBe(REAL.yearByIdReply);
  });
});

describe('its loggers', () => {
  const PERIODIC = [
    [LOGGER_TYPE.year, 'year'],
    [LOGGER_TYPE.month, 'month'],
    [LOGGER_TYPE.day, 'day'],
    [LOGGER_TYPE.hour, 'hour'],
  ] as const;

  it.each(PERIODIC)(
    'logger %i: one entry per %s stamped at its start, ids consecutive, totals only growing and below the live ones',
    async (type, period) => {
      const { meter } = await rig({ seed: 3 });
      const spec = meter.loggers.find((l) => l.type === type)!;
      // Day and hour loggers do not record the hour counter; the year and month loggers do.
      const totals = period === 'year' || period === 'month' ? [60, 68, 1004] : [60, 68];
      const entries = meter.loggerEntries(type, [348, ...totals]);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.length).toBeLessThanOrEqual(spec.depth);
      const step = (t: string) => {
        const d = new Date(`${t}Z`);
        if (period === 'year') d.setUTCFullYear(d.getUTCFullYear() - 1);
        else if (period === 'month') d.setUTCMonth(d.getUTCMonth() - 1);
        else d.setTime(d.getTime() - (period === 'day' ? 86_400_000 : 3_600_000));
        return d.toISOString().slice(0, 19);
      };
      const live = new Map(meter.registerValues().map((v) => [v.id, Number(v.decimal)]));
      for (const [i, e] of entries.entries()) {
        expect(e.time).toMatch(period === 'hour' ? /:00:00$/ : period === 'day' ? /T00:00:00$/ : /-01T00:00:00$/);
        const num = (id: number) => Number(e.values.find((v) => v.id === id)!.decimal);
        expect(num(60)).toBeLessThanOrEqual(live.get(60)!);
        expect(num(68)).toBeLessThanOrEqual(live.get(68)!);
        if (totals.includes(1004)) expect(num(1004)).toBeLessThanOrEqual(live.get(1004)!);
        const older = entries[i + 1];
        if (!older) continue;
        expect(older.id).toBe(e.id - 1);
        expect(older.time).toBe(step(e.time));
        for (const id of totals) {
          const before = Number(older.values.find((v) => v.id === id)!.decimal);
          expect(before).toBeLessThanOrEqual(num(id));
        }
      }
    },
  );

  it('the monthly logger holds its 36 and the daily its 460; the yearly its years since installation', async () => {
    const { meter } = await rig();
    expect(meter.loggerEntries(LOGGER_TYPE.month)).toHaveLength(36);
    expect(meter.loggerEntries(LOGGER_TYPE.day)).toHaveLength(460);
    const years = meter.loggerEntries(LOGGER_TYPE.year);
    expect(years.length).toBeGreaterThanOrEqual(3);
    expect(years.length).toBeLessThanOrEqual(20);
  });

  it('the info logger has an entry at each info-code change, including one made now', async () => {
    let t = Date.UTC(2026, 5, 1, 10);
    const { meter } = await rig({ now: () => t });
    const before = meter.loggerEntries(LOGGER_TYPE.info, [99, 1003]);
    expect(before.length).toBeGreaterThan(4);
    expect(before[0]!.values.find((v) => v.id === 99)!.decimal).toBe('0');
    const times = before.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    t += 90_000;
    meter.infoCode = 0x08;
    const after = meter.loggerEntries(LOGGER_TYPE.info, [99]);
    expect(after[0]).toMatchObject({ id: before[0]!.id + 1, values: [{ id: 99, decimal: '8' }] });
    // The live register and the daily logger agree: an entry after the change carries the code.
    expect(meter.registerValues().find((v) => v.id === 99)!.decimal).toBe('8');
  });

  it('fills only what fits its reply buffer, silently, and goes on from any id', async () => {
    const { meter, ask } = await rig({ loggerReplyBytes: 120 });
    const regs = [348, 60, 68, 1004, 99];
    const newest = meter.loggerEntries(LOGGER_TYPE.month, regs)[0]!.id;
    const first = decodeLoggerReply(await ask({ sub: 7, logger: 3, offset: 0xffff, count: 36, registers: regs }));
    // 15 header + 5 × 5 + 23 value bytes for row 0, then 23 a row: 3 rows in 120 bytes.
    expect(first.count).toBe(3);
    expect(first.flags).toMatchObject({ newestIncluded: true, oldestIncluded: false, entriesTruncated: false });
    expect(first.rows.map((r) => r.id)).toEqual([newest, newest - 1, newest - 2]);
    const next = decodeLoggerReply(await ask({ sub: 6, logger: 3, fromId: newest - 3, count: 36, registers: regs }));
    expect(next.firstId).toBe(newest - 3);
    const held = meter.loggerEntries(LOGGER_TYPE.month, regs);
    expect(next.rows.map((r) => r.values.map((v) => v.decimal))).toEqual(
      held.slice(3, 6).map((e) => e.values.map((v) => v.decimal)),
    );
    meter.loggerReplyBytes = 1000;
    const last = decodeLoggerReply(await ask({ sub: 6, logger: 3, fromId: newest - 30, count: 36, registers: regs }));
    expect(last.count).toBe(6);
    expect(last.flags.oldestIncluded).toBe(true);
  });

  it('says out of range, and leaves out registers the logger does not record', async () => {
    const { meter, ask } = await rig();
    const newest = meter.loggerEntries(LOGGER_TYPE.year)[0]!.id;
    const beyond = decodeLoggerReply(await ask({ sub: 6, logger: 2, fromId: newest + 1, count: 1, registers: [60] }));
    expect(beyond).toMatchObject({ count: 0, flags: { outOfRange: true } });
    const day = meter.loggerEntries(LOGGER_TYPE.day)[0]!.id;
    const some = decodeLoggerReply(await ask({ sub: 6, logger: 4, fromId: day, count: 1, registers: [60, 9999] }));
    expect(some.flags.unsupportedRegister).toBe(true);
    expect(some.rows[0]!.values.map((v) => v.id)).toEqual([60]);
  });

  it('the 402 stays silent to 0xB8 but answers GetSerialNo', async () => {
    const { meter, exchange } = await rig({ model: '402' });
    expect(await exchange(encodeLoggerRequest({ sub: 5, logger: 2 }), 100)).toHaveLength(0);
    expect(decodeFrame(await exchange(encodeGetSerialNo())).cid).toBe(CID.GetSerialNo);
    expect(meter.loggers).toEqual([]);
  });

  it('the usual faults apply to logger replies too', async () => {
    const { meter, exchange } = await rig();
    meter.injectOnce('corrupt');
    const damaged = await exchange(encodeLoggerRequest({ sub: 5, logger: 3 }));
    expect(() => decodeFrame(damaged)).toThrow(KmpError);
    meter.injectOnce('drop');
    expect(await exchange(encodeLoggerRequest({ sub: 5, logger: 3 }), 100)).toHaveLength(0);
    expect(decodeFrame(await exchange(encodeLoggerRequest({ sub: 5, logger: 3 }))).cid).toBe(CID.Logger);
  });
});

describe('npm run sim -- --print-logger', () => {
  it('prints a logger newest first, and refuses an unknown one', () => {
    const cli = ['--import', 'tsx', 'src/sim/cli.ts'];
    const r = spawnSync(
      process.execPath,
      [...cli, '--model', '603', '--print-logger', 'month', '--registers', '348,energy,68'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/MULTICAL 603, serial \d+: month logger \(type 3\), 36 of 36 entries/);
    expect(lines).toHaveLength(37);
    expect(lines[1]).toMatch(
      /^\s+\d+ {2}\d{4}-\d\d-01T00:00:00 {2}348=\d{4}-\d\d-01 00:00:00 \(.+\) {2}energy=[\d.]+ GJ {2}volume=/,
    );
    const bad = spawnSync(process.execPath, [...cli, '--print-logger', 'week'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--print-logger must be one of info, year, month, day, hour/);
    const old = spawnSync(process.execPath, [...cli, '--model', '402', '--print-logger', 'day'], { encoding: 'utf8' });
    expect(old.status).toBe(2);
    expect(old.stderr).toMatch(/has no day logger/);
  });
});
