import { describe, expect, it } from 'vitest';
import { UsbSerialPort, driverFor } from '../../src/usb/index.ts';
import { findCdcInterfaces } from '../../src/usb/cdc-acm.ts';
import { KMP_OPEN, RecordingUsbDevice, out, type FakeInterface } from './recording-usb-device.ts';

const COMM: FakeInterface = {
  interfaceNumber: 0,
  interfaceClass: 0x02,
  interfaceSubclass: 0x02,
  endpoints: [{ endpointNumber: 3, direction: 'in', type: 'interrupt', packetSize: 8 }],
};
const DATA: FakeInterface = {
  interfaceNumber: 1,
  interfaceClass: 0x0a,
  endpoints: [
    { endpointNumber: 2, direction: 'in', packetSize: 32 },
    { endpointNumber: 1, direction: 'out', packetSize: 32 },
  ],
};
const cdc = (interfaces: FakeInterface[]) =>
  new RecordingUsbDevice({ vendorId: 0x1a86, productId: 0x55d4, interfaces });

describe('CDC-ACM', () => {
  it('finds the communication (2/2) and data (10, bulk IN+OUT) interfaces', () => {
    const device = cdc([COMM, DATA]);
    expect(findCdcInterfaces(device.configurations[0])).toEqual({ comm: 0, data: 1 });
    expect(findCdcInterfaces(cdc([DATA, { ...COMM, interfaceNumber: 2 }]).configurations[0])).toEqual({
      comm: 2,
      data: 1,
    });
    expect(findCdcInterfaces(cdc([COMM]).configurations[0])).toBeUndefined();
    expect(
      findCdcInterfaces(cdc([COMM, { ...DATA, endpoints: [DATA.endpoints[0]!] }]).configurations[0]),
    ).toBeUndefined();
    expect(findCdcInterfaces(cdc([{ ...COMM, interfaceSubclass: 0x06 }, DATA]).configurations[0])).toBeUndefined();
  });

  it('opens at 1200 8N2: claims both, SET_LINE_CODING and SET_CONTROL_LINE_STATE to the comm interface', async () => {
    const device = cdc([COMM, DATA]);
    expect(driverFor(device)).toBe('cdc-acm');
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.calls.filter((c) => c.startsWith('claim'))).toEqual(['claimInterface(0)', 'claimInterface(1)']);
    expect(device.controlLog).toEqual([
      // CDC PSTN 1.2 §6.3.10 SET_LINE_CODING (0x20), bmRequestType 0x21: dwDTERate 1200 LE, bCharFormat 2 (2 stop bits), bParityType 0, bDataBits 8
      out('class', 'interface', 0x20, 0, 0, [0xb0, 0x04, 0x00, 0x00, 2, 0, 8]),
      // §6.3.12 SET_CONTROL_LINE_STATE (0x22): D0 DTR, D1 RTS (carrier activation)
      out('class', 'interface', 0x22, 0x0003, 0),
    ]);
    // the data interface's bulk endpoints carry the bytes, packets of its own size
    const reader = port.readable!.getReader();
    device.pushIn([0x40, 0x0d]);
    expect(Array.from((await reader.read()).value!)).toEqual([0x40, 0x0d]);
    expect(device.calls).toContain('transferIn(2)');
    expect(device.inLengths[0]).toBe(32);
    reader.releaseLock();
    const before = device.controlLog.length;
    await port.close();
    expect(device.controlLog.slice(before)).toEqual([out('class', 'interface', 0x22, 0, 0)]);
    expect(device.calls.slice(-3)).toEqual(['releaseInterface(1)', 'releaseInterface(0)', 'close']);
  });

  it('encodes 7E1 in the line coding (parity 2 = even, 1 stop bit = 0)', async () => {
    const device = cdc([COMM, DATA]);
    const port = new UsbSerialPort(device);
    await port.open({ baudRate: 9600, dataBits: 7, stopBits: 1, parity: 'even' });
    expect(device.controlLog[0]!.data).toEqual([0x80, 0x25, 0x00, 0x00, 0, 2, 7]);
    await port.close();
  });
});
