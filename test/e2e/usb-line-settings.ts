/**
 * What a driver must have left in the control log for each emulated chip to run at 1200 8N2:
 * the last transfer of each line-setting kind, with the value the Linux kernel's driver sends
 * (derivations in test/usb-emulators/kernel-sequences.ts). Index choices the real chips accept
 * either way are allowed (FT-X: port 0 or channel A = 1). Check while connected: closing sends
 * CP210x IFC_ENABLE(0), as cp210x_close does.
 */
import type { ChipModel, ControlRecord } from '../support/usb-chips/index.ts';

export interface ExpectedTransfer {
  what: string;
  /** Picks the transfers of this kind; the last one must match `expect`. */
  kind: (c: ControlRecord) => boolean;
  expect: (c: ControlRecord) => boolean;
}

const LINE_1200_8N2 = [0xb0, 0x04, 0x00, 0x00, 2, 0, 8];
const sameBytes = (a: number[] | undefined, b: number[]) =>
  !!a && a.length === b.length && a.every((x, i) => x === b[i]);
const vendorDevice = (request: number) => (c: ControlRecord) =>
  c.dir === 'out' && c.type === 'vendor' && c.recipient === 'device' && c.request === request;

function ftdi(indexes: number[]): ExpectedTransfer[] {
  return [
    {
      what: 'FTDI SET_DATA 0x1008 (8 data bits, no parity, 2 stop bits)',
      kind: vendorDevice(0x04),
      expect: (c) => c.value === 0x1008 && indexes.includes(c.index),
    },
    {
      what: 'FTDI SET_BAUD_RATE divisor 2500 (0x09C4)',
      kind: vendorDevice(0x03),
      expect: (c) => c.value === 0x09c4 && indexes.includes(c.index),
    },
  ];
}

function ch34x(prescaler: number): ExpectedTransfer[] {
  const reg = (pair: number) => (c: ControlRecord) => vendorDevice(0x9a)(c) && c.value === pair;
  return [
    {
      what: `CH34x WRITE_REG 0x1312 = 0x${prescaler.toString(16)} (1200 baud)`,
      kind: reg(0x1312),
      expect: (c) => c.index === prescaler,
    },
    { what: 'CH34x WRITE_REG 0x2518 = 0x00C7 (8N2, RX and TX on)', kind: reg(0x2518), expect: (c) => c.index === 0xc7 },
  ];
}

const lineCoding = (what: string): ExpectedTransfer[] => [
  {
    what: `${what} 1200 8N2 (b0 04 00 00 02 00 08)`,
    kind: (c) => c.dir === 'out' && c.type === 'class' && c.recipient === 'interface' && c.request === 0x20,
    expect: (c) => c.index === 0 && sameBytes(c.data, LINE_1200_8N2),
  },
];

const cpOut = (request: number) => (c: ControlRecord) =>
  c.dir === 'out' && c.type === 'vendor' && c.recipient === 'interface' && c.request === request;

export const EXPECTED_LINE: Record<ChipModel, ExpectedTransfer[]> = {
  ft232r: ftdi([0]),
  ft230x: ftdi([0, 1]),
  cp2102: [
    { what: 'CP210x IFC_ENABLE(1)', kind: cpOut(0x00), expect: (c) => c.value === 1 },
    { what: 'CP210x SET_BAUDRATE 1200', kind: cpOut(0x1e), expect: (c) => sameBytes(c.data, [0xb0, 0x04, 0, 0]) },
    { what: 'CP210x SET_LINE_CTL 0x0802', kind: cpOut(0x03), expect: (c) => c.value === 0x0802 },
  ],
  ch340: ch34x(0xb281), // version 0x31: bit 7 set (no packet buffering)
  'ch341-old': ch34x(0xb201), // version 0x27: bit 7 clear, as ch341_set_baudrate_lcr does
  pl2303hx: lineCoding('PL2303 SET_LINE_REQUEST'),
  pl2303hxn: lineCoding('PL2303 SET_LINE_REQUEST'),
  'cdc-acm': lineCoding('CDC SET_LINE_CODING'),
};

/** What is wrong with the log for this chip; empty when the line was set to 1200 8N2. */
export function lineSettingProblems(model: ChipModel, log: ControlRecord[]): string[] {
  return EXPECTED_LINE[model].flatMap((e) => {
    const last = log.filter(e.kind).at(-1);
    if (!last) return [`missing: ${e.what}`];
    if (last.status !== 'ok') return [`stalled: ${e.what}`];
    return e.expect(last) ? [] : [`${e.what}, but the last one was ${JSON.stringify(last)}`];
  });
}
