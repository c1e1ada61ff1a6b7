import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { registerByKey } from '../../../kmp/index.ts';
import { checkMqttSettings } from '../../../mqtt/mqtt-settings.ts';
import {
  checkImportedBroker,
  exportSettingsJson,
  mqttAfterImport,
  type SeedImportResult,
} from '../../../store/index.ts';
import {
  LANGUAGE_CHOICES,
  type ImportNote,
  type ImportNoteLevel,
  type LanguageChoice,
} from '../../../store/settings-import-types.ts';
import type { Words } from '../../../kmp/words.ts';
import { downloadText } from '../../common/download.ts';
import { formatDuration, pageLocale } from '../../common/format.ts';
import type { PersistenceView } from '../../../app/storage-persistence.ts';
import { brokerAppliedText } from '../../../app/publishing-control.ts';
import { say } from '../../i18n/problem-text.ts';
import { LANGUAGE_NAMES } from '../../i18n/localization.ts';
import { ActionController } from '../../controllers/action-controller.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import '../../components/kmp-alert.ts';

/**
 * What the import does with a field, in a word, in the page's language (called at render time).
 * Own ids: "error" or "changed" elsewhere may need another word than this status in a table cell.
 */
function levelText(level: ImportNoteLevel): string {
  switch (level) {
    case 'mapped':
      return msg('mapped', {
        id: 'settings.import-level.mapped',
        desc: 'Settings import: what happens to a field of the file',
      });
    case 'changed':
      return msg('changed', {
        id: 'settings.import-level.changed',
        desc: 'Settings import: what happens to a field of the file',
      });
    case 'cleared':
      return msg('cleared', {
        id: 'settings.import-level.cleared',
        desc: 'Settings import: what happens to a field of the file',
      });
    case 'ignored':
      return msg('ignored', {
        id: 'settings.import-level.ignored',
        desc: 'Settings import: what happens to a field of the file',
      });
    case 'skipped':
      return msg('skipped', {
        id: 'settings.import-level.skipped',
        desc: 'Settings import: what happens to a field of the file',
      });
    case 'error':
      return msg('error', {
        id: 'settings.import-level.error',
        desc: 'Settings import: what happens to a field of the file',
      });
  }
}

/** An import note's sentence: its words where the import gives them, else its English. */
function noteText(n: Pick<ImportNote, 'message'> & { words?: Words }): string {
  return say(n.words ?? n.message);
}

function isLanguageChoice(v: string): v is LanguageChoice {
  return (LANGUAGE_CHOICES as readonly string[]).includes(v);
}

/** Megabytes with one decimal, written as the page's language writes numbers. */
function megabytes(n: number): string {
  const mb = new Intl.NumberFormat(pageLocale(), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    useGrouping: false,
  }).format(n / 1024 / 1024);
  return `${mb} MB`;
}

