import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CID,
  decodeFrame,
  decodeGetRegisterRequest,
  encodeFrame,
  encodeRegisterBlocks,
  fromHex,
  toHex,
} from '../../src/kmp/index.ts';
import { KmpClient, LinkError, type KmpClientOptions, type SerialPortLike } from '../../src/link/index.ts';
import { replyDeadlineMs } from '../../src/link/kmp-client.ts';

// The client against a port the test scripts byte for byte: exact stats, classifications and
// messages, which the virtual meter's realistic behaviour cannot pin down.

type Answer = (request: Uint8Array, n: number) => Array<Uint8Array | string> | void;

function scriptedPort(answer: Answer) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const written: string[] = [];
  let closed = 0;
  const port = {
    readable: new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
    }) as ReadableStream<Uint8Array> | null,
    writable: new WritableStream<Uint8Array>({
      write(chunk) {
        written.push(toHex(chunk));
        const replies = answer(chunk, written.length) ?? [];
        setTimeout(() => {
          for (const r of replies) controller.enqueue(typeof r === 'string' ? fromHex(r) : r);
        }, 1);
      },
    }) as WritableStream<Uint8Array> | null,
    close: async () => {
      closed++;
    },
  };
  return {
    port,
    written,
    send: (hex: string) => controller.enqueue(fromHex(hex)),
    end: () => controller.close(),
    fail: (e: Error) => controller.error(e),
    closedCount: () => closed,
  };
}

const reply = (cid: number, data: Uint8Array | number[]) => encodeFrame(Uint8Array.of(0x3f, cid, ...data), 'response');
const SERIAL = reply(CID.GetSerialNo, [0x00, 0xbc, 0x61, 0x4e]);
const QUICK: KmpClientOptions = { firstByteTimeoutMs: 30, interByteTimeoutMs: 20, retryBackoffMs: 1, baudRate: 1e9 };

