import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeRegisterBlocks, fromHex } from '../../src/kmp/index.ts';
import { WireLog, type WireEntry } from '../../src/link/index.ts';

// The frame log is what a user attaches to a bug report about a meter we do not have: every
// line of it is checked word for word here.

const reply = (cid: number, data: Uint8Array | number[]) => encodeFrame(Uint8Array.of(0x3f, cid, ...data), 'response');
const request = (cid: number, data: number[] = []) => encodeFrame(Uint8Array.of(0x3f, cid, ...data));

function line(kind: WireEntry['kind'], bytes: Uint8Array, dir: 'tx' | 'rx' = 'rx') {
  const e = new WireLog().add(dir, kind, bytes);
  return { crcOk: e.crcOk, decoded: e.decoded };
}

describe('what each log line says', () => {
  it.each([
    ['a GetRegister request', 'request', request(0x10, [2, 0, 0x3c, 0xff, 0xff]), true, 'GetRegister 60, 65535'],
    ['a GetSerialNo request', 'request', request(0x02), true, 'GetSerialNo'],
    ['the echo of a request', 'echo', request(0x01), true, 'echo of our GetType'],
    [
      'a GetRegister reply with and without units',
      'response',
      reply(
        0x10,
        encodeRegisterBlocks([
          { id: 60, unitCode: 8, decimal: '55.006' },
          { id: 99, unitCode: 0, decimal: '0' },
        ]),
      ),
      true,
      'GetRegister reply: 60=55.006 GJ, 99=0',
    ],
    [
      'a GetRegister reply without registers',
      'response',
      reply(0x10, []),
      true,
      'GetRegister reply: no known registers',
    ],
    ['a GetSerialNo reply', 'response', reply(0x02, [0x00, 0xbc, 0x61, 0x4e]), true, 'GetSerialNo reply: 12345678'],
    [
      'a GetType reply',
      'response',
      reply(0x01, [0x00, 0x04, 0x06, 0x01]),
      true,
      'GetType reply: type 0x0004, revision F1',
    ],
    [
      'a GetType reply without revision',
      'response',
      reply(0x01, [0x11, 0x01, 0, 0]),
      true,
      'GetType reply: type 0x1101, revision n/a',
    ],
    ['another known command', 'response', reply(0x9b, [1, 2, 3]), true, 'GetEventStatus response, 3 data byte(s)'],
    ['an unknown command', 'response', reply(0x5a, []), true, 'command 0x5a response, 0 data byte(s)'],
    ['an unknown request', 'request', request(0xa5, [1]), true, 'command 0xa5'],
    [
      'a reply whose data does not parse',
      'response',
      reply(0x02, [1, 2, 3]),
      true,
      'GetSerialNo response with unreadable data: a GetSerialNo reply carries 4 data bytes, not 3',
    ],
    [
      'a request whose data does not parse',
      'request',
      request(0x10, [2, 0]),
      true,
      'GetRegister request with unreadable data: GetRegister request data of 2 byte(s) does not match its count 2',
    ],
    [
      'a reply whose CRC failed',
      'response',
      fromHex('40 3F 10 0E 0A 29 0D'),
      false,
      'rejected: CRC mismatch: frame says 0x0A29, content gives 0x0B29',
    ],
    [
      'a reply with a bad escape',
      'response',
      fromHex('40 3F 10 1B 00 7E 4A 0D'),
      undefined,
      'rejected: escape 0x1B followed by 0x00, which does not stand for a reserved byte',
    ],
    ['noise', 'noise', Uint8Array.of(1, 2, 3), undefined, '3 byte(s) outside any frame'],
    ['a cut-off frame', 'cut', fromHex('40 3F 10'), undefined, 'frame cut off after 3 byte(s)'],
  ] as const)('%s', (_name, kind, bytes, crcOk, decoded) => {
    expect(line(kind, bytes)).toEqual({ crcOk, decoded });
  });
});

