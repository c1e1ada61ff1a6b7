import { LOGGER_ADDRESS, RESERVED, START_REQUEST, STOP, KmpError, decodeFrame, encodeFrame } from '../kmp/index.ts';
import { DEFAULT_LOGGER_REPLY_BYTES } from './logger-protocol.ts';
import { MeterLoggers, type LoggerSpec, type SimLoggerEntry } from './meter-loggers.ts';
import { answer } from './meter-protocol.ts';
import { intervalLogNewest } from './module-log-protocol.ts';
import { MeterState, type EnergyUnit, type MeterModel } from './meter-state.ts';
import { createPrng } from './prng.ts';
import { VirtualSerialPort } from './virtual-serial-port.ts';
import { WirePacer } from './wire-pacer.ts';

export interface FaultOptions {
  /** Chance per reply that one byte is altered so the CRC fails. */
  corruptRate?: number;
  /** Chance per request that the meter does not answer. */
  dropRate?: number;
  /** Chance per reply that it stops half-way (no stop byte). */
  truncateRate?: number;
  /** The optical port sleeps after this much silence, until pressButton(). */
  sleepAfterMs?: number;
}

/** 'garbage' answers with an intact frame of the wrong command id. */
export type OneShotFault = 'corrupt' | 'drop' | 'truncate' | 'garbage';

export interface VirtualMeterOptions {
  model?: MeterModel;
  serial?: number;
  energyUnit?: EnergyUnit;
  seed?: number;
  frozen?: boolean;
  timing?: 'instant' | 'realtime';
  baudRate?: number;
  turnaroundMs?: number;
  echo?: boolean;
  chunking?: 'whole' | 'random';
  faults?: FaultOptions;
  /** Registers this meter does not have, beyond what its model lacks: left out of its replies. */
  lacking?: readonly number[];
  /** Command ids this meter never answers (one that lacks GetType, say). */
  silentTo?: readonly number[];
  /** Info code to report from the start (default 0, no irregularities). */
  infoCode?: number;
  now?: () => number;
  /** When the meter was installed: its loggers start after it. Default: as long ago as its hour counter (1004) says. */
  installedAt?: number;
  /** Bytes of reply data (after the command id) a logger reply may fill; rows beyond are silently left out. */
  loggerReplyBytes?: number;
  /** Info flags set in every logger entries reply, as a failing logger would (0x100 memory error). */
  loggerFlags?: number;
  /**
   * A 601's logger module: 'top' answers on 0x7F (67-0B), 'base' on 0xBF (67-00-22), 'none' is a
   * 601 without one (silent on both). Default 'top'; the 801's internal logger is always on 0x7F.
   */
  loggerModule?: 'top' | 'base' | 'none';
  /**
   * The logger module's event flag (GetEventStatus): 'cleared' as a reading system leaves it that
   * cleared it when the meter was made (set again by the next interval record), 'unread' as a
   * module nobody clears (always set once a record exists). Default 'cleared'.
   */
  eventStatus?: 'cleared' | 'unread';
}

export interface VirtualMeter {
  readonly port: VirtualSerialPort;
  readonly model: MeterModel;
  readonly serial: number;
  faults: FaultOptions;
  injectOnce(fault: OneShotFault): void;
  pressButton(): void;
  /** The info code it reports (register 99); sensor flags in it change the readings as on a real meter. */
  infoCode: number;
  /** The optical port goes to sleep now (as after a long silence), until pressButton(). */
  sleepNow(): void;
  readonly asleep: boolean;
  unplug(): void;
  plugIn(): void;
  /** Every request the meter heard, with its destination address (0x3F, or a 601/801 logger's). */
  readonly received: ReadonlyArray<{ cid: number; dst: number; data: Uint8Array; at: number }>;
  readonly stats: { requests: number; replies: number; bytesIn: number; bytesOut: number };
  registerValues(): Array<{ id: number; unitCode: number; decimal: string; length: number }>;
  readonly supportedRegisters: readonly number[];
  /** The loggers this meter answers for (none on the 402): type, depth, registers, period. */
  readonly loggers: readonly LoggerSpec[];
  /** Every entry a logger holds now, newest first, with `registers` (default: all it records). */
  loggerEntries(type: number, registers?: readonly number[]): SimLoggerEntry[];
  /** The reply buffer for logger replies, in bytes of data; changeable at any time. */
  loggerReplyBytes: number;
}