const clients: KmpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(port: SerialPortLike, options: KmpClientOptions = QUICK) {
  const c = new KmpClient(port, options);
  clients.push(c);
  return c;
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

describe('KmpClient against a scripted port', () => {
  it('counts bytes, requests and replies exactly', async () => {
    const s = scriptedPort(() => [SERIAL]);
    const c = client(s.port);
    expect(await c.getSerialNo()).toBe(12345678);
    expect(s.written).toEqual(['80 3F 02 35 E9 0D']);
    expect(c.stats).toEqual({
      requests: 1,
      replies: 1,
      echoes: 0,
      badFrames: 0,
      timeouts: 0,
      retries: 0,
      bytesTx: 6,
      bytesRx: SERIAL.length,
    });
  });

  it('refuses a port that is not open', () => {
    expect(() => new KmpClient({ readable: null, writable: new WritableStream() })).toThrow(
      new LinkError('closed', 'the port is not open'),
    );
    expect(() => new KmpClient({ readable: new ReadableStream(), writable: null })).toThrow(LinkError);
  });

  it('refuses a write command by its number, before the wire', async () => {
    const s = scriptedPort(() => [SERIAL]);
    const e = await failureOf(client(s.port).transact(CID.PutRegister, new Uint8Array(0), () => 1));
    expect(e.kind).toBe('refused');
    expect(e.detail).toBe('command 0x11');
    expect(s.written).toEqual([]);
  });

  it('calls a reply from another address or for another command unexpected, and retries', async () => {
    const s = scriptedPort((_req, n) =>
      n === 1
        ? [encodeFrame(Uint8Array.of(0x7f, CID.GetSerialNo, 0, 0, 0, 1), 'response')]
        : n === 2
          ? [reply(CID.GetType, [0, 4, 6, 1])]
          : [],
    );
    const c = client(s.port, { ...QUICK, retries: 1 });
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('unexpected');
    expect(e.detail).toBe('reply for address 0x3f command 0x1');
    expect(c.stats.retries).toBe(1);
    expect(c.stats.replies).toBe(0);
    const first = scriptedPort(() => [encodeFrame(Uint8Array.of(0x7f, CID.GetSerialNo, 0, 0, 0, 1), 'response')]);
    const e1 = await failureOf(client(first.port, { ...QUICK, retries: 0 }).getSerialNo());
    expect(e1.detail).toBe('reply for address 0x7f command 0x2');
  });

  it('turns a reply it cannot parse into unexpected, with the codec’s words', async () => {
    const s = scriptedPort(() => [reply(CID.GetSerialNo, [1, 2, 3])]);
    const e = await failureOf(client(s.port, { ...QUICK, retries: 0 }).getSerialNo());
    expect(e.kind).toBe('unexpected');
    expect(e.detail).toBe('a GetSerialNo reply carries 4 data bytes, not 3');
  });

  it('lets a parser’s own error through untouched', async () => {
    const s = scriptedPort(() => [SERIAL]);
    const c = client(s.port, { ...QUICK, retries: 0 });
    const boom = new RangeError('boom');
    await expect(
      c.transact(CID.GetSerialNo, new Uint8Array(0), () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    const own = new LinkError('cut-off', 'mine');
    await expect(
      c.transact(CID.GetSerialNo, new Uint8Array(0), () => {
        throw own;
      }),
    ).rejects.toBe(own);
  });

  it('calls a damaged reply bad-crc with the codec’s detail, and counts it', async () => {
    const s = scriptedPort(() => ['40 3F 10 0E 0A 29 0D']);
    const c = client(s.port, { ...QUICK, retries: 0 });
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('bad-crc');
    expect(e.detail).toBe('CRC mismatch: frame says 0x0A29, content gives 0x0B29');
    expect(c.stats.badFrames).toBe(1);
  });

  it('calls bytes outside any frame bad-crc, not silence', async () => {
    const s = scriptedPort(() => ['00 11 22']);
    const c = client(s.port, { ...QUICK, retries: 0 });
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('bad-crc');
    expect(e.detail).toBe('only unreadable bytes came back');
    expect(c.stats.timeouts).toBe(1);
    expect(c.log.all().map((x) => [x.dir, x.kind])).toEqual([
      ['tx', 'request'],
      ['rx', 'noise'],
    ]);
  });

  it('calls a reply that stops half-way cut-off and logs the piece', async () => {
    const s = scriptedPort(() => ['40 3F 02 00']);
    const c = client(s.port, { ...QUICK, retries: 0 });
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('cut-off');
    expect(c.stats.timeouts).toBe(1);
    expect(c.log.all().map((x) => [x.dir, x.kind, x.hex])).toEqual([
      ['tx', 'request', '80 3F 02 35 E9 0D'],
      ['rx', 'cut', '40 3F 02 00'],
    ]);
  });

  it('calls a half echo with nothing after it echo-only, and half a request of its own no-answer', async () => {
    const echo = scriptedPort(() => ['80 3F 02']);
    expect((await failureOf(client(echo.port, { ...QUICK, retries: 0 }).getSerialNo())).kind).toBe('no-answer');
    const both = scriptedPort((req) => [req, '80 3F']);
    expect((await failureOf(client(both.port, { ...QUICK, retries: 0 }).getSerialNo())).kind).toBe('echo-only');
  });

  it('ends a reply interrupted by a new frame at once as cut-off', async () => {
    const s = scriptedPort(() => ['40 3F 02 00 40 3F']);
    const c = client(s.port, { ...QUICK, firstByteTimeoutMs: 5_000, retries: 0 });
    const started = Date.now();
    expect((await failureOf(c.getSerialNo())).kind).toBe('cut-off');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(c.stats.badFrames).toBe(1);
    expect(c.stats.timeouts).toBe(0);
    expect(c.log.all().map((x) => [x.dir, x.kind, x.hex])).toContainEqual(['rx', 'cut', '40 3F 02 00']);
  });

  it('counts retries and waits a growing backoff between them', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port, { ...QUICK, retries: 2, retryBackoffMs: 40 });
    const started = Date.now();
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('no-answer');
    expect(e.message).toBe('The meter did not answer.');
    expect(c.stats).toMatchObject({ requests: 3, retries: 2, timeouts: 3 });
    // 40 ms before the second attempt, 80 ms before the third.
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    expect(s.written).toHaveLength(3);
  });

  it('takes retries per call', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port, { ...QUICK, retries: 5 });
    await failureOf(c.getSerialNo({ retries: 0 }));
    expect(s.written).toHaveLength(1);
  });

  it('waits for the first byte from when the request has left the wire', async () => {
    // 6 bytes at 60 baud take 1.1 s on the wire; a reply 300 ms after the write is in time.
    const s = scriptedPort(() => []);
    const c = client(s.port, { firstByteTimeoutMs: 50, interByteTimeoutMs: 50, retries: 0, baudRate: 60 });
    const p = c.getSerialNo();
    await new Promise((r) => setTimeout(r, 300));
    s.send(toHex(SERIAL));
    expect(await p).toBe(12345678);
  });

  it('gives up on a reply that trickles past the deadline, saying how long it waited', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port, { ...QUICK, interByteTimeoutMs: 100, replyDeadlineMs: 250, retries: 0 });
    const p = failureOf(c.getSerialNo());
    s.send('40');
    const timer = setInterval(() => s.send('3F'), 30);
    const e = await p;
    clearInterval(timer);
    expect(e.kind).toBe('overrun');
    expect(e.message).toBe(
      'The meter’s reply did not finish within 0.3 s: bytes kept coming but never made up a whole reply.',
    );
    expect(e.advice).toMatch(/^A whole reply takes a few seconds at most\./);
    expect(c.stats.timeouts).toBe(1);
    expect(c.log.all().at(-1)).toMatchObject({ dir: 'rx', kind: 'cut' });
  });

  it('computes the default deadline from the first-byte wait and the longest reply at the line speed', () => {
    // 2 × (2 + 8 × 15 + 2) + 2 = 250 bytes of 11 bits.
    expect(replyDeadlineMs({})).toBe(Math.ceil(1500 + (250 * 11 * 1000) / 1200 + 1000));
    expect(replyDeadlineMs({ firstByteTimeoutMs: 100, baudRate: 2750 })).toBe(100 + 1000 + 1000);
  });

  it('gives a long reply a deadline for its own length at the line speed, never less than the default', () => {
    const port = () => scriptedPort(() => []).port;
    // 121 data bytes: 2 × (121 + 4) + 2 = 252 bytes on the wire at most, of 11 bits, at 2750 baud: 1008 ms.
    const c = client(port(), { firstByteTimeoutMs: 100, baudRate: 2750, replyDeadlineMs: 500 });
    expect(c.replyDeadlineFor(121)).toBe(100 + 1008 + 1000);
    // 240 bytes at 1200 baud: 490 bytes, 4491.7 ms, rounded up.
    const slow = client(port(), { firstByteTimeoutMs: 1500, baudRate: 1200, replyDeadlineMs: 500 });
    expect(slow.replyDeadlineFor(240)).toBe(Math.ceil(1500 + (490 * 11 * 1000) / 1200 + 1000));
    const generous = client(port(), { firstByteTimeoutMs: 100, baudRate: 2750, replyDeadlineMs: 60_000 });
    expect(generous.replyDeadlineFor(121)).toBe(60_000);
  });

  it('refuses a logger sub-command that is not a read, naming it in two hex digits', async () => {
    const s = scriptedPort(() => [SERIAL]);
    const c = client(s.port);
    const other = await failureOf(c.transact(CID.Logger, Uint8Array.of(0x08, 0x02), () => 1));
    expect(other).toMatchObject({ kind: 'refused', detail: 'logger sub-command 0x08' });
    const none = await failureOf(c.transact(CID.Logger, new Uint8Array(0), () => 1));
    expect(none).toMatchObject({ kind: 'refused', detail: 'logger sub-command 0x00' });
    expect(s.written).toEqual([]);
  });

  it('drops a half-received frame before the next request and logs it as cut', async () => {
    const s = scriptedPort((_req, n) => (n === 1 ? [] : [SERIAL]));
    const c = client(s.port, { ...QUICK, retries: 0 });
    await failureOf(c.getSerialNo());
    s.send('40 3F');
    await new Promise((r) => setTimeout(r, 5));
    expect(await c.getSerialNo()).toBe(12345678);
    expect(c.log.all().map((x) => [x.dir, x.kind])).toEqual([
      ['tx', 'request'],
      ['rx', 'cut'],
      ['tx', 'request'],
      ['rx', 'response'],
    ]);
  });

  it('logs a late reply but does not count it for the next request', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port, { ...QUICK, retries: 0 });
    await failureOf(c.getSerialNo());
    s.send(toHex(SERIAL));
    await new Promise((r) => setTimeout(r, 10));
    expect(c.stats.replies).toBe(0);
    expect(c.log.all().at(-1)!.kind).toBe('response');
    expect(c.state).toBe('open');
  });

  it('counts echoes', async () => {
    const s = scriptedPort((req) => [req, SERIAL]);
    const c = client(s.port);
    await c.getSerialNo();
    expect(c.stats.echoes).toBe(1);
    expect(c.stats.bytesRx).toBe(6 + SERIAL.length);
  });
});

