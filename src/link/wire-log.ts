import {
  CID,
  KmpError,
  decodeFrame,
  decodeGetRegisterRequest,
  decodeGetTypeResponse,
  decodeRegisters,
  decodeSerialNoResponse,
  toHex,
} from '../kmp/index.ts';

export type WireKind = 'request' | 'response' | 'echo' | 'cut' | 'noise';

/** One line of the frame log: what crossed the wire, when, and what it meant. */
export interface WireEntry {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  dir: 'tx' | 'rx';
  kind: WireKind;
  hex: string;
  /** undefined for pieces that carry no checksum (noise, cut-off frames). */
  crcOk: boolean | undefined;
  /** Human-readable view of the frame, or why it could not be read. */
  decoded: string;
  /**
   * For what the meter sent (not our echo): milliseconds from our last request to the end of
   * this frame. Shows how much of the wait-for-reply timeout a real meter and head use.
   */
  replyMs?: number;
}

export type WireListener = (entry: WireEntry) => void;

/**
 * A capped, observable log of every frame the client sent and received. Capped so a
 * long polling session cannot grow memory without bound; the store keeps its own copy.
 */
export class WireLog {
  private entries: WireEntry[] = [];
  private listeners = new Set<WireListener>();
  private seq = 0;
  private lastRequestAt: number | undefined;

  constructor(
    private readonly capacity = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  add(dir: 'tx' | 'rx', kind: WireKind, bytes: Uint8Array): WireEntry {
    const { crcOk, decoded } = describe(kind, bytes);
    const at = this.now();
    const entry: WireEntry = { seq: ++this.seq, at, dir, kind, hex: toHex(bytes), crcOk, decoded };
    if (dir === 'tx') this.lastRequestAt = at;
    else if (kind !== 'echo' && this.lastRequestAt !== undefined) entry.replyMs = at - this.lastRequestAt;
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const l of this.listeners) l(entry);
    return entry;
  }

  all(): readonly WireEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * Reply times of the intact replies in the log: what a timeout must leave room for. With the
   * line's milliseconds per byte, each reply's own time on the wire is taken off, which leaves
   * when it began: what the wait-for-a-reply timeout measures.
   */
  replyTimes(msPerByte = 0): { count: number; min: number; median: number; max: number } | undefined {
    const times = this.entries
      .filter((e) => e.kind === 'response' && e.crcOk && e.replyMs !== undefined)
      .map((e) => Math.max(0, Math.round(e.replyMs! - byteCount(e.hex) * msPerByte)));
    if (!times.length) return undefined;
    times.sort((a, b) => a - b);
    return {
      count: times.length,
      min: times[0]!,
      median: times[Math.floor((times.length - 1) / 2)]!,
      max: times[times.length - 1]!,
    };
  }

  subscribe(listener: WireListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Bytes in a log line's hex ('40 3F 10 …'). */
function byteCount(hex: string): number {
  return hex ? (hex.length + 1) / 3 : 0;
}

const CID_NAMES = new Map<number, string>(Object.entries(CID).map(([name, id]) => [id, name]));

function describe(kind: WireKind, bytes: Uint8Array): { crcOk: boolean | undefined; decoded: string } {
  if (kind === 'noise') return { crcOk: undefined, decoded: `${bytes.length} byte(s) outside any frame` };
  if (kind === 'cut') return { crcOk: undefined, decoded: `frame cut off after ${bytes.length} byte(s)` };
  try {
    const f = decodeFrame(bytes);
    const name = CID_NAMES.get(f.cid) ?? `command 0x${f.cid.toString(16)}`;
    const prefix = kind === 'echo' ? 'echo of our ' : '';
    return { crcOk: true, decoded: prefix + describeContent(f.direction, f.cid, name, f.data) };
  } catch (e) {
    if (e instanceof KmpError)
      return { crcOk: e.code === 'crc' ? false : undefined, decoded: `rejected: ${e.message}` };
    throw e;
  }
}

/** How the frames of a command whose code loads on demand read in the log. */
export type FrameDescriber = (direction: 'request' | 'response', data: Uint8Array) => string;

const laterDescribers = new Map<number, FrameDescriber>();

/**
 * The logger read-out's decoders load with the first download, not with the first screen; they
 * say here how its frames read. No 0xB8 frame is sent before that, so none is logged unnamed.
 */
export function describeFramesOf(cid: number, describe: FrameDescriber): void {
  laterDescribers.set(cid, describe);
}

function describeContent(direction: 'request' | 'response', cid: number, name: string, data: Uint8Array): string {
  try {
    if (direction === 'request') {
      if (cid === CID.GetRegister) return `${name} ${decodeGetRegisterRequest(data).join(', ')}`;
      const later = laterDescribers.get(cid);
      if (later) return `${name} request: ${later(direction, data)}`;
      return name;
    }
    const later = laterDescribers.get(cid);
    if (later) return `${name} reply: ${later(direction, data)}`;
    if (cid === CID.GetRegister) {
      const regs = decodeRegisters(data);
      return regs.length
        ? `${name} reply: ${regs.map((r) => `${r.id}=${r.decimal}${r.unit ? ` ${r.unit}` : ''}`).join(', ')}`
        : `${name} reply: no known registers`;
    }
    if (cid === CID.GetSerialNo) return `${name} reply: ${decodeSerialNoResponse(data)}`;
    if (cid === CID.GetType) {
      const t = decodeGetTypeResponse(data);
      return `${name} reply: type ${t.typeHex}, revision ${t.softwareRevision ?? 'n/a'}`;
    }
    return `${name} ${direction}, ${data.length} data byte(s)`;
  } catch (e) {
    if (e instanceof KmpError) return `${name} ${direction} with unreadable data: ${e.message}`;
    throw e;
  }
}
