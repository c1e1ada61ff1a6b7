import { afterEach, describe, expect, it } from 'vitest';
import { CID, decodeFrame, decodeGetRegisterRequest, fromHex, unitName } from '../../src/kmp/index.ts';
import { KMP_SERIAL, KmpClient, LinkError, WireLog, byteTimeMs, type LinkFailure } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST, SEED_IDS, connect, expectedValues } from './helpers.ts';

const clients: KmpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function setup(...args: Parameters<typeof connect>) {
  const s = await connect(...args);
  clients.push(s.client);
  return s;
}

async function failureOf(p: Promise<unknown>): Promise<LinkError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    return e as LinkError;
  }
  throw new Error('expected a LinkError, the call succeeded');
}

const pick = (r: { id: number; unitCode: number; decimal: string }) => ({
  id: r.id,
  unitCode: r.unitCode,
  decimal: r.decimal,
});

describe('reading registers', () => {
  for (const echo of [false, true]) {
    for (const chunking of ['whole', 'random'] as const) {
      it(`reads the reference project's 31 parameters in 4 requests (echo ${echo}, chunking ${chunking})`, async () => {
        const { meter, client } = await setup({ echo, chunking, model: '403' });
        const result = await client.readRegisters(SEED_IDS);
        expect(result.values.map(pick)).toEqual(expectedValues(meter, SEED_IDS));
        expect(result.values).toHaveLength(31);
        expect(result.unsupported).toEqual([]);
        expect(client.stats.requests).toBe(4);
        expect(client.stats.echoes).toBe(echo ? 4 : 0);
        for (const v of result.values) {
          expect(v.unit).toBe(unitName(v.unitCode));
          expect(v.value).toBe(Number(v.decimal));
        }
      });
    }
  }

  it('takes units from the meter: the same register reads GJ, MWh or kWh', async () => {
    for (const [energyUnit, code] of [
      ['GJ', 8],
      ['MWh', 3],
      ['kWh', 2],
    ] as const) {
      const { client } = await setup({ energyUnit });
      const { values } = await client.readRegisters([0x3c]);
      expect(values[0]!.unitCode).toBe(code);
      expect(values[0]!.unit).toBe(energyUnit);
    }
  });

  it('reports registers the meter leaves out as unsupported, not as errors', async () => {
    const { meter, client } = await setup({ model: '402' });
    const ids = [0x3c, 266, 9999, 0x44];
    const result = await client.readRegisters(ids);
    expect(result.unsupported.sort()).toEqual([266, 9999].sort());
    expect(result.values.map((v) => v.id)).toEqual([0x3c, 0x44]);
    expect(result.failed).toEqual([]);
    expect(result.values.map(pick)).toEqual(expectedValues(meter, [0x3c, 0x44]));
  });

  it('never puts more than 8 registers in one request, and asks each id once', async () => {
    const { meter, client } = await setup();
    await client.readRegisters([...SEED_IDS, ...SEED_IDS.slice(0, 5), 99, 1001]);
    const counts = meter.received.filter((r) => r.cid === CID.GetRegister).map((r) => decodeGetRegisterRequest(r.data));
    for (const ids of counts) expect(ids.length).toBeLessThanOrEqual(8);
    expect(counts.flat().sort((a, b) => a - b)).toEqual([...new Set([...SEED_IDS, 99, 1001])].sort((a, b) => a - b));
  });

  it('identifies the meter with GetSerialNo and GetType', async () => {
    const { meter, client } = await setup({ model: '603', serial: 12345678 });
    expect(await client.getSerialNo()).toBe(12345678);
    expect(meter.serial).toBe(12345678);
    const type = await client.getType();
    expect(type.typeHex).toMatch(/^0x[0-9A-F]{4}$/);
    expect(type.softwareRevision).toMatch(/^[A-Z]\d+$/);
  });

  it('falls back to smaller requests when a meter drops long ones', async () => {
    const meter = createVirtualMeter({ frozen: true });
    await meter.port.open({ baudRate: 1200, stopBits: 2 });
    // A port in front of the meter that swallows requests for more than 2 registers.
    const writer = meter.port.writable!.getWriter();
    const picky = {
      readable: meter.port.readable,
      writable: new WritableStream<Uint8Array>({
        async write(chunk) {
          const f = decodeFrame(chunk);
          if (f.cid === CID.GetRegister && decodeGetRegisterRequest(f.data).length > 2) return;
          await writer.write(chunk);
        },
      }),
    };
    const client = new KmpClient(picky, { ...FAST, retries: 0, closePort: false });
    clients.push(client);
    const ids = SEED_IDS.slice(0, 8);
    const result = await client.readRegisters(ids);
    expect(result.values.map(pick)).toEqual(expectedValues(meter, ids));
    expect(result.failed).toEqual([]);
  });
});

