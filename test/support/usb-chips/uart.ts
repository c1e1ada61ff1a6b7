/**
 * The chip's UART side: what its line settings are, and whether a byte survives the trip to
 * the meter. A Kamstrup optical port talks 1200 baud, 8 data bits, no parity, 2 stop bits
 * (docs/protocol.md#line-settings); the emulator is strict about all four so a driver that gets
 * any of them wrong fails the way it would at a real meter (no answer), not silently.
 */

/** What the chip's UART is wired to: the IR head's LED and photodiode, in tests a virtual meter. */
export interface BytePipe {
  write(bytes: Uint8Array): void;
  onData(cb: (bytes: Uint8Array) => void): void;
}

export type Parity = 'none' | 'odd' | 'even' | 'mark' | 'space';

export interface LineSettings {
  baudRate: number;
  dataBits: number;
  parity: Parity;
  stopBits: 1 | 1.5 | 2;
}

export const METER_LINE: Readonly<LineSettings> = { baudRate: 1200, dataBits: 8, parity: 'none', stopBits: 2 };

/**
 * A UART samples mid-bit, so over the 11 bits of an 8N2 frame it tolerates a few percent of
 * clock mismatch; 3 % keeps the real dividers' rounding (CH34x: 1201.9 baud) and rejects any
 * neighbouring standard rate (1800, 2400, 600).
 */
export const BAUD_TOLERANCE = 0.03;

export function lineMatchesMeter(line: LineSettings): boolean {
  return (
    Math.abs(line.baudRate - METER_LINE.baudRate) <= METER_LINE.baudRate * BAUD_TOLERANCE &&
    line.dataBits === METER_LINE.dataBits &&
    line.parity === METER_LINE.parity &&
    line.stopBits === METER_LINE.stopBits
  );
}

/** "1200 8N2", for logs and test messages. */
export function describeLine(line: LineSettings): string {
  const parity = { none: 'N', odd: 'O', even: 'E', mark: 'M', space: 'S' }[line.parity];
  return `${Math.round(line.baudRate * 10) / 10} ${line.dataBits}${parity}${line.stopBits}`;
}

// A mismatched line does not lose bytes, it mangles them (framing errors, wrong bit times).
// Two different masks so the meter's echo of a mangled byte does not come back un-mangled.
const GARBLE_TO_METER = 0x5a;
const GARBLE_FROM_METER = 0xc3;

/** The UART of an emulated chip: sends and receives through a BytePipe with the current line. */
export class EmulatedUart {
  line: LineSettings = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };
  /** Receiver and transmitter enable (CP210x IFC_ENABLE, CH34x LCR bits 6/7). */
  rxEnabled = true;
  txEnabled = true;
  private receivers: Array<(bytes: Uint8Array) => void> = [];

  constructor(private readonly pipe: BytePipe) {
    pipe.onData((bytes) => {
      if (!this.rxEnabled) return;
      const received = this.lineOk() ? bytes : bytes.map((b) => b ^ GARBLE_FROM_METER);
      for (const r of this.receivers) r(received);
    });
  }

  lineOk(): boolean {
    return lineMatchesMeter(this.line);
  }

  send(bytes: Uint8Array): void {
    if (!this.txEnabled || !bytes.length) return;
    this.pipe.write(this.lineOk() ? Uint8Array.from(bytes) : bytes.map((b) => b ^ GARBLE_TO_METER));
  }

  onReceive(cb: (bytes: Uint8Array) => void): void {
    this.receivers.push(cb);
  }
}

/**
 * A pipe whose far end is attached later (wireToVirtualMeter): until then what the chip sends
 * goes nowhere, as light from an IR head pointing at nothing.
 */
export class Wire implements BytePipe {
  private farEnd: ((bytes: Uint8Array) => void) | undefined;
  private listeners: Array<(bytes: Uint8Array) => void> = [];

  write(bytes: Uint8Array): void {
    this.farEnd?.(bytes);
  }

  onData(cb: (bytes: Uint8Array) => void): void {
    this.listeners.push(cb);
  }

  /** Attaches the far end; returns the function through which it sends bytes back. */
  attach(farEnd: (bytes: Uint8Array) => void): (bytes: Uint8Array) => void {
    if (this.farEnd) throw new Error('this wire already has a far end');
    this.farEnd = farEnd;
    return (bytes) => {
      for (const l of this.listeners) l(bytes);
    };
  }
}
