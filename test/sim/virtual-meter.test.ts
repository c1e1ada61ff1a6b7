import { describe, expect, it } from 'vitest';
import {
  CID,
  KmpError,
  STOP,
  decodeFrame,
  decodeGetTypeResponse,
  decodeRegisters,
  decodeSerialNoResponse,
  encodeFrame,
  encodeGetRegister,
  encodeGetSerialNo,
  encodeGetType,
  toHex,
} from '../../src/kmp/index.ts';
import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';
import { SEED_IDS } from '../link/helpers.ts';

/** Talks to the meter through its port the way any client would: write a frame, read to 0x0D. */
async function rig(options: VirtualMeterOptions = {}, open: SerialOptions = { baudRate: 1200, stopBits: 2 }) {
  const meter = createVirtualMeter({ frozen: true, ...options });
  await meter.port.open(open);
  const reader = meter.port.readable!.getReader();
  const writer = meter.port.writable!.getWriter();
  let buffer: number[] = [];
  const chunks: number[] = [];
  // One read in flight across calls: a read abandoned at a timeout would swallow the next chunk.
  let pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  /** Bytes until `frames` stop bytes have arrived, or what came within `ms`. */
  const exchange = async (wire: Uint8Array, frames = 1, ms = 300): Promise<Uint8Array> => {
    buffer = [];
    await writer.write(wire);
    const deadline = Date.now() + ms;
    while (buffer.filter((b) => b === STOP).length < frames) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      pendingRead ??= reader.read();
      const r = await Promise.race([pendingRead, new Promise<undefined>((res) => setTimeout(res, left))]);
      if (!r) break;
      pendingRead = undefined;
      if (r.done) break;
      chunks.push(r.value.length);
      buffer.push(...r.value);
    }
    return Uint8Array.from(buffer);
  };
  return { meter, exchange, reader, writer, chunks };
}

const reply = (bytes: Uint8Array) => decodeFrame(bytes.subarray(bytes.indexOf(0x40)));

describe('the virtual meter answers like a MULTICAL', () => {
  it('serves the 31 reference registers in batches of 8, with the values it holds', async () => {
    const { meter, exchange } = await rig({ model: '403' });
    const held = new Map(meter.registerValues().map((r) => [r.id, r.decimal]));
    for (let i = 0; i < SEED_IDS.length; i += 8) {
      const ids = SEED_IDS.slice(i, i + 8);
      const regs = decodeRegisters(reply(await exchange(encodeGetRegister(ids))).data);
      expect(regs.map((r) => r.id)).toEqual(ids);
      for (const r of regs) expect(r.decimal).toBe(held.get(r.id));
    }
  });

  it('leaves unknown registers out, answers an all-unknown request with no blocks, ignores more than 8', async () => {
    const { exchange } = await rig({ model: '402' });
    expect(decodeRegisters(reply(await exchange(encodeGetRegister([0x3c, 266, 0x44]))).data).map((r) => r.id)).toEqual([
      0x3c, 0x44,
    ]);
    const empty = reply(await exchange(encodeGetRegister([9000, 9001])));
    expect(empty.cid).toBe(CID.GetRegister);
    expect(empty.data.length).toBe(0);
    const nine = encodeFrame(
      Uint8Array.of(0x3f, 0x10, 9, ...Array.from({ length: 9 }, (_, i) => [0, 0x3c + i]).flat()),
    );
    expect((await exchange(nine, 1, 100)).length).toBe(0);
  });

  it('uses several mantissa lengths and byte stuffing', async () => {
    const { exchange } = await rig({ model: '603' });
    const wire = await exchange(encodeGetRegister([0x56, 266, 0x99]));
    expect(toHex(wire)).toContain('1B E4'); // 0x1B in the config number, stuffed
    const lengths = decodeRegisters(reply(wire).data).map((r) => r.decimal.length);
    expect(lengths.length).toBe(3);
    const short = await rig({ model: '403' });
    const data = reply(await short.exchange(encodeGetRegister([0x56]))).data;
    expect(data[3]).toBe(2); // 2-byte mantissa for T1 on the 403
  });

  it('answers GetType and GetSerialNo', async () => {
    const { exchange } = await rig({ model: '402', serial: 12345678 });
    expect(decodeSerialNoResponse(reply(await exchange(encodeGetSerialNo())).data)).toBe(12345678);
    expect(decodeGetTypeResponse(reply(await exchange(encodeGetType())).data).typeHex).toBe('0x1101');
  });

  it('takes the energy unit from its configuration', async () => {
    for (const [unit, code] of [
      ['GJ', 8],
      ['MWh', 3],
      ['kWh', 2],
    ] as const) {
      const { exchange } = await rig({ energyUnit: unit });
      expect(decodeRegisters(reply(await exchange(encodeGetRegister([0x3c]))).data)[0]!.unitCode).toBe(code);
    }
  });

  it('echoes the request first when asked, and chunks randomly without changing the bytes', async () => {
    const plain = await rig({ seed: 5 });
    const expected = await plain.exchange(encodeGetRegister(SEED_IDS.slice(0, 8)));
    const { exchange, chunks } = await rig({ seed: 5, echo: true, chunking: 'random' });
    const req = encodeGetRegister(SEED_IDS.slice(0, 8));
    const got = await exchange(req, 2);
    expect(toHex(got.subarray(0, req.length))).toBe(toHex(req));
    expect(toHex(got.subarray(req.length))).toBe(toHex(expected));
    expect(Math.max(...chunks)).toBeLessThan(got.length);
  });

  it('values evolve (totals never go back) unless frozen', async () => {
    let t = 1_700_000_000_000;
    const now = () => t;
    const live = createVirtualMeter({ frozen: false, now });
    const frozen = createVirtualMeter({ frozen: true, now });
    const get = (m: VirtualMeter, id: number) => Number(m.registerValues().find((r) => r.id === id)!.decimal);
    const before = [get(live, 0x3c), get(live, 0x44), get(frozen, 0x3c), get(live, 0x4a)];
    const flows = new Set<number>();
    for (let h = 0; h < 12; h++) {
      t += 3_600_000;
      flows.add(get(live, 0x4a));
      expect(get(live, 0x44)).toBeGreaterThanOrEqual(before[1]!);
    }
    expect(get(live, 0x3c)).toBeGreaterThan(before[0]!);
    expect(get(live, 0x44)).toBeGreaterThan(before[1]!);
    expect(get(frozen, 0x3c)).toBe(before[2]);
    expect(flows.size).toBeGreaterThan(3);
  });
});

