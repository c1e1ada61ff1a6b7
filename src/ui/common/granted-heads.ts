/**
 * The heads this site may open without a click, for station mode and a replugged head: Web
 * Serial ports allowed before (getPorts()), WebUSB devices allowed before (getDevices(), through
 * our drivers, loaded only when a WebUSB head is looked for) and the demo meter. Also where the
 * connect panel turns a chosen port into a Head, so a head connected by hand and one found again
 * are made alike.
 */
import type { AppSettings } from '../../app/app-settings.ts';
import { headKeyOf, sameHead, type Head, type HeadKey, type HeadSource } from '../../app/head.ts';
import { describePort, openPort, webSerialPortInfo } from '../../link/index.ts';
import type { DemoMeter } from '../components/demo-port.ts';
import type { UsbHead } from '../components/usb-head.ts';

export class BrowserHeads implements HeadSource {
  /** The demo meter behind the last demo connection (its controls show on the connect panel). */
  demo: DemoMeter | undefined;

  constructor(
    private readonly settings: AppSettings,
    private readonly serial: Serial | undefined,
    private readonly usb: USB | undefined,
  ) {}

  /** A Web Serial port as a head, opened with the line settings chosen at the moment of opening. */
  serialHead(port: SerialPort): Head {
    const settings = this.settings;
    const info = webSerialPortInfo(port);
    return {
      port: {
        get readable() {
          return port.readable;
        },
        get writable() {
          return port.writable;
        },
        open: (o) => openPort(port, { ...settings.values.serial, ...o }),
        close: () => port.close(),
      },
      label: describePort(port),
      demo: false,
      info,
      key: headKeyOf(info),
    };
  }

  /** A WebUSB head (our drivers) as a head. */
  usbHead(head: UsbHead): Head {
    return { port: head.port, label: head.label, demo: false, info: head.info, key: headKeyOf(head.info()) };
  }

  /** A new demo meter of the chosen model, kept as `demo`. */
  async demoHead(model: '402' | '403' | '603', echo: boolean): Promise<Head> {
    const { createDemoMeter } = await import('../components/demo-port.ts');
    this.demo = await createDemoMeter(model, echo);
    return {
      port: this.demo.port,
      label: this.demo.label,
      demo: true,
      info: { path: 'demo' },
      key: { path: 'demo', model },
    };
  }

  async find(key: HeadKey): Promise<Head | undefined> {
    if (key.path === 'demo') {
      const model = key.model === '402' || key.model === '603' ? key.model : '403';
      return this.demoHead(model, this.settings.values.demoEcho);
    }
    if (key.path === 'WebUSB') {
      if (!this.usb) return undefined;
      const { grantedUsbHeads } = await import('../components/usb-head.ts');
      const found = (await grantedUsbHeads(this.usb)).find((h) => sameHead(key, headKeyOf(h.info())));
      return found && this.usbHead(found);
    }
    const ports = (await this.serial?.getPorts()) ?? [];
    // An open port belongs to a connection already (this tab's own): never taken twice.
    const port = ports.find((p) => !p.readable && sameHead(key, headKeyOf(webSerialPortInfo(p))));
    return port && this.serialHead(port);
  }

  onPlugIn(listener: () => void): () => void {
    const targets = [this.serial, this.usb].filter((t): t is Serial | USB => t !== undefined);
    for (const t of targets) t.addEventListener('connect', listener);
    return () => {
      for (const t of targets) t.removeEventListener('connect', listener);
    };
  }
}
