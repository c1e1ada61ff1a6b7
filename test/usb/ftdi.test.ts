import { describe, expect, it } from 'vitest';
import { UsbSerialPort } from '../../src/usb/index.ts';
import { ftdiBaudSetup, ftdiChipOf, ftdiDataValue, ftdiDivisor, stripFtdiStatus } from '../../src/usb/ftdi.ts';
import { KMP_OPEN, ONE_PORT, RecordingUsbDevice, out } from './recording-usb-device.ts';

const ft232r = () => new RecordingUsbDevice({ vendorId: 0x0403, productId: 0x6001, deviceVersion: [6, 0, 0] });

describe('FTDI open at 1200 8N2', () => {
  it('sends exactly the kernel’s requests, vendor to the device, wIndex 0 on a single-port chip', async () => {
    const device = ft232r();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.controlLog).toEqual([
      // ftdi_open: FTDI_SIO_RESET_REQUEST (0), FTDI_SIO_RESET_SIO (0) — ftdi_sio.h "FTDI_SIO_RESET"
      out('vendor', 'device', 0x00, 0x0000, 0),
      // write_latency_timer: FTDI_SIO_SET_LATENCY_TIMER_REQUEST (9), 16 ms (the chip's default)
      out('vendor', 'device', 0x09, 16, 0),
      // ftdi_set_termios: FTDI_SIO_SET_DATA (4): 8 bits | FTDI_SIO_SET_DATA_PARITY_NONE | _STOP_BITS_2 (2 << 11)
      out('vendor', 'device', 0x04, 0x1008, 0),
      // change_speed: FTDI_SIO_SET_BAUDRATE (3), ftdi_232bm_baud_to_divisor(1200) = 48e6/2/1200 = 20000 eighths = 2500
      out('vendor', 'device', 0x03, 0x09c4, 0x0000),
      // FTDI_SIO_SET_FLOW_CTRL (2): FTDI_SIO_DISABLE_FLOW_CTRL (0) in wIndex's high byte
      out('vendor', 'device', 0x02, 0, 0),
      // update_mctrl: FTDI_SIO_MODEM_CTRL (1), SET_DTR_HIGH | SET_RTS_HIGH = 0x0101 | 0x0202
      out('vendor', 'device', 0x01, 0x0303, 0),
    ]);
    expect(device.calls.slice(0, 3)).toEqual(['open', 'selectConfiguration(1)', 'claimInterface(0)']);
    expect(port.description.chip).toBe('FTDI FT232R');
    await port.close();
  });

  it('puts the channel (interface + 1) in wIndex on a dual FT2232H and uses its 120 MHz divisor', async () => {
    const device = new RecordingUsbDevice({
      vendorId: 0x0403,
      productId: 0x6010,
      deviceVersion: [7, 0, 0],
      interfaces: [ONE_PORT[0]!, { ...ONE_PORT[0]!, interfaceNumber: 1 }],
    });
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(port.description.chip).toBe('FTDI FT2232H');
    // ftdi_sio.c: priv->channel = CHANNEL_A (1) + interface number; change_speed puts it in the
    // low byte of SET_BAUDRATE's wIndex for the 2232/4232/232H. ftdi_2232h_baud_base_to_divisor(1200,
    // 120 MHz): DIV_ROUND_CLOSEST(8 × 120e6, 10 × 1200) = 80000 eighths = 10000 = 0x2710, | 0x20000.
    expect(device.outCalls().map((c) => [c.request, c.value, c.index])).toEqual([
      [0x00, 0, 1],
      [0x09, 16, 1],
      [0x04, 0x1008, 1],
      [0x03, 0x2710, 0x0201],
      [0x02, 0, 1],
      [0x01, 0x0303, 1],
    ]);
    await port.close();
  });

  it('lowers DTR and RTS on close (FTDI_SIO_SET_DTR_LOW | SET_RTS_LOW), then releases and closes', async () => {
    const device = ft232r();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const before = device.controlLog.length;
    await port.close();
    expect(device.controlLog.slice(before)).toEqual([out('vendor', 'device', 0x01, 0x0300, 0)]);
    expect(device.calls.slice(-2)).toEqual(['releaseInterface(0)', 'close']);
  });
});

