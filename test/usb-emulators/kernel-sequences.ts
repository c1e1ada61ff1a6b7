/**
 * The control transfers the Linux kernel's drivers send to bring each chip up at 1200 8N2, as
 * a port is probed, opened and set to 1200 baud, 8 data bits, no parity, 2 stop bits. Each
 * value is worked out from the cited function; the e2e test compares the app's control log with
 * the line-setting part of these.
 */
import type { ChipModel } from '../support/usb-chips/index.ts';
import { ifaceIn, ifaceOut, vendorIn, vendorOut, type Step } from './helpers.ts';

// ---- FTDI: drivers/usb/serial/ftdi_sio.c -------------------------------------------------
// ftdi_232bm_baud_base_to_divisor(1200, 48 MHz): divisor3 = 48e6 / (2·1200) = 20000 eighths,
// 20000 >> 3 = 2500 = 0x09C4, fraction 0 → value 0x09C4, bit 16 clear.
// SET_DATA for CS8, no parity, CSTOPB: 8 | FTDI_SIO_SET_DATA_PARITY_NONE | STOP_BITS_2 (2 << 11)
// = 0x1008. MODEM_CTRL DTR|RTS high: (1 | 1 << 8) | (2 | 2 << 8) = 0x0303.
function ftdi(channel: number): Step[] {
  return [
    vendorIn(0x0a, 0, channel, 1), // ftdi_port_probe → read_latency_timer (GET_LATENCY_TIMER)
    vendorOut(0x09, 16, channel), // write_latency_timer: the 16 ms just read
    vendorOut(0x00, 0, channel), // ftdi_open: FTDI_SIO_RESET_SIO
    vendorOut(0x04, 0x1008, channel), // ftdi_set_termios: SET_DATA 8N2
    vendorOut(0x03, 0x09c4, channel ? (0 << 8) | channel : 0), // change_speed: divisor 2500
    vendorOut(0x02, 0, channel), // flow control off: FTDI_SIO_DISABLE_FLOW_CTRL | channel
    vendorOut(0x01, 0x0303, channel), // ftdi_dtr_rts → set_mctrl(DTR | RTS)
  ];
}

// ---- CP210x: drivers/usb/serial/cp210x.c, Silicon Labs AN571 -----------------------------
// SET_LINE_CTL 8N2: BITS_DATA_8 (0x0800) | BITS_PARITY_NONE | BITS_STOP_2 (0x0002) = 0x0802.
const CP2102: Step[] = [
  vendorIn(0xff, 0x370b, 0, 1), // cp210x_attach: VENDOR_SPECIFIC GET_PARTNUM (0xC0)
  ifaceOut('vendor', 0x00, 1), // cp210x_open: IFC_ENABLE, UART_ENABLE
  ifaceIn('vendor', 0x1d, 4), // cp210x_get_termios_port: GET_BAUDRATE
  ifaceIn('vendor', 0x04, 2), // GET_LINE_CTL
  ifaceIn('vendor', 0x14, 16), // GET_FLOW
  ifaceOut('vendor', 0x1e, 0, [0xb0, 0x04, 0x00, 0x00]), // cp210x_change_speed: SET_BAUDRATE 1200
  ifaceOut('vendor', 0x03, 0x0802), // cp210x_set_termios: SET_LINE_CTL 8N2
  ifaceOut('vendor', 0x07, 0x0303), // cp210x_dtr_rts: SET_MHS DTR|RTS with their write masks
];

