import { unchainedTimeout } from './unchained-timeout.ts';

/** setTimeout's longest delay; a longer one fires at once, so longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Waits `ms` (any length: beyond setTimeout's limit the wait is chained), or less if `signal`
 * aborts first; in a hidden page the wait is not throttled as the end of a timer chain would be
 * (see unchained-timeout.ts). True when the whole wait passed, false when it was cut short.
 */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let cancel: (() => void) | undefined;
    const onAbort = () => {
      cancel?.();
      resolve(false);
    };
    const step = (left: number) => {
      const now = Math.min(left, MAX_TIMEOUT_MS);
      cancel = unchainedTimeout(() => {
        if (left > now) return step(left - now);
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, now);
    };
    if (signal.aborted) return resolve(false);
    signal.addEventListener('abort', onAbort);
    step(ms);
  });
}
