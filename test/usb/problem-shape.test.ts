import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Problem } from '../../src/kmp/errors.ts';
import { ControlTransferError } from '../../src/usb/driver.ts';
import { UsbAccessError } from '../../src/usb/usb-access-error.ts';

// usb may not import the kmp layer, so its errors can only match the Problem shape; this pins the fit.
describe('usb errors have the Problem shape', () => {
  it('UsbAccessError', () => {
    expectTypeOf<UsbAccessError>().toExtend<Problem>();
    const e: Problem = new UsbAccessError('gone', 'NotFoundError: gone');
    expect(e).toMatchObject({ kind: 'gone', detail: 'NotFoundError: gone' });
  });

  it('ControlTransferError', () => {
    expectTypeOf<ControlTransferError>().toExtend<Problem>();
    const setup = { requestType: 'vendor', recipient: 'device', request: 1, value: 2, index: 0 } as const;
    const e: Problem = new ControlTransferError(setup, 'stall');
    expect(e).toMatchObject({ kind: 'refused', detail: 'stall' });
    expect(e.message).toBe('vendor request 0x1 (value 0x2, index 0x0) ended with stall');
  });
});
