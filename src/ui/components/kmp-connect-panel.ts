import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import {
  SerialAccessError,
  checkSerialSupport,
  describePort,
  onAndroid,
  pickPort,
  serialAccessText,
} from '../../link/index.ts';
import type { Head } from '../../app/head.ts';
import { chooseConnectPath, connectEnvironment } from '../common/connect-path.ts';
import type { UsbHead } from './usb-head.ts';
import './kmp-serial-settings.ts';
import { ActionController } from '../controllers/action-controller.ts';
import { SubscriptionController } from '../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../services/context.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import { problemParts, problemText, say } from '../i18n/problem-text.ts';
import './kmp-alert.ts';
import './kmp-demo-controls.ts';

/**
 * Connect to the IR head (or the demo meter), show the connection at a glance, and explain
 * every way it can fail. After connecting it identifies the meter and reads it once.
 */
@localized()
@customElement('kmp-connect-panel')
export class KmpConnectPanel extends LitElement {
  static override styles = [sharedStyles];

  @consume({ context: servicesContext }) services!: Services;
  @state() private granted: SerialPort[] = [];
  /** Heads allowed before on the WebUSB path (a phone); empty on a computer, where it is not loaded. */
  @state() private grantedUsb: UsbHead[] = [];
  /** The Web Serial chooser came back empty where WebUSB could have listed the head. */
  @state() private offerUsb = false;
  /** A chooser is open or a port is being opened: a second click must not ask for a second port. */
  @state() private choosing = false;
  /** What went wrong, worded at each render so that it follows the page's language. */
  @state() private problem: (() => string) | undefined;
  /** The last head plugged in or out, worded at each render. */
  @state() private plugNotice: (() => string) | undefined;

