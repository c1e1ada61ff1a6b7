/**
 * WCH CH340 / CH341 in UART mode / CH340K.
 *
 * WCH publishes no register map for the UART; the requests and registers here are those of the
 * Linux kernel's drivers/usb/serial/ch341.c (ch341_configure, ch341_set_baudrate_lcr,
 * ch341_get_divisor, ch341_set_handshake). All are vendor requests to the device (0x40 out,
 * 0xC0 in); a register write puts two registers' numbers in wValue (high byte, low byte) and their
 * two new values in wIndex (high byte, low byte).
 */
import { ControlTransferError, type DriverContext, type LineSettings, type UsbSerialDriver } from './driver.ts';
import { UsbAccessError } from './usb-access-error.ts';

const REQ = { readVersion: 0x5f, writeReg: 0x9a, serialInit: 0xa1, modemCtrl: 0xa4 };
/** CH341_REG_PRESCALER 0x12 and CH341_REG_DIVISOR 0x13, written together. */
const REG_DIVISOR_PRESCALER = 0x1312;
/** CH341_REG_LCR 0x18 and CH341_REG_LCR2 0x25 (always 0), written together. */
const REG_LCR = 0x2518;
/** CH341_BIT_DTR (1 << 5) and CH341_BIT_RTS (1 << 6); MODEM_CTRL takes them inverted (active low). */
const DTR = 0x20;
const RTS = 0x40;

/** CH341_LCR_*: receiver and transmitter enable, parity, stop bits, word length. */
export function ch34xLcr(line: LineSettings): number {
  let lcr = 0x80 | 0x40; // CH341_LCR_ENABLE_RX | CH341_LCR_ENABLE_TX
  lcr |= line.dataBits === 8 ? 0x03 : 0x02; // CH341_LCR_CS8 / CH341_LCR_CS7
  if (line.parity !== 'none') lcr |= 0x08 | (line.parity === 'even' ? 0x10 : 0); // ENABLE_PAR, PAR_EVEN
  if (line.stopBits === 2) lcr |= 0x04; // CH341_LCR_STOP_BITS_2
  return lcr;
}

const CLOCK = 48_000_000; // CH341_CLKRATE
/** CH341_CLK_DIV(ps, fact): the clock divider of prescaler setting ps (0–3) with fact 1 (×2) or 0. */
const clkDiv = (ps: number, fact: number): number => 1 << (12 - 3 * ps - fact);
/** CH341_MIN_RATE(ps): the slowest rate each prescaler reaches with fact 1 and a divisor below 512. */
const minRate = (ps: number): number => Math.floor(CLOCK / (clkDiv(ps, 1) * 512));
const MIN_BPS = Math.ceil(CLOCK / (clkDiv(0, 0) * 256)); // 46
const MAX_BPS = Math.floor(CLOCK / (clkDiv(3, 0) * 2)); // 3 000 000

/**
 * ch341_get_divisor: wIndex for registers 0x13 (high byte: 256 − divisor) and 0x12 (low byte:
 * fact << 2 | prescaler), BIT(7) not included. The kernel's CH341_QUIRK_LIMITED_PRESCALER
 * (clones without fact 1 below prescaler 3, found by probing the break register) is left out:
 * it gives the same value at 1200, 2400, 4800, 9600 and 19200, where the even-divisor rule
 * picks fact 0 anyway.
 *
 * 1200 baud: ps = 1 (the highest with 1200 > minRate: minRate(2) = 2929, minRate(1) = 366);
 * clk_div = CLK_DIV(1, 1) = 256; div = 48e6 / (256 × 1200) = 156 (156.25 rounded down), within
 * 9…255 so fact stays 1; the next divisor 157 is not closer (16×48e6/(256×156) − 19200 = 30 <
 * 19200 − 16×48e6/(256×157) = 92); 156 is even, so fact 0 and div 78 instead (same rate, more
 * tolerant receiver). (0x100 − 78) << 8 | 0 << 2 | 1 = 0xB201; with BIT(7): 0xB281.
 */
export function ch34xDivisor(baud: number): number {
  const speed = Math.min(Math.max(baud, MIN_BPS), MAX_BPS);
  let fact = 1;
  let ps = 3;
  while (ps >= 0 && !(speed > minRate(ps))) ps--;
  if (ps < 0) throw new UsbAccessError('settings', `CH34x cannot run at ${baud} baud`);
  let div = Math.floor(CLOCK / (clkDiv(ps, fact) * speed));
  let clk = clkDiv(ps, fact);
  if (div < 9 || div > 255) {
    div = Math.floor(div / 2);
    clk *= 2;
    fact = 0;
  }
  if (div < 2) throw new UsbAccessError('settings', `CH34x cannot run at ${baud} baud`);
  // The next divisor if its rate is closer; scaled by 16 (integer steps) as the kernel does.
  if (Math.floor((16 * CLOCK) / (clk * div)) - 16 * speed >= 16 * speed - Math.floor((16 * CLOCK) / (clk * (div + 1))))
    div++;
  if (fact === 1 && div % 2 === 0) {
    div /= 2;
    fact = 0;
  }
  return ((0x100 - div) << 8) | (fact << 2) | ps;
}

/**
 * ch341_set_baudrate_lcr sets BIT(7) for chips newer than version 0x27: without it the CH341A
 * holds received bytes until a whole 32-byte packet is full, and a KMP reply would stall.
 */
export function ch34xDivisorSetup(baud: number, version: number): number {
  return ch34xDivisor(baud) | (version > 0x27 ? 0x80 : 0);
}

export const ch34xDriver: UsbSerialDriver = {
  id: 'ch34x',
  interfaces(device) {
    const first = (device.configuration ?? device.configurations[0])?.interfaces[0];
    if (!first) throw new UsbAccessError('unsupported', 'no interface');
    return { claim: [first.interfaceNumber], data: first.interfaceNumber };
  },
  async open({ control, line, name }: DriverContext) {
    const out = (request: number, value: number, index: number) =>
      control.out('vendor', 'device', request, value, index);
    // ch341_configure: the version (two bytes, e.g. 0x31 0x00), SERIAL_INIT, then baud and line.
    const version = (await control.in('vendor', 'device', REQ.readVersion, 0, 0, 2))[0]!;
    await out(REQ.serialInit, 0, 0);
    await out(REQ.writeReg, REG_DIVISOR_PRESCALER, ch34xDivisorSetup(line.baudRate, version));
    // The kernel writes LCR only from version 0x30 on: older chips keep line control elsewhere and
    // lose a character when LCR changes while bytes flow. We write it on every version, once, here,
    // before any byte flows, so nothing can be lost: chips from 0x30 on need it for 2 stop bits,
    // older ones that accept it get 8N2 too. An older chip that refuses it (a stall) stays at its
    // 8N1 default: UARTs commonly check only the first stop bit, so the meter reads those bytes,
    // and the meter's second stop bit is idle line to us. A refusal there is not worth failing on.
    try {
      await out(REQ.writeReg, REG_LCR, ch34xLcr(line));
    } catch (e) {
      if (version >= 0x30 || !(e instanceof ControlTransferError)) throw e;
    }
    await out(REQ.modemCtrl, ~(DTR | RTS) & 0xffff, 0);
    return {
      chip: `${name} (version 0x${version.toString(16).padStart(2, '0')})`,
      // ch341_dtr_rts(on = 0) on close: both lines inactive.
      close: () => out(REQ.modemCtrl, 0xffff, 0),
    };
  },
};
