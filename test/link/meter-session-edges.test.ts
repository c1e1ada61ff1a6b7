import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrame, type Reading } from '../../src/kmp/index.ts';
import {
  LinkError,
  MeterSession,
  SerialAccessError,
  effectivePollInterval,
  type Activity,
  type OpenablePort,
} from '../../src/link/index.ts';
import { createVirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';
import { FAST } from './helpers.ts';

// The session's edges, each pinned to an exact state, count or sentence.

const sessions: MeterSession[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

async function connected(options: VirtualMeterOptions = {}, session = new MeterSession({ client: FAST })) {
  const meter = createVirtualMeter({ frozen: true, ...options });
  sessions.push(session);
  await session.connect(meter.port, { label: 'virtual', demo: true });
  return { meter, session };
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('effectivePollInterval', () => {
  it('takes at least a minute and refuses what is not a number', () => {
    expect(effectivePollInterval(59_999)).toBe(60_000);
    expect(effectivePollInterval(60_001)).toBe(60_001);
    expect(() => effectivePollInterval(NaN)).toThrow(
      new RangeError('The polling interval must be a number of milliseconds, not NaN.'),
    );
    expect(() => effectivePollInterval(Infinity)).toThrow(RangeError);
  });
});

describe('connecting', () => {
  it('opens with the settings given and a 4 KB buffer, and passes their baud rate to the client', async () => {
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession({ client: FAST });
    sessions.push(session);
    const states: string[] = [];
    session.subscribe(() => states.push(session.state.kind));
    await session.connect(meter.port, {
      label: 'slow',
      settings: { baudRate: 2400, dataBits: 8, stopBits: 2, parity: 'none' },
    });
    expect(meter.port.openOptions).toEqual({
      baudRate: 2400,
      dataBits: 8,
      stopBits: 2,
      parity: 'none',
      bufferSize: 4096,
    });
    expect(session.state).toEqual({ kind: 'connected', label: 'slow', demo: false });
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('classifies an open that throws something other than a SerialAccessError', async () => {
    const session = new MeterSession();
    const port: OpenablePort = {
      readable: null,
      writable: null,
      open: () => Promise.reject(new Error('plain')),
      close: async () => undefined,
    };
    const e = await session.connect(port, { label: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SerialAccessError);
    expect(e).toMatchObject({ kind: 'unknown', detail: 'plain' });
    expect(session.state).toEqual({ kind: 'failed', error: e });
    const given = new SerialAccessError('busy');
    const again = await session
      .connect({ ...port, open: () => Promise.reject(given) }, { label: 'x' })
      .catch((x: unknown) => x);
    expect(again).toBe(given);
  });

  it('says a session without a port is not connected, and disconnect changes nothing then', async () => {
    const session = new MeterSession();
    let told = 0;
    session.subscribe(() => told++);
    await session.disconnect();
    expect(told).toBe(0);
    expect(() => session.startPolling([60], 60_000)).toThrow(new LinkError('closed', 'not connected to a meter'));
    await expect(session.readNow([60])).rejects.toMatchObject({ kind: 'closed', detail: 'not connected to a meter' });
  });

  it('counts requests across connections, and stops telling listeners once they unsubscribe', async () => {
    const { meter, session } = await connected();
    expect(session.requestsSent).toBe(0);
    await session.readNow([60]);
    expect(session.requestsSent).toBe(2); // the registers, then the serial number for the reading
    await session.connect(meter.port, { label: 'again' });
    await session.readNow([60]);
    expect(session.requestsSent).toBe(4);
    let told = 0;
    const off = session.subscribe(() => told++);
    const seen: Reading[] = [];
    const offReading = session.onReading((r) => seen.push(r));
    await session.readNow([60]);
    off();
    offReading();
    const before = told;
    await session.readNow([60]);
    expect(told).toBe(before);
    expect(seen).toHaveLength(1);
  });

  it('a lost connection goes back to idle, keeping the label and the reason', async () => {
    const { meter, session } = await connected();
    session.startPolling([60], 60_000);
    meter.unplug();
    await until(() => session.state.kind === 'lost');
    expect(session.state).toMatchObject({
      kind: 'lost',
      label: 'virtual',
      demo: true,
      error: { kind: 'disconnected' },
    });
    expect(session.activity).toEqual({ kind: 'idle' });
  });
});

describe('identify', () => {
  it('goes on without the type when GetType fails, and keeps only the identity registers', async () => {
    const meter = createVirtualMeter({ frozen: true, model: '603' });
    // A port in front of the meter that swallows GetType requests.
    let writable: WritableStream<Uint8Array> | null = null;
    const port: OpenablePort = {
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
            if (chunk[2] !== 0x01) await writer.write(chunk);
          },
        });
      },
      close: () => meter.port.close(),
    };
    const session = new MeterSession({ client: { ...FAST, retries: 0 } });
    sessions.push(session);
    await session.connect(port, { label: 'x' });
    const id = await session.identify();
    expect(id.serial).toBe(meter.serial);
    expect(id.type).toBeUndefined();
    expect(id.model).toBe('MULTICAL 603 or 803');
    expect(id.basis).toBe('registers');
    const ids = id.registers.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((r) => [99, 113, 1002, 1003, 1004, 152, 153, 168].includes(r))).toBe(true);
    expect(session.identity).toBe(id);
  });
});

describe('reading', () => {
  it('says so when the meter has none of the registers asked for', async () => {
    const { session } = await connected();
    const e = (await session.readNow([9998, 9999]).catch((x: unknown) => x)) as LinkError;
    expect(e.kind).toBe('unexpected');
    expect(e.detail).toBe('the meter has none of the requested registers');
    expect(session.lastError).toBe(e);
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('takes the serial from the identity rather than asking again, and keeps the last failure of a partial read', async () => {
    let clock = 5_000;
    const { meter, session } = await connected({}, new MeterSession({ client: FAST, now: () => clock }));
    await session.identify();
    const before = meter.stats.requests;
    clock = 9_000;
    const r = await session.readNow([60]);
    expect(meter.stats.requests - before).toBe(1);
    expect(r).toEqual({ serial: meter.serial, takenAt: 9_000, values: r.values });
    expect(session.lastReading).toBe(r);
    expect(session.lastError).toBeUndefined();
  });

  it('refuses a read while aligning or scanning', async () => {
    const { session } = await connected();
    session.startAlign(10_000, 1_000);
    expect(session.canStart('reading')).toBe(false);
    await expect(session.readNow([60])).rejects.toMatchObject({
      kind: 'busy',
      message: 'The meter is busy aligning the head: stop the alignment, then try again.',
    });
    session.stopAlign();
    expect(session.activity).toEqual({ kind: 'idle' });
  });
});

describe('polling', () => {
  it('chains waits longer than setTimeout can take, and shows when the next read is due', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { session } = await connected();
    const seen: Reading[] = [];
    session.onReading((r) => seen.push(r));
    const month = 31 * 24 * 3600_000; // longer than 2^31 − 1 ms
    session.startPolling([60], month);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen).toHaveLength(1);
    const a = session.activity as Extract<Activity, { kind: 'polling' }>;
    expect(a).toMatchObject({ kind: 'polling', intervalMs: month, reads: 1 });
    expect(a.nextAt).toBeGreaterThan(1_000_000 + month - 1_000);
    expect(a.nextAt).toBeLessThanOrEqual(1_001_000 + month);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(month - 2 ** 31);
    expect(seen).toHaveLength(2);
    session.stopPolling();
    session.stopPolling();
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('goes on polling after a failed read, and stops when disconnected', async () => {
    vi.useFakeTimers();
    const { meter, session } = await connected();
    meter.faults = { dropRate: 1 };
    session.startPolling([60], 60_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(session.lastError?.kind).toBe('no-answer');
    expect(session.activity).toMatchObject({ kind: 'polling', reads: 0 });
    meter.faults = {};
    await vi.advanceTimersByTimeAsync(60_000);
    expect(session.activity).toMatchObject({ kind: 'polling', reads: 1 });
    await session.disconnect();
    expect(session.activity).toEqual({ kind: 'idle' });
  });
});

describe('alignment', () => {
  it('caps the run at three minutes and counts cut-off replies as damaged', async () => {
    let clock = 0;
    const { meter, session } = await connected({}, new MeterSession({ client: FAST, now: () => clock }));
    meter.faults = { truncateRate: 1 };
    session.startAlign(10 * 60_000, 5);
    expect(session.activity).toMatchObject({ kind: 'aligning', endsAt: 180_000, last: undefined });
    await until(() => session.activity.kind === 'aligning' && session.activity.counts['bad-crc'] >= 2);
    expect(session.activity).toMatchObject({ last: 'cut-off', counts: { ok: 0, 'no-answer': 0, other: 0 } });
    clock = 180_000;
    await until(() => session.activity.kind === 'idle');
  });

  it('counts an unexpected reply as other', async () => {
    const { meter, session } = await connected();
    meter.injectOnce('garbage');
    session.startAlign(60_000, 5);
    await until(() => session.activity.kind === 'aligning' && session.activity.counts.ok >= 1);
    expect(session.activity).toMatchObject({ counts: { other: 1 } });
    session.stopAlign();
    session.stopAlign();
    expect(session.activity).toEqual({ kind: 'idle' });
  });
});

describe('scanning', () => {
  it('stops when asked, says so, and reports progress batch by batch', async () => {
    const { meter, session } = await connected({ model: '403' });
    const progress: string[] = [];
    session.subscribe(() => {
      const a = session.activity;
      if (a.kind === 'scanning') progress.push(`${a.done}/${a.total}:${a.found}`);
    });
    const ids = meter.supportedRegisters.slice(0, 20);
    const p = session.scan(ids, 64, 2);
    session.stopScan();
    const r = await p;
    // The first batch is on its way before stopScan: it is kept, nothing after it is asked.
    expect(r.supported).toHaveLength(8);
    expect(r.stoppedEarly).toBe('stopped by you');
    progress.length = 0;
    const all = await session.scan(ids, 64, 2);
    expect(all.stoppedEarly).toBeUndefined();
    expect(all.supported).toHaveLength(20);
    expect(progress).toEqual(['0/20:0', '8/20:8', '16/20:16', '20/20:20']);
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('keeps the failure of a batch and goes on; budget and empty runs are said in words', async () => {
    const { meter, session } = await connected({ model: '403' });
    meter.faults = { dropRate: 1 };
    const r = await session.scan([60, 68], 64, 1);
    expect(r.stoppedEarly).toBe('1 batches in a row brought nothing');
    expect(session.lastError?.kind).toBe('no-answer');
    meter.faults = {};
    const known = meter.supportedRegisters;
    const b = await session.scan([...known.slice(0, 3)], 2, 2);
    expect(b.supported.map((v) => v.id)).toEqual(known.slice(0, 2));
    expect(b.stoppedEarly).toBe('budget of 2 registers reached');
    const exact = await session.scan(known.slice(0, 2), 2, 2);
    expect(exact.stoppedEarly).toBeUndefined();
  });

  it('ends a scan whose connection is lost with the disconnection', async () => {
    const { meter, session } = await connected({ model: '403', timing: 'realtime', turnaroundMs: 5 });
    const p = session.scan(meter.supportedRegisters, 64, 2);
    await new Promise((r) => setTimeout(r, 50));
    meter.unplug();
    await expect(p).rejects.toMatchObject({ kind: 'disconnected' });
  });
});

describe('the session’s bookkeeping', () => {
  it('starts disconnected, idle, with nothing asked and nothing missing', () => {
    const session = new MeterSession();
    expect(session.state).toEqual({ kind: 'disconnected' });
    expect(session.activity).toEqual({ kind: 'idle' });
    expect(session.lastUnsupported).toEqual([]);
    expect(session.requestsSent).toBe(0);
  });

  it('says reading while it reads, and disconnected after, with no lost state on the way', async () => {
    const { session } = await connected();
    const seen: string[] = [];
    session.subscribe(() => seen.push(`${session.state.kind}/${session.activity.kind}`));
    await session.readNow([60]);
    expect(seen[0]).toBe('connected/reading');
    seen.length = 0;
    await session.identify();
    expect(seen[0]).toBe('connected/reading');
    await session.disconnect();
    expect(seen).toContain('connected/idle');
    expect(seen.filter((s) => s.startsWith('lost'))).toEqual([]);
    expect(seen.at(-1)).toBe('disconnected/idle');
    expect(session.state).toEqual({ kind: 'disconnected' });
  });

  it('keeps the reason of a lost connection', async () => {
    const { meter, session } = await connected();
    meter.unplug();
    await until(() => session.state.kind === 'lost');
    const lost = session.state as Extract<typeof session.state, { kind: 'lost' }>;
    expect(lost.error.detail).toBeTruthy();
    // Once lost, the session asks nothing more of the client.
    await expect(session.readNow([60])).rejects.toMatchObject({ kind: 'closed', detail: 'not connected to a meter' });
  });

  it('does not keep an error that is not the link’s as the last error', async () => {
    const { session } = await connected();
    await expect(session.readNow([70000])).rejects.toThrow('register id 70000 is not 0..65535');
    expect(session.lastError).toBeUndefined();
    await session.scan([70000]);
    expect(session.lastError).toBeUndefined();
  });

  it('refuses a read while scanning', async () => {
    const { meter, session } = await connected({ model: '403' });
    const p = session.scan(meter.supportedRegisters, 64, 2);
    await expect(session.readNow([60])).rejects.toMatchObject({
      kind: 'busy',
      message: 'The meter is busy with a register scan: wait for it or stop it, then try again.',
      detail: 'scanning',
    });
    await p;
  });

  it('stops polling for good when stopped during a read', async () => {
    const { session } = await connected({ timing: 'realtime', turnaroundMs: 5 });
    const seen: Reading[] = [];
    session.onReading((r) => seen.push(r));
    session.startPolling([60], 60_000);
    await new Promise((r) => setTimeout(r, 20));
    session.stopPolling();
    await until(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('stopPolling leaves alignment alone', async () => {
    const { session } = await connected();
    session.startAlign(60_000, 1_000);
    session.stopPolling();
    expect(session.activity.kind).toBe('aligning');
    session.stopAlign();
  });

  it('stopAlign leaves polling alone', async () => {
    vi.useFakeTimers();
    const { session } = await connected();
    session.startPolling([60], 60_000);
    await vi.advanceTimersByTimeAsync(100);
    session.stopAlign();
    expect(session.activity.kind).toBe('polling');
    const seen: Reading[] = [];
    session.onReading((r) => seen.push(r));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(1);
  });

  it('shows polling with the next read an interval ahead, also while reading', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { session } = await connected();
    const nextAts: number[] = [];
    session.subscribe(() => {
      if (session.activity.kind === 'polling') nextAts.push(session.activity.nextAt - Date.now());
    });
    session.startPolling([60], 60_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(nextAts.length).toBeGreaterThanOrEqual(2);
    for (const ahead of nextAts) {
      expect(ahead).toBeGreaterThan(59_000);
      expect(ahead).toBeLessThanOrEqual(60_000);
    }
  });

  it('alignment counts silence as no answer, an answer as ok, and stops when stopped mid-request', async () => {
    const { meter, session } = await connected();
    session.startAlign(60_000, 5);
    await until(() => session.activity.kind === 'aligning' && session.activity.last === 'ok');
    meter.faults = { dropRate: 1 };
    await until(() => session.activity.kind === 'aligning' && session.activity.counts['no-answer'] >= 1);
    expect(session.activity).toMatchObject({ last: 'no-answer', counts: { other: 0 } });
    session.stopAlign();
    await new Promise((r) => setTimeout(r, 150));
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('alignment asks about once a period, not as fast as it can', async () => {
    const { meter, session } = await connected();
    session.startAlign(60_000, 100);
    await new Promise((r) => setTimeout(r, 250));
    session.stopAlign();
    expect(meter.stats.requests).toBeGreaterThanOrEqual(2);
    expect(meter.stats.requests).toBeLessThanOrEqual(4);
  });

  it('scans with one retry, reports unsupported ids, and a full last batch is not an empty one', async () => {
    const { meter, session } = await connected({ model: '403' });
    meter.faults = { dropRate: 1 };
    await session.scan([60, 68], 64, 1);
    // Two attempts at the batch, one at the single-register probe: three times a healthy
    // scan of this batch (one request) is all a silent line may cost (see RequestBudget).
    expect(meter.stats.requests).toBe(3);
    meter.faults = {};
    const known = meter.supportedRegisters.slice(0, 7);
    const r = await session.scan([...known, 9999], 64, 1);
    expect(r.unsupported).toEqual([9999]);
    expect(r.stoppedEarly).toBeUndefined();
  });

  it('ends a scan the user disconnects with closed', async () => {
    const { meter, session } = await connected({ model: '403', timing: 'realtime', turnaroundMs: 5 });
    const p = session.scan(meter.supportedRegisters, 64, 2);
    await new Promise((r) => setTimeout(r, 30));
    const closing = session.disconnect();
    await expect(p).rejects.toMatchObject({ kind: 'closed' });
    await closing;
  });
});

describe('the line speed of the settings', () => {
  it('reaches the client, which allows for a slow request on the wire before it waits for a reply', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const replies: Record<number, Uint8Array> = {
      0x02: encodeFrame(Uint8Array.of(0x3f, 0x02, 0x00, 0xbc, 0x61, 0x4e), 'response'),
      0x10: encodeFrame(Uint8Array.of(0x3f, 0x10, 0x00, 0x3c, 0x08, 0x01, 0x00, 0x05), 'response'),
    };
    const port: OpenablePort = {
      readable: new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }),
      writable: new WritableStream<Uint8Array>({
        write(chunk) {
          // At 60 baud a request alone takes over a second; each reply comes well inside that.
          setTimeout(() => controller.enqueue(replies[chunk[2]!]), 300);
        },
      }),
      open: async () => undefined,
      close: async () => undefined,
    };
    const session = new MeterSession({ client: { ...FAST, retries: 0 } });
    sessions.push(session);
    await session.connect(port, {
      label: 'slow',
      settings: { baudRate: 60, dataBits: 8, stopBits: 2, parity: 'none' },
    });
    const r = await session.readNow([60]);
    expect(r.serial).toBe(12345678);
    expect(r.values.map((v) => v.decimal)).toEqual(['5']);
  });
});

describe('the port a connection took (for diagnostics)', () => {
  it('is carried in the connecting, connected and lost states, exactly as given', async () => {
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession({ client: FAST });
    sessions.push(session);
    const port = { path: 'Web Serial', usbVendorId: 0x0403, usbProductId: 0x6001 } as const;
    const states: unknown[] = [];
    session.subscribe(() => states.push(session.state));
    await session.connect(meter.port, { label: 'head', port });
    meter.unplug();
    await until(() => session.state.kind === 'lost');
    expect(states.slice(0, 2)).toStrictEqual([
      { kind: 'connecting', label: 'head', demo: false, port },
      { kind: 'connected', label: 'head', demo: false, port },
    ]);
    expect(session.state).toMatchObject({ kind: 'lost', label: 'head', port });
  });

  it('from a function is asked before the port opens and again once it is open', async () => {
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession({ client: FAST });
    sessions.push(session);
    let asked = 0;
    const states: unknown[] = [];
    session.subscribe(() => states.push(session.state));
    await session.connect(meter.port, { label: 'head', port: () => ({ path: 'WebUSB', chip: `asked ${++asked}` }) });
    expect(states).toStrictEqual([
      { kind: 'connecting', label: 'head', demo: false, port: { path: 'WebUSB', chip: 'asked 1' } },
      { kind: 'connected', label: 'head', demo: false, port: { path: 'WebUSB', chip: 'asked 2' } },
    ]);
    meter.unplug();
    await until(() => session.state.kind === 'lost');
    // The lost state keeps what the open port said; the function is not asked a third time.
    expect(session.state).toMatchObject({ kind: 'lost', port: { chip: 'asked 2' } });
    expect(asked).toBe(2);
  });

  it('is left out of every state when not given', async () => {
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession({ client: FAST });
    sessions.push(session);
    const states: unknown[] = [];
    session.subscribe(() => states.push(session.state));
    await session.connect(meter.port, { label: 'plain' });
    meter.unplug();
    await until(() => session.state.kind === 'lost');
    expect(states.slice(0, 2)).toStrictEqual([
      { kind: 'connecting', label: 'plain', demo: false },
      { kind: 'connected', label: 'plain', demo: false },
    ]);
    expect(Object.keys(session.state)).toEqual(['kind', 'label', 'demo', 'error']);
  });
});

describe('alignment stopped while a request is on the wire', () => {
  it('stays stopped when that request’s answer comes, and asks nothing more', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const meter = createVirtualMeter({ frozen: true, timing: 'realtime', turnaroundMs: 300 });
    const session = new MeterSession({ client: { ...FAST, firstByteTimeoutMs: 2_000 } });
    sessions.push(session);
    await session.connect(meter.port, { label: 'slow', demo: true });
    session.startAlign(60_000, 1_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(meter.stats.requests).toBe(1);
    session.stopAlign();
    expect(session.activity).toEqual({ kind: 'idle' });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(meter.stats.replies).toBe(1);
    expect(meter.stats.requests).toBe(1);
    expect(session.activity).toEqual({ kind: 'idle' });
  });
});
