import { expect } from 'vitest';
import { KmpError } from '../../src/kmp/index.ts';

/** The KmpError `fn` throws; fails the test when it throws anything else or nothing. */
export function errorOf(fn: () => unknown): KmpError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KmpError);
    return e as KmpError;
  }
  throw new Error('expected a KmpError, nothing was thrown');
}