// ---- CH34x: drivers/usb/serial/ch341.c -----------------------------------------------------
// ch341_get_divisor(1200): ps = 1 (1200 > min rate 366), clk_div = 1 << (12 - 3 - 1) = 256,
// div = 48e6 / (256·1200) = 156, rounding keeps 156; fact 1 with an even divisor becomes fact 0,
// div 78 → (0x100 - 78) << 8 | 0 << 2 | 1 = 0xB201; bit 7 added for version > 0x27 → 0xB281.
// For 9600 (the probe's default) the same steps give 0xB202 (0xB282 with bit 7).
// LCR 8N2 with the receiver and transmitter on: 0x80 | 0x40 | CS8 (0x03) | STOP_BITS_2 (0x04) = 0xC7.
function ch34x(version: number): Step[] {
  const bit7 = version > 0x27 ? 0x80 : 0;
  const lcrWrites = (lcr: number) => (version < 0x30 ? [] : [vendorOut(0x9a, 0x2518, lcr)]);
  return [
    vendorIn(0x5f, 0, 0, 2), // ch341_configure: READ_VERSION
    vendorOut(0xa1, 0, 0), // SERIAL_INIT
    vendorOut(0x9a, 0x1312, 0xb202 | bit7), // ch341_set_baudrate_lcr: 9600, prescaler/divisor
    ...lcrWrites(0xc3), // LCR 8N1 + RX/TX enable (only from version 0x30)
    vendorOut(0xa4, 0xffff, 0), // ch341_set_handshake(~0): DTR/RTS off
    vendorIn(0x95, 0x0005, 0, 2), // ch341_detect_quirks: READ_REG break register
    vendorOut(0x9a, 0x1312, 0xb201 | bit7), // ch341_set_termios → 1200
    ...lcrWrites(0xc7), // → 8N2
    vendorOut(0xa4, 0xff9f, 0), // ch341_dtr_rts: ~(DTR 0x20 | RTS 0x40)
    vendorIn(0x95, 0x0706, 0, 2), // ch341_open → ch341_get_status
  ];
}
/** Kernels before 5.5 (and usb-serial-for-android) wrote the LCR on every chip version. */
const CH341_OLD_WITH_LCR: Step[] = [...ch34x(0x27), vendorOut(0x9a, 0x2518, 0xc7)];

// ---- PL2303: drivers/usb/serial/pl2303.c ----------------------------------------------------
// Line coding for 1200 8N2: dwDTERate 1200 = b0 04 00 00 (a standard rate, sent directly by
// pl2303_encode_baud_rate), bCharFormat 2 (2 stop bits), bParityType 0, bDataBits 8.
const LINE_1200_8N2 = [0xb0, 0x04, 0x00, 0x00, 2, 0, 8];
const PL2303HX: Step[] = [
  // pl2303_startup for every type but HXN: the vendor "magic" sequence.
  vendorIn(0x01, 0x8484, 0, 1),
  vendorOut(0x01, 0x0404, 0),
  vendorIn(0x01, 0x8484, 0, 1),
  vendorIn(0x01, 0x8383, 0, 1),
  vendorIn(0x01, 0x8484, 0, 1),
  vendorOut(0x01, 0x0404, 1),
  vendorIn(0x01, 0x8484, 0, 1),
  vendorIn(0x01, 0x8383, 0, 1),
  vendorOut(0x01, 0, 1),
  vendorOut(0x01, 1, 0),
  vendorOut(0x01, 2, 0x44), // not PL2303_QUIRK_LEGACY
  vendorOut(0x01, 8, 0), // pl2303_open: reset upstream pipe
  vendorOut(0x01, 9, 0), // reset downstream pipe
  ifaceIn('class', 0x21, 7), // pl2303_set_termios → pl2303_get_line_request
  ifaceOut('class', 0x20, 0, LINE_1200_8N2), // pl2303_set_line_request
  vendorIn(0x01, 0x0080, 0, 1), // pl2303_update_reg(0, PL2303_FLOWCTRL_MASK, 0): read reg 0 | 0x80
  vendorOut(0x01, 0, 0), // … and write it back without flow control
  ifaceOut('class', 0x22, 0x03), // pl2303_dtr_rts → SET_CONTROL_REQUEST DTR|RTS
];
const PL2303HXN: Step[] = [
  // No legacy start-up for HXN (pl2303_startup), VENDOR_*_NREQUEST 0x80/0x81 instead.
  vendorOut(0x80, 0x07, 0x03), // pl2303_open: PL2303_HXN_RESET_REG, upstream | downstream pipe
  ifaceIn('class', 0x21, 7),
  ifaceOut('class', 0x20, 0, LINE_1200_8N2),
  vendorIn(0x81, 0x0a, 0, 1), // pl2303_update_reg(PL2303_HXN_FLOWCTRL_REG, …): read
  vendorOut(0x80, 0x0a, 0x1c), // … write PL2303_HXN_FLOWCTRL_NONE
  ifaceOut('class', 0x22, 0x03),
];

