/**
 * The behaviour that differs from chip to chip and that drivers must get right: FTDI's status
 * bytes and latency timer, CP210x's interface enable, CH34x's version and packet buffering,
 * PL2303's generations; and the WebUSB rules every device shares (open, claim, unplug).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FTDI_STATUS, createEmulatedChip, type FakeUsbDevice } from '../support/usb-chips/index.ts';
import { GET_TYPE_WIRE, echoAndReply, replyAfterEcho, rig, vendorIn, type Rig } from './helpers.ts';
import { KERNEL_1200_8N2 } from './kernel-sequences.ts';

let open: Rig | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

const setup = (
  requestType: 'vendor' | 'class' | 'standard',
  recipient: 'device' | 'interface',
  request: number,
  value = 0,
  index = 0,
) => ({ requestType, recipient, request, value, index });

describe('FTDI', () => {
  it('starts every IN packet with the two status bytes, also packets carrying data', async () => {
    const r = (open = await rig('ft232r'));
    await r.run(KERNEL_1200_8N2.ft232r);
    const got = await r.exchange(GET_TYPE_WIRE, 3000, echoAndReply(GET_TYPE_WIRE));
    expect(replyAfterEcho(got, GET_TYPE_WIRE)).toBeDefined();
    expect(r.packets.length).toBeGreaterThan(3);
    for (const p of r.packets) expect(p.slice(0, 2)).toEqual([...FTDI_STATUS]);
    expect(r.packets.some((p) => p.length > 2)).toBe(true);
  });

  it('answers an idle read with a status-only packet after the latency timer, which request 9 sets', async () => {
    const r = (open = await rig('ft230x'));
    const timeIdleReads = async () => {
      await r.device.transferIn(1, 64); // the first read after a pause comes at once
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) {
        const p = await r.device.transferIn(1, 64);
        expect([...new Uint8Array(p.data!.buffer)]).toEqual([...FTDI_STATUS]);
      }
      return (performance.now() - t0) / 5;
    };
    expect(await timeIdleReads()).toBeGreaterThanOrEqual(14); // 16 ms default
    await r.device.controlTransferOut(setup('vendor', 'device', 0x09, 50, 1));
    expect(await timeIdleReads()).toBeGreaterThanOrEqual(45);
    const latency = await r.device.controlTransferIn(setup('vendor', 'device', 0x0a, 0, 1), 1);
    expect(latency.data!.getUint8(0)).toBe(50);
  });

  it('reports babble when a read asks for less than the packet the chip sends', async () => {
    const r = (open = await rig('ft232r'));
    expect((await r.device.transferIn(1, 1)).status).toBe('babble');
  });

  it('puts a wrong divisor fraction into the rate as the chip would', async () => {
    const r = (open = await rig('ft232r'));
    // 0x4000 | 2500: fraction code 1 = 0.5 → 3 MHz / 2500.5
    await r.device.controlTransferOut(setup('vendor', 'device', 0x03, 0x49c4, 0));
    expect(r.device.lineSettings.baudRate).toBeCloseTo(3_000_000 / 2500.5, 6);
    await r.device.controlTransferOut(setup('vendor', 'device', 0x03, 2500, 0));
    expect(r.device.lineSettings.baudRate).toBe(1200);
  });
});

describe('CP210x', () => {
  it('passes no byte until IFC_ENABLE(1), whatever the line settings', async () => {
    const r = (open = await rig('cp2102'));
    const withoutEnable = KERNEL_1200_8N2.cp2102.filter(
      (s) => s.request !== 0x00 || s.type !== 'vendor' || s.recipient !== 'interface',
    );
    const results = await r.run(withoutEnable);
    expect(results.every((x) => x.status === 'ok')).toBe(true);
    expect(await r.exchange(GET_TYPE_WIRE, 400)).toEqual([]);
    expect(r.meter.stats.bytesIn).toBe(0);

    await r.device.controlTransferOut(setup('vendor', 'interface', 0x00, 1, 0));
    const got = await r.exchange(GET_TYPE_WIRE, 3000, echoAndReply(GET_TYPE_WIRE));
    expect(replyAfterEcho(got, GET_TYPE_WIRE)).toBeDefined();
  });

  it('maps a requested rate to the CP2102’s nearest supported one, as AN205 describes', async () => {
    const r = (open = await rig('cp2102'));
    await r.device.controlTransferOut(setup('vendor', 'interface', 0x1e, 0, 0), Uint8Array.of(0x10, 0x05, 0, 0)); // 1296
    expect(r.device.lineSettings.baudRate).toBe(1800);
    await r.device.controlTransferOut(setup('vendor', 'interface', 0x01, 3072, 0)); // SET_BAUDDIV 3686400 / 3072
    expect(r.device.lineSettings.baudRate).toBe(1200);
  });

  it('refuses a line control it does not support with a stall', async () => {
    const r = (open = await rig('cp2102'));
    const nine = await r.device.controlTransferOut(setup('vendor', 'interface', 0x03, 0x0902, 0));
    expect(nine.status).toBe('stall');
  });
});

describe('CH34x', () => {
  it('reports its version: 0x31 for the CH340, 0x27 for the old CH341', async () => {
    for (const model of ['ch340', 'ch341-old'] as const) {
      const r = await rig(model);
      const [v] = await r.run([vendorIn(0x5f, 0, 0, 2)]);
      expect(v).toEqual({ status: 'ok', data: [model === 'ch340' ? 0x31 : 0x27, 0] });
      await r.close();
    }
  });

  it('holds received bytes until a full 32-byte packet when the prescaler’s bit 7 says to buffer', async () => {
    const r = (open = await rig('ch340'));
    await r.run(KERNEL_1200_8N2.ch340);
    // The same 1200 baud without bit 7: a version-0x31 chip now waits for 32 bytes.
    await r.device.controlTransferOut(setup('vendor', 'device', 0x9a, 0x1312, 0xb201));
    const got = await r.exchange(GET_TYPE_WIRE, 600);
    expect(r.meter.stats.replies).toBe(1); // the meter answered …
    expect(got).toEqual([]); // … but echo + reply (< 32 bytes) sit in the chip
  });
});

describe('PL2303', () => {
  it('HX answers the legacy vendor reads; HXN stalls them and takes 0x80/0x81 instead', async () => {
    const hx = (open = await rig('pl2303hx'));
    const [status] = await hx.run([vendorIn(0x01, 0x8080, 0, 1)]);
    expect(status!.status).toBe('ok');
    expect((await hx.run([vendorIn(0x81, 0x0a, 0, 1)]))[0]!.status).toBe('stall');
    await hx.close();

    const hxn = (open = await rig('pl2303hxn'));
    for (const value of [0x8080, 0x8484, 0x8383])
      expect((await hxn.run([vendorIn(0x01, value, 0, 1)]))[0]!.status).toBe('stall');
    expect((await hxn.run([vendorIn(0x81, 0x0a, 0, 1)]))[0]).toEqual({ status: 'ok', data: [0x1c] });
  });

  it('has the descriptors pl2303_detect_type tells the generations apart by', () => {
    const hx = createEmulatedChip('pl2303hx');
    const hxn = createEmulatedChip('pl2303hxn');
    expect([hx.deviceClass, hx.usbVersionMajor, hx.usbVersionMinor, hx.deviceVersionMajor]).toEqual([0, 1, 1, 3]);
    expect([hxn.deviceClass, hxn.usbVersionMajor, hxn.usbVersionMinor, hxn.deviceVersionMajor]).toEqual([0, 2, 0, 1]);
  });

  it('answers GET_DESCRIPTOR(DEVICE) with bMaxPacketSize0 64, which WebUSB does not expose', async () => {
    const r = (open = await rig('pl2303hx'));
    const d = await r.device.controlTransferIn(setup('standard', 'device', 0x06, 0x0100), 18);
    const bytes = [...new Uint8Array(d.data!.buffer)];
    // bcdUSB 1.10, class 0, bMaxPacketSize0 64, 067B:2303, bcdDevice 3.00
    expect(bytes).toEqual([18, 1, 0x10, 0x01, 0, 0, 0, 64, 0x7b, 0x06, 0x03, 0x23, 0x00, 0x03, 1, 2, 0, 1]);
  });

  it('decodes the HX divisor encoding of a non-standard rate', async () => {
    const r = (open = await rig('pl2303hx'));
    // pl2303_encode_baud_rate_divisor(1200): tmp = 12e6·32 / 1200 = 320000, shifted right by 2
    // six times to 78 while buf[1] (starting at 1) doubles to 64: 384e6 / (78·4^6) = 1201.9 baud.
    await r.device.controlTransferOut(setup('class', 'interface', 0x20), Uint8Array.of(78, 64, 0, 0x80, 2, 0, 8));
    expect(r.device.lineSettings.baudRate).toBeCloseTo(1201.92, 1);
  });
});

describe('CDC-ACM', () => {
  it('has a communication interface with an interrupt endpoint and a data interface with bulk endpoints', () => {
    const d = createEmulatedChip('cdc-acm');
    const [comm, data] = d.configuration!.interfaces;
    expect(comm!.alternate).toMatchObject({ interfaceClass: 2, interfaceSubclass: 2 });
    expect(comm!.alternate.endpoints).toEqual([expect.objectContaining({ type: 'interrupt', direction: 'in' })]);
    expect(data!.alternate.interfaceClass).toBe(10);
    expect(data!.alternate.endpoints.map((e) => `${e.type} ${e.direction}`)).toEqual(['bulk in', 'bulk out']);
  });

  it('stalls line requests addressed to the data interface and SEND_BREAK', async () => {
    const r = (open = await rig('cdc-acm'));
    const toData = await r.device.controlTransferOut(
      setup('class', 'interface', 0x20, 0, 1),
      Uint8Array.of(0xb0, 4, 0, 0, 2, 0, 8),
    );
    const sendBreak = await r.device.controlTransferOut(setup('class', 'interface', 0x23, 0xffff, 0));
    expect([toData.status, sendBreak.status]).toEqual(['stall', 'stall']);
  });
});

describe('the WebUSB rules every emulated device keeps', () => {
  const rejection = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return `${(e as DOMException).name}: ${(e as DOMException).message}`;
    }
    return 'resolved';
  };

  it('rejects transfers before open() and before the interface is claimed, as Chrome does', async () => {
    const d = createEmulatedChip('ft232r');
    expect(await rejection(d.controlTransferIn(setup('vendor', 'device', 0x0a), 1))).toMatch(/^InvalidStateError/);
    expect(await rejection(d.claimInterface(0))).toMatch(/^InvalidStateError/);
    await d.open();
    expect(await rejection(d.transferIn(1, 64))).toMatch(/^NotFoundError: The specified endpoint/);
    const cp = createEmulatedChip('cp2102');
    await cp.open();
    expect(await rejection(cp.controlTransferOut(setup('vendor', 'interface', 0x00, 1)))).toMatch(
      /^InvalidStateError: The specified interface has not been claimed/,
    );
    expect(await rejection(cp.claimInterface(3))).toMatch(/^NotFoundError/);
  });

  it('fails claimInterface with NetworkError while another driver holds the interface', async () => {
    const d = createEmulatedChip('ch340');
    d.claimBlocked = true;
    await d.open();
    expect(await rejection(d.claimInterface(0))).toBe('NetworkError: Unable to claim interface.');
  });

  it('on unplug rejects the pending read and every later call with NotFoundError and tells listeners', async () => {
    const d: FakeUsbDevice = createEmulatedChip('pl2303hx');
    const events: string[] = [];
    d.events.addEventListener('disconnect', (e) => events.push(e.type));
    await d.open();
    await d.claimInterface(0);
    const pending = rejection(d.transferIn(3, 64));
    d.unplug();
    expect(await pending).toBe('NotFoundError: The device was disconnected.');
    expect(await rejection(d.transferOut(2, Uint8Array.of(1)))).toMatch(/^NotFoundError/);
    expect(await rejection(d.open())).toMatch(/^NotFoundError/);
    expect(events).toEqual(['disconnect']);
    expect(d.opened).toBe(false);
  });

  it('cancels a pending read with AbortError on close(), and data arriving later is not lost', async () => {
    const r = (open = await rig('cdc-acm'));
    await r.run(KERNEL_1200_8N2['cdc-acm']);
    const pending = rejection(r.device.transferIn(1, 64));
    await r.device.releaseInterface(1);
    expect(await pending).toMatch(/^AbortError/);
    await r.device.claimInterface(1);
    const got = await r.exchange(GET_TYPE_WIRE, 3000, echoAndReply(GET_TYPE_WIRE));
    expect(replyAfterEcho(got, GET_TYPE_WIRE)).toBeDefined();
  });

  it('drops off the bus the configured time after open(), as a head the OTG port cannot power', async () => {
    const d = createEmulatedChip('ft232r');
    d.powerDropAfterOpenMs = 50;
    await d.open();
    expect(d.opened).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(d.attached).toBe(false);
  });
});
