/**
 * Polling in a hidden tab, measured in Debian's Chromium: the built app, the demo meter polled at
 * the shortest interval, the page hidden behind a second tab of the same window, and for each
 * poll its due time (the `nextAt` the app showed) against its start, plus a plain chained
 * setTimeout(1000) in the same page to show that the browser's throttling really applied.
 *
 * Chromium is driven over its DevTools port, not through Playwright: Playwright keeps every page
 * it drives "visible", which is exactly what must not happen here. Chrome throttles chained timers
 * of a page hidden for 5 minutes to one wake-up a minute; `--grace` shortens those 5 minutes
 * (default 10 s, `--grace 300` for Chrome's own) so the measurement takes minutes, not a quarter
 * of an hour. Run: `node --import tsx scripts/hidden-tab.ts [--polls 3] [--grace 10]`; also a
 * step of `npm run bench`. Reports figures; asserts nothing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_POLL_INTERVAL_MS } from '../src/kmp/index.ts';
import { CdpPage, openTab, waitForPages } from './cdp.ts';
import { serveDist } from './serve-dist.ts';

const root = new URL('../', import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface HiddenTabOptions {
  /** Polls to measure while hidden. */
  polls?: number;
  /** Seconds a page stays hidden before Chrome's intensive throttling (Chrome's own: 300). */
  graceSeconds?: number;
  /** Whether to run `vite build` first (false: use dist/ as it is). */
  build?: boolean;
}

/** What the page recorded: times in ms since the epoch (Date.now, as the app's `nextAt`). */
interface Recorded {
  marks: Array<{ at: number; nextAt: number; reads: number }>;
  readings: number[];
  timer: Array<{ at: number; gap: number }>;
  /** The same 1 s timer, each re-armed from a MessageChannel task rather than from its own callback. */
  unchained: Array<{ at: number; gap: number }>;
  requests: number;
  visibility: Array<{ at: number; state: string }>;
}

/**
 * Installed in the page: records the app's polling schedule from the session's own updates and
 * a chained 1 s timer. Event-driven, so the recorder itself is not slowed by the throttling.
 */
const RECORDER = `(() => {
  const s = window.kmpSession;
  const r = { marks: [], readings: [], timer: [], unchained: [], visibility: [], requests: 0 };
  window.__hiddenTab = r;
  let last = '';
  s.subscribe(() => {
    r.requests = s.requestsSent;
    const a = s.activity;
    if (a.kind !== 'polling') return;
    const key = a.nextAt + '/' + a.reads;
    if (key !== last) { last = key; r.marks.push({ at: Date.now(), nextAt: a.nextAt, reads: a.reads }); }
  });
  s.onReading(() => r.readings.push(Date.now()));
  let prev = Date.now();
  const tick = () => { const now = Date.now(); r.timer.push({ at: now, gap: now - prev }); prev = now; setTimeout(tick, 1000); };
  setTimeout(tick, 1000);
  // A timer armed from a message task starts a new chain (nesting level 1), as one armed after a serial read does.
  const channel = new MessageChannel();
  let prevU = Date.now();
  channel.port1.onmessage = () => setTimeout(() => { const now = Date.now(); r.unchained.push({ at: now, gap: now - prevU }); prevU = now; channel.port2.postMessage(0); }, 1000);
  channel.port2.postMessage(0);
  document.addEventListener('visibilitychange', () => r.visibility.push({ at: Date.now(), state: document.visibilityState }));
  return true;
})()`;

/** Finds an element through every shadow root and clicks it or sets it; true when found. */
const deep = (body: string) => `(() => {
  const all = (root) => [...root.querySelectorAll('*')].flatMap((e) => [e, ...(e.shadowRoot ? all(e.shadowRoot) : [])]);
  const els = all(document);
  ${body}
})()`;

const CLICK = (text: string) =>
  deep(`const b = els.find((e) => e.tagName === 'BUTTON' && e.textContent.trim() === ${JSON.stringify(text)} && !e.disabled);
  if (!b) return false; b.click(); return true;`);

