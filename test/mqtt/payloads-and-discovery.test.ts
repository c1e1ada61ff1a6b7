import { describe, expect, it } from 'vitest';
import type { Reading, RegisterValue } from '../../src/kmp/index.ts';
import {
  discoveryMessages,
  discoverySignature,
  removalMessages,
  seedValuesPayload,
  sensorClass,
  statePayload,
} from '../../src/mqtt/index.ts';

const v = (id: number, unitCode: number, unit: string, decimal: string): RegisterValue => ({
  id,
  unitCode,
  unit,
  value: Number(decimal),
  decimal,
});
const T = Date.UTC(2026, 10, 25, 12, 0, 0);
const reading: Reading = {
  serial: 7012345,
  takenAt: T,
  values: [
    v(60, 8, 'GJ', '55.006'),
    v(68, 40, 'm³', '1875.56'),
    v(86, 37, '°C', '53.65'),
    v(87, 37, '°C', '45.79'),
    v(74, 41, 'l/h', '123'),
    v(99, 0, '', '0'),
    v(1004, 46, 'h', '36120'),
    v(0x8c, 48, 'yy:mm:dd', '261103'),
  ],
};

describe('payloads', () => {
  it('<base>/values keeps the reference shape: seed names → numbers, plus the timestamp', () => {
    const parsed = JSON.parse(seedValuesPayload(reading)!);
    expect(parsed).toEqual({
      energy: 55.006,
      volume: 1875.56,
      temp1: 53.65,
      temp2: 45.79,
      flow: 123,
      hourcounter: 36120,
      minflowDate_m: 261103,
      timestamp: T,
    });
    for (const value of Object.values(parsed)) expect(typeof value).toBe('number');
  });

  it('never sends an empty {}: a reading without seed parameters gives no values payload', () => {
    expect(seedValuesPayload({ serial: 1, takenAt: T, values: [v(99, 0, '', '0')] })).toBeUndefined();
    expect(seedValuesPayload({ serial: 1, takenAt: T, values: [] })).toBeUndefined();
  });

  it('the state carries timestamp, serial, exact decimals, units and the info code in words', () => {
    const s = statePayload(
      {
        ...reading,
        values: [...reading.values, v(80, 22, 'kW', '64.57'), v(99, 0, '', '2048')].filter(
          (x, i, a) => a.findLastIndex((y) => y.id === x.id) === i,
        ),
      },
      '403',
    );
    expect(s).toMatchObject({ serial: 7012345, timestamp: '2026-11-25T12:00:00.000Z', takenAt: T, model: '403' });
    expect(s.registers.energy).toEqual({ register: 60, value: 55.006, decimal: '55.006', unit: 'GJ', unitCode: 8 });
    expect(s.registers.power).toMatchObject({ value: 64.57, decimal: '64.57', unit: 'kW' });
    expect(s.registers.minflowDate_m).toMatchObject({ text: '2026-11-03' });
    expect(s.infoCodeText).toMatch(/\w/);
    expect(s.infoCodeText).not.toBe('No irregularities.');
  });
});

describe('values no meter can produce are never published', () => {
  // An exponent of 63 on a heat energy and a 250 °C flow temperature: CRC-valid, physically impossible.
  const bad: Reading = {
    ...reading,
    values: reading.values.map((x) =>
      x.id === 60 ? v(60, 8, 'GJ', '18' + '0'.repeat(63)) : x.id === 86 ? v(86, 37, '°C', '250.00') : x,
    ),
  };

  it('<base>/values leaves them out and keeps the rest', () => {
    const parsed = JSON.parse(seedValuesPayload(bad)!);
    expect(parsed).not.toHaveProperty('energy');
    expect(parsed).not.toHaveProperty('temp1');
    expect(parsed).toMatchObject({ volume: 1875.56, temp2: 45.79, timestamp: T });
  });

  it('the state leaves them out of registers and says why under implausible, with the exact decimal', () => {
    const s = statePayload(bad, '403');
    expect(s.registers).not.toHaveProperty('energy');
    expect(s.registers).not.toHaveProperty('temp1');
    expect(s.registers.volume).toMatchObject({ value: 1875.56 });
    expect(s.implausible).toEqual({
      energy: { register: 60, decimal: '18' + '0'.repeat(63), unit: 'GJ', reason: expect.stringMatching(/above/) },
      temp1: { register: 86, decimal: '250.00', unit: '°C', reason: expect.stringMatching(/above 200 °C/) },
    });
    for (const r of Object.values(s.registers)) expect(Math.abs(r.value)).toBeLessThan(1e9);
    expect(statePayload(reading).implausible).toBeUndefined();
  });

  it('a reading whose only seed values are implausible sends no values payload rather than an empty one', () => {
    expect(seedValuesPayload({ serial: 1, takenAt: T, values: [v(86, 37, '°C', '999')] })).toBeUndefined();
  });
});

