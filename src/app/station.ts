/**
 * Station mode: kmp-web left by the meter on an old laptop or a Raspberry Pi, reading by itself
 * as the daemon it replaces did under systemd. With station mode on and polling asked for, the
 * page reconnects on open to the head allowed before (no click: Web Serial getPorts(), WebUSB
 * getDevices()), resumes polling on its grid, reconnects when the head is plugged back in, and
 * retries a head that is away once an interval (costing no request while nothing is plugged in).
 * One tab leads (a Web Lock, "kmp-web-station"); the others wait on that lock, so when the
 * leading tab closes the next one takes over at once. Without station mode a replugged head
 * still comes back and polling goes on: a person who asked for readings keeps getting them.
 */
import type { Words } from '../kmp/words.ts';
import type { MeterSession } from '../link/index.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import type { AppSettings } from './app-settings.ts';
import { appWords } from './app-words.ts';
import type { HeadKey, HeadSource } from './head.ts';
import { loadHeadKey, resumePolling } from './head-connection.ts';
import type { Head } from './head.ts';
import type { Notices } from './notices.ts';
import type { PollingIntent } from './polling-intent.ts';

export type StationRole = 'off' | 'waiting' | 'leader';

export interface StationView {
  role: StationRole;
  /** When the last reading of this page was taken. */
  lastAt: number | undefined;
  /** When the next read is due, while polling. */
  nextAt: number | undefined;
  /** Requests sent to the meter since local midnight, by this page. */
  requestsToday: number;
  /** What keeps the station from reading, in words; undefined while it reads. */
  stopped: Words | undefined;
}

export interface StationParts {
  session: MeterSession;
  settings: AppSettings;
  store: Pick<KmpStore, 'getSetting' | 'putSetting' | 'readings'>;
  notices: Notices;
  heads: HeadSource | undefined;
  /** Web Locks (navigator.locks unless given); without them this tab is always the leader. */
  locks: LockManager | undefined;
  connectHead(head: Head): Promise<Words | undefined>;
  /** Resolves once this tab holds the meter lock (at once when no other tab is connected). */
  waitForMeter(): Promise<void>;
  intent(): Promise<PollingIntent | undefined>;
  /** Whether another tab holds the meter now. */
  meterHeldElsewhere(): Promise<boolean>;
  now?: () => number;
}

export const STATION_LOCK = 'kmp-web-station';
/** A head that is away is looked for at least this often, and at most once an interval. */
const LONGEST_RETRY_MS = 5 * 60_000;

export const STOPPED = {
  byHand: appWords('app.station.by-hand'),
  noHeadYet: appWords('app.station.no-head-yet'),
  headAway: (head: string | Words) => appWords('app.station.head-away', { head }),
  lost: appWords('app.station.lost'),
  anotherTab: appWords('app.station.another-tab'),
  meterElsewhere: appWords('app.station.meter-elsewhere'),
} as const;

export const INTERRUPTED = appWords('app.station.interrupted');

export class Station {
  private role: StationRole = 'off';
  private stopped: Words | undefined;
  private requests = { day: '', count: 0 };
  private sentSeen = 0;
  private release: (() => void) | undefined;
  private waiting: AbortController | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private readonly listeners = new Set<(v: StationView) => void>();
  private readonly stops: Array<() => void> = [];
  private readonly now: () => number;

  constructor(private readonly parts: StationParts) {
    this.now = parts.now ?? Date.now;
  }

  get view(): StationView {
    const { session } = this.parts;
    const a = session.activity;
    return {
      role: this.role,
      lastAt: session.lastReading?.takenAt,
      nextAt: a.kind === 'polling' ? a.nextAt : undefined,
      requestsToday: this.requests.count,
      stopped: this.role === 'leader' ? this.stopped : this.role === 'waiting' ? STOPPED.anotherTab : undefined,
    };
  }

  subscribe(listener: (v: StationView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view);
    return () => this.listeners.delete(listener);
  }

  /** Starts following the setting, the session and the heads; returns what stops it all (the page going away). */
  async start(): Promise<() => void> {
    const { session, settings, heads } = this.parts;
    this.requests =
      (await this.parts.store.getSetting<{ day: string; count: number }>(REQUESTS_KEY).catch(() => undefined)) ??
      this.requests;
    // Every request of this page counts, also those sent before this point (requestsSent starts at 0 with the page).
    this.countRequests();
    let stationOn = settings.values.station;
    this.stops.push(
      settings.subscribe((v) => {
        if (v.station === stationOn) return;
        stationOn = v.station;
        if (stationOn) this.lead();
        else this.stepDown();
      }),
      session.subscribe(() => this.sessionChanged()),
    );
    if (heads) this.stops.push(heads.onPlugIn(() => void this.plugged()));
    if (stationOn) this.lead();
    else void this.sayIfInterrupted();
    return () => {
      for (const stop of this.stops.splice(0)) stop();
      this.stepDown();
    };
  }

