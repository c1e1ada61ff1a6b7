import {
  CID,
  DST_HEAT_METER,
  KmpError,
  LOGGER_SUB,
  MAX_REGISTERS_PER_REQUEST,
  WRITE_COMMANDS,
  checkRegisterIds,
  decodeFrame,
  decodeGetTypeResponse,
  decodeRegisters,
  decodeSerialNoResponse,
  encodeFrame,
  getRegisterBody,
  type DecodedFrame,
  type MeterType,
  type RegisterValue,
} from '../kmp/index.ts';
import { FrameAssembler, type AssembledPiece } from './frame-assembler.ts';
// Types only: the logger download loads with its first use, not with the first screen.
import type { LoggerReadOptions, LoggerReadResult } from './logger-reader.ts';
import { LinkError, wentQuiet } from './link-error.ts';
import { isTransientReadError, type SerialPortLike } from './serial-port-like.ts';
import { WireLog } from './wire-log.ts';

export interface KmpClientOptions {
  /** Wait for the start of a reply, counted from when the request has left the wire. Default 1500 ms. */
  firstByteTimeoutMs?: number;
  /** Longest silence inside a reply before it counts as cut off. Default 200 ms. */
  interByteTimeoutMs?: number;
  /** Extra attempts after a failed one; the first request may only wake the meter. Default 2. */
  retries?: number;
  /** Pause before retry n is n × this. Default 150 ms. */
  retryBackoffMs?: number;
  /** Line speed, to allow for the time the request itself takes on the wire. Default 1200. */
  baudRate?: number;
  /**
   * The most one reply may take, counted like the first-byte wait from when the request has left
   * the wire, however steadily its bytes arrive. Default `replyDeadlineMs(options)`: the first-byte
   * wait plus the longest reply a meter sends at this line speed, plus a second.
   */
  replyDeadlineMs?: number;
  /** Where frames are logged; a new one when left out. */
  log?: WireLog;
  /** Close the port too when the client is closed. Default true. */
  closePort?: boolean;
  /** The clock, for how long ago the meter last answered. Default Date.now. */
  now?: () => number;
}

export interface ClientStats {
  requests: number;
  replies: number;
  echoes: number;
  badFrames: number;
  timeouts: number;
  retries: number;
  bytesTx: number;
  bytesRx: number;
}

export interface RegisterReadResult {
  /** Values in the order they were asked for. */
  values: RegisterValue[];
  /** Ids the meter left out of its reply: it does not have them. */
  unsupported: number[];
  /** Ids that could not be read even one at a time, with why. */
  failed: Array<{ ids: number[]; error: LinkError }>;
}

export type ClientState = 'open' | 'disconnected' | 'closed';

/** Per-call overrides: alignment mode, for one, wants every attempt counted, not retried. */
export interface CallOptions {
  retries?: number;
  /** The most one reply may take (see KmpClientOptions.replyDeadlineMs): longer for a long logger reply. */
  replyDeadlineMs?: number;
}

export interface ReadRegistersOptions extends CallOptions {
  /**
   * Called with each reply's values as soon as it is decoded (its CRC checked), so a view can
   * draw them before the last request of the read has been answered.
   */
  onValues?: (values: readonly RegisterValue[]) => void;
}

interface Pending {
  expectCid: number;
  sawEcho: boolean;
  sawNoise: boolean;
  /** Called while reply bytes arrive: restarts the inter-byte timer. */
  touch(): void;
  settle(result: DecodedFrame | LinkError): void;
}

/** The logger sub-commands this client may send: configuration, entries by id, entries from the end. */
const READ_LOGGER_SUBS: ReadonlySet<number> = new Set([LOGGER_SUB.config, LOGGER_SUB.byId, LOGGER_SUB.fromEnd]);

/** Bits per byte at 8N2: start, 8 data, 2 stop. */
const BITS_PER_BYTE = 11;

