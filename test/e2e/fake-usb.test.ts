/**
 * The fake navigator.usb itself, in Chromium, without the app's WebUSB path: the chooser's
 * filter rules and refusals, a GetType round trip through an emulated FTDI at 1200 8N2 driven
 * from page script, and the disconnect event when the head is pulled: the phone tests stand on it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FakeUsbDevice } from '../support/usb-chips/index.ts';
import type { FakeUsbConfig } from './fake-usb-entry.ts';
import { openApp, useAppServer } from './harness.ts';

const env = useAppServer();

/** navigator.usb as page scripts see it (a type only: page functions are serialised). */
type PageUsb = EventTarget & {
  requestDevice(options: { filters: object[] }): Promise<FakeUsbDevice>;
  getDevices(): Promise<FakeUsbDevice[]>;
};

async function page(usb: FakeUsbConfig): Promise<Page> {
  return openApp(await env.newContext(), env.url, { serial: false, usb });
}

/** requestDevice() in the page; the error's name, or the chosen device's ids. */
const choose = (p: Page, filters: object[]) =>
  p.evaluate(async (filters) => {
    const usb = (
      navigator as unknown as { usb: { requestDevice(o: object): Promise<{ vendorId: number; productId: number }> } }
    ).usb;
    try {
      const d = await usb.requestDevice({ filters });
      return `${d.vendorId.toString(16)}:${d.productId.toString(16)}`;
    } catch (e) {
      return (e as DOMException).name;
    }
  }, filters);

describe('the fake navigator.usb', () => {
  it('lists the chip for a matching vendor/product or class filter only, then in getDevices()', async () => {
    const p = await page({ chip: 'cdc-acm' });
    expect(await p.evaluate(() => 'serial' in navigator)).toBe(false);
    expect(await choose(p, [{ vendorId: 0x0403 }])).toBe('NotFoundError');
    expect(
      await p.evaluate(async () => (await (navigator as unknown as { usb: PageUsb }).usb.getDevices()).length),
    ).toBe(0);
    expect(await choose(p, [{ vendorId: 0x0403 }, { classCode: 2 }])).toBe('483:5740');
    expect(await choose(p, [{ classCode: 10 }])).toBe('483:5740'); // the data interface's class
    expect(
      await p.evaluate(async () => (await (navigator as unknown as { usb: PageUsb }).usb.getDevices()).length),
    ).toBe(1);
  });

  it('refuses as configured: chooser closed, permission denied, interface held by another driver', async () => {
    expect(await choose(await page({ chip: 'ft232r', cancelChooser: true }), [{ vendorId: 0x0403 }])).toBe(
      'NotFoundError',
    );
    expect(await choose(await page({ chip: 'ft232r', deny: true }), [{ vendorId: 0x0403 }])).toBe('SecurityError');
    const held = await page({ chip: 'ch340', claimed: true });
    const error = await held.evaluate(async () => {
      const d = await (navigator as unknown as { usb: PageUsb }).usb.requestDevice({ filters: [{ vendorId: 0x1a86 }] });
      await d.open();
      return d.claimInterface(0).then(
        () => 'claimed',
        (e: DOMException) => `${e.name}: ${e.message}`,
      );
    });
    expect(error).toBe('NetworkError: Unable to claim interface.');
  });

  it('carries a GetType through an FTDI set to 1200 8N2, with echo, and reports the unplug', async () => {
    const p = await page({ chip: 'ft232r', meter: { model: '403' } });
    const result = await p.evaluate(async () => {
      const usb = (navigator as unknown as { usb: PageUsb }).usb;
      const events: string[] = [];
      usb.addEventListener('disconnect', (e) =>
        events.push(`${e.type} ${(e as Event & { device: FakeUsbDevice }).device.productName}`),
      );
      const d = await usb.requestDevice({ filters: [{ vendorId: 0x0403, productId: 0x6001 }] });
      await d.open();
      await d.claimInterface(0);
      const out = (request: number, value: number) =>
        d.controlTransferOut({ requestType: 'vendor', recipient: 'device', request, value, index: 0 });
      await out(0x04, 0x1008); // SET_DATA 8N2
      await out(0x03, 0x09c4); // SET_BAUD_RATE divisor 2500: 1200 baud
      await d.transferOut(2, Uint8Array.of(0x80, 0x3f, 0x01, 0x05, 0x8a, 0x0d));
      const got: number[] = [];
      const until = Date.now() + 3000;
      while (Date.now() < until && got.filter((b) => b === 0x0d).length < 2) {
        const r = await d.transferIn(1, 64);
        got.push(...new Uint8Array(r.data!.buffer).slice(2)); // the FTDI status bytes
      }
      const pending = d.transferIn(1, 64).then(
        () => 'resolved',
        (e: DOMException) => e.name,
      );
      window.__kmpFakeUsb.unplug();
      return { got, pending: await pending, events, log: window.__kmpFakeUsb.controlLog.length };
    });
    expect(result.got.slice(0, 6)).toEqual([0x80, 0x3f, 0x01, 0x05, 0x8a, 0x0d]); // the echo
    expect(result.got[6]).toBe(0x40); // the meter's reply
    expect(result.got.at(-1)).toBe(0x0d);
    expect(result.pending).toBe('NotFoundError');
    expect(result.events).toEqual(['disconnect FT232R USB UART']);
    expect(result.log).toBe(2);
  });
});
