/**
 * Connecting again (to the same head or, after walking to the next flat, another meter) starts
 * from nothing: the last connection's identity and reading are not shown as this meter's while
 * it is being identified.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

describe('connecting again', () => {
  it('forgets the previous meter’s identity and reading the moment it starts connecting', async () => {
    const session = new MeterSession({ client: FAST });
    sessions.push(session);
    const first = createVirtualMeter({ frozen: true, serial: 11111111 });
    await session.connect(first.port, { label: 'first' });
    await session.identifyAndRead([0x3c]);
    expect(session.identity?.serial).toBe(11111111);
    expect(session.lastReading?.serial).toBe(11111111);

    const second = createVirtualMeter({ frozen: true, serial: 22222222, model: '603' });
    const seenWhileConnecting: unknown[] = [];
    session.subscribe(() => {
      if (session.state.kind === 'connecting')
        seenWhileConnecting.push([session.identity?.serial, session.lastReading?.serial]);
    });
    await session.connect(second.port, { label: 'second' });
    expect(seenWhileConnecting).toEqual([[undefined, undefined]]);
    expect(session.identity).toBeUndefined();
    expect(session.lastReading).toBeUndefined();
    expect(session.lastUnsupported).toEqual([]);
    await session.identifyAndRead([0x3c]);
    expect(session.identity?.serial).toBe(22222222);
  });
});
