/**
 * The device Home Assistant shows is named after the model the meter session found, as it found
 * it: "MULTICAL 402", "MULTICAL 403 or 302", "MULTICAL 603 or 803". A real Home Assistant showed
 * "Kamstrup MULTICAL MULTICAL 402 …" when discovery put "MULTICAL " before a model that already
 * said it; tests that passed the model as "403" could not see that.
 */
import { describe, expect, it } from 'vitest';
import { MeterSession } from '../../src/link/index.ts';
import { discoveryMessages } from '../../src/mqtt/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST } from '../link/helpers.ts';

const opts = { prefix: 'homeassistant', baseTopic: 'kamstrup', appVersion: '0.1.0' };

describe('the Home Assistant device of a meter', () => {
  for (const model of ['402', '403', '603'] as const) {
    it(`MULTICAL ${model}: named with the model the session identified, "MULTICAL" once`, async () => {
      const meter = createVirtualMeter({ model, frozen: true });
      const session = new MeterSession({ client: FAST });
      await session.connect(meter.port, { label: 'virtual', demo: true });
      try {
        const { identity, reading } = await session.identifyAndRead([60, 68, 80]);
        expect(identity.model).toMatch(/^MULTICAL /);
        const [first] = discoveryMessages(
          { serial: identity.serial, ...(identity.model ? { model: identity.model } : {}) },
          reading.values,
          opts,
        );
        const device = JSON.parse(first!.payload).device as { model: string; name: string };
        expect(device.model).toBe(identity.model);
        expect(device.name).toBe(`Kamstrup ${identity.model} ${identity.serial}`);
        expect(device.name).not.toMatch(/MULTICAL.*MULTICAL/);
      } finally {
        await session.disconnect();
      }
    });
  }

  it('without a model: "Kamstrup MULTICAL <serial>"', () => {
    const [first] = discoveryMessages(
      { serial: 5 },
      [{ id: 60, unitCode: 8, unit: 'GJ', value: 1, decimal: '1' }],
      opts,
    );
    expect(JSON.parse(first!.payload).device).toMatchObject({ model: 'MULTICAL', name: 'Kamstrup MULTICAL 5' });
  });
});
