import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';
import { vi } from 'vitest';
import { KmpClient, LinkError, MeterSession, type KmpClientOptions } from '../../src/link/index.ts';

/** The 31 register ids of the reference project (kamstrup-402-mqtt), in its order. */
export const SEED_IDS = [
  0x3c, 0x50, 0x56, 0x57, 0x59, 0x4a, 0x44, 0x8d, 0x8b, 0x8c, 0x8a, 0x91, 0x8f, 0x95, 0x96, 0x90, 0x8e, 0x7e, 0x7c,
  0x7d, 0x7b, 0x82, 0x80, 0x92, 0x93, 0x81, 0x7f, 0x61, 0x6e, 0x71, 0x3ec,
];

/** Fast client settings for the instant virtual meter: failures show up in tens of milliseconds. */
export const FAST: KmpClientOptions = { firstByteTimeoutMs: 60, interByteTimeoutMs: 40, retryBackoffMs: 5 };

export async function connect(
  meterOptions: VirtualMeterOptions = {},
  clientOptions: KmpClientOptions = FAST,
): Promise<{ meter: VirtualMeter; client: KmpClient }> {
  const meter = createVirtualMeter({ frozen: true, ...meterOptions });
  await meter.port.open({ baudRate: 1200, dataBits: 8, parity: 'none', stopBits: 2 });
  return { meter, client: new KmpClient(meter.port, clientOptions) };
}

/** What the meter holds for these ids, as the client should report it. */
export function expectedValues(meter: VirtualMeter, ids: readonly number[]) {
  const all = new Map(meter.registerValues().map((r) => [r.id, r]));
  return ids
    .filter((id) => all.has(id))
    .map((id) => ({ id, unitCode: all.get(id)!.unitCode, decimal: all.get(id)!.decimal }));
}

/** Settles `p` (to its value or its LinkError) while the fake clock runs ten seconds, so its timeouts fire. */
export async function settle<T>(p: Promise<T>): Promise<T | LinkError> {
  const out = p.catch((e: unknown) => {
    if (e instanceof LinkError) return e;
    throw e;
  });
  await vi.advanceTimersByTimeAsync(10_000);
  return out;
}

/** A session connected to a frozen virtual meter (a 603 unless told), added to `sessions` for the afterEach that disconnects them. */
export async function connectedSession(
  sessions: MeterSession[],
  options: VirtualMeterOptions = {},
): Promise<{ meter: VirtualMeter; session: MeterSession }> {
  const meter = createVirtualMeter({ frozen: true, model: '603', ...options });
  const session = new MeterSession({ client: FAST });
  sessions.push(session);
  await session.connect(meter.port, { label: 'virtual', demo: true });
  return { meter, session };
}
