import { describe, expect, it } from 'vitest';
import { UsbSerialPort } from '../../src/usb/index.ts';
import { ch34xDivisor, ch34xDivisorSetup, ch34xLcr } from '../../src/usb/ch34x.ts';
import { KMP_OPEN, RecordingUsbDevice, inn, out } from './recording-usb-device.ts';

function ch340(version: number) {
  const device = new RecordingUsbDevice({ vendorId: 0x1a86, productId: 0x7523 });
  device.onControlIn = (c) => (c.request === 0x5f ? { status: 'ok', data: [version, 0x00] } : { status: 'stall' });
  return device;
}

describe('CH34x open at 1200 8N2', () => {
  it('sends ch341_configure’s requests with the kernel divisor, BIT(7) and LCR (version 0x31)', async () => {
    const device = ch340(0x31);
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.controlLog).toEqual([
      // ch341_configure: CH341_REQ_READ_VERSION (0x5F), two bytes
      inn('vendor', 'device', 0x5f, 0, 0, 2),
      // CH341_REQ_SERIAL_INIT (0xA1), 0, 0
      out('vendor', 'device', 0xa1, 0, 0),
      // ch341_set_baudrate_lcr: CH341_REQ_WRITE_REG (0x9A), DIVISOR 0x13 << 8 | PRESCALER 0x12,
      // ch341_get_divisor(1200) = 0xB201 (derivation in ch34x.ts), | BIT(7) as version 0x31 > 0x27
      out('vendor', 'device', 0x9a, 0x1312, 0xb281),
      // LCR2 0x25 << 8 | LCR 0x18: ENABLE_RX 0x80 | ENABLE_TX 0x40 | STOP_BITS_2 0x04 | CS8 0x03
      out('vendor', 'device', 0x9a, 0x2518, 0x00c7),
      // ch341_set_handshake: CH341_REQ_MODEM_CTRL (0xA4), ~(DTR 0x20 | RTS 0x40) as u16
      out('vendor', 'device', 0xa4, 0xff9f, 0),
    ]);
    expect(port.description.chip).toBe('WCH CH340 (version 0x31)');
    const before = device.controlLog.length;
    await port.close();
    expect(device.controlLog.slice(before)).toEqual([out('vendor', 'device', 0xa4, 0xffff, 0)]);
  });

  it('leaves BIT(7) off for version 0x27 and goes on when such an old chip refuses LCR', async () => {
    const device = ch340(0x27);
    device.onControlOut = (c) => (c.value === 0x2518 ? 'stall' : 'ok');
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.outCalls().map((c) => [c.request, c.value, c.index])).toEqual([
      [0xa1, 0, 0],
      [0x9a, 0x1312, 0xb201],
      [0x9a, 0x2518, 0x00c7],
      [0xa4, 0xff9f, 0],
    ]);
    await port.close();
  });

  it('fails with "settings" when a chip from version 0x30 on refuses LCR', async () => {
    const device = ch340(0x30);
    device.onControlOut = (c) => (c.value === 0x2518 ? 'stall' : 'ok');
    await expect(new UsbSerialPort(device).open(KMP_OPEN)).rejects.toMatchObject({
      name: 'UsbAccessError',
      kind: 'settings',
    });
    expect(device.calls.slice(-2)).toEqual(['releaseInterface(0)', 'close']);
  });
});

describe('ch341_get_divisor', () => {
  // (0x100 − div) << 8 | fact << 2 | ps, worked by hand from ch341.c:
  //  1200: ps 1, clk 256, div 156 → even → 78, fact 0 → 0xB2 01
  //  2400: ps 1, clk 256, div 78 (78.1) → even → 39, fact 0 → 0xD9 01
  //  9600: ps 2, clk 32, div 156 → 78, fact 0 → 0xB2 02
  // 19200: ps 2, clk 32, div 78 → 39, fact 0 → 0xD9 02
  //  4800: ps 2, clk 32, div 312 > 255 → halve: 156, fact 0 → 0x64 02
  // 115200: ps 3, clk 4, div 104 → 52, fact 0 → 0xCC 03
  // These match the fixed table older drivers carried (9600 = 0xB202, 115200 = 0xCC03).
  const table: Array<[number, number]> = [
    [1200, 0xb201],
    [2400, 0xd901],
    [4800, 0x6402],
    [9600, 0xb202],
    [19200, 0xd902],
    [115200, 0xcc03],
  ];
  for (const [baud, value] of table)
    it(`${baud} baud → 0x${value.toString(16)}`, () => expect(ch34xDivisor(baud)).toBe(value));

  it('keeps fact 1 when the divisor is odd, and rounds to the closer divisor', () => {
    // 1000 baud: ps 1, clk 256, div 187 (187.5): 16×48e6/(256×187) − 16000 = 42 ≥ 16000 − 16×48e6/(256×188) = 43? no → 187, odd → fact 1
    expect(ch34xDivisor(1000)).toBe(((0x100 - 187) << 8) | (1 << 2) | 1);
  });

  it('sets BIT(7) only above version 0x27', () => {
    expect(ch34xDivisorSetup(1200, 0x27)).toBe(0xb201);
    expect(ch34xDivisorSetup(1200, 0x28)).toBe(0xb281);
  });
});

describe('CH34x line control (CH341_LCR_*)', () => {
  it('encodes 7E1, 8O1 and 8N1', () => {
    expect(ch34xLcr({ baudRate: 1200, dataBits: 7, stopBits: 1, parity: 'even' })).toBe(0xda);
    expect(ch34xLcr({ baudRate: 1200, dataBits: 8, stopBits: 1, parity: 'odd' })).toBe(0xcb);
    expect(ch34xLcr({ baudRate: 1200, dataBits: 8, stopBits: 1, parity: 'none' })).toBe(0xc3);
  });
});