const SET_INTERVAL = (ms: number) =>
  deep(`const s = els.find((e) => e.tagName === 'SELECT' && [...e.options].some((o) => o.value === '${ms}'));
  if (!s) return false; s.value = '${ms}'; s.dispatchEvent(new Event('input', { bubbles: true }));
  s.dispatchEvent(new Event('change', { bubbles: true })); return true;`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One poll: when it was due (the `nextAt` shown after the previous read) and when it started. */
export interface PollTiming {
  dueAt: number;
  startAt: number;
  driftMs: number;
}

/**
 * Pairs the schedule marks into polls. A poll shows `nextAt` as it starts and again as its read
 * ends (with the read counted); the next poll's start carries the same count as that end mark.
 */
export function pollTimings(marks: Recorded['marks']): PollTiming[] {
  const polls: PollTiming[] = [];
  for (let i = 1; i < marks.length; i++) {
    const end = marks[i - 1]!;
    const start = marks[i]!;
    if (start.reads === end.reads && start.at >= end.nextAt - 1000)
      polls.push({ dueAt: end.nextAt, startAt: start.at, driftMs: start.at - end.nextAt });
  }
  return polls;
}

const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function benchHiddenTab(options: HiddenTabOptions = {}): Promise<string[]> {
  const polls = options.polls ?? 3;
  const grace = options.graceSeconds ?? 10;
  if (options.build ?? true)
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
    });
  const server = await serveDist();
  const { url } = server;
  const profile = mkdtempSync(join(tmpdir(), 'kmp-hidden-'));
  const browser = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      `--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/${grace}`,
      url,
    ],
    { stdio: 'ignore' },
  );
  let page: CdpPage | undefined;
  try {
    const port = await debuggingPort(profile);
    const version = ((await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { Browser: string })
      .Browser;
    const [target] = await waitForPages(port, 20_000);
    page = await CdpPage.connect(target!);
    await page.waitFor(`window.kmpSession && document.querySelector('kmp-app')`, 20_000);
    await page.evaluate(RECORDER);
    await page.waitFor(CLICK('Demo meter'), 20_000);
    await page.waitFor(`window.kmpSession.state.kind === 'connected' && window.kmpSession.lastReading`, 60_000);
    await page.waitFor(SET_INTERVAL(MIN_POLL_INTERVAL_MS), 10_000);
    await page.waitFor(CLICK('Start polling'), 10_000);
    await page.waitFor(`window.kmpSession.activity.kind === 'polling'`, 10_000);
    const shownAt = Date.now();
    // A second tab in front, in the same window: the app's tab is hidden as when a user switches tabs.
    await openTab(port, 'about:blank');
    await page.waitFor(`document.visibilityState === 'hidden'`, 10_000);
    const hiddenAt = Date.now();
    const readingsAtHide = (await page.evaluate<Recorded>('window.__hiddenTab')).readings.length;
    const deadline = hiddenAt + (polls + 2) * 2 * MIN_POLL_INTERVAL_MS + grace * 1000;
    let recorded = await page.evaluate<Recorded>('window.__hiddenTab');
    while (recorded.readings.length < readingsAtHide + polls && Date.now() < deadline) {
      await sleep(5000);
      recorded = await page.evaluate<Recorded>('window.__hiddenTab');
    }
    const state = await page.evaluate<string>('document.visibilityState');
    return report({ recorded, version, grace, polls, shownAt, hiddenAt, state });
  } finally {
    page?.close();
    browser.kill();
    await new Promise((resolve) => browser.once('exit', resolve));
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function debuggingPort(profile: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    try {
      return Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`Chromium (${CHROMIUM}) did not open its DevTools port`);
}

function report(r: {
  recorded: Recorded;
  version: string;
  grace: number;
  polls: number;
  shownAt: number;
  hiddenAt: number;
  state: string;
}): string[] {
  const { recorded, hiddenAt } = r;
  const throttledFrom = hiddenAt + r.grace * 1000;
  const visibleGaps = recorded.timer.filter((t) => t.at < r.shownAt + 1).map((t) => t.gap);
  const graceGaps = recorded.timer.filter((t) => t.at > hiddenAt && t.at <= throttledFrom).map((t) => t.gap);
  const throttledGaps = recorded.timer.filter((t) => t.at > throttledFrom + 60_000).map((t) => t.gap);
  const unchainedGaps = recorded.unchained.filter((t) => t.at > throttledFrom + 60_000).map((t) => t.gap);
  const hiddenPolls = pollTimings(recorded.marks).filter((p) => p.dueAt > hiddenAt);
  const drifts = hiddenPolls.map((p) => p.driftMs);
  const readingGaps = recorded.readings
    .filter((t) => t > hiddenAt)
    .map((t, i, a) => (i === 0 ? NaN : t - a[i - 1]!))
    .filter(Number.isFinite);
  const perPoll = recorded.readings.length ? recorded.requests / recorded.readings.length : NaN;
  return [
    `${r.version}, headless; the app's tab hidden behind a second tab (document.visibilityState: ${r.state}); intensive throttling after ${r.grace} s hidden (Chrome's own: 300 s)`,
    `plain chained setTimeout(1000): visible median gap ${secs(median(visibleGaps))}; hidden, first ${r.grace} s: median ${secs(median(graceGaps))}; hidden and throttled: median ${secs(median(throttledGaps))}, max ${secs(Math.max(...throttledGaps, 0))} (${throttledGaps.length} firings)`,
    `the same timer re-armed from a MessageChannel task (a new chain each time): hidden and throttled: median ${secs(median(unchainedGaps))}, max ${secs(Math.max(...unchainedGaps, 0))} (${unchainedGaps.length} firings)`,
    `polling every ${secs(MIN_POLL_INTERVAL_MS)} with the demo meter (port open, ${perPoll.toFixed(1)} requests per reading), ${hiddenPolls.length} polls while hidden:`,
    `  drift of each poll (start − due): ${drifts.map((d) => secs(d)).join(', ') || 'none measured'}`,
    `  drift median ${secs(median(drifts))}, max ${secs(Math.max(...drifts, 0))}; time between readings: median ${secs(median(readingGaps))}, max ${secs(Math.max(...readingGaps, 0))}`,
  ];
}

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : Number(process.argv[i + 1]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await benchHiddenTab({
    polls: arg('--polls'),
    graceSeconds: arg('--grace'),
    build: !process.argv.includes('--no-build'),
  });
  console.log(lines.join('\n'));
}