describe('faults', () => {
  it('corrupt → the CRC check fails; drop → silence; truncate → no stop byte; garbage → wrong command', async () => {
    const { meter, exchange } = await rig();
    meter.injectOnce('corrupt');
    const bad = await exchange(encodeGetSerialNo());
    expect(() => decodeFrame(bad)).toThrow(KmpError);
    meter.injectOnce('drop');
    expect((await exchange(encodeGetSerialNo(), 1, 100)).length).toBe(0);
    meter.injectOnce('truncate');
    const cut = await exchange(encodeGetSerialNo(), 1, 100);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.includes(STOP)).toBe(false);
    meter.injectOnce('garbage');
    expect(reply(await exchange(encodeGetSerialNo())).cid).not.toBe(CID.GetSerialNo);
    expect(decodeSerialNoResponse(reply(await exchange(encodeGetSerialNo())).data)).toBe(meter.serial);
  });

  it('the optical port sleeps after silence until a button is pressed', async () => {
    const { meter, exchange } = await rig({ faults: { sleepAfterMs: 20 } });
    await new Promise((r) => setTimeout(r, 40));
    expect((await exchange(encodeGetSerialNo(), 1, 100)).length).toBe(0);
    expect(meter.asleep).toBe(true);
    meter.pressButton();
    expect(decodeSerialNoResponse(reply(await exchange(encodeGetSerialNo())).data)).toBe(meter.serial);
  });

  it("reports its info code, and sensor flags in it change the readings as a real meter's do", () => {
    const meter = createVirtualMeter({ frozen: true, model: '603' });
    const v = (id: number) => meter.registerValues().find((r) => r.id === id)!.decimal;
    const healthy = { t1: v(86), t2: v(87), flow: v(74), power: v(80) };
    expect(v(99)).toBe('0');
    expect(Number(healthy.t1)).toBeGreaterThan(0);
    expect(Number(healthy.t1)).toBeLessThan(185);
    expect(Number(healthy.power)).toBeGreaterThan(0);
    meter.infoCode = 0x08 | 0x40; // t1 disconnected, t2 shorted
    expect(v(99)).toBe('72');
    expect([v(86), v(87), v(80), v(74)]).toEqual(['185.00', '0.00', '0.0', healthy.flow]);
    meter.infoCode = 0x100; // air in V1
    expect([v(86), v(74), v(80)]).toEqual([healthy.t1, '0', '0.0']);
    meter.infoCode = 0x02; // low battery: readings unaffected
    expect([v(86), v(87), v(74), v(80)]).toEqual([healthy.t1, healthy.t2, healthy.flow, healthy.power]);
    expect(() => (meter.infoCode = -1)).toThrow(RangeError);
    expect(
      createVirtualMeter({ infoCode: 0x800 })
        .registerValues()
        .find((r) => r.id === 99)!.decimal,
    ).toBe('2048');
  });

  it("falls asleep on demand (the demo meter's control) and wakes on a button press", async () => {
    const { meter, exchange } = await rig();
    expect(decodeSerialNoResponse(reply(await exchange(encodeGetSerialNo())).data)).toBe(meter.serial);
    meter.sleepNow();
    expect(meter.asleep).toBe(true);
    expect((await exchange(encodeGetSerialNo(), 1, 100)).length).toBe(0);
    meter.pressButton();
    expect(decodeSerialNoResponse(reply(await exchange(encodeGetSerialNo())).data)).toBe(meter.serial);
  });

  it('a pulled cable errors the stream with NetworkError and fires disconnect', async () => {
    const { meter, reader } = await rig();
    const events: string[] = [];
    meter.port.addEventListener('disconnect', () => events.push('disconnect'));
    meter.port.addEventListener('connect', () => events.push('connect'));
    const read = reader.read();
    meter.unplug();
    await expect(read).rejects.toMatchObject({ name: 'NetworkError' });
    expect(meter.port.connected).toBe(false);
    await expect(meter.port.open({ baudRate: 1200 })).rejects.toMatchObject({ name: 'NetworkError' });
    meter.plugIn();
    await meter.port.open({ baudRate: 1200 });
    expect(events).toEqual(['disconnect', 'connect']);
  });

  it('does not answer at the wrong line settings', async () => {
    for (const open of [
      { baudRate: 9600 },
      { baudRate: 1200, dataBits: 7 as const },
      { baudRate: 1200, parity: 'even' as const },
    ]) {
      const { exchange } = await rig({}, open);
      expect((await exchange(encodeGetSerialNo(), 1, 80)).length).toBe(0);
    }
  });

  it('records write commands but never acts on or answers them', async () => {
    const { meter, exchange } = await rig();
    for (const cid of [CID.SetClock, CID.PutRegister, CID.ClearEventStatus]) {
      expect((await exchange(encodeFrame(Uint8Array.of(0x3f, cid, 1, 2, 3)), 1, 60)).length).toBe(0);
    }
    expect(meter.received.map((r) => r.cid)).toEqual([CID.SetClock, CID.PutRegister, CID.ClearEventStatus]);
  });

  it('paces replies at 1200 baud 8N2 in realtime mode', async () => {
    const { exchange } = await rig({ timing: 'realtime', turnaroundMs: 0 });
    const req = encodeGetRegister(SEED_IDS.slice(0, 8));
    const t0 = performance.now();
    const got = await exchange(req, 1, 3000);
    const ms = performance.now() - t0;
    expect(((req.length + got.length) * 11 * 1000) / 1200).toBeLessThanOrEqual(ms + 2);
  });

  it('refuses open() without a baud rate, a second open, and close() while locked', async () => {
    const meter = createVirtualMeter();
    await expect(meter.port.open({} as SerialOptions)).rejects.toBeInstanceOf(TypeError);
    await meter.port.open({ baudRate: 1200 });
    await expect(meter.port.open({ baudRate: 1200 })).rejects.toMatchObject({ name: 'InvalidStateError' });
    const reader = meter.port.readable!.getReader();
    await expect(meter.port.close()).rejects.toBeInstanceOf(TypeError);
    reader.releaseLock();
    await meter.port.close();
    expect(meter.port.readable).toBeNull();
    expect(meter.port.openOptions).toMatchObject({ baudRate: 1200 });
  });
});
