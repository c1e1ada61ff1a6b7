import { describe, expect, it } from 'vitest';
import { MeterSession, LinkError } from '../../../src/link/index.ts';
import { createVirtualMeter } from '../../../src/sim/index.ts';
import { buildDiagnostics, describePortInfo } from '../../../src/ui/common/diagnostics.ts';

describe('the port in diagnostics and the frame log: which way, driver, chip and USB ids', () => {
  it('names path, driver, chip and USB ids in words', () => {
    expect(
      describePortInfo({
        path: 'WebUSB',
        driver: 'ftdi',
        chip: 'FTDI FT232R',
        usbVendorId: 0x403,
        usbProductId: 0x6001,
      }),
    ).toBe('WebUSB, ftdi driver, chip FTDI FT232R, USB id 0403:6001');
    expect(describePortInfo({ path: 'Web Serial', usbVendorId: 0x1a86, usbProductId: 0x7523 })).toBe(
      'Web Serial, USB id 1a86:7523',
    );
    expect(describePortInfo({ path: 'demo' })).toBe('the demo meter');
  });

  it('keeps the port of a connection in each of its states, asking a driver again once it is open', async () => {
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession({ client: { firstByteTimeoutMs: 60, interByteTimeoutMs: 40 } });
    let opened = false;
    const open = meter.port.open.bind(meter.port);
    meter.port.open = async (o) => {
      await open(o);
      opened = true;
    };
    const seen: unknown[] = [];
    session.subscribe(() => seen.push(session.state));
    await session.connect(meter.port, {
      label: 'head',
      port: () => ({ path: 'WebUSB', driver: 'pl2303', chip: opened ? 'Prolific PL2303HXN' : 'Prolific PL2303' }),
    });
    expect(seen[0]).toMatchObject({ kind: 'connecting', port: { chip: 'Prolific PL2303' } });
    expect(session.state).toMatchObject({ kind: 'connected', port: { path: 'WebUSB', chip: 'Prolific PL2303HXN' } });
    const bundle = buildDiagnostics(session, {}, 'test');
    expect(bundle.connection).toMatchObject({ port: { driver: 'pl2303', chip: 'Prolific PL2303HXN' } });
    meter.unplug();
    await new Promise((r) => setTimeout(r, 50));
    expect(session.state).toMatchObject({ kind: 'lost', port: { driver: 'pl2303' } });
    expect((session.state as { error: unknown }).error).toBeInstanceOf(LinkError);
    expect(buildDiagnostics(session, {}, 'test').connection).toMatchObject({
      kind: 'lost',
      port: { driver: 'pl2303' },
    });
    await session.disconnect();
  });

  it('a connection made without port details has none in its state', async () => {
    const meter = createVirtualMeter({ frozen: true });
    const session = new MeterSession();
    await session.connect(meter.port, { label: 'plain' });
    expect(session.state).toEqual({ kind: 'connected', label: 'plain', demo: false });
    await session.disconnect();
  });
});
