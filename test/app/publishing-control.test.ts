/**
 * Saving broker settings while the broker hangs: waiting for the old connection to close once
 * kept the Save button disabled for 72 s. Saving now waits at most the goodbye timeout for the
 * old connection and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MQTT_SETTINGS } from '../../src/mqtt/index.ts';
import { PublishingControl, type PublishingView } from '../../src/app/publishing-control.ts';
import { mosquittoBroker } from '../support/brokers.ts';
import { openStore } from '../store/helpers.ts';

describe('saving broker settings while the broker hangs', () => {
  let broker: Awaited<ReturnType<typeof mosquittoBroker>>;
  beforeAll(async () => {
    broker = await mosquittoBroker();
  });
  afterAll(async () => {
    broker.resume();
    await broker?.close();
  });

  it('returns within seconds, saves, and says the old connection was closed without an answer', async () => {
    const control = new PublishingControl(openStore(), 'test', 'http://localhost/');
    const settings = { ...DEFAULT_MQTT_SETTINGS, enabled: true, url: broker.wsUrl, baseTopic: 'kmp-save' };
    expect((await control.save(settings)).problems).toEqual([]);
    const connected = new Promise<void>((resolve) => {
      const stop = control.subscribe((v: PublishingView) => {
        if (v.status?.connection.kind === 'connected') {
          resolve();
          queueMicrotask(() => stop());
        }
      });
    });
    await connected;
    broker.pause();
    const t0 = Date.now();
    const result = await control.save({ ...settings, baseTopic: 'kmp-save-2' });
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(result.problems).toEqual([]);
    expect(result.note).toMatch(/did not acknowledge.*closed anyway/);
    expect(control.settings.baseTopic).toBe('kmp-save-2');
    broker.resume();
    await control.save({ ...settings, enabled: false });
  });
});
