/**
 * setTimeout that starts a new timer chain in a hidden page.
 *
 * Chrome throttles the timers of a page hidden for 5 minutes to one wake-up a minute, but only
 * timers of a chain: one set from a timer's callback (or from what that callback started), five
 * deep. A timer set from a message task begins a chain of its own and keeps Chrome's ordinary
 * hidden-page alignment of about a second. scripts/hidden-tab.ts measures both in Chromium: a
 * chained 1 s timer fired once a minute; the same timer re-armed from a MessageChannel task fired
 * every 2 s. A poll wait that comes at the end of a chain (a read whose replies came on timers,
 * a retry after a retry) would otherwise start its poll up to a minute late.
 *
 * In a visible page, and outside a browser, it is plain setTimeout.
 */
export function unchainedTimeout(run: () => void, ms: number): () => void {
  const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
  if (!hidden || typeof MessageChannel === 'undefined') {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let cancelled = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (!cancelled) timer = setTimeout(run, ms);
  };
  channel.port2.postMessage(null);
  return () => {
    cancelled = true;
    clearTimeout(timer);
    channel.port1.close();
  };
}
