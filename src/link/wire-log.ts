import { CID, KmpError, decodeFrame, decodeGetRegisterRequest, decodeGetTypeResponse, decodeRegisters, decodeSerialNoResponse, toHex } from '../kmp/index.ts';

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

  constructor(
    private readonly capacity = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  add(dir: 'tx' | 'rx', kind: WireKind, bytes: Uint8Array): WireEntry {
    const { crcOk, decoded } = describe(kind, bytes);
    const entry: WireEntry = { seq: ++this.seq, at: this.now(), dir, kind, hex: toHex(bytes), crcOk, decoded };
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

  subscribe(listener: WireListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
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
    if (e instanceof KmpError) return { crcOk: e.code === 'crc' ? false : undefined, decoded: `rejected: ${e.message}` };
    throw e;
  }
}

function describeContent(direction: 'request' | 'response', cid: number, name: string, data: Uint8Array): string {
  try {
    if (direction === 'request') {
      if (cid === CID.GetRegister) return `${name} ${decodeGetRegisterRequest(data).join(', ')}`;
      return name;
    }
    if (cid === CID.GetRegister) {
      const regs = decodeRegisters(data);
      return regs.length ? `${name} reply: ${regs.map((r) => `${r.id}=${r.decimal}${r.unit ? ` ${r.unit}` : ''}`).join(', ')}` : `${name} reply: no known registers`;
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