describe('readRegisters against a scripted port', () => {
  const blocks = (ids: number[]) => encodeRegisterBlocks(ids.map((id) => ({ id, unitCode: 8, decimal: String(id) })));
  const asked = (req: Uint8Array) => decodeGetRegisterRequest(decodeFrame(req).data);

  it('hands on the values of each reply that has some, and nothing for a reply without any', async () => {
    const s = scriptedPort((req) => {
      const ids = asked(req).filter((id) => id < 9000);
      return [reply(CID.GetRegister, blocks(ids))];
    });
    const c = client(s.port);
    const told: number[][] = [];
    const ids = [9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008, 60, 68];
    const r = await c.readRegisters(ids, { onValues: (v) => told.push(v.map((x) => x.id)) });
    expect(r.values.map((v) => v.id)).toEqual([60, 68]);
    expect(r.unsupported).toHaveLength(8);
    expect(told).toEqual([[60, 68]]);
  });

  it('refuses a stray register in the reply, or one that comes twice', async () => {
    for (const ids of [
      [60, 61],
      [60, 60],
    ]) {
      const s = scriptedPort(() => [reply(CID.GetRegister, blocks(ids))]);
      const e = await failureOf(client(s.port, { ...QUICK, retries: 0 }).readRegisters([60]));
      expect(e.kind).toBe('unexpected');
      expect(e.detail).toBe(`reply holds register ${ids[1]}, which was not asked for or came twice`);
    }
  });

  it('checks every batch of ids before sending anything', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port);
    await expect(c.readRegisters([1, 2, 3, 4, 5, 6, 7, 8, 70000])).rejects.toThrow('register id 70000 is not 0..65535');
    expect(s.written).toEqual([]);
  });

  it('halves a batch that keeps failing, down to single registers, and reports what never came', async () => {
    // The meter answers at once, but any request holding register 66 comes back damaged.
    const s = scriptedPort((req) => {
      const ids = asked(req);
      return ids.includes(66)
        ? ['40 3F 10 0E 0A 29 0D']
        : [reply(CID.GetRegister, blocks(ids.filter((id) => id !== 65)))];
    });
    const c = client(s.port, { ...QUICK, retries: 0 });
    const r = await c.readRegisters([60, 61, 62, 63, 64, 65, 66, 67]);
    expect(r.values.map((v) => v.id)).toEqual([60, 61, 62, 63, 64, 67]);
    expect(r.unsupported).toEqual([65]);
    expect(r.failed.map((f) => [f.ids, f.error.kind])).toEqual([[[66], 'bad-crc']]);
    expect(s.written.map((w) => asked(fromHex(w)))).toEqual([
      [60, 61, 62, 63, 64, 65, 66, 67],
      [60, 61, 62, 63],
      [64, 65, 66, 67],
      [64, 65],
      [66, 67],
      [66],
      [67],
    ]);
  });

  it('splits an odd batch with the larger half first', async () => {
    const s = scriptedPort((req) => {
      const ids = asked(req);
      return ids.length > 2 ? ['40 3F 10 0E 0A 29 0D'] : [reply(CID.GetRegister, blocks(ids))];
    });
    const r = await client(s.port, { ...QUICK, retries: 0 }).readRegisters([1, 2, 3, 4, 5]);
    expect(r.values.map((v) => v.id)).toEqual([1, 2, 3, 4, 5]);
    expect(s.written.map((w) => asked(fromHex(w)))).toEqual([[1, 2, 3, 4, 5], [1, 2, 3], [1, 2], [3], [4, 5]]);
  });

  it('throws the first failure when not one register could be read', async () => {
    const s = scriptedPort(() => ['40 3F 10 0E 0A 29 0D']);
    const e = await failureOf(client(s.port, { ...QUICK, retries: 0 }).readRegisters([1, 2]));
    expect(e.kind).toBe('bad-crc');
  });

  it('after one answer, silence is split like any failure instead of ending the read', async () => {
    const s = scriptedPort((req, n) =>
      n === 1
        ? [reply(CID.GetRegister, blocks(asked(req)))]
        : asked(req).length > 1
          ? []
          : [reply(CID.GetRegister, blocks(asked(req)))],
    );
    const ids = Array.from({ length: 10 }, (_, i) => 100 + i);
    const r = await client(s.port, { ...QUICK, retries: 0 }).readRegisters(ids);
    expect(r.values.map((v) => v.id)).toEqual(ids);
    expect(r.failed).toEqual([]);
    expect(s.written.map((w) => asked(fromHex(w)).length)).toEqual([8, 2, 1, 1]);
  });

  it('before any answer, probes one register and then reads the rest of the batch', async () => {
    // A meter that drops requests for more than one register.
    const s = scriptedPort((req) => (asked(req).length > 1 ? [] : [reply(CID.GetRegister, blocks(asked(req)))]));
    const r = await client(s.port, { ...QUICK, retries: 0 }).readRegisters([1, 2, 3]);
    expect(r.values.map((v) => v.id)).toEqual([1, 2, 3]);
    expect(s.written.map((w) => asked(fromHex(w)))).toEqual([[1, 2, 3], [1], [2, 3], [2], [3]]);
  });

  it('a silent meter gets one probe and the read ends with the silence', async () => {
    const s = scriptedPort(() => []);
    const e = await failureOf(client(s.port, { ...QUICK, retries: 0 }).readRegisters([1, 2, 3]));
    expect(e.kind).toBe('no-answer');
    expect(s.written.map((w) => asked(fromHex(w)))).toEqual([[1, 2, 3], [1]]);
  });
});

