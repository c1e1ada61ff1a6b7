/**
 * readLogger where a real line, a busy meter or a faulty logger would mislead a user
 * (src/link/logger-reader.ts), against the scripted logger of test/link/scripted-logger.ts: a
 * line that damages every long reply, a meter that writes entries while it is read, a logger
 * that flags its own errors, and a reply that never ends.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOGGER_INFO, LOGGER_SUB, encodeLoggerReply, type LoggerReplySpec } from '../../src/kmp/index.ts';
import type { LoggerEntry } from '../../src/link/index.ts';
import { clientFor, closeClients, failureOf, ids, scriptedMeter, type FakeLogger } from './scripted-logger.ts';

afterEach(async () => {
  vi.useRealTimers();
  await closeClients();
});

const REGS = [1003, 1002, 60];

describe('a line that damages every reply longer than 150 bytes', () => {
  it('shrinks the page below that size, keeps it there, and reads the whole log', async () => {
    // A meter with a big reply buffer: 40 rows a reply, 100 entries.
    const log: FakeLogger = { logger: 4, depth: 100, records: [1003, 1002, 60, 68], newest: 100, fit: 40 };
    let damaged = 0;
    const meter = scriptedMeter(log, (_r, proper) => {
      if (proper instanceof Uint8Array) return undefined;
      if (encodeLoggerReply(proper).length <= 150) return undefined;
      damaged++;
      return 'corrupt';
    });
    const result = await clientFor(meter).readLogger(4, REGS);
    expect(result.complete).toBe(true);
    expect(result.entries.map((e) => e.id)).toEqual(ids(100, 1));
    // Not paid again on every page: the page stays short, and tries longer only now and then.
    expect(damaged).toBeLessThanOrEqual(6);
    expect(result.requests).toBeLessThan(30);
  });
});

describe('a meter that writes new entries while it is read', () => {
  it.each([1, 3, 6])(
    '%i new entries: the download ends complete, with the new ones, nothing outside the meter',
    async (extra) => {
      const log: FakeLogger = { logger: 5, depth: 100, records: [1003, 1002, 60, 68], newest: 100, fit: 10 };
      let written = 0;
      const meter = scriptedMeter(log, (request) => {
        // A new entry before each page after the first, up to `extra`: the oldest roll out.
        if (request.sub === LOGGER_SUB.byId && written < extra) {
          log.newest++;
          written++;
        }
        return undefined;
      });
      const result = await clientFor(meter).readLogger(5, REGS);
      expect(result.complete).toBe(true);
      const got = result.entries.map((e) => e.id);
      expect(new Set(got).size).toBe(got.length);
      // Every entry the meter still holds at the end, and none it never held.
      const oldestNow = log.newest - log.depth + 1;
      expect(got.filter((id) => id >= oldestNow).sort((a, b) => b - a)).toEqual(ids(log.newest, oldestNow));
      expect(got.every((id) => id >= 1 && id <= log.newest)).toBe(true);
    },
  );
});

describe('a logger that flags its own errors', () => {
  it.each([
    ['invalid request', LOGGER_INFO.invalidRequest],
    ['memory error', LOGGER_INFO.memoryError],
    ['out of range', LOGGER_INFO.outOfRange],
  ])(
    'a first reply of no entries flagged %s is an error said in words, not a complete download',
    async (words, flag) => {
      const log: FakeLogger = { logger: 4, depth: 100, records: [1003, 1002, 60, 68], newest: 100, fit: 10 };
      const meter = scriptedMeter(log, (request, proper) =>
        request.sub === LOGGER_SUB.config
          ? undefined
          : { ...(proper as LoggerReplySpec), info: flag, rows: [], firstId: 0 },
      );
      const e = await failureOf(clientFor(meter).readLogger(4, REGS));
      expect(e.kind).toBe('logger-error');
      expect(e.message).toContain(words);
      expect(e.message).toMatch(/^The meter's daily logger reported an error/);
    },
  );

  it('entries under a memory-error flag are never handed on to be stored', async () => {
    const log: FakeLogger = { logger: 4, depth: 100, records: [1003, 1002, 60, 68], newest: 100, fit: 10 };
    const meter = scriptedMeter(log, (_request, proper, n) =>
      n === 3
        ? { ...(proper as LoggerReplySpec), info: (proper as LoggerReplySpec).info | LOGGER_INFO.memoryError }
        : undefined,
    );
    const stored: LoggerEntry[] = [];
    const e = await failureOf(
      clientFor(meter).readLogger(4, REGS, { onEntries: (entries) => void stored.push(...entries) }),
    );
    expect(e.kind).toBe('logger-error');
    expect(e.message).toContain('memory error');
    // The pages before the flagged one are kept; none of the flagged reply's rows.
    expect(stored.map((x) => x.id)).toEqual(ids(100, 81));
  });
});

describe('a reply that never ends', () => {
  it('at 1200 baud: the user is told within 30 s, after one such reply, not after five', async () => {
    vi.useFakeTimers();
    const log: FakeLogger = { logger: 4, depth: 460, records: [1003, 1002, 60, 68], newest: 460, fit: 20 };
    const meter = scriptedMeter(log, (request) => (request.sub === LOGGER_SUB.config ? undefined : 'endless'));
    const client = clientFor(meter, { firstByteTimeoutMs: 1500, interByteTimeoutMs: 200, retryBackoffMs: 150 });
    const started = Date.now();
    let settled: number | undefined;
    const failure = failureOf(client.readLogger(4, REGS)).finally(() => (settled = Date.now()));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(settled).toBeDefined();
    expect(settled! - started).toBeLessThanOrEqual(30_000);
    const e = await failure;
    expect(e.kind).toBe('overrun');
    expect(e.message).toMatch(/did not finish within/);
    expect(meter.requests.filter((r) => r.sub !== LOGGER_SUB.config)).toHaveLength(1);
  });
});
