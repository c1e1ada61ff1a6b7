/**
 * The frame log names logger frames once the logger code has loaded with the first download.
 * On its own in this file: that code names the frames when it loads, once per test file, so no
 * other test here may load it first.
 */
import { afterEach, expect, it } from 'vitest';
import { LOGGER_TYPE } from '../../src/kmp/index.ts';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST } from './helpers.ts';

const session = new MeterSession({ client: FAST });
afterEach(() => session.disconnect());

it('names the requests and replies of the first logger download', async () => {
  const meter = createVirtualMeter({ frozen: true, model: '603' });
  await session.connect(meter.port, { label: 'virtual', demo: true });
  await session.readLogger(LOGGER_TYPE.month, [60], { maxRequests: 2 });
  const decoded = session.log.all().map((e) => e.decoded);
  expect(decoded[0]).toBe(`Logger request: configuration of logger ${LOGGER_TYPE.month}`);
  expect(decoded[1]).toMatch(
    new RegExp(`^Logger reply: logger ${LOGGER_TYPE.month} keeps \\d+ entries of \\d+ registers$`),
  );
  expect(decoded[2]).toMatch(
    new RegExp(`^Logger request: logger ${LOGGER_TYPE.month} from the newest, \\d+ entries of `),
  );
  expect(decoded[3]).toMatch(new RegExp(`^Logger reply: logger ${LOGGER_TYPE.month}, \\d+ entries from id \\d+`));
});