describe('FTDI baud-rate divisors (ftdi_sio.c ftdi_232bm_baud_base_to_divisor, divfrac[] = 0,3,2,4,1,5,6,7)', () => {
  // [baud, encoded divisor]: eighths = round(24e6 / baud); integer part in bits 0–13, the
  // fraction's code in bits 14–16. Cross-checked with FTDI AN232B-05's table (9600 = 0x4138).
  const bm: Array<[number, number]> = [
    [1200, 0x09c4], // 20000 eighths = 2500
    [2400, 0x04e2], // 10000 = 1250
    [9600, 0x4138], // 2500 = 312 + 4/8 → code 1 → 0x4000
    [19200, 0x809c], // 1250 = 156 + 2/8 → code 2 → 0x8000
    [38400, 0xc04e], // 625 = 78 + 1/8 → code 3 → 0xC000
    [57600, 0xc034], // 416.7 → 417 = 52 + 1/8
    [115200, 0x001a], // 208.3 → 208 = 26
    [29888, 0x10064], // 803 = 100 + 3/8 → code 4 → bit 16
    [2_000_000, 1], // 12 = 1.5: the kernel's special case 0x4001 → 1
    [3_000_000, 0], // 8 = 1.0: special case → 0
  ];
  for (const [baud, divisor] of bm)
    it(`${baud} baud → 0x${divisor.toString(16)}`, () => expect(ftdiDivisor('FT232R', baud)).toBe(divisor));

  it('places divisor bit 16 in wIndex bit 0 on single-port chips, in the high byte with the port on the 2232', () => {
    expect(ftdiBaudSetup('FT232R', 29888, 0)).toEqual({ value: 0x0064, index: 0x0001 });
    expect(ftdiBaudSetup('FT-X', 29888, 0)).toEqual({ value: 0x0064, index: 0x0001 });
    expect(ftdiBaudSetup('FT2232C', 29888, 2)).toEqual({ value: 0x0064, index: 0x0102 });
  });

  it('uses the hi-speed formula on the H chips: 115200 → 833 eighths = 104 + 1/8, with bit 17', () => {
    expect(ftdiDivisor('FT232H', 115200)).toBe(0x2c068);
    expect(ftdiBaudSetup('FT232H', 115200, 0)).toEqual({ value: 0xc068, index: 0x0200 });
    // below 1200 the H chips fall back to the 3 MHz formula (get_ftdi_divisor)
    expect(ftdiDivisor('FT232H', 600)).toBe(0x1388);
  });

  it('rounds like the AM (only 0, 1/8, 1/4, 1/2) on the FT232AM', () => {
    expect(ftdiDivisor('FT232AM', 9600)).toBe(0x4138); // 4/8 → +0.5
    expect(ftdiDivisor('FT232AM', 19200)).toBe(0x809c); // 2/8 → +0.25 (0x8000)
    expect(ftdiDivisor('FT232AM', 38400)).toBe(0xc04e); // 1/8 → +0.125 (0xC000)
    expect(ftdiDivisor('FT232AM', 57600)).toBe(0xc034);
  });

  it('refuses rates the chip cannot make', () => {
    expect(() => ftdiDivisor('FT232R', 100)).toThrow(expect.objectContaining({ kind: 'settings' }));
    expect(() => ftdiDivisor('FT232R', 4_000_000)).toThrow(expect.objectContaining({ kind: 'settings' }));
  });
});

describe('FTDI data format (ftdi_sio.h FTDI_SIO_SET_DATA)', () => {
  it('encodes bits, parity (1 odd, 2 even at bit 8) and stop bits (2 at bit 11)', () => {
    expect(ftdiDataValue({ baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none' })).toBe(0x1008);
    expect(ftdiDataValue({ baudRate: 1200, dataBits: 7, stopBits: 1, parity: 'even' })).toBe(0x0207);
    expect(ftdiDataValue({ baudRate: 1200, dataBits: 7, stopBits: 1, parity: 'odd' })).toBe(0x0107);
    expect(ftdiDataValue({ baudRate: 1200, dataBits: 8, stopBits: 1, parity: 'none' })).toBe(0x0008);
  });
});

describe('FTDI generations (ftdi_determine_type)', () => {
  it('names the chip by bcdDevice and interface count', () => {
    expect(ftdiChipOf(0x0200, 1)).toBe('FT232AM');
    expect(ftdiChipOf(0x0400, 1)).toBe('FT232BM');
    expect(ftdiChipOf(0x0600, 1)).toBe('FT232R');
    expect(ftdiChipOf(0x0900, 1)).toBe('FT232H');
    expect(ftdiChipOf(0x1000, 1)).toBe('FT-X');
    expect(ftdiChipOf(0x0500, 2)).toBe('FT2232C');
    expect(ftdiChipOf(0x0700, 2)).toBe('FT2232H');
    expect(ftdiChipOf(0x0800, 4)).toBe('FT4232H');
  });
});

describe('FTDI status bytes', () => {
  it('strips the two status bytes at the start of every packet of a multi-packet transfer', () => {
    const packet1 = [0x01, 0x60, ...Array.from({ length: 62 }, (_, i) => i)];
    const packet2 = [0x01, 0x60, 100, 101, 102];
    expect(Array.from(stripFtdiStatus(Uint8Array.from([...packet1, ...packet2]), 64))).toEqual([
      ...Array.from({ length: 62 }, (_, i) => i),
      100,
      101,
      102,
    ]);
  });

  it('gives nothing for status-only packets, alone or several in one transfer', () => {
    expect(stripFtdiStatus(Uint8Array.from([0x01, 0x60]), 64).length).toBe(0);
    const twoStatusOnly = [0x01, 0x60, ...new Array<number>(62).fill(7), 0x01, 0x60];
    expect(Array.from(stripFtdiStatus(Uint8Array.from(twoStatusOnly), 64))).toEqual(new Array<number>(62).fill(7));
  });

  it('uses the endpoint’s packet size (512 on hi-speed chips)', () => {
    const transfer = [0x01, 0x60, ...new Array<number>(510).fill(1), 0x01, 0x60, 9];
    expect(stripFtdiStatus(Uint8Array.from(transfer), 512).length).toBe(511);
    expect(stripFtdiStatus(Uint8Array.from(transfer), 512).at(-1)).toBe(9);
  });

  it('the port skips status-only packets and hands data on as soon as a packet has some', async () => {
    const device = ft232r();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const reader = port.readable!.getReader();
    device.pushIn([0x01, 0x60]);
    device.pushIn([0x01, 0x60]);
    device.pushIn([0x01, 0x60, 0x40, 0x3f]);
    expect(Array.from((await reader.read()).value!)).toEqual([0x40, 0x3f]);
    // every transfer asks for one packet of the IN endpoint's size
    expect(device.inLengths.every((n) => n === 64)).toBe(true);
    reader.releaseLock();
    await port.close();
  });
});