/**
 * The longest reply worth waiting for, in bytes on the wire: 8 register blocks with 10-byte
 * mantissas (the widest any meter is known to send), command and CRC, every byte stuffed.
 */
const LONGEST_REPLY_BYTES = 2 * (2 + MAX_REGISTERS_PER_REQUEST * (5 + 10) + 2) + 2;

/**
 * The default total deadline for one reply. Without it a line that trickles a byte just inside
 * the inter-byte timeout held a read open for minutes (about 100 s seen).
 */
export function replyDeadlineMs(options: Pick<KmpClientOptions, 'firstByteTimeoutMs' | 'baudRate'>): number {
  const baud = options.baudRate ?? 1200;
  const longestMs = (LONGEST_REPLY_BYTES * BITS_PER_BYTE * 1000) / baud;
  return Math.ceil((options.firstByteTimeoutMs ?? 1500) + longestMs + 1000);
}

function tooSlow(deadlineMs: number): LinkError {
  const seconds = Math.round(deadlineMs / 100) / 10;
  return new LinkError('cut-off', undefined, {
    message: `The meter’s reply did not finish within ${seconds} s: bytes kept coming but never made up a whole reply.`,
    advice:
      'A whole reply takes a few seconds at most. Something keeps the line busy: re-seat the head and shade it from light, check the cable, and check that the baud rate is the meter’s (1200).',
  });
}

/**
 * A KMP session over one serial port: one read pump feeding a frame assembler, one request
 * in flight at a time, timeouts, retries and a wire log. Read-only by construction.
 */
export class KmpClient {
  readonly log: WireLog;
  readonly stats: ClientStats = {
    requests: 0,
    replies: 0,
    echoes: 0,
    badFrames: 0,
    timeouts: 0,
    retries: 0,
    bytesTx: 0,
    bytesRx: 0,
  };
  private readonly opts: Required<Omit<KmpClientOptions, 'log'>>;
  private readonly assembler = new FrameAssembler((piece) => this.onPiece(piece));
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private _state: ClientState = 'open';
  private endReason: LinkError | undefined;
  /** When the meter last sent an intact reply on this connection; silence after that reads as sleep. */
  private lastReplyAt: number | undefined;
  private readonly stateListeners = new Set<(state: ClientState, reason?: LinkError) => void>();
  /** Resolves when the read pump has stopped, for whatever reason. */
  readonly done: Promise<void>;
  /**
   * What this connection learnt of the logger read-out (0xB8): 'silent' once the meter stayed
   * silent to it while answering GetSerialNo; then readLogger refuses at once, without asking again.
   */
  loggerSupport: 'unknown' | 'answers' | 'silent' = 'unknown';

  constructor(
    private readonly port: SerialPortLike,
    options: KmpClientOptions = {},
  ) {
    this.opts = {
      firstByteTimeoutMs: options.firstByteTimeoutMs ?? 1500,
      interByteTimeoutMs: options.interByteTimeoutMs ?? 200,
      retries: options.retries ?? 2,
      retryBackoffMs: options.retryBackoffMs ?? 150,
      baudRate: options.baudRate ?? 1200,
      closePort: options.closePort ?? true,
      now: options.now ?? Date.now,
      replyDeadlineMs: options.replyDeadlineMs ?? replyDeadlineMs(options),
    };
    this.log = options.log ?? new WireLog();
    if (!port.readable || !port.writable) throw new LinkError('closed', 'the port is not open');
    this.done = this.pump();
  }

  get state(): ClientState {
    return this._state;
  }

