/**
 * The one busy rule (MeterSession.canStart) as a table, and the words a refused start is said in.
 * Every page asks the rule before it offers a start, and the session refuses what it refuses.
 */
import { describe, expect, it } from 'vitest';
import { LOGGER_TYPE } from '../../src/kmp/index.ts';
import { SessionBusyError, type Activity, type StartableActivity } from '../../src/link/index.ts';
import { mayStart } from '../../src/link/session/busy-rule.ts';

const STARTABLE: readonly StartableActivity[] = ['reading', 'polling', 'aligning', 'scanning', 'logger'];

describe('mayStart', () => {
  it('starts anything on an idle connection, nothing without a connection', () => {
    for (const a of STARTABLE) {
      expect(mayStart(a, { connected: true, shown: 'idle', running: undefined })).toBe(true);
      expect(mayStart(a, { connected: false, shown: 'idle', running: undefined })).toBe(false);
    }
  });

  it('while polling, starts a read or a download between its reads, and nothing else', () => {
    const allowed = STARTABLE.filter((a) => mayStart(a, { connected: true, shown: 'polling', running: undefined }));
    expect(allowed).toEqual(['reading', 'logger']);
  });

  it('starts nothing while a read, scan, download or alignment holds the meter', () => {
    for (const a of STARTABLE) {
      for (const shown of ['reading', 'aligning', 'scanning', 'logger'] as const)
        expect(mayStart(a, { connected: true, shown, running: undefined })).toBe(false);
      // A download started while polling: polling stays on show, the download holds the line.
      expect(mayStart(a, { connected: true, shown: 'polling', running: 'logger' })).toBe(false);
      expect(mayStart(a, { connected: true, shown: 'idle', running: 'reading' })).toBe(false);
    }
  });
});

describe('SessionBusyError', () => {
  const said = (busy: Activity) => new SessionBusyError(busy).message;

  it('says what the meter is busy with, and what to do, in one sentence', () => {
    const logger = (n: number): Activity => ({ kind: 'logger', logger: n, done: 0, total: 0, requests: 0 });
    expect(said(logger(LOGGER_TYPE.year))).toBe(
      'The meter is busy downloading its yearly logger: wait for it or cancel it, then try again.',
    );
    expect(said(logger(LOGGER_TYPE.hour))).toMatch(/^The meter is busy downloading its hourly logger:/);
    expect(said(logger(LOGGER_TYPE.info))).toMatch(/its info-code logger:/);
    expect(said(logger(8))).toMatch(/its number 8 logger:/);
    expect(said({ kind: 'scanning', done: 0, total: 8, found: 0 })).toBe(
      'The meter is busy with a register scan: wait for it or stop it, then try again.',
    );
    expect(said({ kind: 'polling', intervalMs: 1, nextAt: 0, reads: 0 })).toBe(
      'The meter is busy polling: stop polling, then try again.',
    );
    expect(said({ kind: 'reading' })).toBe(
      'The meter is busy being read: wait for the reading to finish, then try again.',
    );
  });

  it('has the shape of every error of ours: kind, message, advice and detail', () => {
    const e = new SessionBusyError({ kind: 'reading' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'SessionBusyError', kind: 'busy', detail: 'reading' });
    expect(e.advice).toMatch(/one request at a time/);
  });
});