describe('failures are classified and never yield a wrong value', () => {
  it('a corrupted reply is discarded and the retry reads correct values', async () => {
    const { meter, client } = await setup();
    meter.injectOnce('corrupt');
    const ids = SEED_IDS.slice(0, 8);
    const result = await client.readRegisters(ids);
    expect(result.values.map(pick)).toEqual(expectedValues(meter, ids));
    expect(client.stats.badFrames).toBe(1);
    expect(client.stats.retries).toBe(1);
    expect(client.log.all().some((e) => e.kind === 'response' && e.crcOk === false)).toBe(true);
  });

  const cases: Array<[string, Parameters<typeof connect>[0], LinkFailure]> = [
    ['every reply corrupted → bad-crc', { faults: { corruptRate: 1 } }, 'bad-crc'],
    ['no reply at all → no-answer', { faults: { dropRate: 1 } }, 'no-answer'],
    ['only the echo → echo-only', { echo: true, faults: { dropRate: 1 } }, 'echo-only'],
    ['every reply cut off → cut-off', { faults: { truncateRate: 1 } }, 'cut-off'],
  ];
  for (const [name, options, kind] of cases) {
    it(name, async () => {
      const { client } = await setup(options);
      const e = await failureOf(client.readRegisters([0x3c, 0x44, 0x56]));
      expect(e.kind).toBe(kind);
      expect(e.advice.length).toBeGreaterThan(20);
    });
  }

  it('a silent meter gets the first request, its retries and one probe: no hammering', async () => {
    const { meter, client } = await setup({ faults: { dropRate: 1 } });
    await failureOf(client.readRegisters(SEED_IDS));
    // 3 attempts at the first batch, 3 at the single-register probe, nothing else.
    expect(meter.stats.requests).toBe(6);
  });

  it('one dropped reply, a cut-off one and a stray frame are each survived by a retry', async () => {
    for (const fault of ['drop', 'truncate', 'garbage'] as const) {
      const { meter, client } = await setup();
      meter.injectOnce(fault);
      expect(await client.getSerialNo()).toBe(meter.serial);
      expect(client.stats.retries).toBe(1);
    }
  });

  it('a sleeping optical port says so, and a button press brings it back', async () => {
    const { meter, client } = await setup({ faults: { sleepAfterMs: 30 } });
    await new Promise((r) => setTimeout(r, 60));
    const e = await failureOf(client.getSerialNo());
    expect(e.kind).toBe('no-answer');
    expect(e.advice).toMatch(/button/);
    expect(e.message).toMatch(/^The meter did not answer/);
    meter.pressButton();
    expect(await client.getSerialNo()).toBe(meter.serial);
    // It answered on this connection, so silence now is its port falling asleep again.
    meter.sleepNow();
    const again = await failureOf(client.getSerialNo());
    expect(again.kind).toBe('no-answer');
    expect(again.message).toMatch(/stopped answering/);
    expect(again.advice).toMatch(/gone to sleep/);
  });

  it('an unplugged cable mid-read ends the session as disconnected; plugging in and reopening works', async () => {
    const { meter, client } = await setup({ timing: 'realtime', turnaroundMs: 5 });
    const states: string[] = [];
    client.onStateChange((s) => states.push(s));
    const read = client.readRegisters(SEED_IDS);
    await new Promise((r) => setTimeout(r, 150));
    meter.unplug();
    const e = await failureOf(read);
    expect(e.kind).toBe('disconnected');
    expect(client.state).toBe('disconnected');
    expect(states).toEqual(['disconnected']);
    expect((await failureOf(client.getSerialNo())).kind).toBe('disconnected');
    await client.close();
    meter.plugIn();
    await meter.port.open({ baudRate: 1200, stopBits: 2 });
    const again = new KmpClient(meter.port, FAST);
    clients.push(again);
    expect(await again.getSerialNo()).toBe(meter.serial);
  });
});

