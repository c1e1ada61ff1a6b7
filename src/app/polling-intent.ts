import type { KmpStore } from '../store/kmp-store.ts';

/**
 * What the person asked for, kept in the store so that a reload, a browser restart, another tab
 * or a replugged head can carry it on: poll these registers at this interval, on the grid that
 * started at `anchor`, through this head. Set by Start polling, cleared by Stop polling and by
 * Disconnect; a lost port or a closed tab leaves it, since nobody asked to stop.
 */
export interface PollingIntent {
  registers: number[];
  intervalMs: number;
  /** When polling was started: reads fall on anchor + k × interval across reloads. */
  anchor: number;
}

const KEY = 'polling-intent';

export async function loadPollingIntent(store: Pick<KmpStore, 'getSetting'>): Promise<PollingIntent | undefined> {
  const saved = await store.getSetting<unknown>(KEY);
  return isIntent(saved) ? saved : undefined;
}

export function savePollingIntent(
  store: Pick<KmpStore, 'putSetting'>,
  intent: PollingIntent | undefined,
): Promise<void> {
  return store.putSetting(KEY, intent ?? null);
}

/** A record another version or a hand-edited restore wrote is taken only when whole. */
function isIntent(v: unknown): v is PollingIntent {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Array.isArray(o.registers) &&
    o.registers.length > 0 &&
    o.registers.every((id) => Number.isInteger(id) && (id as number) > 0 && (id as number) < 0x10000) &&
    typeof o.intervalMs === 'number' &&
    Number.isFinite(o.intervalMs) &&
    o.intervalMs > 0 &&
    typeof o.anchor === 'number' &&
    Number.isFinite(o.anchor)
  );
}
