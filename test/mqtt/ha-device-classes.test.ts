/**
 * Every device_class / unit / state_class combination the app can announce is one Home Assistant
 * accepts: the temperature difference (register 89, K) was announced as
 * `temperature`, so Home Assistant took 26 K for an absolute temperature of −247 °C. Then as
 * `temperature_delta`, which Home Assistant has only since 2025.11: a real Core 2025.6 logged an
 * error and created no ΔT entity at all. Every combination must hold on the older Core too.
 */
import { describe, expect, it } from 'vitest';
import { REGISTERS, unitName, type RegisterValue } from '../../src/kmp/index.ts';
import { HA_SENSOR_RULES, discoveryMessages, haClassProblem, sensorClass } from '../../src/mqtt/index.ts';

/** The oldest Home Assistant the announcements must hold on: the Core a real check used (2025.6.3). */
const OLDEST_HA = '2025.6';
const opts = { prefix: 'homeassistant', baseTopic: 'kamstrup', appVersion: 'test' };

describe('Home Assistant device classes', () => {
  it('announces the temperature difference in K as a measurement without a device class, never as a temperature', () => {
    const tempdiff: RegisterValue = { id: 0x59, unitCode: 38, unit: 'K', value: 26, decimal: '26' };
    const [msg] = discoveryMessages({ serial: 1 }, [tempdiff], opts);
    const config = JSON.parse(msg!.payload);
    expect(config).toMatchObject({ unit_of_measurement: 'K', state_class: 'measurement' });
    expect(config.device_class).toBeUndefined();
    // A difference the meter reports in °C is still a difference, and K is never an absolute temperature.
    expect(sensorClass('temperatureDifference', '°C')).toEqual({ state_class: 'measurement', unit: 'K' });
    expect(sensorClass('temperature', 'K').device_class).toBeUndefined();
    expect(sensorClass('temperature', '°C').device_class).toBe('temperature');
  });

  it('knows which Home Assistant a device class needs', () => {
    const delta = { device_class: 'temperature_delta', unit: 'K', state_class: 'measurement' };
    expect(haClassProblem(delta, '2025.6')).toMatch(/2025\.11/);
    expect(haClassProblem(delta, '2025.11')).toBeUndefined();
    expect(haClassProblem(delta, '2026.1')).toBeUndefined();
    expect(
      haClassProblem({ device_class: 'energy', unit: 'GJ', state_class: 'total_increasing' }, '2025.6'),
    ).toBeUndefined();
  });

  // total_increasing tells Home Assistant a fall is a meter reset: a count-down published so
  // would add its whole value to the long-term statistics every day it fell.
  it('announces a time that counts down (battery days left) as a measurement, the operating hours as a total', () => {
    const battery: RegisterValue = { id: 0x0246, unitCode: 0x15, unit: 'days', value: 2900, decimal: '2900' };
    const hours: RegisterValue = { id: 0x03ec, unitCode: 0x16, unit: 'h', value: 61234, decimal: '61234' };
    const [b, h] = discoveryMessages({ serial: 1 }, [battery, hours], opts).map((m) => JSON.parse(m.payload));
    expect(b).toMatchObject({ device_class: 'duration', state_class: 'measurement' });
    expect(h).toMatchObject({ device_class: 'duration', state_class: 'total_increasing' });
  });

  it('the rules table knows Home Assistant’s units for the classes the app uses', () => {
    expect(HA_SENSOR_RULES.temperature_delta!.units).toEqual(expect.arrayContaining(['K', '°C', '°F']));
    expect(HA_SENSOR_RULES.temperature!.units).toContain('°C');
    expect(HA_SENSOR_RULES.energy!.stateClasses).not.toContain('measurement');
    expect(HA_SENSOR_RULES.volume!.stateClasses).not.toContain('measurement');
    expect(haClassProblem({ device_class: 'temperature', unit: 'l/h', state_class: 'measurement' })).toMatch(/l\/h/);
    expect(haClassProblem({ device_class: 'energy', unit: 'GJ', state_class: 'measurement' })).toMatch(/measurement/);
    expect(haClassProblem({ device_class: 'volume', unit: 'm³', state_class: 'total_increasing' })).toBeUndefined();
  });

  it('every catalogue register in every unit a meter can report gets a combination Home Assistant accepts', () => {
    const problems: string[] = [];
    for (const r of REGISTERS)
      for (let code = 0; code <= 64; code++) {
        const unit = unitName(code);
        const cls = sensorClass(r.quantity, unit);
        const problem = haClassProblem(cls, OLDEST_HA);
        if (problem) problems.push(`${r.key} in "${unit}": ${problem}`);
      }
    // And registers outside the catalogue (scan results, raw ids).
    for (let code = 0; code <= 64; code++) {
      const problem = haClassProblem(sensorClass(undefined, unitName(code)), OLDEST_HA);
      if (problem) problems.push(`unknown register in "${unitName(code)}": ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  it('the typical catalogue units map to the classes Home Assistant’s Energy dashboard and history expect', () => {
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ['energy', 'GJ', { device_class: 'energy', state_class: 'total_increasing', unit: 'GJ' }],
      ['energy', 'kWh', { device_class: 'energy', state_class: 'total_increasing', unit: 'kWh' }],
      ['energy', 'GJ ×10', { device_class: 'energy', state_class: 'total_increasing', unit: 'GJ', scale: 10 }],
      ['volume', 'm³', { device_class: 'volume', state_class: 'total_increasing', unit: 'm³' }],
      ['power', 'kW', { device_class: 'power', state_class: 'measurement', unit: 'kW' }],
      ['flow', 'l/h', { device_class: 'volume_flow_rate', state_class: 'measurement', unit: 'm³/h', scale: 0.001 }],
      ['temperature', '°C', { device_class: 'temperature', state_class: 'measurement', unit: '°C' }],
      ['temperatureDifference', 'K', { state_class: 'measurement', unit: 'K' }],
      ['duration', 'h', { device_class: 'duration', state_class: 'total_increasing', unit: 'h' }],
      ['mass', 'ton', { state_class: 'total_increasing', unit: 't' }],
    ];
    for (const [quantity, unit, want] of cases)
      expect(sensorClass(quantity as never, unit), `${quantity} in ${unit}`).toEqual(want);
  });
});
