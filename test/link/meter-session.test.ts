import { afterEach, describe, expect, it, vi } from 'vitest';
import { CID, DEFAULT_LIVE_REGISTERS, type Reading } from '../../src/kmp/index.ts';
import { LinkError, MIN_POLL_INTERVAL_MS, MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';
import { FAST, SEED_IDS, expectedValues } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

async function connected(options: VirtualMeterOptions = {}) {
  const meter = createVirtualMeter({ frozen: true, ...options });
  const session = new MeterSession({ client: FAST });
  sessions.push(session);
  await session.connect(meter.port, { label: 'virtual', demo: true });
  return { meter, session };
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** What the meter was asked, request by request: 'type', 'serial' or the register ids. */
function asked(meter: VirtualMeter): Array<'type' | 'serial' | number[]> {
  return meter.received.map(({ cid, data }) => {
    if (cid === CID.GetType) return 'type';
    if (cid === CID.GetSerialNo) return 'serial';
    return Array.from({ length: data[0]! }, (_, i) => (data[1 + 2 * i]! << 8) | data[2 + 2 * i]!);
  });
}

describe('MeterSession: identity and first reading in one round', () => {
  for (const model of ['402', '403', '603'] as const) {
    it(`takes the default registers of a ${model} in at most 4 requests, each register once`, async () => {
      const { meter, session } = await connected({ model });
      const seen: Reading[] = [];
      session.onReading((r) => seen.push(r));
      const { identity, reading } = await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
      expect(meter.stats.requests).toBeLessThanOrEqual(4);
      const ids = asked(meter).flatMap((a) => (Array.isArray(a) ? a : []));
      expect(new Set(ids).size).toBe(ids.length);
      expect(asked(meter)).not.toContain('serial');
      expect(identity).toMatchObject({ serial: meter.serial, model: expect.stringMatching(model) });
      expect(reading.serial).toBe(meter.serial);
      // The reading holds the chosen registers only, in their order, exactly as the meter holds them.
      expect(reading.values.map((v) => ({ id: v.id, unitCode: v.unitCode, decimal: v.decimal }))).toEqual(
        expectedValues(meter, DEFAULT_LIVE_REGISTERS),
      );
      expect(identity.registers.map((r) => r.id)).toEqual(expect.arrayContaining([99, 113, 1002, 1004, 152]));
      expect(seen).toEqual([reading]);
      expect(session.lastReading).toBe(reading);
      expect(session.firstReadProgress).toBeUndefined();
    });
  }

  it('a 402 names itself by its type code: no model probes, 3 requests', async () => {
    const { meter, session } = await connected({ model: '402' });
    await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
    expect(asked(meter)).toEqual([
      'type',
      [60, 68, 80, 74, 86, 87, 89, 99],
      [113, 1004, 1001, 1002, 1003, 152, 153, 168],
    ]);
  });

  it('shows each reply as it is decoded, and publishes the reading once, whole', async () => {
    const { session } = await connected({ model: '403' });
    const progress: number[][] = [];
    const published: Reading[] = [];
    session.subscribe(() => {
      const p = session.firstReadProgress;
      if (p) progress.push(p.values.map((v) => v.id));
      if (session.lastReading && !published.includes(session.lastReading)) published.push(session.lastReading);
    });
    const { reading } = await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
    // First nothing, then the first reply's 8, then all 11, before the reading itself.
    expect(progress.at(0)).toEqual([]);
    expect(progress).toContainEqual([60, 68, 80, 74, 86, 87, 89, 99]);
    expect(progress.at(-1)).toEqual(reading.values.map((v) => v.id));
    expect(published).toEqual([reading]);
  });

  it('never shows a value from a reply whose CRC failed', async () => {
    const { meter, session } = await connected({ model: '403' });
    // The first GetRegister reply (after GetType's) arrives damaged once, then again intact.
    const stop = session.log.subscribe((e) => {
      if (e.kind === 'response' && e.decoded.includes('GetType')) meter.injectOnce('corrupt');
    });
    const shown: string[] = [];
    session.subscribe(() => {
      for (const v of session.firstReadProgress?.values ?? []) shown.push(`${v.id}=${v.decimal}`);
    });
    const { reading } = await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
    stop();
    expect(session.log.all().some((e) => e.kind === 'response' && e.crcOk === false)).toBe(true);
    const held = new Set(expectedValues(meter, DEFAULT_LIVE_REGISTERS).map((v) => `${v.id}=${v.decimal}`));
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect(held).toContain(s);
    expect(reading.values).toHaveLength(DEFAULT_LIVE_REGISTERS.length);
  });

  it('still reads right when the meter lacks some registers, asking GetSerialNo only without register 1001', async () => {
    const { meter, session } = await connected({ model: '403', lacking: [1001, 1002, 113] });
    const { identity, reading } = await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
    expect(identity.serial).toBe(meter.serial);
    expect(asked(meter).at(-1)).toBe('serial');
    expect(meter.stats.requests).toBe(5);
    expect(reading.values.map((v) => v.id)).toEqual([60, 68, 80, 74, 86, 87, 89, 99, 1004]);
    expect(session.lastUnsupported).toEqual([113, 1001]);
    expect(identity.registers.map((r) => r.id)).not.toContain(1002);
  });

  it('keeps the identity when none of the chosen registers is on the meter', async () => {
    const { meter, session } = await connected({ model: '403' });
    await expect(session.identifyAndRead([9998, 9999])).rejects.toBeInstanceOf(LinkError);
    expect(session.identity?.serial).toBe(meter.serial);
    expect(session.lastReading).toBeUndefined();
    expect(session.lastUnsupported).toEqual([9998, 9999]);
    expect(session.firstReadProgress).toBeUndefined();
  });

  it('a meter that ignores GetType but answers GetSerialNo is still read', async () => {
    const { meter, session } = await connected({ model: '403', silentTo: [CID.GetType] });
    const { identity, reading } = await session.identifyAndRead([60, 1001]);
    expect(identity).toMatchObject({ serial: meter.serial, type: undefined, model: expect.stringMatching(/403/) });
    expect(asked(meter).slice(0, 4)).toEqual(['type', 'type', 'type', 'serial']);
    expect(reading.values.map((v) => v.id)).toEqual([60, 1001]);
  });
});

describe('MeterSession', () => {
  it('opens the port at 1200 baud 8N2 and identifies the meter', async () => {
    const { meter, session } = await connected({ model: '603', serial: 60300001 });
    expect(meter.port.openOptions).toMatchObject({ baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none' });
    const id = await session.identify();
    expect(id.serial).toBe(60300001);
    expect(id.model).toMatch(/603/);
    expect(id.registers.map((r) => r.id)).toContain(99);
    expect(session.state).toMatchObject({ kind: 'connected', label: 'virtual' });
  });

  it('tells the 402 and 403 apart from the registers they answer', async () => {
    const a = await connected({ model: '402' });
    expect((await a.session.identify()).model).toMatch(/402/);
    const b = await connected({ model: '403' });
    expect((await b.session.identify()).model).toMatch(/403/);
  });

  it('hands every reading to its listeners, and never an empty one', async () => {
    const { meter, session } = await connected();
    const seen: Reading[] = [];
    session.onReading((r) => seen.push(r));
    const r = await session.readNow(SEED_IDS);
    expect(r.serial).toBe(meter.serial);
    expect(r.values.map((v) => ({ id: v.id, unitCode: v.unitCode, decimal: v.decimal }))).toEqual(
      expectedValues(meter, SEED_IDS),
    );
    expect(seen).toEqual([r]);
    expect(session.lastUnsupported).toEqual([]);
    await session.readNow([60, 9999]);
    expect(session.lastUnsupported).toEqual([9999]);
    await expect(session.readNow([9998, 9999])).rejects.toBeInstanceOf(LinkError);
    expect(seen).toHaveLength(2);
  });

  it('calls silence after good answers a sleeping optical port, and silence from the start no answer', async () => {
    let clock = 1_000_000;
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession({ client: FAST, now: () => clock });
    sessions.push(session);
    await session.connect(meter.port, { label: 'virtual' });
    await session.identify();
    await session.readNow(SEED_IDS);
    meter.sleepNow();
    clock += 31 * 60_000;
    const slept = await session.readNow(SEED_IDS).catch((e: unknown) => e);
    expect(slept).toBeInstanceOf(LinkError);
    expect((slept as LinkError).kind).toBe('no-answer');
    expect((slept as LinkError).message).toMatch(/stopped answering \(its last answer was 31 minutes ago\)/);
    expect((slept as LinkError).advice).toMatch(/gone to sleep.*Press a button/);
    expect(session.lastError).toBe(slept);
    meter.pressButton();
    await session.readNow(SEED_IDS);

    // Behind a head that echoes, a sleeping meter leaves only the echo: the same story.
    const echoing = createVirtualMeter({ frozen: true, echo: true });
    await session.connect(echoing.port, { label: 'virtual' });
    await session.readNow(SEED_IDS);
    echoing.sleepNow();
    const echoed = (await session.readNow(SEED_IDS).catch((e: unknown) => e)) as LinkError;
    expect(echoed.kind).toBe('echo-only');
    expect(echoed.message).toMatch(
      /stopped answering \(its last answer was less than a minute ago\)\. Only our own request came back/,
    );
    expect(echoed.advice).toMatch(/gone to sleep/);

    // A new connection has not heard the meter yet: its silence is the plain kind.
    await session.disconnect();
    meter.sleepNow();
    await session.connect(meter.port, { label: 'virtual' });
    const silent = await session.identify().catch((e: unknown) => e);
    expect((silent as LinkError).kind).toBe('no-answer');
    expect((silent as LinkError).message).toMatch(/^The meter did not answer/);
    // Never heard at all may also be a pre-KMP meter: say so rather than leave them re-seating.
    expect((silent as LinkError).advice).toMatch(/MULTICAL 401, 66C.*older protocol/);
  });

  it('polls at its interval until stopped', async () => {
    vi.useFakeTimers();
    try {
      const { session } = await connected();
      const seen: Reading[] = [];
      session.onReading((r) => seen.push(r));
      session.startPolling([60, 68], MIN_POLL_INTERVAL_MS);
      await vi.advanceTimersByTimeAsync(2 * MIN_POLL_INTERVAL_MS + 100);
      expect(seen).toHaveLength(3);
      session.stopPolling();
      await vi.advanceTimersByTimeAsync(3 * MIN_POLL_INTERVAL_MS);
      expect(seen).toHaveLength(3);
      expect(session.activity.kind).toBe('idle');
    } finally {
      vi.useRealTimers();
    }
  });

  it('alignment counts good answers and each failure class, then stops at its cap', async () => {
    const { meter, session } = await connected({ echo: true });
    session.startAlign(400, 20);
    await until(() => session.activity.kind === 'aligning' && session.activity.counts.ok >= 2);
    meter.faults = { dropRate: 1 };
    await until(() => session.activity.kind === 'aligning' && session.activity.counts['echo-only'] >= 1);
    meter.faults = { corruptRate: 1 };
    await until(() => session.activity.kind === 'aligning' && session.activity.counts['bad-crc'] >= 1);
    await until(() => session.activity.kind === 'idle', 3000);
  });

  it('scans candidates in batches of 8, within the budget, and stops after empty batches', async () => {
    const { meter, session } = await connected({ model: '403' });
    const known = meter.supportedRegisters.slice(0, 10);
    const unknown = Array.from({ length: 40 }, (_, i) => 5000 + i);
    const r = await session.scan([...known, ...unknown], 64, 2);
    expect(r.supported.map((v) => v.id).sort()).toEqual([...known].sort());
    expect(r.stoppedEarly).toMatch(/2 batches in a row/);
    // 2 batches with known ids, then 2 empty ones: no more.
    expect(meter.stats.requests).toBeLessThanOrEqual(4);
    const budgeted = await session.scan(meter.supportedRegisters, 8);
    expect(budgeted.supported).toHaveLength(8);
    expect(budgeted.stoppedEarly).toMatch(/budget/);
  });

  it('reports a pulled cable as a lost connection and can connect again', async () => {
    const { meter, session } = await connected({ timing: 'realtime', turnaroundMs: 5 });
    const reading = session.readNow(SEED_IDS);
    await new Promise((r) => setTimeout(r, 100));
    meter.unplug();
    await expect(reading).rejects.toMatchObject({ kind: 'disconnected' });
    expect(session.state.kind).toBe('lost');
    await session.disconnect();
    meter.plugIn();
    await session.connect(meter.port, { label: 'again' });
    expect((await session.identify()).serial).toBe(meter.serial);
  });

  it('keeps the classified failure of identify for the UI, and clears it on the next connect', async () => {
    const { meter, session } = await connected({ faults: { dropRate: 1 } });
    await expect(session.identify()).rejects.toMatchObject({ kind: 'no-answer' });
    expect(session.lastError?.kind).toBe('no-answer');
    expect(session.activity.kind).toBe('idle');
    meter.faults = {};
    await session.connect(meter.port, { label: 'again' });
    expect(session.lastError).toBeUndefined();
  });

  it('a port that will not open leaves a failed state with the reason', async () => {
    const session = new MeterSession();
    const port = {
      readable: null,
      writable: null,
      open: () => Promise.reject(new DOMException('busy', 'NetworkError')),
      close: async () => undefined,
    };
    await expect(session.connect(port, { label: 'x' })).rejects.toMatchObject({ kind: 'busy' });
    expect(session.state).toMatchObject({ kind: 'failed' });
  });
});
