/**
 * The part of Web Serial's SerialPort the client needs. The virtual meter's port, a real
 * SerialPort and a test double all fit, so the client never knows which one it talks to.
 */
export interface SerialPortLike {
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  close?(): Promise<void>;
}

/** Read errors after which Web Serial hands out a fresh `readable`: the session goes on. */
const TRANSIENT_READ_ERRORS = new Set(['BreakError', 'FramingError', 'ParityError', 'BufferOverrunError']);

export function isTransientReadError(error: unknown): boolean {
  return error instanceof Error && TRANSIENT_READ_ERRORS.has(error.name);
}
