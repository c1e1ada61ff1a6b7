import 'fake-indexeddb/auto';
import type { Reading } from '../../src/kmp/index.ts';
import { KmpStore } from '../../src/store/index.ts';

let n = 0;
export const freshName = () => `kmp-test-${process.pid}-${++n}`;

export async function openStore(name = freshName()): Promise<KmpStore> {
  return KmpStore.open({ name });
}

export function reading(serial: number, takenAt: number, energy = '55.006', extra: Reading['values'] = []): Reading {
  return {
    serial,
    takenAt,
    values: [
      { id: 60, unitCode: 8, unit: 'GJ', value: Number(energy), decimal: energy },
      { id: 86, unitCode: 37, unit: '°C', value: 53.65, decimal: '53.65' },
      ...extra,
    ],
  };
}