const DEFAULT_SERIALS: Record<MeterModel, number> = {
  '402': 66123456,
  '403': 71234567,
  '603': 81234567,
  '601': 61234567,
  '801': 80123456,
};
const BITS_PER_BYTE = 11; // 8N2: start bit, 8 data bits, 2 stop bits

/** A virtual MULTICAL behind a SerialPort-like object: what tests, demo mode and benchmarks talk to. */
export function createVirtualMeter(options: VirtualMeterOptions = {}): VirtualMeter {
  const model = options.model ?? '403';
  const serial = options.serial ?? DEFAULT_SERIALS[model];
  const seed = options.seed ?? 1;
  const rnd = createPrng(seed ^ 0x9e3779b9);
  const now = options.now ?? Date.now;
  const state = new MeterState(
    model,
    serial,
    options.energyUnit ?? 'GJ',
    seed,
    options.frozen ?? false,
    now,
    options.lacking,
    options.installedAt !== undefined ? { installedAt: options.installedAt } : {},
  );
  const loggers = new MeterLoggers(state);
  let loggerReplyBytes = options.loggerReplyBytes ?? DEFAULT_LOGGER_REPLY_BYTES;
  const module = model === '801' ? 'top' : model === '601' ? (options.loggerModule ?? 'top') : 'none';
  const moduleAddress =
    module === 'top' ? LOGGER_ADDRESS.topModule : module === 'base' ? LOGGER_ADDRESS.baseModule : undefined;
  const eventBarrier = options.eventStatus === 'unread' ? 0 : intervalLogNewest(loggers, now());
  const realtime = options.timing === 'realtime';
  const baud = options.baudRate ?? 1200;
  const byteMs = realtime ? (BITS_PER_BYTE * 1000) / baud : 0;
  const turnaroundMs = options.turnaroundMs ?? (realtime ? 50 : 0);
  const port = new VirtualSerialPort();
  const clock = () => performance.now();
  const split = (bytes: Uint8Array): Uint8Array[] => {
    if (options.chunking !== 'random') return [bytes];
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(rnd() * 7);
      parts.push(bytes.subarray(i, i + n));
      i += n;
    }
    return parts;
  };
  const pacer = new WirePacer((b) => port.deliver(b), split, clock);

  const received: Array<{ cid: number; dst: number; data: Uint8Array; at: number }> = [];
  const stats = { requests: 0, replies: 0, bytesIn: 0, bytesOut: 0 };
  let faults: FaultOptions = { ...options.faults };
  let oneShot: OneShotFault | undefined;
  let asleep = false;
  let lastRequestAt = now();
  let frame: number[] | undefined;
  // When the host→meter line is next free, and the meter→host line.
  let txFreeAt = 0;
  let rxFreeAt = 0;

  const lineMatches = () => {
    const o = port.openOptions;
    return !!o && o.baudRate === baud && (o.dataBits ?? 8) === 8 && (o.parity ?? 'none') === 'none';
  };

  const send = (startAt: number, bytes: Uint8Array) => {
    stats.bytesOut += bytes.length;
    if (!realtime) return pacer.push(clock(), bytes);
    let t = Math.max(startAt, rxFreeAt);
    for (const b of bytes) {
      t += byteMs;
      pacer.push(t, Uint8Array.of(b));
    }
    rxFreeAt = t;
  };

  const pickFault = (): OneShotFault | undefined => {
    if (oneShot) {
      const f = oneShot;
      oneShot = undefined;
      return f;
    }
    if ((faults.dropRate ?? 0) > rnd()) return 'drop';
    if ((faults.corruptRate ?? 0) > rnd()) return 'corrupt';
    if ((faults.truncateRate ?? 0) > rnd()) return 'truncate';
    return undefined;
  };

  const onFrame = (wire: Uint8Array, arrivedAt: number) => {
    let request;
    try {
      request = decodeFrame(wire);
    } catch (e) {
      if (e instanceof KmpError) return; // a damaged request: a real meter ignores it
      throw e;
    }
    if (request.direction !== 'request') return;
    stats.requests++;
    received.push({ cid: request.cid, dst: request.dst, data: request.data, at: now() });
    if (faults.sleepAfterMs !== undefined && now() - lastRequestAt > faults.sleepAfterMs) asleep = true;
    if (asleep) return;
    lastRequestAt = now();
    if (options.silentTo?.includes(request.cid)) return;
    const fault = pickFault();
    if (fault === 'drop') return;
    let body = answer(state, request.dst, request.cid, request.data, {
      loggers,
      now: now(),
      replyBytes: loggerReplyBytes,
      ...(options.loggerFlags ? { loggerFlags: options.loggerFlags } : {}),
      ...(moduleAddress !== undefined ? { moduleAddress, eventBarrier } : {}),
    });
    if (!body) return;
    if (fault === 'garbage') body = Uint8Array.of(body[0]!, body[1]! ^ 0x20, ...body.subarray(2));
    let reply = encodeFrame(body, 'response');
    if (fault === 'corrupt') {
      reply = reply.slice();
      const i = 1 + Math.floor(rnd() * (reply.length - 2));
      // Any change inside the frame breaks the CRC; keep clear of reserved bytes so the frame keeps its shape.
      let changed = reply[i]! ^ (1 + Math.floor(rnd() * 254));
      while (RESERVED.has(changed) || changed === reply[i]) changed = (changed + 1) & 0xff;
      reply[i] = changed;
    }
    if (fault === 'truncate') reply = reply.slice(0, Math.max(2, Math.floor(reply.length / 2)));
    stats.replies++;
    send(arrivedAt + turnaroundMs, reply);
  };

  port.onHostBytes = (bytes) => {
    stats.bytesIn += bytes.length;
    const start = Math.max(clock(), txFreeAt);
    const arrival = (i: number) => start + (i + 1) * byteMs;
    txFreeAt = arrival(bytes.length - 1);
    // The IR head sees its own light: every byte comes back as it is sent.
    if (options.echo) {
      if (realtime) bytes.forEach((b, i) => pacer.push(arrival(i), Uint8Array.of(b)));
      else pacer.push(clock(), bytes);
      rxFreeAt = Math.max(rxFreeAt, txFreeAt);
    }
    if (!lineMatches()) return; // wrong baud or format: the meter sees garbage and stays silent
    bytes.forEach((b, i) => {
      if (b === START_REQUEST) frame = [b];
      else if (frame) {
        frame.push(b);
        if (b === STOP) {
          const wire = Uint8Array.from(frame);
          frame = undefined;
          onFrame(wire, arrival(i));
        }
      }
    });
  };
  port.onStop = () => {
    pacer.clear();
    frame = undefined;
    rxFreeAt = 0;
    txFreeAt = 0;
  };

  const meter: VirtualMeter = {
    port,
    model,
    serial,
    get faults() {
      return faults;
    },
    set faults(f: FaultOptions) {
      faults = { ...f };
    },
    injectOnce: (f) => {
      oneShot = f;
    },
    pressButton: () => {
      asleep = false;
      lastRequestAt = now();
    },
    get infoCode() {
      return state.infoCode;
    },
    set infoCode(code: number) {
      if (!Number.isInteger(code) || code < 0 || code > 0xffffffff)
        throw new RangeError(`info code ${code} is not a 32-bit unsigned integer`);
      state.infoCode = code;
    },
    sleepNow: () => {
      asleep = true;
    },
    get asleep() {
      return asleep;
    },
    unplug: () => port.unplug(),
    plugIn: () => port.plugIn(),
    received,
    stats,
    registerValues: () => state.values(),
    supportedRegisters: state.supported,
    loggers: model === '402' ? [] : loggers.specs,
    loggerEntries: (type, registers) => (model === '402' ? [] : loggers.entries(type, registers, now())),
    get loggerReplyBytes() {
      return loggerReplyBytes;
    },
    set loggerReplyBytes(n: number) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`a reply buffer of ${n} bytes`);
      loggerReplyBytes = n;
    },
  };
  if (options.infoCode !== undefined) meter.infoCode = options.infoCode;
  return meter;
}