describe('session behaviour', () => {
  it('refuses every write command before it reaches the meter', async () => {
    const { meter, client } = await setup();
    for (const cid of [CID.PutRegister, CID.SetClock, CID.ClearEventStatus]) {
      const e = await failureOf(client.transact(cid, Uint8Array.of(0, 1, 2), () => undefined));
      expect(e.kind).toBe('refused');
    }
    await client.readRegisters(SEED_IDS);
    const sent = meter.received.map((r) => r.cid);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((c) => c === CID.PutRegister || c === CID.SetClock || c === CID.ClearEventStatus)).toEqual([]);
  });

  it('keeps one request in flight: concurrent calls queue, and TX/RX alternate on the wire', async () => {
    const { meter, client } = await setup({ echo: true, chunking: 'random' });
    const [serial, type, regs] = await Promise.all([
      client.getSerialNo(),
      client.getType(),
      client.readRegisters(SEED_IDS),
    ]);
    expect(serial).toBe(meter.serial);
    expect(type.typeCode).toBeGreaterThan(0);
    expect(regs.values).toHaveLength(31);
    const order = client.log
      .all()
      .filter((e) => e.kind === 'request' || e.kind === 'response')
      .map((e) => e.dir);
    expect(order).toEqual(Array.from({ length: order.length }, (_, i) => (i % 2 ? 'rx' : 'tx')));
  });

  it('logs every frame with time, hex, CRC status and a decoded view', async () => {
    const { client } = await setup({ echo: true });
    await client.readRegisters([0x3c]);
    const [tx, echo, rx] = client.log.all();
    expect(tx).toMatchObject({ dir: 'tx', kind: 'request', crcOk: true, hex: '80 3F 10 01 00 3C B2 5F 0D' });
    expect(tx!.decoded).toBe('GetRegister 60');
    expect(echo).toMatchObject({ dir: 'rx', kind: 'echo', hex: tx!.hex });
    expect(rx).toMatchObject({ dir: 'rx', kind: 'response', crcOk: true });
    expect(rx!.decoded).toMatch(/^GetRegister reply: 60=\d+\.\d+ GJ$/);
    expect(rx!.at).toBeGreaterThanOrEqual(tx!.at);
    expect(rx!.replyMs).toBe(rx!.at - tx!.at);
    expect(echo!.replyMs).toBeUndefined();
  });

  it('times each reply from its request, so the log can show what a timeout must allow', async () => {
    // Real 1200-baud pacing with a 60 ms turnaround: a reply takes that plus its bytes on the wire.
    const { client } = await setup({ timing: 'realtime', turnaroundMs: 60 }, {});
    await client.readRegisters([0x3c]);
    await client.readRegisters([0x56, 0x57]);
    // Lower bounds only: a busy machine makes replies later, never earlier.
    const whole = client.log.replyTimes()!;
    expect(whole.count).toBe(2);
    expect(whole.min).toBeGreaterThanOrEqual(60 + 10 * 9);
    expect(whole.min).toBeLessThanOrEqual(whole.median);
    expect(whole.median).toBeLessThanOrEqual(whole.max);
    // Less each reply's own bytes at 11 bits each, what is left still holds the turnaround.
    expect(byteTimeMs(KMP_SERIAL)).toBe(11_000 / 1200); // 8N2: start, 8 data, 2 stop bits
    expect(byteTimeMs({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 })).toBe(10_000 / 9600);
    const began = client.log.replyTimes(byteTimeMs(KMP_SERIAL))!;
    expect(began.min).toBeGreaterThanOrEqual(60);
    expect(began.max).toBeLessThan(whole.max);
  });

  it("takes each reply's own time on the line off its reply time, exactly", async () => {
    const { client } = await setup();
    await client.readRegisters([0x3c]);
    const [req, reply] = client.log.all().map((e) => fromHex(e.hex));
    let now = 1_000;
    const log = new WireLog(100, () => now);
    log.add('tx', 'request', req!);
    now = 1_010;
    expect(log.add('rx', 'echo', req!).replyMs).toBeUndefined();
    now = 1_300;
    expect(log.add('rx', 'response', reply!).replyMs).toBe(300);
    now = 2_000;
    log.add('tx', 'request', req!);
    now = 2_500;
    log.add('rx', 'response', reply!);
    expect(log.replyTimes()).toEqual({ count: 2, min: 300, median: 300, max: 500 });
    expect(log.replyTimes(10)).toEqual({
      count: 2,
      min: 300 - reply!.length * 10,
      median: 300 - reply!.length * 10,
      max: 500 - reply!.length * 10,
    });
  });

  it('close() releases the streams so the port can be opened again', async () => {
    const { meter, client } = await setup();
    await client.getSerialNo();
    await client.close();
    expect(client.state).toBe('closed');
    expect(meter.port.readable).toBeNull();
    await meter.port.open({ baudRate: 1200, stopBits: 2 });
    const again = new KmpClient(meter.port, FAST);
    clients.push(again);
    expect(await again.getSerialNo()).toBe(meter.serial);
    expect((await failureOf(client.getSerialNo())).kind).toBe('closed');
  });
});
