/**
 * Each emulated chip, driven with the exact control transfers the Linux kernel's driver sends
 * for 1200 8N2 (kernel-sequences.ts, with citations), passes a KMP request to the virtual meter
 * and its echo and reply back; with one line setting wrong the meter never hears a request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CHIP_MODELS, describeLine, lineMatchesMeter } from '../support/usb-chips/index.ts';
import { GET_TYPE_WIRE, echoAndReply, replyAfterEcho, rig, type Rig } from './helpers.ts';
import { KERNEL_1200_8N2, WRONG_LINE } from './kernel-sequences.ts';

let open: Rig | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe.each(CHIP_MODELS)('%s', (model) => {
  it('accepts every transfer of the kernel driver’s 1200 8N2 bring-up and reads the meter through it', async () => {
    const r = (open = await rig(model));
    const results = await r.run(KERNEL_1200_8N2[model]);
    expect(results.map((x) => x.status)).toEqual(KERNEL_1200_8N2[model].map(() => 'ok'));
    expect(describeLine(r.device.lineSettings)).toMatch(/^120[01](\.9)? 8N2$/);
    expect(lineMatchesMeter(r.device.lineSettings)).toBe(true);
    // Every transfer was logged, in order, as a ControlRecord.
    expect(r.device.controlLog).toEqual(KERNEL_1200_8N2[model].map((s) => ({ ...s, status: 'ok' })));

    const got = await r.exchange(GET_TYPE_WIRE, 3000, echoAndReply(GET_TYPE_WIRE));
    const reply = replyAfterEcho(got, GET_TYPE_WIRE);
    expect(reply, `got ${got.map((b) => b.toString(16)).join(' ')}`).toMatchObject({ direction: 'response', cid: 1 });
    expect(r.meter.stats.requests).toBe(1);
  });

  it(`does not reach the meter with ${WRONG_LINE[model].what}`, async () => {
    const r = (open = await rig(model));
    await r.run(WRONG_LINE[model].steps);
    expect(lineMatchesMeter(r.device.lineSettings)).toBe(false);
    const got = await r.exchange(GET_TYPE_WIRE, 400);
    expect(r.meter.stats.requests).toBe(0);
    expect(replyAfterEcho(got, GET_TYPE_WIRE)).toBeUndefined();
  });

  it('stalls requests its chip does not know, and logs them', async () => {
    const r = (open = await rig(model));
    const unknown = await r.device.controlTransferOut(
      { requestType: 'vendor', recipient: 'device', request: 0x77, value: 0x1234, index: 0 },
      new Uint8Array(0),
    );
    const unknownIn = await r.device.controlTransferIn(
      { requestType: 'class', recipient: 'interface', request: 0x7e, value: 0, index: 0 },
      8,
    );
    expect(unknown.status).toBe('stall');
    expect(unknownIn.status).toBe('stall');
    expect(r.device.controlLog.map((c) => c.status)).toEqual(['stall', 'stall']);
    expect(r.device.controlLog[0]).toMatchObject({
      dir: 'out',
      type: 'vendor',
      request: 0x77,
      value: 0x1234,
      data: [],
    });
    expect(r.device.controlLog[1]).toMatchObject({ dir: 'in', type: 'class', request: 0x7e, length: 8 });
  });
});
