import { describe, expect, it } from 'vitest';
import { UsbSerialPort } from '../../src/usb/index.ts';
import { cp210xLineCtl } from '../../src/usb/cp210x.ts';
import { KMP_OPEN, ONE_PORT, RecordingUsbDevice, out } from './recording-usb-device.ts';

describe('CP210x open at 1200 8N2', () => {
  it('enables the UART, sets rate, line and DTR/RTS: vendor requests to the interface (0x41)', async () => {
    const device = new RecordingUsbDevice({ vendorId: 0x10c4, productId: 0xea60 });
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.controlLog).toEqual([
      // AN571 §5.2 IFC_ENABLE (0x00) = UART_ENABLE (1); cp210x_open
      out('vendor', 'interface', 0x00, 0x0001, 0),
      // AN571 §5.3 SET_BAUDRATE (0x1E): 1200 as 4 bytes little-endian; cp210x_change_speed
      out('vendor', 'interface', 0x1e, 0, 0, [0xb0, 0x04, 0x00, 0x00]),
      // AN571 §5.6 SET_LINE_CTL (0x03): stop bits 2 (bits 0–3), parity none (4–7), 8 bits (8–15)
      out('vendor', 'interface', 0x03, 0x0802, 0),
      // AN571 §5.8 SET_MHS (0x07): DTR | RTS with their mask bits 8 and 9
      out('vendor', 'interface', 0x07, 0x0303, 0),
    ]);
    expect(port.description.chip).toBe('Silicon Labs CP2102/CP2109');
    const before = device.controlLog.length;
    await port.close();
    // cp210x_close: PURGE (0x12) both queues (0x000F), then IFC_ENABLE = UART_DISABLE (0)
    expect(device.controlLog.slice(before)).toEqual([
      out('vendor', 'interface', 0x12, 0x000f, 0),
      out('vendor', 'interface', 0x00, 0x0000, 0),
    ]);
  });

  it('addresses the interface it opened in wIndex (each UART of a CP2105 is an interface)', async () => {
    const device = new RecordingUsbDevice({
      vendorId: 0x10c4,
      productId: 0xea70,
      interfaces: [{ ...ONE_PORT[0]!, interfaceNumber: 3 }],
    });
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.controlLog.map((c) => c.index)).toEqual([3, 3, 3, 3]);
    expect(device.calls).toContain('claimInterface(3)');
    await port.close();
  });

  it('encodes other line settings (AN571 Table 7)', () => {
    expect(cp210xLineCtl({ baudRate: 1200, dataBits: 7, stopBits: 1, parity: 'even' })).toBe(0x0720);
    expect(cp210xLineCtl({ baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'odd' })).toBe(0x0812);
    expect(cp210xLineCtl({ baudRate: 1200, dataBits: 8, stopBits: 1, parity: 'none' })).toBe(0x0800);
  });
});