describe('the log itself', () => {
  it('numbers, times and hexes every entry, and tells listeners until they unsubscribe', () => {
    let now = 5_000;
    const log = new WireLog(10, () => now);
    const heard: number[] = [];
    const off = log.subscribe((e) => heard.push(e.seq));
    const first = log.add('tx', 'request', request(0x02));
    expect(first).toEqual({
      seq: 1,
      at: 5_000,
      dir: 'tx',
      kind: 'request',
      hex: '80 3F 02 35 E9 0D',
      crcOk: true,
      decoded: 'GetSerialNo',
    });
    now = 5_250;
    const second = log.add('rx', 'noise', Uint8Array.of(0xaa));
    expect(second).toMatchObject({ seq: 2, at: 5_250, hex: 'AA', replyMs: 250 });
    off();
    log.add('rx', 'noise', Uint8Array.of(0xbb));
    expect(heard).toEqual([1, 2]);
    expect(log.all().map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('gives no reply time before the first request, nor to our echo', () => {
    const log = new WireLog(10, () => 0);
    expect(log.add('rx', 'response', reply(0x02, [0, 0, 0, 1])).replyMs).toBeUndefined();
    expect(log.replyTimes()).toBeUndefined();
    log.add('tx', 'request', request(0x02));
    expect('replyMs' in log.add('rx', 'echo', request(0x02))).toBe(false);
    expect(log.add('rx', 'response', reply(0x02, [0, 0, 0, 1])).replyMs).toBe(0);
  });

  it('keeps only the newest entries up to its capacity, and forgets all on clear', () => {
    const log = new WireLog(3, () => 0);
    for (let i = 0; i < 5; i++) log.add('rx', 'noise', Uint8Array.of(i));
    expect(log.all().map((e) => e.hex)).toEqual(['02', '03', '04']);
    log.add('rx', 'noise', Uint8Array.of(5));
    expect(log.all().map((e) => e.hex)).toEqual(['03', '04', '05']);
    log.clear();
    expect(log.all()).toEqual([]);
    expect(log.add('rx', 'noise', Uint8Array.of(6)).seq).toBe(7);
  });

  it('holds 2000 entries by default', () => {
    const log = new WireLog();
    for (let i = 0; i < 2001; i++) log.add('rx', 'noise', Uint8Array.of(1));
    expect(log.all()).toHaveLength(2000);
    expect(log.all()[0]!.seq).toBe(2);
    expect(log.all()[0]!.at).toBeGreaterThan(1_600_000_000_000);
  });
});

describe('replyTimes', () => {
  function logWith(times: Array<[number, Uint8Array]>) {
    let now = 0;
    const log = new WireLog(100, () => now);
    for (const [ms, bytes] of times) {
      now += 10_000;
      log.add('tx', 'request', request(0x02));
      now += ms;
      log.add('rx', 'response', bytes);
    }
    return log;
  }
  const good = reply(0x02, [0, 0, 0, 1]); // 10 bytes on the wire

  it('is undefined with no intact reply', () => {
    expect(new WireLog().replyTimes()).toBeUndefined();
    expect(logWith([[100, fromHex('40 3F 10 0E 0A 29 0D')]]).replyTimes()).toBeUndefined();
  });

  it('counts only intact replies, sorted, with the lower median', () => {
    const log = logWith([
      [400, good],
      [100, good],
      [50, fromHex('40 3F 10 0E 0A 29 0D')],
      [300, good],
      [200, good],
    ]);
    log.add('rx', 'noise', Uint8Array.of(1));
    expect(log.replyTimes()).toEqual({ count: 4, min: 100, median: 200, max: 400 });
  });

  it('takes the time on the line off and rounds, never below zero', () => {
    const log = logWith([
      [100, good],
      [33, good],
      [250, good],
    ]);
    expect(log.replyTimes(3.33)).toEqual({ count: 3, min: 0, median: 67, max: 217 });
  });
});