/** Language, storage health, the reference project's config.yaml import, and settings export. */
@localized()
@customElement('kmp-settings-view')
export class KmpSettingsView extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  @state() private usage: { usage: number; quota: number } | undefined;
  @state() private persistence: PersistenceView | undefined;
  @state() private imported: SeedImportResult | undefined;
  @state() private applied: string | undefined;
  @state() private includePassword = false;
  /** Keep, import, apply and export: a failure is shown at the top of the page. */
  protected readonly actions = new ActionController(this);
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);
  protected readonly persistenceCtl = new SubscriptionController(
    this,
    () => this.services?.storagePersistence,
    (v: PersistenceView) => (this.persistence = v),
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.readStorageState();
  }

  /** Space used is an extra: if the browser will not say, the page says so instead. */
  private async readStorageState(): Promise<void> {
    const db = await this.services.store;
    this.usage = await db?.estimate().catch(() => undefined);
  }

  override render() {
    const problem = this.services.storeProblem();
    return html`${this.actions.renderError()} ${this.renderLanguage()}
      <section class="card" aria-labelledby="storage-title">
        <h2 id="storage-title">${msg('Storage')}</h2>
        ${
          problem
            ? html`<kmp-alert kind="error" data-testid="storage-problem">${say(problem)}</kmp-alert>`
            : html`<p data-testid="storage-usage">
                  ${
                    this.usage
                      ? msg(
                          str`${megabytes(this.usage.usage)} used of ${megabytes(this.usage.quota)} this browser allows.`,
                        )
                      : msg('The browser does not report how much space is used.')
                  }
                </p>
                ${this.renderPersistence()}`
        }
      </section>
      <section class="card" aria-labelledby="station-title">
        <h2 id="station-title">${msg('Station mode')}</h2>
        <label
          ><input
            type="checkbox"
            data-testid="station-mode"
            .checked=${this.services.settings.values.station}
            @change=${(e: Event) => this.services.settings.update({ station: (e.target as HTMLInputElement).checked })}
          />
          ${msg('Keep reading by itself')}</label
        >
        <p class="muted">
          ${msg(
            'For a computer left by the meter. When this page opens, kmp-web reconnects to the head you connected before and goes on polling, without a click; when the head is plugged back in it reconnects; when the polling tab closes, another open kmp-web tab takes over. Polling you stop by hand stays stopped. Keep the page open: the browser then keeps it running, also in the background.',
          )}
        </p>
      </section>
      <section class="card" aria-labelledby="import-title">
        <h2 id="import-title">${msg('Import from kamstrup-402-mqtt')}</h2>
        <p class="muted">
          ${msg(
            'Coming from the Python daemon? Load its config.yaml: the broker, topic, parameters and poll interval are taken over where a browser can use them.',
          )}
        </p>
        <label
          >config.yaml
          <input
            type="file"
            accept=".yaml,.yml,text/yaml"
            @change=${this.actions.handler('import', (e: Event) => this.importYaml(e))}
        /></label>
        ${this.imported ? this.renderImport(this.imported) : nothing}
      </section>
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">${msg('Export settings')}</h2>
        <div class="row">
          <label
            ><input
              type="checkbox"
              .checked=${this.includePassword}
              @change=${(e: Event) => (this.includePassword = (e.target as HTMLInputElement).checked)}
            />
            ${msg('Include the broker password')}</label
          >
          <button @click=${this.actions.handler('yaml', () => this.exportSettings('yaml'))}>
            ${msg('Export YAML')}
          </button>
          <button @click=${this.actions.handler('json', () => this.exportSettings('json'))}>
            ${msg('Export JSON')}
          </button>
        </div>
      </section>`;
  }

  /** First on the page: someone who cannot read the rest finds their language's own name here. */
  private renderLanguage() {
    const chosen = this.services.settings.values.language;
    return html`<section class="card" aria-labelledby="language-title">
      <h2 id="language-title"><label for="language-choice">${msg('Language')}</label></h2>
      <select
        id="language-choice"
        data-testid="language"
        aria-describedby="language-note"
        @change=${(e: Event) => {
          const language = (e.target as HTMLSelectElement).value;
          if (isLanguageChoice(language)) this.services.settings.update({ language });
        }}
      >
        <option value="auto" ?selected=${chosen === 'auto'}>${msg('Browser’s language')}</option>
        ${Object.entries(LANGUAGE_NAMES).map(
          ([code, name]) => html`<option value=${code} lang=${code} ?selected=${chosen === code}>${name}</option>`,
        )}
      </select>
      <p class="muted" id="language-note">
        ${msg(
          'Numbers are written the way this language writes them; files you export and what is published over MQTT keep the dot and English names.',
        )}
      </p>
    </section>`;
  }

  private renderPersistence() {
    const p = this.persistence;
    if (!p) return nothing;
    const ask = p.canAskAgain ? msg('Ask again') : p.state === 'unknown' ? msg('Ask now') : undefined;
    return html`<p data-testid="storage-persistence" data-state=${p.state}>${say(p.text)}</p>
      ${
        ask
          ? html`<button @click=${this.actions.handler('persist', () => this.services.storagePersistence.askAgain())}>
              ${ask}
            </button>`
          : nothing
      }`;
  }

  private renderImport(r: SeedImportResult) {
    const errors = r.notes.filter((n) => n.level === 'error').length;
    return html`<div
        class="scroll-x"
        tabindex="0"
        role="region"
        aria-label=${msg('What the import does with each field')}
      >
        <table data-testid="import-notes">
          <thead>
            <tr>
              <th scope="col">${msg('Field')}</th>
              <th scope="col"></th>
              <th scope="col">${msg('What happens')}</th>
            </tr>
          </thead>
          <tbody>
            ${r.notes.map(
              (n) =>
                html`<tr data-level=${n.level}>
                  <td>${n.field}</td>
                  <td class=${n.level === 'error' ? 'error' : n.level === 'changed' ? 'warn' : 'muted'}>
                    ${levelText(n.level)}
                  </td>
                  <td>${noteText(n)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        r.settings
          ? html`<p>
                ${
                  errors
                    ? msg(
                        str`${errors} field(s) cannot be used and will be left out. Nothing is changed until you apply.`,
                      )
                    : msg('Nothing is changed until you apply.')
                }
              </p>
              <button class="primary" @click=${this.actions.handler('apply', () => this.apply())}>
                ${msg('Apply these settings')}
              </button>`
          : html`<kmp-alert kind="error">${msg('Nothing can be imported from this file.')}</kmp-alert>`
      }
      ${
        this.applied
          ? html`<kmp-alert kind="success" data-testid="import-applied">${this.applied}</kmp-alert>`
          : nothing
      }`;
  }

  private async importYaml(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.applied = undefined;
    // The YAML reader loads now, on the first file chosen, not with the page.
    const [{ importSettingsFile }, text] = await Promise.all([
      import('../../../store/settings-import.ts'),
      file.text(),
    ]);
    // Checked the way saving will check it, so the preview never calls "mapped" what Apply refuses.
    this.imported = checkImportedBroker(
      importSettingsFile(text, (name) => registerByKey(name)?.id),
      this.services.publishing.settings,
      checkMqttSettings,
    );
    input.value = '';
  }

  private async apply(): Promise<void> {
    const s = this.imported?.settings;
    if (!s) return;
    const { settings } = this.services;
    const done: string[] = [];
    const app = s.app ?? {};
    settings.update(app);
    // Each item is a whole phrase of its own; the list is joined the way the page's language lists things.
    const count = app.registers?.length;
    if (count) done.push(msg(str`${count} register(s) to read`));
    if (app.pollIntervalMs) {
      const every = formatDuration(settings.values.pollIntervalMs);
      done.push(msg(str`polling every ${every}`));
    }
    const others = Object.keys(app).filter((k) => k !== 'registers' && k !== 'pollIntervalMs').length;
    if (others) done.push(msg(str`${others} other app setting(s)`));
    if (s.mqtt) {
      // Every broker field the file covers is set (a login is cleared when the file has none), and
      // checked like the Publish form: a field that is not valid is named and nothing of the broker is saved.
      const { problems } = await this.services.publishing.save(
        mqttAfterImport(this.services.publishing.settings, s.mqtt),
      );
      if (problems.length) {
        const why = problems.map((p) => `${p.field}: ${noteText(p)}`).join(' ');
        done.push(msg(str`not the broker: ${why}`));
      } else done.push(say(brokerAppliedText(this.services.publishing.view)));
    }
    const list = new Intl.ListFormat(pageLocale(), { type: 'unit', style: 'short' }).format(done);
    this.applied = msg(str`Applied: ${list}.`);
  }

  private async exportSettings(format: 'yaml' | 'json'): Promise<void> {
    // Through publishing: the store keeps the password sealed, and only it can open it.
    const mqtt = await this.services.publishing.exportable(this.includePassword);
    const all = { app: this.services.settings.values, ...(mqtt ? { mqtt } : {}) };
    const opts = { includePassword: this.includePassword };
    // The YAML writer loads when YAML is asked for, not with the page.
    const text =
      format === 'yaml'
        ? (await import('../../../store/settings-yaml.ts')).exportSettingsYaml(all, opts)
        : exportSettingsJson(all, opts);
    downloadText(`kmp-web-settings.${format}`, text, format === 'yaml' ? 'text/yaml' : 'application/json');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-settings-view': KmpSettingsView;
  }
}