// ---- CDC-ACM: drivers/usb/class/cdc-acm.c, USB CDC PSTN 1.2 §6.3 --------------------------
const CDC_ACM: Step[] = [
  ifaceOut('class', 0x20, 0, [0x80, 0x25, 0x00, 0x00, 0, 0, 8]), // acm_probe: acm_set_line 9600 8N1
  ifaceOut('class', 0x22, 0x03), // acm_port_dtr_rts: SET_CONTROL_LINE_STATE DTR|RTS
  ifaceOut('class', 0x20, 0, LINE_1200_8N2), // acm_tty_set_termios → SET_LINE_CODING
];

export const KERNEL_1200_8N2: Record<ChipModel, Step[]> = {
  ft232r: ftdi(0), // ftdi_determine_type: FT232R is channel 0
  ft230x: ftdi(1), // FT-X: channel CHANNEL_A + interface 0 = 1
  cp2102: CP2102,
  ch340: ch34x(0x31),
  'ch341-old': CH341_OLD_WITH_LCR,
  pl2303hx: PL2303HX,
  pl2303hxn: PL2303HXN,
  'cdc-acm': CDC_ACM,
};

/** The kernel's exact sequence for a version-0x27 CH341, which never writes the LCR. */
export const KERNEL_CH341_OLD = ch34x(0x27);

/** The same bring-up with one setting wrong, which must leave the meter deaf. */
export const WRONG_LINE: Record<ChipModel, { what: string; steps: Step[] }> = {
  ft232r: {
    what: '1 stop bit (SET_DATA 0x0008)',
    steps: replace(KERNEL_1200_8N2.ft232r, 3, vendorOut(0x04, 0x0008, 0)),
  },
  ft230x: { what: '2400 baud (divisor 1250)', steps: replace(KERNEL_1200_8N2.ft230x, 4, vendorOut(0x03, 0x04e2, 1)) },
  cp2102: { what: '1 stop bit (SET_LINE_CTL 0x0800)', steps: replace(CP2102, 6, ifaceOut('vendor', 0x03, 0x0800)) },
  ch340: {
    what: '2400 baud (prescaler/divisor 0xD981)',
    steps: replace(KERNEL_1200_8N2.ch340, 6, vendorOut(0x9a, 0x1312, 0xd981)),
  },
  'ch341-old': { what: 'the kernel sequence without an LCR write (8N1)', steps: KERNEL_CH341_OLD },
  pl2303hx: {
    what: 'even parity',
    steps: replace(PL2303HX, 14, ifaceOut('class', 0x20, 0, [0xb0, 0x04, 0, 0, 2, 2, 8])),
  },
  pl2303hxn: {
    what: '9600 baud',
    steps: replace(PL2303HXN, 2, ifaceOut('class', 0x20, 0, [0x80, 0x25, 0, 0, 2, 0, 8])),
  },
  'cdc-acm': {
    what: '1 stop bit',
    steps: replace(CDC_ACM, 2, ifaceOut('class', 0x20, 0, [0xb0, 0x04, 0, 0, 0, 0, 8])),
  },
};

function replace(steps: Step[], at: number, step: Step): Step[] {
  return steps.map((s, i) => (i === at ? step : s));
}