  /** Disconnecting through the one guard: should closing the port fail, the panel says so. */
  protected readonly actions = new ActionController(
    this,
    (text, e) => (this.problem = text === undefined ? undefined : () => problemText(e)),
  );
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);
  private readonly onSerialConnect = (e: Event) => void this.handlePlug(e, true);
  private readonly onSerialDisconnect = (e: Event) => void this.handlePlug(e, false);
  private readonly onUsbConnect = (e: Event) => void this.handleUsbPlug(e, true);
  private readonly onUsbDisconnect = (e: Event) => void this.handleUsbPlug(e, false);

  override connectedCallback(): void {
    super.connectedCallback();
    const serial = this.services.serial;
    if (serial) {
      serial.addEventListener('connect', this.onSerialConnect);
      serial.addEventListener('disconnect', this.onSerialDisconnect);
      void this.refreshGranted();
    }
    const usb = this.usb();
    if (usb && this.path() === 'webusb') {
      usb.addEventListener('connect', this.onUsbConnect);
      usb.addEventListener('disconnect', this.onUsbDisconnect);
      void this.refreshGrantedUsb();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.services.serial?.removeEventListener('connect', this.onSerialConnect);
    this.services.serial?.removeEventListener('disconnect', this.onSerialDisconnect);
    this.usb()?.removeEventListener('connect', this.onUsbConnect);
    this.usb()?.removeEventListener('disconnect', this.onUsbDisconnect);
  }

  /** WebUSB, if this browser has it (Chrome on a computer and on Android; not Firefox or Safari). */
  private usb(): USB | undefined {
    return (globalThis.navigator as Navigator & { usb?: USB }).usb;
  }

  private path() {
    return chooseConnectPath(connectEnvironment(), this.services.settings.values.connectVia);
  }

  private async refreshGranted(): Promise<void> {
    this.granted = (await this.services.serial?.getPorts()) ?? [];
  }

  private async refreshGrantedUsb(): Promise<void> {
    const usb = this.usb();
    if (!usb) return;
    const { grantedUsbHeads } = await import('./usb-head.ts');
    this.grantedUsb = await grantedUsbHeads(usb);
  }

  private async handlePlug(e: Event, plugged: boolean): Promise<void> {
    await this.refreshGranted();
    const port = (e.target ?? undefined) as SerialPort | undefined;
    const name = port && 'getInfo' in port ? describePort(port) : undefined;
    this.plugNotice = () =>
      name === undefined
        ? plugged
          ? msg('A serial device was plugged in.')
          : msg('A serial device was unplugged.')
        : plugged
          ? msg(str`${name} was plugged in.`)
          : msg(str`${name} was unplugged.`);
  }

  private async handleUsbPlug(e: Event, plugged: boolean): Promise<void> {
    await this.refreshGrantedUsb();
    // A USBConnectionEvent: the device that came or went.
    const device = (e as Event & { device?: USBDevice }).device;
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    const ids = device && `${hex(device.vendorId)}:${hex(device.productId)}`;
    const product = device?.productName || undefined;
    this.plugNotice = () => {
      if (ids === undefined) return plugged ? msg('A USB device was plugged in.') : msg('A USB device was unplugged.');
      if (product === undefined)
        return plugged
          ? msg(str`A USB device (${ids}) was plugged in.`)
          : msg(str`A USB device (${ids}) was unplugged.`);
      return plugged ? msg(str`${product} (${ids}) was plugged in.`) : msg(str`${product} (${ids}) was unplugged.`);
    };
  }

  override render() {
    const { session, settings } = this.services;
    const s = session.state;
    const path = this.path();
    // The WebUSB path needs no Web Serial: only say what is missing when neither is there.
    const support = path === 'webusb' ? { ok: true, message: undefined } : checkSerialSupport();
    const busy = s.kind === 'connecting';
    const connected = s.kind === 'connected';
    return html`
      <section class="card" aria-labelledby="connect-title">
        <h2 id="connect-title">${msg('Connection')}</h2>
        <p
          role="status"
          aria-live="polite"
          data-testid="connection-state"
          class=${s.kind === 'connected' ? 'ok' : s.kind === 'lost' || s.kind === 'failed' ? 'error' : 'muted'}
        >
          ${this.stateText()}
        </p>
        ${
          support.ok
            ? nothing
            : html`<kmp-alert kind="warning" data-testid="support-problem">${say(support.message)}</kmp-alert>`
        }
        <div class="row">
          ${
            connected || s.kind === 'lost'
              ? html`<button @click=${this.actions.handler('disconnect', () => this.disconnect())}>
                  ${msg('Disconnect')}
                </button>`
              : html`<button
                  class="primary"
                  ?disabled=${!support.ok || busy || this.choosing}
                  @click=${() => this.exclusively(() => this.connectChosen())}
                >
                  ${msg('Connect')}
                </button>`
          }
          <button
            ?disabled=${busy || connected || this.choosing}
            @click=${() => this.exclusively(() => this.connectDemo())}
          >
            ${msg('Demo meter')}
          </button>
          <label
            ><input
              type="checkbox"
              .checked=${settings.values.showAllPorts}
              @change=${(e: Event) => settings.update({ showAllPorts: (e.target as HTMLInputElement).checked })}
            />
            ${msg('Show all serial ports')}</label
          >
        </div>
        <kmp-serial-settings></kmp-serial-settings>
        ${this.renderGranted(connected || busy)} ${this.renderGrantedUsb(connected || busy)}
        ${this.plugNotice ? html`<p class="muted" data-testid="plug-notice">${this.plugNotice()}</p>` : nothing}
        ${this.renderProblem()}
        ${
          s.kind === 'connected' && s.demo && this.services.heads.demo
            ? html`<kmp-demo-controls .meter=${this.services.heads.demo.meter}></kmp-demo-controls>`
            : nothing
        }
      </section>
    `;
  }

  private stateText(): string {
    const s = this.services.session.state;
    switch (s.kind) {
      case 'disconnected':
        return msg('Not connected.');
      case 'connecting':
        return msg(str`Connecting to ${s.label}…`);
      case 'connected':
        return msg(str`Connected: ${s.label}.`);
      case 'lost':
        return msg(str`Connection lost: ${problemText(s.error)}`);
      case 'failed':
        // The failure alone: what to try is in the problem line below.
        return msg(str`Could not connect: ${problemParts(s.error).message}`);
    }
  }

  private renderGranted(disabled: boolean) {
    if (!this.granted.length) return nothing;
    return html`<div class="row" aria-label=${msg('Ports you allowed before')}>
      <span class="muted">${msg('Allowed before:')}</span>
      ${this.granted.map(
        (p) =>
          html`<button ?disabled=${disabled} @click=${() => this.exclusively(() => this.connectChosen(p))}>
            ${msg(str`Reconnect ${describePort(p)}`)}
          </button>`,
      )}
    </div>`;
  }

  private renderGrantedUsb(disabled: boolean) {
    if (!this.grantedUsb.length) return nothing;
    return html`<div class="row" aria-label=${msg('USB heads you allowed before')}>
      <span class="muted">${msg('Allowed before:')}</span>
      ${this.grantedUsb.map(
        (h) =>
          html`<button ?disabled=${disabled} @click=${() => this.exclusively(() => this.connectUsb(h))}>
            ${msg(str`Reconnect ${h.label}`)}
          </button>`,
      )}
    </div>`;
  }

  private renderProblem() {
    const e = this.services.session.lastError;
    const text = this.problem?.() ?? (e ? problemText(e) : undefined);
    if (!text) return nothing;
    return html`<kmp-alert kind="error" data-testid="problem"
      >${text}
      ${
        this.offerUsb
          ? html`<button ?disabled=${this.choosing} @click=${() => this.exclusively(() => this.connectUsb())}>
              ${msg('Look for the head over WebUSB instead')}
            </button>`
          : nothing
      }</kmp-alert
    >`;
  }

  /**
   * Runs one way of connecting at a time. The flag is set before the first await, so a double
   * click (whose second click comes before the button redraws as disabled) is dropped.
   */
  private async exclusively(connect: () => Promise<void>): Promise<void> {
    if (this.choosing) return;
    this.choosing = true;
    try {
      await connect();
    } finally {
      this.choosing = false;
    }
  }

  private async connectChosen(known?: SerialPort): Promise<void> {
    if (!known && this.path() === 'webusb') return this.connectUsb();
    const { settings, serial, heads } = this.services;
    if (!serial) return;
    this.problem = undefined;
    this.offerUsb = false;
    let port: SerialPort;
    try {
      port = known ?? (await pickPort(serial, settings.values.showAllPorts));
    } catch (e) {
      const android = onAndroid();
      // On Android an empty chooser gets the note on which heads its Web Serial drives.
      this.problem =
        e instanceof SerialAccessError && android && e.kind === 'cancelled'
          ? () => say(serialAccessText(e, android))
          : () => problemText(e);
      // On a phone an empty chooser is the usual case for FTDI, CP210x, CH34x and PL2303 heads.
      this.offerUsb = e instanceof SerialAccessError && e.kind === 'cancelled' && onAndroid() && !!this.usb();
      return;
    }
    await this.connect(heads.serialHead(port));
    void this.refreshGranted();
  }

  /** The WebUSB path: our own drivers for the chip (src/usb), loaded now and not before. */
  private async connectUsb(known?: UsbHead): Promise<void> {
    const usb = this.usb();
    if (!usb) return;
    this.problem = undefined;
    this.offerUsb = false;
    let head: UsbHead;
    try {
      // Already loaded when the panel appeared on this path (refreshGrantedUsb), so the chooser
      // still opens inside the click's user activation, which Chrome keeps for about 5 s.
      const { pickUsbHead } = await import('./usb-head.ts');
      head = known ?? (await pickUsbHead(usb));
    } catch (e) {
      this.problem = () => problemText(e);
      return;
    }
    await this.connect(this.services.heads.usbHead(head));
    void this.refreshGrantedUsb();
  }

  private async connectDemo(): Promise<void> {
    const { settings, heads } = this.services;
    await this.connect(await heads.demoHead(settings.values.demoModel, settings.values.demoEcho));
  }

  /** Connecting, identifying and what follows are the app's (src/app/head-connection.ts); the panel shows the outcome. */
  private async connect(head: Head): Promise<void> {
    const problem = await this.services.connectHead(head);
    this.problem = problem === undefined ? undefined : () => say(problem);
  }

  private async disconnect(): Promise<void> {
    await this.services.disconnect();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-connect-panel': KmpConnectPanel;
  }
}
