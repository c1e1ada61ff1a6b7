import { describe, expect, it } from 'vitest';
import { REGISTER_PROFILE_FORMAT, buildRegisterProfile } from '../../../../src/ui/pages/scan/register-profile.ts';

const T0 = Date.UTC(2026, 10, 26, 9, 30);

describe('buildRegisterProfile', () => {
  it('lists what answered by id, named from the catalogue, with the unit and exact value the meter sent', () => {
    const profile = buildRegisterProfile(
      { serial: 71234567, model: 'MULTICAL 403', typeHex: '0x3403', softwareRevision: 'F1' },
      {
        at: T0,
        supported: [
          { id: 86, unitCode: 37, unit: '°C', value: 53.65, decimal: '53.65' },
          { id: 60, unitCode: 3, unit: 'MWh', value: 15.006, decimal: '15.006' },
          { id: 4321, unitCode: 51, unit: '', value: 7, decimal: '7' },
        ],
        unsupported: [223, 155],
        stoppedEarly: '2 batches in a row brought nothing',
      },
      '1.2.3',
    );
    expect(profile).toEqual({
      format: REGISTER_PROFILE_FORMAT,
      version: 1,
      appVersion: '1.2.3',
      meter: { serial: 71234567, model: 'MULTICAL 403', typeHex: '0x3403', softwareRevision: 'F1' },
      scannedAt: '2026-11-26T09:30:00.000Z',
      registers: [
        {
          id: 60,
          name: 'energy',
          description: expect.stringMatching(/energy/i),
          unit: 'MWh',
          unitCode: 3,
          decimal: '15.006',
        },
        { id: 86, name: 'temp1', description: expect.any(String), unit: '°C', unitCode: 37, decimal: '53.65' },
        { id: 4321, unit: '', unitCode: 51, decimal: '7' },
      ],
      notOnThisMeter: [155, 223],
      stoppedEarly: '2 batches in a row brought nothing',
    });
  });

  it('leaves out what is not known rather than writing empty fields', () => {
    const profile = buildRegisterProfile({ serial: 1 }, { at: T0, supported: [], unsupported: [] }, '1.2.3');
    expect(profile.meter).toEqual({ serial: 1 });
    expect('stoppedEarly' in profile).toBe(false);
  });
});
