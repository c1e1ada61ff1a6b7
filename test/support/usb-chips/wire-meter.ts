/**
 * Wires an emulated chip's UART to a virtual meter (src/sim) the way an IR head sits on a
 * meter: the meter's optical port runs 1200 8N2 (the chip garbles bytes when its own line
 * differs), every byte the head sends comes back as echo, and timing is real so the 1200-baud
 * pacing the drivers meet on a real line is what they meet here.
 */
import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../../src/sim/index.ts';
import type { FakeUsbDevice } from './fake-usb-device.ts';
import { METER_LINE, Wire, type BytePipe } from './uart.ts';

export interface WiredMeter {
  meter: VirtualMeter;
  /** Closes the meter's port; the chip's wire stays attached to nothing useful. */
  close(): Promise<void>;
}

export async function wireToVirtualMeter(
  target: FakeUsbDevice | BytePipe,
  meterOptions: VirtualMeterOptions = {},
): Promise<WiredMeter> {
  const wire = 'line' in target ? target.line : target;
  if (!(wire instanceof Wire)) throw new Error('wireToVirtualMeter needs a chip made with a Wire (the default)');
  const meter = createVirtualMeter({ timing: 'realtime', echo: true, turnaroundMs: 30, ...meterOptions });
  const port = meter.port;
  await port.open({
    baudRate: METER_LINE.baudRate,
    dataBits: METER_LINE.dataBits,
    stopBits: METER_LINE.stopBits,
    parity: METER_LINE.parity,
  });
  const writer = port.writable!.getWriter();
  const reader = port.readable!.getReader();
  const toChip = wire.attach((bytes) => {
    writer.write(bytes).catch(() => undefined); // a pulled meter cable just loses the bytes
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        toChip(value);
      }
    } catch {
      // the meter's port was unplugged: the chip hears nothing more
    }
  })();
  return {
    meter,
    close: async () => {
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
      await writer.close().catch(() => undefined);
      writer.releaseLock();
      await port.close().catch(() => undefined);
    },
  };
}
