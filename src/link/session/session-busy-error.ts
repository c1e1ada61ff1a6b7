import { loggerName } from '../../kmp/index.ts';
import type { Activity } from './session-types.ts';

function busyWith(activity: Activity): string {
  switch (activity.kind) {
    case 'logger':
      return `downloading its ${loggerName(activity.logger)} logger: wait for it or cancel it`;
    case 'scanning':
      return 'with a register scan: wait for it or stop it';
    case 'aligning':
      return 'aligning the head: stop the alignment';
    case 'polling':
      return 'polling: stop polling';
    default:
      return 'being read: wait for the reading to finish';
  }
}

/**
 * The meter is doing something else: the session runs one activity at a time (see
 * MeterSession.canStart). Says what it is doing in words a page can show as they are.
 */
export class SessionBusyError extends Error {
  override readonly name = 'SessionBusyError';
  readonly kind = 'busy';
  readonly advice = 'The meter answers one request at a time, so the app runs one task with it at a time.';
  /** The activity in the way. */
  readonly detail: Activity['kind'];
  constructor(busy: Activity) {
    super(`The meter is busy ${busyWith(busy)}, then try again.`);
    this.detail = busy.kind;
  }
}