describe('the read pump and the end of a session', () => {
  it('ends the session as disconnected when the port stops delivering', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port);
    const states: Array<[string, string | undefined]> = [];
    c.onStateChange((state, reason) => states.push([state, reason?.detail]));
    const p = failureOf(c.getSerialNo());
    await new Promise((r) => setTimeout(r, 5));
    s.end();
    const e = await p;
    expect(e.kind).toBe('disconnected');
    expect(e.detail).toBe('the port stopped delivering data');
    expect(c.stats.retries).toBe(0);
    expect(states).toEqual([['disconnected', 'the port stopped delivering data']]);
    expect(c.state).toBe('disconnected');
    expect(await failureOf(c.getSerialNo())).toBe(e);
  });

  it('ends the session with the read error’s message', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port);
    s.fail(new Error('device lost'));
    await c.done;
    expect(c.state).toBe('disconnected');
    expect((await failureOf(c.getSerialNo())).detail).toBe('device lost');
  });

  it('reads on through a transient line error with a fresh reader', async () => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let second!: ReadableStreamDefaultController<Uint8Array>;
    let readable: ReadableStream<Uint8Array> | null = new ReadableStream({ start: (c) => void (controller = c) });
    const port = {
      get readable() {
        return readable;
      },
      writable: new WritableStream<Uint8Array>({
        write() {
          setTimeout(() => second.enqueue(SERIAL), 1);
        },
      }),
    };
    const c = new KmpClient(port, { ...QUICK, closePort: false });
    clients.push(c);
    const again = new ReadableStream<Uint8Array>({ start: (ctl) => void (second = ctl) });
    const e = new Error('framing');
    e.name = 'FramingError';
    readable = again;
    controller.error(e);
    await new Promise((r) => setTimeout(r, 5));
    expect(c.state).toBe('open');
    expect(await c.getSerialNo()).toBe(12345678);
  });

  it('ends the session when the port has no readable stream any more', async () => {
    let readable: ReadableStream<Uint8Array> | null = new ReadableStream({
      start: (ctl) => {
        const e = new Error('break');
        e.name = 'BreakError';
        setTimeout(() => {
          readable = null;
          ctl.error(e);
        }, 1);
      },
    });
    const c = new KmpClient(
      {
        get readable() {
          return readable;
        },
        writable: new WritableStream(),
      },
      QUICK,
    );
    clients.push(c);
    await c.done;
    expect(c.state).toBe('disconnected');
    expect((await failureOf(c.getSerialNo())).detail).toBe('the port has no readable stream');
  });

  it('reports a write that fails as disconnected, with its message', async () => {
    const port = {
      readable: new ReadableStream<Uint8Array>(),
      writable: new WritableStream<Uint8Array>({
        write() {
          throw new Error('write failed');
        },
      }),
    };
    const c = new KmpClient(port, { ...QUICK, closePort: false });
    clients.push(c);
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('disconnected');
    expect(e.detail).toBe('write failed');
  });

  it('closes the port on close() unless told not to, and says closed from then on', async () => {
    const a = scriptedPort(() => []);
    const ca = new KmpClient(a.port, QUICK);
    const states: string[] = [];
    const off = ca.onStateChange((s) => states.push(s));
    await ca.close();
    expect(a.closedCount()).toBe(1);
    expect(ca.state).toBe('closed');
    expect(states).toEqual(['closed']);
    off();
    const e = await failureOf(ca.getSerialNo());
    expect(e.kind).toBe('closed');
    await ca.close();
    expect(states).toEqual(['closed']);

    const b = scriptedPort(() => []);
    await new KmpClient(b.port, { ...QUICK, closePort: false }).close();
    expect(b.closedCount()).toBe(0);
  });

  it('a request waiting when the session closes fails as closed', async () => {
    const s = scriptedPort(() => []);
    const c = new KmpClient(s.port, { ...QUICK, firstByteTimeoutMs: 5_000 });
    const p = failureOf(c.getSerialNo());
    await new Promise((r) => setTimeout(r, 5));
    await c.close();
    expect((await p).kind).toBe('closed');
    expect(c.stats.retries).toBe(0);
  });
});

