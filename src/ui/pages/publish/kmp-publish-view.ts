import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { FieldProblem, MqttSettings } from '../../../mqtt/mqtt-settings.ts';
import {
  availabilityTopic,
  bridgeStatusTopic,
  discoveryTopic,
  errorTopic,
  stateTopic,
  valuesTopic,
} from '../../../mqtt/topics.ts';
import type { MeterRecord } from '../../../store/schema.ts';
import { mqttStateText, type BrokerSettings, type PublishingView } from '../../../app/publishing-control.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { problemParts, problemText, say } from '../../i18n/problem-text.ts';
import type { Words } from '../../../kmp/words.ts';
import { ActionController } from '../../controllers/action-controller.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import '../../components/kmp-alert.ts';

/** The form's fields; `password` only once the person types one (else the saved one is kept). */
type Draft = Omit<MqttSettings, 'keepaliveS' | 'qos' | 'password'> & {
  keepaliveS: string;
  qos: string;
  password?: string;
};

/** A field's problem in the page's language: its words where the check gives them, else its English. */
function fieldProblemText(p: { message: string; words?: Words }): string {
  return say(p.words ?? p.message);
}

/** Broker settings, connection state, the outbox, Home Assistant discovery. */
@localized()
@customElement('kmp-publish-view')
export class KmpPublishView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0.6rem 1rem;
      }
      .field {
        display: grid;
        gap: 0.2rem;
        /* A grid item is as wide as its widest option by default: a long choice (QoS in Danish) would widen the page. */
        min-width: 0;
      }
      .field > select {
        width: 100%;
      }
      .field-error {
        color: var(--kmp-bad);
        font-size: 0.9em;
      }
      code {
        overflow-wrap: anywhere;
      }
    `,
  ];
  @consume({ context: servicesContext }) services!: Services;
  @state() private view: PublishingView | undefined;
  @state() private draft: Draft | undefined;
  @state() private problems: FieldProblem[] = [];
  @state() private message: { text: string; bad: boolean } | undefined;
  @state() private meters: MeterRecord[] = [];
  @state() private busy = false;
  private edited = false;
  /** Save, test and remove: a failure lands in the page's message line, said, not lost. */
  protected readonly actions = new ActionController(this, (text) => {
    if (text !== undefined) this.message = { text, bad: true };
  });
  protected readonly publishingCtl = new SubscriptionController(
    this,
    () => this.services?.publishing,
    (v: PublishingView) => {
      this.view = v;
      // The form follows the saved settings until the person edits it: the page may open before they are loaded.
      if (this.edited) return;
      const { passwordSaved: _saved, ...fields } = v.settings;
      this.draft = { ...fields, keepaliveS: String(fields.keepaliveS), qos: String(fields.qos) };
    },
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadMeters();
  }

  private async loadMeters(): Promise<void> {
    this.meters = (await (await this.services.store)?.listMeters().catch(() => [])) ?? [];
  }

  override render() {
    const v = this.view;
    const d = this.draft;
    if (!v || !d) return nothing;
    const problem =
      v.status?.connection.kind === 'failed' || v.status?.connection.kind === 'waiting'
        ? problemParts(v.status.connection.problem).message
        : undefined;
    return html`<section class="card" aria-labelledby="pub-status-title">
        <h2 id="pub-status-title">${msg('Publishing')}</h2>
        <p>
          <strong data-testid="mqtt-state" role="status">${say(mqttStateText(v))}</strong
          >${v.settings.enabled ? html` · <code>${v.settings.url}</code>` : nothing}
        </p>
        ${problem ? html`<kmp-alert kind="error" data-testid="mqtt-problem">${problem}</kmp-alert>` : nothing}
        ${v.status?.error ? html`<kmp-alert kind="error">${say(v.status.errorWords ?? v.status.error)}</kmp-alert>` : nothing}
        <p data-testid="outbox-count">
          ${
            v.outbox === 0
              ? msg('Nothing waits to be published.')
              : v.outbox === 1
                ? msg('1 reading waits to be published.')
                : msg(str`${v.outbox} readings wait to be published.`)
          }
        </p>
        <p class="muted">
          ${msg(
            'Every reading is stored first; it leaves the outbox only when the broker has confirmed it, so a closed tab or a broker outage loses nothing.',
          )}
        </p>
      </section>
      <section class="card" aria-labelledby="pub-settings-title">
        <h2 id="pub-settings-title">${msg('Broker')}</h2>
        <form @submit=${this.actions.handler('save', (e: Event) => this.save(e))} novalidate>
          ${this.check('enabled', msg('Publish readings to MQTT'), d.enabled)}
          ${this.text('url', msg('Broker address (ws:// or wss://)'), d.url, 'url', 'ws://192.168.1.10:9001')}
          ${this.text('username', msg('User name'), d.username, 'text', '', 'username')} ${this.renderPassword(v, d)}
          ${this.text('clientId', msg('Client id (empty: a fresh one each time)'), d.clientId, 'text')}
          ${this.text('keepaliveS', msg('Keepalive (seconds)'), d.keepaliveS, 'number')}
          <div class="field">
            <label for="f-qos">${msg('QoS')}</label>
            <select
              id="f-qos"
              .value=${d.qos}
              @change=${(e: Event) => this.set('qos', (e.target as HTMLSelectElement).value)}
              aria-describedby="e-qos"
            >
              <option value="0">${msg('0 (at most once; readings still use 1)')}</option>
              <option value="1">${msg('1 (at least once)')}</option>
              <option value="2">${msg('2 (exactly once)')}</option>
            </select>
            ${this.fieldError('qos')}
          </div>
          ${this.text('baseTopic', msg('Base topic'), d.baseTopic, 'text')}
          ${this.check('retain', msg('Retain values and state'), d.retain)}
          ${this.check('discovery', msg('Home Assistant discovery'), d.discovery)}
          ${this.text('discoveryPrefix', msg('Discovery prefix'), d.discoveryPrefix, 'text')}
          <div class="row">
            <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save')}</button>
            <button type="button" @click=${this.actions.handler('test', () => this.test())} ?disabled=${this.busy}>
              ${msg('Test connection')}
            </button>
          </div>
        </form>
        ${
          this.message
            ? html`<kmp-alert kind=${this.message.bad ? 'error' : 'success'} data-testid="publish-message"
                >${this.message.text}</kmp-alert
              >`
            : nothing
        }
      </section>
      ${this.renderTopics(v.settings)} ${this.renderRemove(v)}`;
  }

  /** The saved password is never shown or handed back: the field stays empty and replaces it when typed in. */
  private renderPassword(v: PublishingView, d: Draft) {
    const kept = d.password === undefined && v.settings.passwordSaved;
    return html`${this.text('password', msg('Password'), d.password ?? '', 'password', kept ? msg('saved: type to replace') : '', 'current-password')}
    ${
      kept
        ? html`<button type="button" @click=${() => this.set('password', '')}>
            ${msg('Forget the saved password')}
          </button>`
        : nothing
    }
    ${v.passwordProblem ? html`<kmp-alert kind="error" data-testid="password-problem">${say(v.passwordProblem)}</kmp-alert>` : nothing}`;
  }

  private renderTopics(s: BrokerSettings) {
    const serial = this.services.session.identity?.serial ?? this.meters[0]?.serial ?? 12345678;
    // Payload and command, never translated: what the broker carries and what a shell runs.
    const example = '{"energy": 55.006, "temp1": 53.65, …, "timestamp": 1764061200000}';
    const watch = `mosquitto_sub -h HOST -t '${s.baseTopic}/#' -v`;
    return html`<section class="card" aria-labelledby="pub-topics-title">
      <h2 id="pub-topics-title">${msg('Topics')}</h2>
      <ul>
        <li>
          ${msg(html`<code>${valuesTopic(s.baseTopic)}</code>: the reference project’s JSON, e.g. <code>${example}</code>`)}
        </li>
        <li>
          ${msg(html`<code>${stateTopic(s.baseTopic, serial)}</code>: every value with unit and exact decimal, and the time`)}
        </li>
        <li>
          ${msg(html`<code>${availabilityTopic(s.baseTopic, serial)}</code>: <code>online</code> while the app is connected to that meter`)}
        </li>
        <li>
          ${msg(html`<code>${errorTopic(s.baseTopic, serial)}</code>: a failed read in words (what went wrong, what to do)`)}
        </li>
        <li>
          ${msg(html`<code>${bridgeStatusTopic(s.baseTopic)}</code>: <code>online</code>, or <code>offline</code> when the app goes away`)}
        </li>
        ${
          s.discovery
            ? html`<li>
                ${msg(html`<code>${discoveryTopic(s.discoveryPrefix, 'sensor', serial, 'energy')}</code> and one per value: Home Assistant discovery (retained)`)}
              </li>`
            : nothing
        }
      </ul>
      <p class="muted">
        ${msg(html`Watch them: <code>${watch}</code>. With <code>npm start</code> the embedded broker listens on ws://127.0.0.1:9001 and, for tools, on TCP 1883.`)}
      </p>
    </section>`;
  }

  private renderRemove(v: PublishingView) {
    if (!this.meters.length) return nothing;
    return html`<section class="card" aria-labelledby="pub-remove-title">
      <h2 id="pub-remove-title">${msg('Remove from Home Assistant')}</h2>
      <p class="muted">
        ${msg(
          'Deletes the meter’s device and entities from Home Assistant (empty retained discovery messages) and its retained state on the broker. Readings in this browser stay.',
        )}
      </p>
      <div class="row">
        <label for="remove-serial">${msg('Meter')}</label>
        <select id="remove-serial">
          ${this.meters.map(
            (m) => html`<option value=${m.serial}>${m.serial}${m.model ? ` (${m.model})` : ''}</option>`,
          )}
        </select>
        <button
          @click=${this.actions.handler('remove', () => this.removeMeter())}
          ?disabled=${this.busy || v.status?.connection.kind !== 'connected'}
        >
          ${msg('Remove from Home Assistant')}
        </button>
      </div>
    </section>`;
  }

  private text(
    field: keyof Draft,
    label: string,
    value: string,
    type: 'text' | 'url' | 'password' | 'number',
    placeholder = '',
    autocomplete: 'off' | 'username' | 'current-password' = 'off',
  ) {
    return html`<div class="field">
      <label for="f-${field}">${label}</label>
      <input
        id="f-${field}"
        type=${type}
        .value=${value}
        placeholder=${placeholder}
        autocomplete=${autocomplete}
        aria-invalid=${this.problems.some((p) => p.field === field) ? 'true' : 'false'}
        aria-describedby="e-${field}"
        @input=${(e: Event) => this.set(field, (e.target as HTMLInputElement).value)}
      />
      ${this.fieldError(field)}
    </div>`;
  }

  private check(field: 'enabled' | 'retain' | 'discovery', label: string, value: boolean) {
    return html`<div class="field">
      <label
        ><input
          type="checkbox"
          .checked=${value}
          @change=${(e: Event) => this.set(field, (e.target as HTMLInputElement).checked)}
        />
        ${label}</label
      >
      ${this.fieldError(field)}
    </div>`;
  }

  private fieldError(field: string) {
    const p = this.problems.find((x) => x.field === field);
    return html`<span id="e-${field}" class="field-error" data-testid=${p ? `error-${field}` : nothing}
      >${p ? fieldProblemText(p) : ''}</span
    >`;
  }

  private set(field: keyof Draft, value: string | boolean): void {
    this.edited = true;
    this.draft = { ...this.draft!, [field]: value };
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    this.busy = true;
    // Saving closes the old broker connection first, which can take a few seconds with a stuck broker.
    this.message = { text: msg('Saving… (closing the connection to the broker first)'), bad: false };
    try {
      const { problems, note } = await this.services.publishing.save(this.draft);
      this.problems = problems;
      // Saved: the form lets go of the typed password; the field says one is saved.
      if (!problems.length && this.draft) {
        this.draft = { ...this.draft, password: undefined };
        this.edited = false;
      }
      this.message = problems.length
        ? { text: msg('Not saved: correct the fields marked above.'), bad: true }
        : { text: note ? msg(str`Saved. ${say(note)}`) : msg('Saved.'), bad: false };
    } finally {
      this.busy = false;
    }
  }

  private async test(): Promise<void> {
    this.busy = true;
    this.message = { text: msg('Connecting…'), bad: false };
    try {
      const r = await this.services.publishing.test(this.draft);
      this.problems = r.ok ? [] : (r.problems ?? []);
      this.message = r.ok
        ? { text: msg('The broker accepted the connection.'), bad: false }
        : { text: r.message ? say(r.message) : msg('Correct the fields marked above.'), bad: true };
    } finally {
      this.busy = false;
    }
  }

  private async removeMeter(): Promise<void> {
    const serial = Number((this.renderRoot.querySelector('#remove-serial') as HTMLSelectElement).value);
    this.busy = true;
    try {
      await this.services.publishing.removeMeter(serial);
      this.message = { text: msg(str`Meter ${serial} was removed from Home Assistant.`), bad: false };
    } catch (err) {
      this.message = { text: problemText(err), bad: true };
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-publish-view': KmpPublishView;
  }
}
