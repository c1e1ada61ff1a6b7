/**
 * The broker password at rest: sealed in the store, never in the settings the app holds or
 * shows, opened for the connection only; an older version's plain record is sealed on first
 * open; a password whose key is gone is said in words and the other settings are kept.
 */
import { openDB } from 'idb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublishingControl, type PublishingView } from '../../src/app/publishing-control.ts';
import { DEFAULT_MQTT_SETTINGS } from '../../src/mqtt/index.ts';
import { KmpStore } from '../../src/store/kmp-store.ts';
import { isSealed, SECRET_KEY_SETTING } from '../../src/store/secret-box.ts';
import { aedesBroker, type TestBroker } from '../support/brokers.ts';
import { freshName } from '../store/helpers.ts';
import { english, publishingWhen } from './helpers.ts';

const AUTH = { username: 'kmp', password: 'S3cret-broker-pw' };
let broker: TestBroker & { close(): Promise<void> };
const controls: PublishingControl[] = [];

beforeAll(async () => {
  broker = await aedesBroker(AUTH);
});
afterAll(async () => {
  await Promise.all(controls.map((c) => c.stop()));
  await broker?.close();
});

function control(name: string): PublishingControl {
  const c = new PublishingControl(KmpStore.open({ name }), 'test', 'http://localhost/');
  controls.push(c);
  return c;
}

const connected = (c: PublishingControl) => publishingWhen(c, (v) => v.status?.connection.kind === 'connected');
const refused = (c: PublishingControl) =>
  publishingWhen(c, (v: PublishingView) => v.status?.connection.kind === 'failed');

/** The raw record as another app of the same origin would read it, bytes as text. */
async function rawRecord(name: string): Promise<{ record: Record<string, unknown>; text: string }> {
  const db = await openDB(name);
  const record = (await db.get('settings', 'mqtt')) as Record<string, unknown>;
  db.close();
  const text = JSON.stringify(record, (_k, v: unknown) =>
    v instanceof ArrayBuffer || v instanceof Uint8Array ? Buffer.from(v as ArrayBuffer).toString('latin1') : v,
  );
  return { record, text };
}

const settings = (baseTopic: string) => ({
  ...DEFAULT_MQTT_SETTINGS,
  enabled: true,
  url: broker.wsUrl,
  baseTopic,
  ...AUTH,
});

describe('the broker password at rest', () => {
  it('is stored sealed, held by no settings or view, and still logs in, also after a save without it', async () => {
    const name = freshName();
    const c = control(name);
    await c.init();
    expect((await c.save(settings('kmp-sealed'))).problems).toEqual([]);
    await connected(c);
    const { record, text } = await rawRecord(name);
    expect(text).not.toContain(AUTH.password);
    expect(record).not.toHaveProperty('password');
    expect(isSealed(record.passwordSealed)).toBe(true);
    expect(c.settings).not.toHaveProperty('password');
    expect(c.settings.passwordSaved).toBe(true);
    expect(JSON.stringify(c.view)).not.toContain(AUTH.password);

    // The form sends the settings back without a password: the saved one is kept and used.
    expect((await c.save({ ...c.settings, baseTopic: 'kmp-sealed-2' })).problems).toEqual([]);
    await connected(c);
    expect(await c.test({ ...c.settings })).toEqual({ ok: true });
    expect(await c.exportable(true)).toMatchObject({ baseTopic: 'kmp-sealed-2', password: AUTH.password });
    expect(await c.exportable(false)).not.toHaveProperty('password');

    // Without a user name MQTT sends no password: clearing the name drops the saved one too.
    expect((await c.save({ ...c.settings, enabled: false, username: '' })).problems).toEqual([]);
    expect(c.settings.passwordSaved).toBe(false);
    expect((await rawRecord(name)).record).not.toHaveProperty('passwordSealed');
  });

  it('seals a plain password stored by an older version the first time it opens, and logs in with it', async () => {
    const name = freshName();
    const old = await KmpStore.open({ name });
    await old.putSetting('mqtt', settings('kmp-migrated'));
    old.close();
    expect((await rawRecord(name)).text).toContain(AUTH.password);

    const c = control(name);
    await c.init();
    await connected(c);
    const { record, text } = await rawRecord(name);
    expect(text).not.toContain(AUTH.password);
    expect(record).toMatchObject({ url: broker.wsUrl, username: AUTH.username, baseTopic: 'kmp-migrated' });
    expect(c.settings.passwordSaved).toBe(true);
    expect(c.view.passwordProblem).toBeUndefined();
  });

  it('with its key gone, says the password must be entered again, keeps the other settings and never throws', async () => {
    const name = freshName();
    const first = control(name);
    await first.init();
    expect((await first.save(settings('kmp-no-key'))).problems).toEqual([]);
    await first.stop();
    const raw = await openDB(name);
    await raw.delete('settings', SECRET_KEY_SETTING);
    raw.close();

    const c = control(name);
    await c.init();
    expect(english(c.view.passwordProblem)).toMatch(/password cannot be read\. The key .* is gone.*Enter it again/);
    expect(c.settings).toMatchObject({ url: broker.wsUrl, username: AUTH.username, baseTopic: 'kmp-no-key' });
    // It tries without the password, and the broker's refusal is said as such.
    await refused(c);
    expect((await c.save({ ...c.settings, password: AUTH.password })).problems).toEqual([]);
    expect(c.view.passwordProblem).toBeUndefined();
    await connected(c);
  });
});
