/**
 * Secrets at rest (the broker password; later a Home Assistant token): AES-GCM under one
 * non-extractable WebCrypto key that lives in the database next to them. No script can read the
 * key's bytes, only use it; so a secret is never stored, exported or shown as plain text, and a
 * record copied without its key cannot be opened.
 */
import { fill, words, type Sentences, type Words } from '../kmp/words.ts';
import type { KmpStore } from './kmp-store.ts';

/** A sealed secret as stored: structured-cloneable, so IndexedDB keeps it as it is. */
export interface Sealed {
  /** The 96-bit AES-GCM nonce, fresh for every seal. */
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: ArrayBuffer;
}

/** Why a secret could not be sealed or opened, in plain words. */
export type SecretBoxErrorKind = 'unsupported' | 'no-key' | 'unreadable';

/** What the box says to the person, by id (src/kmp/words.ts): one sentence per kind. */
export const SECRET_BOX_SENTENCES = {
  'store.secret.unsupported':
    'This page is not served over https (or from localhost), so the browser offers no encryption: the secret cannot be kept.',
  'store.secret.no-key':
    'The key that encrypted it is gone (the stored data was copied from elsewhere or partly deleted).',
  'store.secret.unreadable':
    'It cannot be decrypted with the key stored here (the stored data was copied from elsewhere or damaged).',
} as const satisfies Sentences;

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  /** `message` as words, for the UI to say in the reader's language. */
  readonly words: Words;
  constructor(readonly kind: SecretBoxErrorKind) {
    const w = words(SECRET_BOX_SENTENCES, `store.secret.${kind}`);
    super(fill(w));
    this.words = w;
  }
}

/** Where the key is kept: read it, or store one unless another is already there (then that one). */
export interface KeyKeeper {
  load(): Promise<CryptoKey | undefined>;
  keep(key: CryptoKey): Promise<CryptoKey>;
}

/** The settings key under which the store keeps the box's key. */
export const SECRET_KEY_SETTING = 'secret-box-key';

/** Whether `value` has the shape of a Sealed secret (a stored record is checked before it is opened). */
export function isSealed(value: unknown): value is Sealed {
  const v = value as Partial<Sealed> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.iv instanceof Uint8Array &&
    v.iv.length === 12 &&
    v.ciphertext instanceof ArrayBuffer
  );
}

/** Seals and opens text with the one key of this database, created on the first seal. */
export class SecretBox {
  constructor(
    private readonly keeper: KeyKeeper,
    /** null where the browser has no WebCrypto (outside a secure context). */
    private readonly subtle: SubtleCrypto | null = globalThis.crypto?.subtle ?? null,
  ) {}

  /** A box whose key lives in the store's settings (created once, kept however many tabs race). */
  static inStore(store: Pick<KmpStore, 'getSetting' | 'putSettingIfAbsent'>): SecretBox {
    return new SecretBox({
      load: async () => {
        const key = await store.getSetting<unknown>(SECRET_KEY_SETTING);
        return key instanceof CryptoKey ? key : undefined;
      },
      keep: async (key) => {
        const kept = await store.putSettingIfAbsent(SECRET_KEY_SETTING, key);
        return kept instanceof CryptoKey ? kept : key;
      },
    });
  }

  async seal(text: string): Promise<Sealed> {
    const subtle = this.need();
    const key = (await this.keeper.load()) ?? (await this.keeper.keep(await this.newKey(subtle)));
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const ciphertext = await subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text));
    return { iv, ciphertext };
  }

  /** The text sealed in `sealed`; a SecretBoxError when it cannot be had (never a wrong text: GCM checks it). */
  async open(sealed: Sealed): Promise<string> {
    const subtle = this.need();
    const key = await this.keeper.load();
    if (!key) throw new SecretBoxError('no-key');
    try {
      return new TextDecoder().decode(await subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.ciphertext));
    } catch {
      throw new SecretBoxError('unreadable');
    }
  }

  private need(): SubtleCrypto {
    if (!this.subtle) throw new SecretBoxError('unsupported');
    return this.subtle;
  }

  private newKey(subtle: SubtleCrypto): Promise<CryptoKey> {
    // Not extractable: scripts can use the key but never read it, so it cannot leave in an export.
    return subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  }
}
