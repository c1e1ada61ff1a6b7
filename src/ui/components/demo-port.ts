import { msg, str } from '@lit/localize';
import type { OpenablePort } from '../../link/index.ts';
import type { VirtualMeter } from '../../sim/index.ts';

/** The virtual meter behind demo mode; loaded on demand so the first screen stays small. */
export interface DemoMeter {
  meter: VirtualMeter;
  port: OpenablePort;
  label: string;
}

export async function createDemoMeter(model: '402' | '403' | '603', echo: boolean): Promise<DemoMeter> {
  const { createVirtualMeter } = await import('../../sim/index.ts');
  // Real 1200-baud timing, so the demo shows what a real read costs in time. A fixed seed per
  // model: after a reload it is the same meter (its logs keep their ids, so a second download of
  // the meter's history fetches only what is new), as a real meter would be.
  const meter = createVirtualMeter({ model, echo, timing: 'realtime', chunking: 'random', seed: Number(model) });
  // The label is worded once, in the language of the moment of connecting, like a port's name.
  return {
    meter,
    port: meter.port as unknown as OpenablePort,
    label: msg(str`Demo meter (virtual MULTICAL ${model})`),
  };
}
