import { afterEach, describe, expect, it, vi } from 'vitest';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { AppSettings } from '../../src/app/app-settings.ts';
import { InfoCodeWatch, type Notifier } from '../../src/app/info-code-watch.ts';
import { FAST } from '../link/helpers.ts';
import { english } from './english.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

function fakeNotifier(answer: NotificationPermission | 'unsupported') {
  let permission: NotificationPermission | 'unsupported' = answer === 'unsupported' ? 'unsupported' : 'default';
  const shown: Array<{ title: string; body: string }> = [];
  const notifier: Notifier = {
    permission: () => permission,
    request: async () => (permission = answer),
    show: (title, body) => shown.push({ title: english(title)!, body: english(body)! }),
  };
  return { notifier, shown };
}

async function rig(answer: NotificationPermission | 'unsupported' = 'granted') {
  const meter = createVirtualMeter({ frozen: true, model: '403' });
  const session = new MeterSession({ client: FAST });
  sessions.push(session);
  await session.connect(meter.port, { label: 'virtual' });
  await session.identify();
  const settings = new AppSettings();
  const { notifier, shown } = fakeNotifier(answer);
  const watch = new InfoCodeWatch(session, settings, notifier);
  return { meter, session, settings, watch, shown };
}

describe('InfoCodeWatch', () => {
  it('reports a change of info code between readings, in words, and notifies only when asked to', async () => {
    const { meter, session, settings, watch, shown } = await rig();
    await session.readNow([99, 86]);
    expect(watch.lastChange).toBeUndefined(); // the first code is the starting point

    meter.infoCode = 0x08;
    await session.readNow([99, 86]);
    // Waited for: the info-code tables load with the first code, and may still be on their way.
    await vi.waitFor(() =>
      expect({ ...watch.lastChange, summary: english(watch.lastChange?.summary) }).toMatchObject({
        serial: meter.serial,
        from: 0,
        to: 8,
        summary: expect.stringMatching(/t1 above measuring range/),
      }),
    );
    expect(shown).toEqual([]); // the setting is off by default

    expect(await watch.setNotify(true)).toBeUndefined();
    expect(settings.values.notifyInfoChanges).toBe(true);
    meter.infoCode = 0;
    await session.readNow([99, 86]);
    expect(shown).toEqual([{ title: `Meter ${meter.serial}: info code 8 → 0`, body: 'No irregularities.' }]);

    const change = watch.lastChange;
    await session.readNow([99, 86]);
    await session.readNow([86]); // no info code in it: nothing to compare
    expect(watch.lastChange).toBe(change);
    expect(shown).toHaveLength(1);

    watch.dismiss();
    expect(watch.lastChange).toBeUndefined();
  });

  it('keeps notifications off, and says why, when the browser refuses or has none', async () => {
    const denied = await rig('denied');
    expect(english(await denied.watch.setNotify(true))).toMatch(/not allowed to show notifications/);
    expect(denied.settings.values.notifyInfoChanges).toBe(false);
    const none = await rig('unsupported');
    expect(english(await none.watch.setNotify(true))).toMatch(/cannot show notifications/);
    expect(none.settings.values.notifyInfoChanges).toBe(false);
  });
});
