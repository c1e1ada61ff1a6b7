import { describe, expectTypeOf, it } from 'vitest';
import type { Problem } from '../../src/kmp/errors.ts';
import type { MqttProblem } from '../../src/mqtt/mqtt-connection.ts';
import type { LinkError } from '../../src/link/link-error.ts';
import type { SerialAccessError } from '../../src/link/web-serial.ts';
import type { StoreError } from '../../src/store/store-error.ts';

describe('every error class of ours has the Problem shape', () => {
  it('LinkError, SerialAccessError, StoreError and MqttProblem', () => {
    expectTypeOf<LinkError>().toExtend<Problem>();
    expectTypeOf<SerialAccessError>().toExtend<Problem>();
    expectTypeOf<StoreError>().toExtend<Problem>();
    expectTypeOf<MqttProblem>().toExtend<Problem>();
  });
});
