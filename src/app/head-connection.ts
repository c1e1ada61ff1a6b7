import type { Words } from '../kmp/words.ts';
import { LinkError, SerialAccessError, type MeterSession } from '../link/index.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import type { SettingsValues } from './app-settings.ts';
import { appWords, problemWords } from './app-words.ts';
import type { Head, HeadKey } from './head.ts';
import { nextPollAfter } from './poll-grid.ts';
import type { PollingIntent } from './polling-intent.ts';

export const ANOTHER_TAB_CONNECTED = appWords('app.another-tab-connected');

const HEAD_KEY = 'station-head';

export async function loadHeadKey(store: Pick<KmpStore, 'getSetting'>): Promise<HeadKey | undefined> {
  const v = await store.getSetting<unknown>(HEAD_KEY);
  return typeof v === 'object' && v !== null && typeof (v as HeadKey).path === 'string' ? (v as HeadKey) : undefined;
}

export interface HeadConnectionParts {
  session: MeterSession;
  settings: { values: SettingsValues };
  store: Pick<KmpStore, 'putSetting' | 'readings'> | undefined;
  claimMeter(): Promise<boolean>;
  /** What the person asked for last, if polling is wanted. */
  intent(): Promise<PollingIntent | undefined>;
}

/**
 * Connects through `head`, identifies the meter and goes on with what the person asked for:
 * polling resumed on its grid when it was wanted (a reload, a replug, another tab taking over),
 * else one reading of the chosen registers. Returns a problem in words that the session does not
 * already show (its state and last error tell of the port and the meter), or undefined.
 */
export async function connectHead(parts: HeadConnectionParts, head: Head): Promise<Words | undefined> {
  const { session, settings } = parts;
  if (!(await parts.claimMeter())) {
    await head.port.close().catch(() => undefined);
    return ANOTHER_TAB_CONNECTED;
  }
  try {
    const v = settings.values;
    await session.connect(head.port, {
      label: head.label,
      demo: head.demo,
      port: head.info,
      settings: v.serial,
      client: { firstByteTimeoutMs: v.firstByteTimeoutMs, interByteTimeoutMs: v.interByteTimeoutMs },
    });
    void parts.store?.putSetting(HEAD_KEY, head.key).catch(() => undefined);
    const intent = await parts.intent().catch(() => undefined);
    if (intent) await resumePolling(parts, intent);
    // One round: the identity's registers ride with the chosen ones, each asked once.
    else await session.identifyAndRead(v.registers);
    return undefined;
  } catch (e) {
    // The session already holds the classified error for display; anything else is said as is.
    return e instanceof LinkError || e instanceof SerialAccessError ? undefined : problemWords(e);
  }
}

/**
 * Polling as it was asked for, on the connected meter: identified first (the first request may
 * only wake it), then the next slot of the intent's grid after the last stored reading, so a
 * reload two minutes after a reading waits the rest of the interval instead of reading again,
 * and a reload after a long gap reads at once.
 */
export async function resumePolling(
  parts: Omit<HeadConnectionParts, 'claimMeter'>,
  intent: PollingIntent,
): Promise<void> {
  const { session } = parts;
  const identity = session.identity ?? (await session.identify());
  const [last] = (await parts.store?.readings(identity.serial, { newestFirst: true, limit: 1 }).catch(() => [])) ?? [];
  const firstAt = nextPollAfter(intent, last?.takenAt);
  session.startPolling(intent.registers, intent.intervalMs, { firstAt });
}
