/**
 * Heads allowed before, as the pages' side makes them from getPorts()/getDevices(): each virtual
 * meter is one, found while `plugged`; a meter's own `connect` event (its plugIn()) is the
 * browser's `connect` event for a head plugged back in.
 */
import type { Head, HeadSource } from '../../src/app/head.ts';
import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';

export class FakeHeads implements HeadSource {
  readonly meters: VirtualMeter[] = [];
  plugged = true;
  finds = 0;
  private readonly listeners = new Set<() => void>();

  constructor(count = 1, options: VirtualMeterOptions = { frozen: true, model: '403' }) {
    for (let i = 0; i < count; i++) this.meters.push(createVirtualMeter(options));
    for (const m of this.meters)
      m.port.addEventListener('connect', () => {
        for (const l of this.listeners) l();
      });
  }

  head(meter = this.meters[0]!): Head {
    return {
      port: meter.port,
      label: 'FTDI (0403:6015)',
      demo: false,
      info: { path: 'Web Serial', usbVendorId: 0x0403, usbProductId: 0x6015 },
      key: { path: 'Web Serial', usbVendorId: 0x0403, usbProductId: 0x6015 },
    };
  }

  async find(): Promise<Head | undefined> {
    this.finds++;
    return this.plugged ? this.head() : undefined;
  }

  onPlugIn(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
