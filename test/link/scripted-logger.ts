/**
 * A logger the test scripts reply by reply (readLogger's hostile meter): wrong, damaged, short and
 * rolled-out replies that the virtual meter's well-behaved loggers never send.
 */
import { expect } from 'vitest';
import {
  CID,
  LOGGER_INFO,
  LOGGER_SUB,
  UNIT_DATE_YYMMDD,
  UNIT_TIME,
  decodeFrame,
  decodeLoggerRequest,
  encodeFrame,
  encodeLoggerConfig,
  encodeLoggerReply,
  type LoggerReplySpec,
  type LoggerRequest,
} from '../../src/kmp/index.ts';
import { KmpClient, LinkError, type KmpClientOptions } from '../../src/link/index.ts';

/** What the scripted meter does with one logger request instead of its proper reply. */
/** 'endless': a reply that starts and never ends, a byte every 10 ms until the next request or close. */
export type Action = LoggerReplySpec | Uint8Array | 'silent' | 'echo' | 'corrupt' | 'cut' | 'endless';
/** `n` counts the logger requests, from 0; undefined keeps the proper reply. */
export type Tamper = (request: LoggerRequest, proper: LoggerReplySpec | Uint8Array, n: number) => Action | undefined;

export interface FakeLogger {
  logger: number;
  depth: number;
  /** The registers the logger records (its 05 reply). */
  records: number[];
  /** The newest id; entries run from max(1, newest − depth + 1) up to it. */
  newest: number;
  /** Rows a reply holds at most (the meter's buffer). */
  fit: number;
  /** The logger type its 05 reply names. */
  describedAs?: number;
}

export const DAY = 86_400_000;
/** Entry `id` is stamped at noon, `id` days into 2026. */
export function stampOf(id: number): { date: string; time: string; iso: string } {
  const d = new Date(Date.UTC(2026, 0, 1) + id * DAY);
  const p = (n: number) => String(n).padStart(2, '0');
  const [y, m, day] = [d.getUTCFullYear() % 100, d.getUTCMonth() + 1, d.getUTCDate()];
  return {
    date: `${p(y)}${p(m)}${p(day)}`,
    time: '120000',
    iso: `20${p(y)}-${p(m)}-${p(day)}T12:00:00`,
  };
}
export const UNITS: Record<number, number> = { 1003: UNIT_DATE_YYMMDD, 1002: UNIT_TIME };
export function valueOf(register: number, id: number): string {
  if (register === 1003) return stampOf(id).date;
  if (register === 1002) return stampOf(id).time;
  return String(id * 10 + (register % 10));
}

/** The proper reply to a 06 or 07, as the sim's logger protocol gives it. */
export function properReply(log: FakeLogger, request: Extract<LoggerRequest, { count: number }>): LoggerReplySpec {
  const oldest = log.newest === 0 ? 0 : Math.max(1, log.newest - log.depth + 1);
  const registers = request.registers.map((id) => ({ id, unitCode: UNITS[id] ?? 0, length: 4 }));
  const base = { sub: request.sub, logger: log.logger, lastIdInMeter: log.newest, registers };
  if (log.newest === 0) return { ...base, firstId: 0, info: LOGGER_INFO.empty, rows: [registers.map(() => '0')] };
  const start = request.sub === LOGGER_SUB.byId ? request.fromId : log.newest;
  // Which id an out-of-range reply names is not documented: 0 here, so that nothing may depend on it.
  if (start > log.newest || start < oldest) return { ...base, firstId: 0, info: LOGGER_INFO.outOfRange, rows: [] };
  const n = Math.min(request.count, start - oldest + 1, log.fit);
  const rows = Array.from({ length: n }, (_, i) => request.registers.map((r) => valueOf(r, start - i)));
  const info =
    (start === log.newest ? LOGGER_INFO.newestIncluded : 0) |
    (start - n + 1 === oldest ? LOGGER_INFO.oldestIncluded : 0);
  return { ...base, firstId: start, info, rows };
}

export const frameOf = (cid: number, data: Uint8Array) => encodeFrame(Uint8Array.of(0x3f, cid, ...data), 'response');

export function scriptedMeter(
  log: FakeLogger,
  tamper: Tamper = () => undefined,
  options: { serial?: 'answers' | 'garbled' } = {},
) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const requests: LoggerRequest[] = [];
  let serialAsked = 0;
  let stream: ReturnType<typeof setInterval> | undefined;
  const port = {
    readable: new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }),
    writable: new WritableStream<Uint8Array>({
      write(chunk) {
        clearInterval(stream);
        const frame = decodeFrame(chunk);
        let out: Uint8Array[] = [];
        if (frame.cid === CID.GetSerialNo) {
          serialAsked++;
          // 'garbled': an intact frame that is no serial number.
          const serial = options.serial === 'garbled' ? [0x12] : [0, 0xbc, 0x61, 0x4e];
          out = [frameOf(CID.GetSerialNo, Uint8Array.from(serial))];
        } else if (frame.cid === CID.Logger) {
          const request = decodeLoggerRequest(frame.data);
          const n = requests.push(request) - 1;
          const proper =
            request.sub === LOGGER_SUB.config
              ? encodeLoggerConfig({
                  logger: log.describedAs ?? log.logger,
                  depth: log.depth,
                  registers: log.records,
                  header: [1, 1, 1, 1, 0, 0, 1, 0, 1, 0],
                })
              : properReply(log, request);
          const action = tamper(request, proper, n) ?? proper;
          const data = action instanceof Uint8Array ? action : typeof action === 'string' ? proper : action;
          const wire = frameOf(CID.Logger, data instanceof Uint8Array ? data : encodeLoggerReply(data));
          if (action === 'echo') out = [chunk];
          else if (action === 'corrupt') out = [Uint8Array.from(wire, (b, i) => (i === 2 ? b ^ 1 : b))];
          else if (action === 'cut') out = [wire.subarray(0, wire.length >> 1)];
          else if (action === 'endless') {
            out = [Uint8Array.of(0x40)];
            stream = setInterval(() => controller.enqueue(Uint8Array.of(0x41)), 10);
          } else if (action !== 'silent') out = [wire];
        }
        setTimeout(() => out.forEach((b) => controller.enqueue(b)), 1);
      },
    }),
    close: async () => clearInterval(stream),
  };
  return { port, requests, serialAsked: () => serialAsked };
}

// Timeouts long enough for a loaded machine (replies come after 1 ms), short enough for silence to cost little.
export const QUICK: KmpClientOptions = {
  firstByteTimeoutMs: 60,
  interByteTimeoutMs: 40,
  retryBackoffMs: 1,
  baudRate: 1e9,
};
const clients: KmpClient[] = [];
/** Closes every client clientFor made; each test file calls it after each test. */
export async function closeClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
}
export function clientFor(meter: { port: ConstructorParameters<typeof KmpClient>[0] }, options = QUICK) {
  const c = new KmpClient(meter.port, options);
  clients.push(c);
  return c;
}

export const DAILY: FakeLogger = { logger: 4, depth: 100, records: [1003, 1002, 60, 68], newest: 100, fit: 10 };
export const REGS = [1003, 1002, 60];
/** Ids from `from` down to `to`: entries as a download gives them, newest first. */
export const ids = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

export async function failureOf(p: Promise<unknown>): Promise<LinkError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    return e as LinkError;
  }
  throw new Error('expected a LinkError, the download succeeded');
}
