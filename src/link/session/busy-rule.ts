import type { Activity, StartableActivity } from './session-types.ts';

/** What the busy rule looks at: the connection, the activity shown and the one that holds the line. */
export interface BusyState {
  connected: boolean;
  /** The activity the session shows. */
  shown: Activity['kind'];
  /** A read, scan or download in flight, even one that polling stays shown over. */
  running: Activity['kind'] | undefined;
}

/**
 * The one busy rule: nothing starts without a connection or while a read, scan or download is in
 * flight; polling leaves room for a read or a download between its own reads; alignment and a
 * scan leave room for nothing.
 */
export function mayStart(activity: StartableActivity, now: BusyState): boolean {
  if (!now.connected || now.running !== undefined) return false;
  return now.shown === 'idle' || (now.shown === 'polling' && (activity === 'reading' || activity === 'logger'));
}
