import { DST_HEAT_METER, KmpError, decodeFrame, encodeFrame, type DecodedFrame } from '../kmp/index.ts';
import { refusal } from './command-guard.ts';
import { FrameAssembler, type AssembledPiece } from './frame-assembler.ts';
import { LinkError, wentQuiet } from './link-error.ts';
import { deadlineForReply, replyDeadlineMs, tooSlow, wireMs } from './reply-deadline.ts';
import { isTransientReadError, type SerialPortLike } from './serial-port-like.ts';
import type { CallOptions, ClientState, ClientStats, KmpClientOptions, Transport } from './transport.ts';
import { WireLog } from './wire-log.ts';

interface Pending {
  expectDst: number;
  expectCid: number;
  sawEcho: boolean;
  sawNoise: boolean;
  /** Called while reply bytes arrive: restarts the inter-byte timer. */
  touch(): void;
  settle(result: DecodedFrame | LinkError): void;
}

/**
 * KMP over one serial port: one read pump feeding a frame assembler, one request in flight at a
 * time, timeouts, retries, reply deadlines and a wire log. Knows commands and frames, not what
 * they mean: the register and logger readers build on it through `Transport`.
 */
export class KmpTransport implements Transport {
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

  /** The reply deadline for a reply of about `dataBytes` bytes, every byte possibly stuffed. */
  replyDeadlineFor(dataBytes: number): number {
    return deadlineForReply(dataBytes, this.opts);
  }

  /**
   * Sends one command and returns the parsed reply, retrying on failure. Commands that would
   * change the meter are refused before anything reaches the wire.
   */
  transact<T>(cid: number, data: Uint8Array, parse: (frame: DecodedFrame) => T, options?: CallOptions): Promise<T> {
    const refused = refusal(cid, data);
    if (refused) return Promise.reject(refused);
    const run = async (): Promise<T> => {
      let last: LinkError | undefined;
      const retries = options?.retries ?? this.opts.retries;
      const budget = options?.budget;
      for (let attempt = 0; attempt <= retries; attempt++) {
        if (budget && !budget.take()) break;
        if (attempt > 0) {
          this.stats.retries++;
          await sleep(this.opts.retryBackoffMs * attempt);
        }
        try {
          const frame = await this.exchange(
            cid,
            data,
            options?.replyDeadlineMs ?? this.opts.replyDeadlineMs,
            options?.dst ?? DST_HEAT_METER,
          );
          try {
            const parsed = parse(frame);
            budget?.good();
            return parsed;
          } catch (e) {
            if (e instanceof KmpError || e instanceof LinkError)
              throw e instanceof LinkError ? e : new LinkError('unexpected', e.message);
            throw e;
          }
        } catch (e) {
          if (!(e instanceof LinkError)) throw e;
          if (e.kind === 'disconnected' || e.kind === 'closed') throw e;
          last = e;
          budget?.failed(e);
        }
      }
      // Spent before this command's first attempt: the read's earlier failure is the reason.
      if (!last) throw budget!.gaveUp();
      // The meter answered before on this connection, so the head was seated: say it probably went to sleep.
      const silent = last.kind === 'no-answer' || last.kind === 'echo-only';
      const failure =
        silent && this.lastReplyAt !== undefined ? wentQuiet(last, this.lastReplyAt, this.opts.now()) : last;
      throw budget?.exhausted ? budget.gaveUp(failure) : failure;
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
  private exchange(cid: number, data: Uint8Array, replyDeadline: number, dst: number): Promise<DecodedFrame> {
    if (this._state !== 'open') return Promise.reject(this.endReason ?? new LinkError('closed'));
    const wire = encodeFrame(Uint8Array.of(dst, cid, ...data));
    const dropped = this.assembler.reset();
    if (dropped) this.log.add('rx', 'cut', dropped);
    return new Promise<DecodedFrame>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const txMs = wireMs(wire.length, this.opts.baudRate);
      const pending: Pending = {
        expectDst: dst,
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
        if (frame.dst !== p.expectDst || frame.cid !== p.expectCid) {
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

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
