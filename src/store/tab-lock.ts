/** Only one tab may own the serial port and the polling loop. */
export interface MeterLock {
  release(): void;
}

const DEFAULT_NAME = 'kmp-web-meter';

/**
 * Takes the meter lock if no other tab of this app holds it (Web Locks), or returns undefined;
 * with `wait`, waits until the tab that holds it lets go. The lock is held until released or
 * the tab closes, so a crashed tab never keeps it.
 */
export async function acquireMeterLock(
  name = DEFAULT_NAME,
  locks: LockManager | undefined = globalThis.navigator?.locks,
  options: { wait?: boolean } = {},
): Promise<MeterLock | undefined> {
  if (!locks) return { release: () => undefined }; // no Web Locks: nothing to coordinate with
  return new Promise((resolve) => {
    void locks.request(name, { ifAvailable: !options.wait }, (lock) => {
      if (!lock) {
        resolve(undefined);
        return undefined;
      }
      return new Promise<void>((release) => resolve({ release: () => release() }));
    });
  });
}

/** Whether another tab holds the lock right now. */
export async function meterLockHeldElsewhere(
  name = DEFAULT_NAME,
  locks: LockManager | undefined = globalThis.navigator?.locks,
): Promise<boolean> {
  if (!locks) return false;
  const state = await locks.query();
  return (state.held ?? []).some((l) => l.name === name);
}
