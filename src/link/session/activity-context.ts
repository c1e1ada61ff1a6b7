import type { Reading } from '../../kmp/index.ts';
import type { KmpClient } from '../kmp-client.ts';
import type { Activity, MeterIdentity, ReadProgress } from './session-types.ts';
import type { LinkError } from '../link-error.ts';

/** The session's observable fields an activity may change; listeners hear of each change once. */
export type SessionPatch = Partial<{
  activity: Activity;
  identity: MeterIdentity | undefined;
  lastReading: Reading | undefined;
  firstReadProgress: ReadProgress | undefined;
  lastUnsupported: readonly number[];
  lastError: LinkError | undefined;
}>;

/** The session's fields a runner reads. */
export interface SessionView {
  readonly activity: Activity;
  /** The meter identified on this connection, if it has been. */
  readonly identity: MeterIdentity | undefined;
  readonly firstReadProgress: ReadProgress | undefined;
}

/** What the session hands each activity's runner: the line, its stop signal and the session's fields. */
export interface ActivityContext {
  readonly client: KmpClient;
  /** Aborted when the activity is stopped, taken over or the connection ends. */
  readonly signal: AbortSignal;
  readonly now: () => number;
  /** The session's fields as they are now. */
  readonly view: SessionView;
  /** Changes the session's fields and tells its listeners. */
  update(patch: SessionPatch): void;
  /** Hands a whole reading to the session's reading listeners (the store and the outbox). */
  publish(reading: Reading): void;
}