describe('Home Assistant discovery', () => {
  const opts = { prefix: 'homeassistant', baseTopic: 'kamstrup', appVersion: '0.1.0' };
  const msgs = discoveryMessages(
    { serial: 7012345, model: 'MULTICAL 403', softwareRevision: 'K1' },
    reading.values,
    opts,
  );
  const config = (key: string) =>
    JSON.parse(msgs.find((m) => m.topic === `homeassistant/sensor/kamstrup_7012345/${key}/config`)!.payload);

  it('one retained config per value under the prefix, scoped to the serial, plus the reader sensor', () => {
    expect(msgs).toHaveLength(reading.values.length + 1);
    for (const m of msgs) expect(m.retain).toBe(true);
    expect(config('energy').unique_id).toBe('kamstrup_7012345_energy');
    expect(msgs.at(-1)!.topic).toBe('homeassistant/binary_sensor/kamstrup_7012345/reader/config');
    expect(JSON.parse(msgs.at(-1)!.payload)).toMatchObject({
      state_topic: 'kamstrup/7012345/availability',
      device_class: 'connectivity',
    });
  });

  it('one device per meter with model, serial and software revision', () => {
    expect(config('temp1').device).toEqual({
      identifiers: ['kamstrup_7012345'],
      manufacturer: 'Kamstrup',
      model: 'MULTICAL 403',
      name: 'Kamstrup MULTICAL 403 7012345',
      serial_number: '7012345',
      sw_version: 'K1',
    });
    const other = discoveryMessages({ serial: 7099999 }, reading.values, opts);
    const ids = new Set(msgs.map((m) => JSON.parse(m.payload).unique_id));
    for (const m of other) expect(ids.has(JSON.parse(m.payload).unique_id)).toBe(false);
  });

  it('classes and units follow the unit the meter reported', () => {
    expect(config('energy')).toMatchObject({
      device_class: 'energy',
      state_class: 'total_increasing',
      unit_of_measurement: 'GJ',
      state_topic: 'kamstrup/7012345/state',
    });
    expect(config('volume')).toMatchObject({
      device_class: 'volume',
      state_class: 'total_increasing',
      unit_of_measurement: 'm³',
    });
    expect(config('temp1')).toMatchObject({
      device_class: 'temperature',
      state_class: 'measurement',
      unit_of_measurement: '°C',
    });
    expect(config('flow')).toMatchObject({ device_class: 'volume_flow_rate', unit_of_measurement: 'm³/h' });
    expect(config('flow').value_template).toMatch(/\* 0\.001/);
    expect(config('hourcounter')).toMatchObject({
      device_class: 'duration',
      unit_of_measurement: 'h',
      entity_category: 'diagnostic',
    });
    expect(config('infoCode')).toMatchObject({ entity_category: 'diagnostic' });
    expect(config('infoCode').device_class).toBeUndefined();
    expect(config('energy').value_template).toBe("{{ value_json['registers']['energy']['value'] }}");
    const mwh = discoveryMessages({ serial: 1 }, [v(60, 3, 'MWh', '12.345'), v(80, 21, 'W', '1500')], opts);
    expect(JSON.parse(mwh[0]!.payload)).toMatchObject({ device_class: 'energy', unit_of_measurement: 'MWh' });
    expect(JSON.parse(mwh[1]!.payload)).toMatchObject({ device_class: 'power', unit_of_measurement: 'W' });
    expect(sensorClass('energy', 'kWh')).toMatchObject({ device_class: 'energy', state_class: 'total_increasing' });
    expect(sensorClass('temperatureVolume', 'm³×°C').device_class).toBeUndefined();
  });

  it('the value templates read what the state payload really holds', () => {
    const state = statePayload(reading, '403');
    for (const m of msgs.slice(0, -1)) {
      const key = /\['registers'\]\['([^']+)'\]/.exec(JSON.parse(m.payload).value_template)![1]!;
      expect(state.registers[key]).toBeDefined();
    }
  });

  it('removal empties every config the app could have sent for that meter, and its retained state', () => {
    const removal = removalMessages(7012345, opts);
    for (const m of removal) expect(m).toMatchObject({ payload: '', retain: true });
    const topics = new Set(removal.map((m) => m.topic));
    for (const m of msgs) expect(topics.has(m.topic)).toBe(true);
    expect(topics.has('kamstrup/7012345/state')).toBe(true);
    expect([...topics].every((t) => t.includes('7012345'))).toBe(true);
  });

  it('the signature changes with the units, so discovery is sent again', () => {
    const a = discoverySignature({ serial: 1 }, [v(60, 8, 'GJ', '1')]);
    expect(discoverySignature({ serial: 1 }, [v(60, 8, 'GJ', '2')])).toBe(a);
    expect(discoverySignature({ serial: 1 }, [v(60, 2, 'kWh', '1')])).not.toBe(a);
  });
});
