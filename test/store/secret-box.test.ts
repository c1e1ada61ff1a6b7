/**
 * Secrets at rest: sealed with AES-GCM under a non-extractable key kept in the (fake) IndexedDB,
 * which keeps the CryptoKey through its structured clone as a browser does.
 */
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { SECRET_KEY_SETTING, SecretBox, SecretBoxError, isSealed } from '../../src/store/index.ts';
import { freshName, openStore } from './helpers.ts';

const bytesText = (b: ArrayBuffer | Uint8Array) =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('latin1');

describe('SecretBox', () => {
  it('seals text so that the stored record holds neither the text nor a readable key, and opens it again', async () => {
    const name = freshName();
    const store = await openStore(name);
    const box = SecretBox.inStore(store);
    const sealed = await box.seal('S3cret-broker-pw');
    expect(isSealed(sealed)).toBe(true);
    expect(bytesText(sealed.ciphertext)).not.toContain('S3cret');
    await store.putSetting('probe', sealed);
    store.close();

    // After a reload: the key came back from the database, still not extractable, and opens the record.
    const again = await openStore(name);
    const key = await again.getSetting<CryptoKey>(SECRET_KEY_SETTING);
    expect(key).toBeInstanceOf(CryptoKey);
    expect(key!.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('raw', key!)).rejects.toThrow();
    const stored = await again.getSetting<unknown>('probe');
    expect(isSealed(stored)).toBe(true);
    expect(await SecretBox.inStore(again).open(stored as never)).toBe('S3cret-broker-pw');
    again.close();
  });

  it('uses a fresh nonce each time and one key for the database, however many boxes seal at once', async () => {
    const store = await openStore();
    const boxes = [SecretBox.inStore(store), SecretBox.inStore(store), SecretBox.inStore(store)];
    const sealed = await Promise.all(boxes.map((b) => b.seal('same')));
    expect(new Set(sealed.map((s) => bytesText(s.iv))).size).toBe(3);
    // Every box opens what every other sealed: the racing first seals agreed on one key.
    for (const box of boxes) for (const s of sealed) expect(await box.open(s)).toBe('same');
    store.close();
  });

  it('says so in words, never a wrong text, when the key is gone or the record was tampered with', async () => {
    const name = freshName();
    const store = await openStore(name);
    const sealed = await SecretBox.inStore(store).seal('pw');
    const tampered = {
      iv: sealed.iv,
      ciphertext: new Uint8Array(sealed.ciphertext).map((b, i) => (i ? b : b ^ 1)).buffer,
    };
    await expect(SecretBox.inStore(store).open(tampered)).rejects.toMatchObject({ kind: 'unreadable' });
    store.close();

    const raw = await openDB(name);
    await raw.delete('settings', SECRET_KEY_SETTING);
    raw.close();
    const again = await openStore(name);
    const box = SecretBox.inStore(again);
    const error = await box.open(sealed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretBoxError);
    expect(error).toMatchObject({ kind: 'no-key', message: expect.stringMatching(/key .* is gone/) });
    // A new key is made for what is sealed from now on; the old record stays unreadable.
    expect(await box.open(await box.seal('new'))).toBe('new');
    await expect(box.open(sealed)).rejects.toMatchObject({ kind: 'unreadable' });
    again.close();
  });

  it('refuses to seal without WebCrypto (a page not served over https) instead of keeping plain text', async () => {
    const store = await openStore();
    const box = new SecretBox({ load: async () => undefined, keep: async (k) => k }, null);
    await expect(box.seal('pw')).rejects.toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/https/),
    });
    store.close();
  });
});
