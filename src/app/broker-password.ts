/**
 * The broker password at rest: sealed in a SecretBox, opened only when a connection needs it, so
 * the settings the app holds and shows never carry it. Older versions stored it as plain text;
 * such a record is sealed the first time it is loaded.
 */
import type { Words } from '../kmp/words.ts';
import type { MqttSettings } from '../mqtt/mqtt-defaults.ts';
import { isSealed, SecretBoxError, type SecretBox, type Sealed } from '../store/secret-box.ts';
import { appWords, messageWords, problemWords } from './app-words.ts';

/** What the stored broker record holds instead of `password`. */
export interface StoredPassword {
  passwordSealed?: Sealed;
}

/** The broker settings as the app holds and shows them: without the password, which stays sealed. */
export type BrokerSettings = Omit<MqttSettings, 'password'> & {
  /** A password is saved (sealed in the store). */
  passwordSaved: boolean;
};

/** Settings without their password, saying whether one is saved. */
export function withoutSecret(s: MqttSettings, passwordSaved: boolean): BrokerSettings {
  const { password: _password, ...rest } = s;
  return { ...rest, passwordSaved };
}

/** The password an input brings, if it brings one ('' clears the saved one). */
export function passwordGiven(input: unknown): string | undefined {
  const p = (input as { password?: unknown } | null)?.password;
  return typeof p === 'string' ? p : undefined;
}

export class BrokerPassword {
  private sealed: Sealed | undefined;
  /** Only a plain password of an older version where the browser offers no WebCrypto to seal it. */
  private plain: string | undefined;
  private unreadable: Words | undefined;

  constructor(private readonly box: SecretBox) {}

  /** A password is saved (readable or not). */
  get saved(): boolean {
    return this.sealed !== undefined || this.plain !== undefined;
  }

  /** Why the saved password cannot be used, in plain words; undefined while it can. */
  get problem(): Words | undefined {
    return this.unreadable;
  }

  /**
   * Takes the password of a stored record: a sealed one is tried once (so a missing key is said
   * at start, not at the first failed login), a plain one is sealed. True when the record must
   * be written back without its plain text.
   */
  async load(record: Record<string, unknown>): Promise<boolean> {
    this.sealed = isSealed(record.passwordSealed) ? record.passwordSealed : undefined;
    this.plain = undefined;
    this.unreadable = undefined;
    const plain = typeof record.password === 'string' ? record.password : '';
    if (plain && !this.sealed) {
      try {
        this.sealed = await this.box.seal(plain);
        return true;
      } catch {
        // No WebCrypto here: keep using it as it was stored rather than lose it.
        this.plain = plain;
        return false;
      }
    }
    if (this.sealed) await this.text();
    return plain !== '';
  }

  /** A new password from the person ('' for none); refused (SecretBoxError) where it cannot be sealed. */
  async set(text: string): Promise<void> {
    this.sealed = text ? await this.box.seal(text) : undefined;
    this.plain = undefined;
    this.unreadable = undefined;
  }

  /** The password for a connection: '' when none is saved or it cannot be read (then `problem` says why). */
  async text(): Promise<string> {
    if (this.plain !== undefined) return this.plain;
    if (!this.sealed) return '';
    try {
      const text = await this.box.open(this.sealed);
      this.unreadable = undefined;
      return text;
    } catch (e) {
      const why = e instanceof SecretBoxError ? messageWords(e) : problemWords(e);
      this.unreadable = appWords('app.password.unreadable', { why });
      return '';
    }
  }

  /** What the stored record keeps of it: the sealed password, never plain text (but an older version's, unsealable). */
  stored(): StoredPassword & { password?: string } {
    if (this.plain !== undefined) return { password: this.plain };
    return this.sealed ? { passwordSealed: this.sealed } : {};
  }
}
