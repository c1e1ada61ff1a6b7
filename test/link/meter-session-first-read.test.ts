/**
 * Identifying and the first reading in one round (identifyAndRead, identify): what is asked when
 * GetType fails in each way, what the page is told while the replies come in, and what is left
 * behind when the round fails half-way. Found by mutation testing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CID, DEFAULT_LIVE_REGISTERS, decodeFrame, decodeGetRegisterRequest } from '../../src/kmp/index.ts';
import { LinkError, MeterSession, type OpenablePort } from '../../src/link/index.ts';
import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';
import { FAST, settle } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

/** A session on an instant virtual meter under fake timers: silences cost no real time. */
async function connected(options: VirtualMeterOptions = {}, client = FAST) {
  vi.useFakeTimers();
  const meter = createVirtualMeter({ frozen: true, ...options });
  const session = new MeterSession({ client });
  sessions.push(session);
  await session.connect(meter.port, { label: 'virtual', demo: true });
  return { meter, session };
}

/** What the meter was asked, request by request: 'type', 'serial' or the register ids. */
function asked(meter: VirtualMeter): Array<'type' | 'serial' | number[]> {
  return meter.received.map(({ cid, data }) => {
    if (cid === CID.GetType) return 'type';
    if (cid === CID.GetSerialNo) return 'serial';
    return decodeGetRegisterRequest(data);
  });
}

/** Every change the page is told of: activity, whether an identity and a first-read progress are shown. */
function changes(session: MeterSession): string[] {
  const seen: string[] = [];
  session.subscribe(() =>
    seen.push(
      `${session.activity.kind}/${session.identity ? 'identity' : '-'}/${session.firstReadProgress ? 'progress' : '-'}`,
    ),
  );
  return seen;
}

