import type { MeterType, RegisterValue, Words } from '../../kmp/index.ts';
import type { LinkError, LinkFailure } from '../link-error.ts';
import type { ModelGuess } from '../model-guess.ts';
import type { SerialPortLike } from '../serial-port-like.ts';
import type { PortInfo, SerialAccessError } from '../web-serial.ts';

/** A port the session can open and close: Web Serial's SerialPort or the virtual meter's. */
export interface OpenablePort extends SerialPortLike {
  open(options: SerialOptions): Promise<void>;
  close(): Promise<void>;
}

export type SessionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; label: string; demo: boolean; port?: PortInfo }
  | { kind: 'connected'; label: string; demo: boolean; port?: PortInfo }
  /** The cable or adapter went away mid-session. */
  | { kind: 'lost'; label: string; demo: boolean; port?: PortInfo; error: LinkError }
  | { kind: 'failed'; error: SerialAccessError | LinkError };

export interface AlignCounts {
  ok: number;
  'no-answer': number;
  'echo-only': number;
  'bad-crc': number;
  other: number;
}

export type Activity =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'polling'; intervalMs: number; nextAt: number; reads: number }
  | { kind: 'aligning'; endsAt: number; counts: AlignCounts; last: 'ok' | LinkFailure | undefined }
  | { kind: 'scanning'; done: number; total: number; found: number }
  /** Downloading one of the meter's own loggers (CID 0xB8): entries done of total, requests sent. */
  | { kind: 'logger'; logger: number; done: number; total: number; requests: number };

/** What a page may ask the session to start: every activity but idle. */
export type StartableActivity = Exclude<Activity['kind'], 'idle'>;

export interface MeterIdentity extends ModelGuess {
  serial: number;
  type: MeterType | undefined;
  /** Info code, counters, meter clock and config numbers read while identifying. */
  registers: RegisterValue[];
}

export interface ScanResult {
  supported: RegisterValue[];
  unsupported: number[];
  /** Why the scan ended before the candidate list did, if it did: in English, as the scan is stored and exported. */
  stoppedEarly: string | undefined;
  /** `stoppedEarly` as words, for the page. */
  stoppedEarlyWords?: Words;
}

/**
 * The first reading after connecting while its replies arrive: the chosen registers' values
 * decoded so far (CRC checked), in the chosen order. Never stored or published; the reading is,
 * once, when whole.
 */
export interface ReadProgress {
  values: RegisterValue[];
  /** How many registers were chosen: values still missing are on their way, or not on this meter. */
  chosen: number;
}