describe('what the client survives and what it does not', () => {
  it('ignores an echo, noise, a cut frame and a damaged frame when nothing was asked', async () => {
    const s = scriptedPort(() => [SERIAL]);
    const c = client(s.port);
    s.send('80 3F 02 35 E9 0D 11 22 40 3F 40 3F 10 0E 0A 29 0D');
    await new Promise((r) => setTimeout(r, 10));
    expect(c.state).toBe('open');
    expect(c.stats).toMatchObject({ echoes: 1, badFrames: 2 });
    expect(await c.getSerialNo()).toBe(12345678);
  });

  it('ignores a cut-off echo before the reply', async () => {
    const s = scriptedPort(() => ['80 3F', SERIAL]);
    expect(await client(s.port, { ...QUICK, retries: 0 }).getSerialNo()).toBe(12345678);
  });

  it('gives up before the first byte on the total deadline, without a piece to log', async () => {
    const s = scriptedPort(() => []);
    const c = client(s.port, { ...QUICK, firstByteTimeoutMs: 5_000, replyDeadlineMs: 40, retries: 0 });
    const e = await failureOf(c.getSerialNo());
    expect(e.message).toMatch(/^The meter’s reply did not finish within 0 s/);
    expect(c.log.all().map((x) => x.kind)).toEqual(['request']);
  });

  it('reports a port whose writable stream went away as disconnected', async () => {
    let writable: WritableStream<Uint8Array> | null = new WritableStream();
    const c = client({
      readable: new ReadableStream(),
      get writable() {
        return writable;
      },
    });
    writable = null;
    const e = await failureOf(c.getSerialNo());
    expect(e.kind).toBe('disconnected');
    expect(e.detail).toBe('the port has no writable stream');
  });

  it('closes cleanly when the pump never got a reader', async () => {
    let first = true;
    const readable = new ReadableStream<Uint8Array>();
    const c = new KmpClient(
      {
        get readable() {
          const r = first ? readable : null;
          first = false;
          return r;
        },
        writable: new WritableStream(),
      },
      QUICK,
    );
    await c.done;
    expect(c.state).toBe('disconnected');
    await c.close();
  });

  it('stops telling a state listener once it unsubscribes', async () => {
    const s = scriptedPort(() => []);
    const c = new KmpClient(s.port, QUICK);
    const states: string[] = [];
    c.onStateChange((x) => states.push(x))();
    await c.close();
    expect(states).toEqual([]);
  });

  it('does not retry a parser’s own error', async () => {
    const s = scriptedPort(() => [SERIAL]);
    const c = client(s.port, { ...QUICK, retries: 2 });
    await expect(
      c.transact(CID.GetSerialNo, new Uint8Array(0), () => {
        throw new RangeError('boom');
      }),
    ).rejects.toThrow(RangeError);
    expect(s.written).toHaveLength(1);
  });

  it('waits 150 ms, then 300 ms, between attempts by default', async () => {
    vi.useFakeTimers();
    try {
      const s = scriptedPort(() => []);
      const c = new KmpClient(s.port, { firstByteTimeoutMs: 30, interByteTimeoutMs: 20, baudRate: 1e9 });
      const p = failureOf(c.getSerialNo());
      await vi.advanceTimersByTimeAsync(170);
      expect(s.written).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20); // 190: 30 + 150 has passed
      expect(s.written).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(310); // 500
      expect(s.written).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(20); // 520: 180 + 30 + 300 has passed
      expect(s.written).toHaveLength(3);
      await vi.advanceTimersByTimeAsync(100);
      expect((await p).kind).toBe('no-answer');
      await c.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('readRegisters when the session ends half-way', () => {
  const blocks = (ids: number[]) => encodeRegisterBlocks(ids.map((id) => ({ id, unitCode: 8, decimal: String(id) })));
  const asked = (req: Uint8Array) => decodeGetRegisterRequest(decodeFrame(req).data);

  it('throws the disconnection even after a batch was read', async () => {
    const s = scriptedPort((req, n) => {
      if (n === 1) return [reply(CID.GetRegister, blocks(asked(req)))];
      setTimeout(() => s.end(), 2);
      return [];
    });
    const e = await failureOf(client(s.port).readRegisters(Array.from({ length: 12 }, (_, i) => i + 1)));
    expect(e.kind).toBe('disconnected');
  });

  it('throws the close even after a batch was read', async () => {
    const s = scriptedPort((req, n) => {
      if (n === 1) return [reply(CID.GetRegister, blocks(asked(req)))];
      setTimeout(() => void c.close(), 2);
      return [];
    });
    const c = new KmpClient(s.port, { ...QUICK, firstByteTimeoutMs: 1_000 });
    const e = await failureOf(c.readRegisters(Array.from({ length: 12 }, (_, i) => i + 1)));
    expect(e.kind).toBe('closed');
  });

  it('a single silent register gets no probe', async () => {
    const s = scriptedPort(() => []);
    await failureOf(client(s.port, { ...QUICK, retries: 0 }).readRegisters([7]));
    expect(s.written).toHaveLength(1);
  });

  it('a probe that fails otherwise than by silence is not repeated for the rest', async () => {
    // Single requests come back damaged; longer ones get no answer.
    const s = scriptedPort((req) => (asked(req).length === 1 ? ['40 3F 10 0E 0A 29 0D'] : []));
    const e = await failureOf(client(s.port, { ...QUICK, retries: 0 }).readRegisters([1, 2, 3]));
    expect(e.kind).toBe('no-answer');
    expect(s.written.map((w) => asked(fromHex(w)))).toEqual([[1, 2, 3], [1], [2, 3]]);
  });
});