  /** Waits for the station lock (at once when no other tab leads), then reads. */
  private lead(): void {
    const { locks } = this.parts;
    if (!locks) return this.becomeLeader(() => undefined);
    const waiting = new AbortController();
    this.waiting = waiting;
    this.setRole('waiting');
    locks
      .request(STATION_LOCK, { signal: waiting.signal }, () => {
        if (waiting.signal.aborted) return undefined;
        return new Promise<void>((release) => this.becomeLeader(release));
      })
      .catch(() => undefined); // aborted: station mode was switched off while waiting
  }

  private becomeLeader(release: () => void): void {
    this.release = release;
    this.setRole('leader');
    void this.tick();
  }

  private stepDown(): void {
    this.waiting?.abort();
    this.waiting = undefined;
    this.release?.();
    this.release = undefined;
    clearTimeout(this.retry);
    this.setRole('off');
  }

  private setRole(role: StationRole): void {
    this.role = role;
    this.tell();
  }

  private sessionChanged(): void {
    this.countRequests();
    const s = this.parts.session;
    if (s.state.kind === 'lost' && this.role === 'leader') this.stopped = STOPPED.lost;
    if (s.activity.kind === 'polling') this.stopped = undefined;
    this.tell();
  }

  private countRequests(): void {
    const sent = this.parts.session.requestsSent;
    const delta = sent - this.sentSeen;
    this.sentSeen = sent;
    if (delta <= 0) return;
    const day = localDay(this.now());
    this.requests = day === this.requests.day ? { day, count: this.requests.count + delta } : { day, count: delta };
    void this.parts.store.putSetting(REQUESTS_KEY, this.requests).catch(() => undefined);
  }

  /** A head was plugged in: a lost session comes back, station or not; a leader without a meter looks again. */
  private async plugged(): Promise<void> {
    const kind = this.parts.session.state.kind;
    if (kind === 'lost' || (this.role === 'leader' && kind !== 'connected' && kind !== 'connecting')) await this.tick();
  }

  /**
   * Brings the page to what was asked for, one pass at a time (a plug event during a pass runs
   * one more pass after it): polling through the remembered head, or a word on what stops it.
   */
  private tick(): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = (async () => {
      do {
        this.again = false;
        await this.pass().catch((e: unknown) => this.parts.notices.report(e, 'app.notice.station'));
      } while (this.again);
      this.ticking = undefined;
    })();
    return this.ticking;
  }

  private async pass(): Promise<void> {
    clearTimeout(this.retry);
    const { session, store, heads } = this.parts;
    const intent = await this.parts.intent();
    const stationOrLost = this.role === 'leader' || session.state.kind === 'lost';
    if (!stationOrLost) return;
    if (!intent) {
      if (this.role === 'leader') this.stop(STOPPED.byHand);
      return;
    }
    if (session.state.kind === 'connected') {
      if (session.activity.kind !== 'polling')
        await resumePolling(
          { session, store, settings: this.parts.settings, intent: () => this.parts.intent() },
          intent,
        );
      return;
    }
    const key = await loadHeadKey(store);
    if (!key) return this.stop(STOPPED.noHeadYet);
    const head = await heads?.find(key);
    if (!head) {
      this.stop(STOPPED.headAway(describeKey(key)));
      return this.retryIn(intent);
    }
    // A tab closing lets go of the station lock and the meter at about the same moment; a
    // tab connected by hand without station mode keeps the meter until it disconnects.
    const wasLost = session.state.kind === 'lost';
    this.stop(STOPPED.meterElsewhere);
    await this.parts.waitForMeter();
    if (this.role !== 'leader' && !wasLost) return;
    const problem = await this.parts.connectHead(head);
    if (problem) this.stop(problem);
    // A meter that did not answer: polling has not started, so look again an interval on.
    if (session.activity.kind !== 'polling') this.retryIn(intent);
  }

  private retryIn(intent: PollingIntent): void {
    if (this.role !== 'leader') return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.tick(), Math.min(intent.intervalMs, LONGEST_RETRY_MS));
  }

  private stop(reason: Words): void {
    this.stopped = reason;
    this.tell();
  }

  private async sayIfInterrupted(): Promise<void> {
    const intent = await this.parts.intent().catch(() => undefined);
    if (!intent || this.parts.session.state.kind !== 'disconnected') return;
    if (await this.parts.meterHeldElsewhere().catch(() => false)) return;
    this.parts.notices.report(INTERRUPTED);
  }

  private tell(): void {
    const v = this.view;
    for (const l of this.listeners) l(v);
  }
}

const REQUESTS_KEY = 'station-requests';

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** The remembered head as the station names it: its port kind and USB ids, or the demo meter. */
function describeKey(key: HeadKey): string | Words {
  if (key.path === 'demo')
    return key.model
      ? appWords('app.station.demo-head.model', { model: key.model })
      : appWords('app.station.demo-head');
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  const ids = key.usbVendorId !== undefined ? ` ${hex(key.usbVendorId)}:${hex(key.usbProductId ?? 0)}` : '';
  return `${key.path}${ids}`;
}
