import { afterEach, describe, expect, it, vi } from 'vitest';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { AppSettings } from '../../src/app/app-settings.ts';
import { InfoCodeWatch } from '../../src/app/info-code-watch.ts';
import { FAST } from '../link/helpers.ts';
import { english } from './english.ts';

// The info-code tables load on demand; here their file never arrives (offline before the app
// was fully installed, or an update half-way).
vi.mock('../../src/app/info-code-tables.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/app/info-code-tables.ts')>()),
  loadedInfoCodeTables: () => undefined,
  loadInfoCodeTables: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')),
}));

const sessions: MeterSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

describe('InfoCodeWatch without its tables', () => {
  it('still reports and notifies a change of info code, saying why its meaning is missing', async () => {
    const meter = createVirtualMeter({ frozen: true, model: '403' });
    const session = new MeterSession({ client: FAST });
    sessions.push(session);
    await session.connect(meter.port, { label: 'virtual' });
    await session.identify();
    const settings = new AppSettings();
    settings.update({ notifyInfoChanges: true });
    const shown: Array<{ title: string; body: string }> = [];
    const watch = new InfoCodeWatch(session, settings, {
      permission: () => 'granted',
      request: async () => 'granted',
      show: (title, body) => shown.push({ title: english(title)!, body: english(body)! }),
    });

    await session.readNow([99, 86]);
    meter.infoCode = 0x08;
    await session.readNow([99, 86]);
    await vi.waitFor(() =>
      expect({ ...watch.lastChange, summary: english(watch.lastChange?.summary) }).toMatchObject({
        from: 0,
        to: 8,
        summary: expect.stringMatching(/^Its meaning could not be loaded: the app's files did not arrive/),
      }),
    );
    expect(shown).toEqual([
      { title: `Meter ${meter.serial}: info code 0 → 8`, body: expect.stringMatching(/Reload when online\.$/) },
    ]);
  });
});