  /** Called when the session ends: 'disconnected' (cable, port) or 'closed' (by us). */
  onStateChange(listener: (state: ClientState, reason?: LinkError) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Downloads a logger of the meter, newest first, with progress, cancel, resume and a request
   * budget: see readLogger in logger-reader.ts. Only sub-commands 05, 06 and 07 are ever sent.
   */
  async readLogger(
    logger: number,
    registers: readonly number[],
    options?: LoggerReadOptions,
  ): Promise<LoggerReadResult> {
    const { readLogger } = await import('./logger-reader.ts');
    return readLogger(this, logger, registers, options);
  }

  /** The reply deadline for a reply of about `dataBytes` bytes, every byte possibly stuffed. */
  replyDeadlineFor(dataBytes: number): number {
    const wireBytes = 2 * (dataBytes + 4) + 2;
    return Math.max(
      this.opts.replyDeadlineMs,
      Math.ceil(this.opts.firstByteTimeoutMs + (wireBytes * BITS_PER_BYTE * 1000) / this.opts.baudRate + 1000),
    );
  }

  async getSerialNo(options?: CallOptions): Promise<number> {
    return this.transact(CID.GetSerialNo, new Uint8Array(0), (f) => decodeSerialNoResponse(f.data), options);
  }

  async getType(options?: CallOptions): Promise<MeterType> {
    return this.transact(CID.GetType, new Uint8Array(0), (f) => decodeGetTypeResponse(f.data), options);
  }

  /**
   * Reads any number of registers in requests of at most 8. A request that keeps failing is
   * split into smaller ones, down to single registers. Silence before any answer gets one
   * single-register probe and then gives up: the meter is asleep or the head is off, and more
   * requests would only drain its battery.
   */
  async readRegisters(ids: readonly number[], options?: ReadRegistersOptions): Promise<RegisterReadResult> {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += MAX_REGISTERS_PER_REQUEST)
      checkRegisterIds(unique.slice(i, i + MAX_REGISTERS_PER_REQUEST));
    const found = new Map<number, RegisterValue>();
    const unsupported: number[] = [];
    const failed: RegisterReadResult['failed'] = [];
    let answered = false;
    let probed = false;

    const readBatch = async (batch: number[]): Promise<void> => {
      try {
        const regs = await this.transact(
          CID.GetRegister,
          getRegisterBody(batch).subarray(2),
          (f) => parseRegisterReply(f, batch),
          options,
        );
        answered = true;
        for (const r of regs) found.set(r.id, r);
        for (const id of batch) if (!found.has(id)) unsupported.push(id);
        if (regs.length) options?.onValues?.(regs);
      } catch (e) {
        if (!(e instanceof LinkError)) throw e;
        if (e.kind === 'disconnected' || e.kind === 'closed') throw e;
        if (!answered && (e.kind === 'no-answer' || e.kind === 'echo-only')) {
          // Silence before any answer: most likely asleep or the head is off. One single-register
          // probe tells that apart from a meter that drops long requests, without hammering it.
          if (batch.length === 1 || probed) throw e;
          probed = true;
          await readBatch(batch.slice(0, 1));
          if (batch.length > 1) await readBatch(batch.slice(1));
          return;
        }
        if (batch.length === 1) {
          failed.push({ ids: batch, error: e });
          return;
        }
        const half = Math.ceil(batch.length / 2);
        await readBatch(batch.slice(0, half));
        await readBatch(batch.slice(half));
      }
    };

    for (let i = 0; i < unique.length; i += MAX_REGISTERS_PER_REQUEST)
      await readBatch(unique.slice(i, i + MAX_REGISTERS_PER_REQUEST));
    if (!answered && failed.length) throw failed[0]!.error;
    return { values: unique.filter((id) => found.has(id)).map((id) => found.get(id)!), unsupported, failed };
  }

