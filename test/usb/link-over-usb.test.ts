/**
 * The link layer, unchanged, over a UsbSerialPort: the KMP client reads a virtual meter through
 * an FTDI-shaped recording fake (two status bytes on every packet, status-only packets while
 * idle) and a CDC one. The fake passes bytes only once the driver has set 1200 8N2, so a driver
 * that sets the line wrong reads nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KmpClient, type ClientState } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { UsbSerialPort } from '../../src/usb/index.ts';
import { FAST, SEED_IDS, expectedValues } from '../link/helpers.ts';
import { KMP_OPEN, RecordingUsbDevice, type FakeInterface } from './recording-usb-device.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type Chip = 'ftdi' | 'cdc';

const CDC: FakeInterface[] = [
  { interfaceNumber: 0, interfaceClass: 2, interfaceSubclass: 2, endpoints: [] },
  {
    interfaceNumber: 1,
    interfaceClass: 10,
    endpoints: [
      { endpointNumber: 1, direction: 'in' },
      { endpointNumber: 1, direction: 'out' },
    ],
  },
];

/** Whether the driver set 1200 baud 8N2, read from what it sent (FTDI: SET_DATA 0x1008, SET_BAUDRATE 0x09C4; CDC: the line coding). */
function lineIs1200_8N2(device: RecordingUsbDevice, chip: Chip): boolean {
  const last = (request: number) =>
    device
      .outCalls()
      .filter((c) => c.request === request)
      .at(-1);
  if (chip === 'ftdi') return last(0x04)?.value === 0x1008 && last(0x03)?.value === 0x09c4;
  return JSON.stringify(last(0x20)?.data) === JSON.stringify([0xb0, 0x04, 0, 0, 2, 0, 8]);
}

async function meterOverUsb(chip: Chip) {
  const device =
    chip === 'ftdi'
      ? new RecordingUsbDevice({ vendorId: 0x0403, productId: 0x6015, deviceVersion: [0x10, 0, 0] })
      : new RecordingUsbDevice({ vendorId: 0x2e8a, productId: 0x000a, interfaces: CDC });
  const meter = createVirtualMeter({ timing: 'instant', frozen: true, echo: true, chunking: 'random', model: '403' });
  await meter.port.open({ baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none' });
  const toMeter = meter.port.writable!.getWriter();
  device.onWrite = (bytes) => {
    if (lineIs1200_8N2(device, chip)) void toMeter.write(bytes);
    return 'ok';
  };
  const fromMeter = meter.port.readable!.getReader();
  void (async () => {
    for (;;) {
      const { value, done } = await fromMeter.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      // FTDI: 62 data bytes per 64-byte packet behind the modem and line status bytes
      for (let at = 0; at < value.length; at += 62) {
        const piece = Array.from(value.subarray(at, at + 62));
        device.pushIn(chip === 'ftdi' ? [0x01, 0x60, ...piece] : piece);
        if (chip === 'ftdi') device.pushIn([0x01, 0x60]); // and an idle status-only packet
      }
    }
  })();
  const port = new UsbSerialPort(device);
  // as MeterSession.connect opens a port
  await port.open(KMP_OPEN);
  const client = new KmpClient(port, FAST);
  cleanups.push(async () => {
    await client.close();
    await fromMeter.cancel();
  });
  return { device, meter, port, client };
}

describe('KmpClient over a UsbSerialPort', () => {
  for (const chip of ['ftdi', 'cdc'] as const) {
    it(`reads the reference project's 31 registers through the ${chip} driver, with echo and random chunks`, async () => {
      const { meter, client, device } = await meterOverUsb(chip);
      const result = await client.readRegisters(SEED_IDS);
      const pick = (r: { id: number; unitCode: number; decimal: string }) => ({
        id: r.id,
        unitCode: r.unitCode,
        decimal: r.decimal,
      });
      expect(result.values.map(pick)).toEqual(expectedValues(meter, SEED_IDS));
      expect(await client.getSerialNo()).toBe(meter.serial);
      expect(device.written.length).toBeGreaterThan(0);
    });
  }

  it('reads nothing when the line was not set to 1200 8N2 (the fake is not a pushover)', async () => {
    const { client, device } = await meterOverUsb('ftdi');
    device.outCalls().find((c) => c.request === 0x04)!.value = 0x0008; // as if the driver had set 8N1
    await expect(client.getSerialNo({ retries: 0 })).rejects.toMatchObject({ kind: 'no-answer' });
  });

  it('ends the session as "disconnected" when the head is unplugged, as with Web Serial', async () => {
    const { client, device } = await meterOverUsb('ftdi');
    const states: ClientState[] = [];
    client.onStateChange((s) => states.push(s));
    device.unplug();
    await client.done;
    expect(states).toEqual(['disconnected']);
    expect(client.state).toBe('disconnected');
  });
});
