/**
 * Bundled by the e2e harness and injected into the page before the app loads: a fake
 * navigator.serial whose ports are virtual meters. Chromium cannot see pseudo-terminals as
 * serial ports, so this is how the real UI runs end to end against "a meter".
 */
import { createVirtualMeter, type VirtualMeter, type VirtualMeterOptions } from '../../src/sim/index.ts';

export interface FakeSerialConfig {
  meter?: VirtualMeterOptions;
  /** requestPort() rejects as if the person closed the chooser. */
  cancelChooser?: boolean;
  /** requestPort() rejects as if a policy denied serial access. */
  deny?: boolean;
  /** open() fails as if another program held the port. */
  busy?: boolean;
}

declare global {
  interface Window {
    __kmpFakeConfig?: FakeSerialConfig;
    __kmpFake: { meters: VirtualMeter[]; serial: EventTarget; requestCount: number };
  }
}

/**
 * Web Serial keeps a port the person allowed for the site: after a reload, a browser restart or in
 * another tab getPorts() lists it with no chooser. The fake keeps how many were allowed in the
 * origin's localStorage (which lives as long as the profile) and plugs in a meter for each at load.
 */
const GRANTS_KEY = 'kmp-fake-serial-granted';

class FakeSerial extends EventTarget {
  readonly granted: SerialPort[] = [];

  async requestPort(): Promise<SerialPort> {
    fake.requestCount++;
    const config = window.__kmpFakeConfig ?? {};
    if (config.cancelChooser) throw new DOMException('No port selected by the user.', 'NotFoundError');
    if (config.deny) throw new DOMException('Access denied.', 'SecurityError');
    const port = this.plug(config);
    localStorage.setItem(GRANTS_KEY, String(this.granted.length));
    return port;
  }

  /** A meter behind a port this site may open. */
  plug(config: FakeSerialConfig): SerialPort {
    const meter = createVirtualMeter({ timing: 'realtime', turnaroundMs: 30, ...config.meter });
    fake.meters.push(meter);
    const port = meter.port as unknown as SerialPort;
    if (config.busy) {
      Object.defineProperty(port, 'open', {
        value: () => Promise.reject(new DOMException('Failed to open serial port.', 'NetworkError')),
      });
    }
    // Unplug/plug events bubble to navigator.serial, as in Web Serial.
    for (const type of ['connect', 'disconnect']) {
      meter.port.addEventListener(type, () => this.dispatchEvent(Object.assign(new Event(type), { port })));
    }
    this.granted.push(port);
    return port;
  }

  async getPorts(): Promise<SerialPort[]> {
    return [...this.granted];
  }
}

const serial = new FakeSerial();
const fake = { meters: [] as VirtualMeter[], serial, requestCount: 0 };
window.__kmpFake = fake;
for (let i = Number(localStorage.getItem(GRANTS_KEY) ?? 0); i > 0; i--) serial.plug(window.__kmpFakeConfig ?? {});
Object.defineProperty(Navigator.prototype, 'serial', { configurable: true, get: () => serial });