  /**
   * Sends one command and returns the parsed reply, retrying on failure. Commands that would
   * change the meter are refused before anything reaches the wire.
   */
  transact<T>(cid: number, data: Uint8Array, parse: (frame: DecodedFrame) => T, options?: CallOptions): Promise<T> {
    if (WRITE_COMMANDS.has(cid)) return Promise.reject(new LinkError('refused', `command 0x${cid.toString(16)}`));
    // Of the logger read-out only the reads with a public layout go out; 08, 09 and the rest never do.
    if (cid === CID.Logger && !READ_LOGGER_SUBS.has(data[0] ?? -1))
      return Promise.reject(
        new LinkError('refused', `logger sub-command 0x${(data[0] ?? 0).toString(16).padStart(2, '0')}`),
      );
    const run = async (): Promise<T> => {
      let last: LinkError | undefined;
      const retries = options?.retries ?? this.opts.retries;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) {
          this.stats.retries++;
          await sleep(this.opts.retryBackoffMs * attempt);
        }
        try {
          const frame = await this.exchange(cid, data, options?.replyDeadlineMs ?? this.opts.replyDeadlineMs);
          try {
            return parse(frame);
          } catch (e) {
            if (e instanceof KmpError || e instanceof LinkError)
              throw e instanceof LinkError ? e : new LinkError('unexpected', e.message);
            throw e;
          }
        } catch (e) {
          if (!(e instanceof LinkError)) throw e;
          if (e.kind === 'disconnected' || e.kind === 'closed') throw e;
          last = e;
        }
      }
      // The meter answered before on this connection, so the head was seated: say it probably went to sleep.
      const silent = last!.kind === 'no-answer' || last!.kind === 'echo-only';
      throw silent && this.lastReplyAt !== undefined ? wentQuiet(last!, this.lastReplyAt, this.opts.now()) : last!;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the pump, releases the stream locks and (by default) closes the port so it can be opened again. */
  async close(): Promise<void> {
    if (this._state === 'open') this.end('closed', new LinkError('closed'));
    await this.reader?.cancel().catch(() => undefined);
    await this.done;
    if (this.opts.closePort) await this.port.close?.().catch(() => undefined);
  }