describe('identifyAndRead', () => {
  it('shows reading while it works, and idle after', async () => {
    const { session } = await connected({ model: '402' });
    const seen = changes(session);
    await settle(session.identifyAndRead([60, 68]));
    expect(seen.at(0)).toBe('reading/-/-');
    expect(seen.at(-1)).toBe('idle/identity/-');
  });

  it('refuses to take a reading of nothing, after identifying', async () => {
    const { meter, session } = await connected({ model: '402' });
    const e = await settle(session.identifyAndRead([]));
    expect(e).toBeInstanceOf(LinkError);
    expect(e).toMatchObject({ kind: 'unexpected', detail: 'no registers were chosen to read' });
    expect(session.identity?.serial).toBe(meter.serial);
    expect(session.lastReading).toBeUndefined();
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('says in words when the meter has none of the chosen registers', async () => {
    const { session } = await connected({ model: '403' });
    const e = await settle(session.identifyAndRead([9998, 9999]));
    expect(e).toMatchObject({ kind: 'unexpected', detail: 'the meter has none of the requested registers' });
    expect(session.lastError).toBe(e);
  });

  it('keeps the failure of a chosen register as the last error of a reading that has the rest', async () => {
    const meter = createVirtualMeter({ frozen: true, model: '402' });
    vi.useFakeTimers();
    // In front of the meter: a head that loses every request asking for register 68.
    const port = losing(meter, (ids) => ids.includes(68));
    const session = new MeterSession({ client: { ...FAST, retries: 0 } });
    sessions.push(session);
    await session.connect(port, { label: 'x' });
    const got = await settle(session.identifyAndRead([60, 68, 80]));
    expect(got).not.toBeInstanceOf(LinkError);
    const { reading } = got as Exclude<typeof got, LinkError>;
    expect(reading.values.map((v) => v.id)).toEqual([60, 80]);
    expect(session.lastError).toMatchObject({ kind: 'no-answer' });
  });

  it('does not call a reading failed for an identity register that would not come', async () => {
    const meter = createVirtualMeter({ frozen: true, model: '402' });
    vi.useFakeTimers();
    const port = losing(meter, (ids) => ids.includes(153));
    const session = new MeterSession({ client: { ...FAST, retries: 0 } });
    sessions.push(session);
    await session.connect(port, { label: 'x' });
    const got = await settle(session.identifyAndRead([60, 68, 80]));
    expect(got).not.toBeInstanceOf(LinkError);
    expect(session.lastReading?.values.map((v) => v.id)).toEqual([60, 68, 80]);
    expect(session.lastError).toBeUndefined();
  });

  it('shows each reply’s values as they come, and the page is told of each change once', async () => {
    const { session } = await connected({ model: '402' });
    const seen = changes(session);
    await settle(session.identifyAndRead([60, 68]));
    // Reading, the progress (empty), the first reply's values, the whole reading, idle.
    expect(seen).toEqual([
      'reading/-/-',
      'reading/-/progress',
      'reading/-/progress',
      'reading/-/progress',
      'reading/identity/-',
      'idle/identity/-',
    ]);
  });

  it('gives each step of the progress as a new object, leaving the ones shown before as they were', async () => {
    const { session } = await connected({ model: '402' });
    const steps: Array<NonNullable<MeterSession['firstReadProgress']>> = [];
    session.subscribe(() => {
      if (session.firstReadProgress) steps.push(session.firstReadProgress);
    });
    await settle(session.identifyAndRead(DEFAULT_LIVE_REGISTERS));
    // A view that compares by identity redraws at each step, and a step it kept still says what it said.
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.map((p) => p.values.map((v) => v.id))).toEqual([
      [],
      DEFAULT_LIVE_REGISTERS.slice(0, 8),
      DEFAULT_LIVE_REGISTERS,
    ]);
  });

  it('leaves no half reading on show when the cable is pulled during it', async () => {
    const { meter, session } = await connected({ model: '402' });
    const shown: number[][] = [];
    session.subscribe(() => {
      if (session.firstReadProgress) shown.push(session.firstReadProgress.values.map((v) => v.id));
    });
    // Pulled right after the first register reply.
    session.log.subscribe((e) => {
      if (e.kind === 'response' && e.decoded.startsWith('GetRegister')) meter.unplug();
    });
    const e = await settle(session.identifyAndRead(DEFAULT_LIVE_REGISTERS));
    expect(e).toMatchObject({ kind: 'disconnected' });
    expect(shown).toContainEqual([60, 68, 80, 74, 86, 87, 89, 99]);
    expect(session.firstReadProgress).toBeUndefined();
    expect(session.state.kind).toBe('lost');
  });
});

describe('identify', () => {
  it('shows no first-read progress, and the page is told of each change once', async () => {
    const { session } = await connected({ model: '402' });
    const seen = changes(session);
    await settle(session.identify());
    expect(seen).toEqual(['reading/-/-', 'reading/identity/-', 'idle/identity/-']);
  });
});

describe('when GetType fails', () => {
  it('a sleeping meter gets GetType with its retries and one GetSerialNo, no more', async () => {
    const { meter, session } = await connected({ model: '403' });
    meter.sleepNow();
    const e = await settle(session.identifyAndRead([60, 68]));
    expect(e).toMatchObject({ kind: 'no-answer' });
    expect(asked(meter)).toEqual(['type', 'type', 'type', 'serial']);
    expect(session.identity).toBeUndefined();
  });

  it('a sleeping meter behind an echoing head: the same, and it says only the echo came', async () => {
    const { meter, session } = await connected({ model: '403', echo: true });
    meter.sleepNow();
    const e = await settle(session.identify());
    expect(e).toMatchObject({ kind: 'echo-only' });
    expect(asked(meter)).toEqual(['type', 'type', 'type', 'serial']);
  });

  it('a meter that ignores GetType gives its serial by GetSerialNo, so register 1001 is not asked', async () => {
    const { meter, session } = await connected({ model: '403', silentTo: [CID.GetType] });
    const got = await settle(session.identifyAndRead([60, 68]));
    expect(got).not.toBeInstanceOf(LinkError);
    expect(asked(meter).slice(0, 4)).toEqual(['type', 'type', 'type', 'serial']);
    const registers = asked(meter).flatMap((a) => (Array.isArray(a) ? a : []));
    expect(registers).toContain(60);
    expect(registers).not.toContain(1001);
    expect(session.identity?.serial).toBe(meter.serial);
  });

  for (const [how, end, kind] of [
    ['a pulled cable', (_s: MeterSession, m: VirtualMeter) => m.unplug(), 'disconnected'],
    ['disconnecting', (s: MeterSession) => void s.disconnect(), 'closed'],
  ] as const) {
    it(`${how} during GetType ends the round there, with no reading on show`, async () => {
      const { meter, session } = await connected({ model: '403' });
      let shown = 0;
      session.subscribe(() => {
        if (session.firstReadProgress) shown++;
      });
      session.log.subscribe((e) => {
        if (e.dir === 'tx' && e.decoded.startsWith('GetType')) end(session, meter);
      });
      const e = await settle(session.identifyAndRead([60, 68]));
      expect(e).toMatchObject({ kind });
      expect(shown).toBe(0);
      expect(session.firstReadProgress).toBeUndefined();
    });
  }

  it('a garbled GetType reply leaves the type unknown, and the serial comes from register 1001', async () => {
    const { meter, session } = await connected({ model: '403' }, { ...FAST, retries: 0 });
    meter.injectOnce('garbage');
    const got = await settle(session.identifyAndRead([60, 68]));
    expect(got).not.toBeInstanceOf(LinkError);
    const a = asked(meter);
    expect(a[0]).toBe('type');
    expect(a).not.toContain('serial');
    expect(a.flatMap((x) => (Array.isArray(x) ? x : []))).toContain(1001);
    expect(session.identity).toMatchObject({ serial: meter.serial, type: undefined });
  });

  it('a garbled GetSerialNo after a silent GetType is told as the silence', async () => {
    const { meter, session } = await connected({ model: '403', silentTo: [CID.GetType] });
    meter.injectOnce('garbage');
    const e = await settle(session.identify());
    expect(e).toMatchObject({ kind: 'no-answer' });
    expect(asked(meter)).toEqual(['type', 'type', 'type', 'serial']);
  });

  it('a cable pulled during that GetSerialNo ends it as disconnected, not as silence', async () => {
    const { meter, session } = await connected({ model: '403', silentTo: [CID.GetType] });
    session.log.subscribe((e) => {
      if (e.dir === 'tx' && e.decoded.startsWith('GetSerialNo')) meter.unplug();
    });
    const e = await settle(session.identify());
    expect(e).toMatchObject({ kind: 'disconnected' });
    expect(session.state.kind).toBe('lost');
  });

  it('disconnecting during that GetSerialNo ends it as closed, not as silence', async () => {
    const { session } = await connected({ model: '403', silentTo: [CID.GetType] });
    session.log.subscribe((e) => {
      if (e.dir === 'tx' && e.decoded.startsWith('GetSerialNo')) void session.disconnect();
    });
    const e = await settle(session.identify());
    expect(e).toMatchObject({ kind: 'closed' });
    expect(session.state).toEqual({ kind: 'disconnected' });
  });
});

/** The meter's port behind a head that loses every GetRegister request for which `lose(ids)` holds. */
function losing(meter: VirtualMeter, lose: (ids: number[]) => boolean): OpenablePort {
  let writable: WritableStream<Uint8Array> | null = null;
  return {
    get readable() {
      return meter.port.readable;
    },
    get writable() {
      return writable;
    },
    open: async (o) => {
      await meter.port.open(o);
      const writer = meter.port.writable!.getWriter();
      writable = new WritableStream<Uint8Array>({
        async write(chunk) {
          const f = decodeFrame(chunk);
          if (f.cid === CID.GetRegister && lose(decodeGetRegisterRequest(f.data))) return;
          await writer.write(chunk);
        },
      });
    },
    close: () => meter.port.close(),
  };
}
