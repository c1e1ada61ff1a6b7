/** Byte values with a fixed meaning on the wire (KMP physical layer). */
export const START_REQUEST = 0x80;
export const START_RESPONSE = 0x40;
export const STOP = 0x0d;
export const ACK = 0x06;
export const ESCAPE = 0x1b;

/** Bytes that never appear unescaped between the start and stop byte. */
export const RESERVED: ReadonlySet<number> = new Set([ACK, STOP, ESCAPE, START_RESPONSE, START_REQUEST]);

/** Destination address of the heat meter itself. */
export const DST_HEAT_METER = 0x3f;

/** Command ids (KMP application layer). */
export const CID = {
  GetType: 0x01,
  GetSerialNo: 0x02,
  SetClock: 0x09,
  GetRegister: 0x10,
  PutRegister: 0x11,
  GetEventStatus: 0x9b,
  ClearEventStatus: 0x9c,
  GetLogTimePresent: 0xa0,
  GetLogPastPresent: 0xa1,
  GetLogIdPresent: 0xa2,
  GetLogTimePast: 0xa3,
  /** The logger read-out of the 2016+ generation (603, 403, 303, 803): sub-commands 05, 06, 07 (docs/loggers.md). */
  Logger: 0xb8,
} as const;

/**
 * Sub-commands of the logger read-out (CID 0xB8) this app sends. Here rather than in logger.ts:
 * the client checks them on every request, and importing them from logger.ts would put all the
 * logger codec in the first screen's bundle (a module goes to a chunk whole).
 */
export const LOGGER_SUB = {
  /** The registers a logger records and how many entries it keeps. */
  config: 0x05,
  /** Entries from an id downwards (newest first). */
  byId: 0x06,
  /** Entries from an end of the logger; offset 0xFFFF is the newest entry. */
  fromEnd: 0x07,
} as const;

/** Commands that change the meter. The client refuses to send them: the meter is fiscal and on battery. */
export const WRITE_COMMANDS: ReadonlySet<number> = new Set([CID.SetClock, CID.PutRegister, CID.ClearEventStatus]);

/** The protocol allows at most this many register ids in one GetRegister request. */
export const MAX_REGISTERS_PER_REQUEST = 8;