  /** One attempt: write the request, wait for a reply frame or a classified failure. */
  private exchange(cid: number, data: Uint8Array, replyDeadline: number): Promise<DecodedFrame> {
    if (this._state !== 'open') return Promise.reject(this.endReason ?? new LinkError('closed'));
    const wire = encodeFrame(Uint8Array.of(DST_HEAT_METER, cid, ...data));
    const dropped = this.assembler.reset();
    if (dropped) this.log.add('rx', 'cut', dropped);
    return new Promise<DecodedFrame>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const txMs = (wire.length * BITS_PER_BYTE * 1000) / this.opts.baudRate;
      const pending: Pending = {
        expectCid: cid,
        sawEcho: false,
        sawNoise: false,
        touch: () => arm(this.opts.interByteTimeoutMs),
        settle: (result) => {
          if (this.pending !== pending) return;
          this.pending = undefined;
          clearTimeout(timer);
          clearTimeout(deadline);
          if (result instanceof LinkError) reject(result);
          else resolve(result);
        },
      };
      const onSilence = () => {
        this.stats.timeouts++;
        const partial = this.assembler.reset();
        if (partial) {
          this.log.add('rx', 'cut', partial);
          pending.settle(new LinkError(partial[0] === 0x40 ? 'cut-off' : pending.sawEcho ? 'echo-only' : 'no-answer'));
        } else if (pending.sawNoise) {
          pending.settle(new LinkError('bad-crc', 'only unreadable bytes came back'));
        } else {
          pending.settle(new LinkError(pending.sawEcho ? 'echo-only' : 'no-answer'));
        }
      };
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(onSilence, ms);
      };
      this.pending = pending;
      arm(this.opts.firstByteTimeoutMs + txMs);
      // The inter-byte timer restarts with every byte; this one does not.
      const deadline = setTimeout(() => {
        this.stats.timeouts++;
        const partial = this.assembler.reset();
        if (partial) this.log.add('rx', 'cut', partial);
        pending.settle(tooSlow(replyDeadline));
      }, replyDeadline + txMs);
      this.stats.requests++;
      this.stats.bytesTx += wire.length;
      this.log.add('tx', 'request', wire);
      this.write(wire).catch((e: unknown) => {
        pending.settle(new LinkError('disconnected', e instanceof Error ? e.message : String(e)));
      });
    });
  }

  private async write(bytes: Uint8Array): Promise<void> {
    const writable = this.port.writable;
    if (!writable) throw new Error('the port has no writable stream');
    const writer = writable.getWriter();
    try {
      await writer.write(bytes);
    } finally {
      writer.releaseLock();
    }
  }

  private onChunk(chunk: Uint8Array): void {
    this.stats.bytesRx += chunk.length;
    this.assembler.push(chunk);
    if (this.pending && this.assembler.inResponse) this.pending.touch();
  }

  private onPiece(piece: AssembledPiece): void {
    const p = this.pending;
    switch (piece.kind) {
      case 'echo':
        this.stats.echoes++;
        this.log.add('rx', 'echo', piece.bytes);
        if (p) p.sawEcho = true;
        return;
      case 'noise':
        this.log.add('rx', 'noise', piece.bytes);
        if (p) p.sawNoise = true;
        return;
      case 'cut':
        this.stats.badFrames++;
        this.log.add('rx', 'cut', piece.bytes);
        if (p && piece.bytes[0] === 0x40) p.settle(new LinkError('cut-off'));
        return;
      case 'response': {
        this.log.add('rx', 'response', piece.bytes);
        let frame: DecodedFrame;
        try {
          frame = decodeFrame(piece.bytes);
        } catch (e) {
          if (!(e instanceof KmpError)) throw e;
          this.stats.badFrames++;
          p?.settle(new LinkError('bad-crc', e.message));
          return;
        }
        if (!p) return; // a late reply to a request that already timed out: logged, not used
        if (frame.dst !== DST_HEAT_METER || frame.cid !== p.expectCid) {
          p.settle(
            new LinkError(
              'unexpected',
              `reply for address 0x${frame.dst.toString(16)} command 0x${frame.cid.toString(16)}`,
            ),
          );
          return;
        }
        this.stats.replies++;
        this.lastReplyAt = this.opts.now();
        p.settle(frame);
      }
    }
  }

  /** The one read loop of this port. Transient line errors re-acquire a reader, as Web Serial intends. */
  private async pump(): Promise<void> {
    while (this._state === 'open') {
      const readable = this.port.readable;
      if (!readable) {
        this.end('disconnected', new LinkError('disconnected', 'the port has no readable stream'));
        break;
      }
      this.reader = readable.getReader();
      try {
        for (;;) {
          const { value, done } = await this.reader.read();
          if (done) break;
          if (value?.length) this.onChunk(value);
        }
        if (this._state === 'open')
          this.end('disconnected', new LinkError('disconnected', 'the port stopped delivering data'));
      } catch (e) {
        if (this._state !== 'open') break;
        if (isTransientReadError(e)) continue;
        this.end('disconnected', new LinkError('disconnected', e instanceof Error ? e.message : String(e)));
      } finally {
        this.reader.releaseLock();
      }
    }
  }

  private end(state: Exclude<ClientState, 'open'>, reason: LinkError): void {
    if (this._state !== 'open') return;
    this._state = state;
    this.endReason = reason;
    this.pending?.settle(reason);
    for (const l of this.stateListeners) l(state, reason);
  }
}

/** Register blocks of a reply, checked against what was asked: a block we did not ask for means a stray frame. */
function parseRegisterReply(frame: DecodedFrame, asked: readonly number[]): RegisterValue[] {
  const regs = decodeRegisters(frame.data);
  const seen = new Set<number>();
  for (const r of regs) {
    if (!asked.includes(r.id) || seen.has(r.id))
      throw new LinkError('unexpected', `reply holds register ${r.id}, which was not asked for or came twice`);
    seen.add(r.id);
  }
  return regs;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
