/**
 * Bundled by the e2e harness and injected into the page before the app loads: a fake
 * navigator.usb with one emulated USB-serial chip (test/support/usb-chips) whose UART is wired
 * to a virtual meter. Chromium's own WebUSB cannot see a device that does not exist, and a phone
 * is not part of CI; this is how the WebUSB connect path runs end to end.
 */
import type { VirtualMeter, VirtualMeterOptions } from '../../src/sim/index.ts';
import {
  createEmulatedChip,
  wireToVirtualMeter,
  type ChipModel,
  type ControlRecord,
  type FakeUsbDevice,
  type UsbDeviceFilterLike,
} from '../support/usb-chips/index.ts';

export interface FakeUsbConfig {
  /** The chip on the bus; none: the chooser lists nothing (a phone without OTG, say). */
  chip?: ChipModel;
  meter?: VirtualMeterOptions;
  /** requestDevice() rejects as if the person closed the chooser. */
  cancelChooser?: boolean;
  /** requestDevice() rejects as if permission was refused. */
  deny?: boolean;
  /** claimInterface() fails: Android's or another app's driver holds the interface. */
  claimed?: boolean;
  /** The device drops off the bus 500 ms after open(): the OTG port cannot power the head. */
  powerDrop?: boolean;
  /** Permission was granted on an earlier visit: getDevices() lists the chip from the start. */
  granted?: boolean;
}

export interface FakeUsbHandle {
  usb: EventTarget;
  device: FakeUsbDevice | undefined;
  /** The chip's control transfers so far (the same array as device.controlLog). */
  readonly controlLog: ControlRecord[];
  meter: VirtualMeter | undefined;
  /** Resolves once the meter is wired to the chip (an await in the page, for tests). */
  ready: Promise<void>;
  requestCount: number;
  /** Pulls the head out of the phone. */
  unplug(): void;
  plugIn(): void;
}

declare global {
  interface Window {
    __kmpFakeUsbConfig?: FakeUsbConfig;
    __kmpFakeUsb: FakeUsbHandle;
  }
}

/** WebUSB's filter rule: every given field matches; classCode matches the device or an interface. */
function matches(device: FakeUsbDevice, filter: UsbDeviceFilterLike): boolean {
  if (filter.vendorId !== undefined && filter.vendorId !== device.vendorId) return false;
  if (filter.productId !== undefined && filter.productId !== device.productId) return false;
  if (filter.serialNumber !== undefined && filter.serialNumber !== device.serialNumber) return false;
  if (filter.classCode === undefined) return true;
  const classes = [
    [device.deviceClass, device.deviceSubclass, device.deviceProtocol],
    ...device.configurations.flatMap((c) =>
      c.interfaces.flatMap((i) =>
        i.alternates.map((a) => [a.interfaceClass, a.interfaceSubclass, a.interfaceProtocol]),
      ),
    ),
  ];
  return classes.some(
    ([cls, sub, proto]) =>
      cls === filter.classCode &&
      (filter.subclassCode === undefined || sub === filter.subclassCode) &&
      (filter.protocolCode === undefined || proto === filter.protocolCode),
  );
}

class FakeUsb extends EventTarget {
  onconnect: ((e: Event) => void) | null = null;
  ondisconnect: ((e: Event) => void) | null = null;
  private readonly granted = new Set<FakeUsbDevice>();

  constructor(private readonly config: FakeUsbConfig) {
    super();
  }

  async requestDevice(options?: { filters?: UsbDeviceFilterLike[] }): Promise<FakeUsbDevice> {
    handle.requestCount++;
    if (!options || !Array.isArray(options.filters))
      throw new TypeError("Failed to execute 'requestDevice' on 'USB': required member filters is undefined.");
    await handle.ready;
    if (this.config.deny) throw new DOMException('Access denied.', 'SecurityError');
    const device = handle.device;
    const listed =
      device?.attached && (options.filters.length === 0 || options.filters.some((f) => matches(device, f)));
    if (this.config.cancelChooser || !listed || !device) throw new DOMException('No device selected.', 'NotFoundError');
    this.grant(device);
    return device;
  }

  async getDevices(): Promise<FakeUsbDevice[]> {
    await handle.ready;
    return [...this.granted].filter((d) => d.attached);
  }

  grant(device: FakeUsbDevice): void {
    if (this.granted.has(device)) return;
    this.granted.add(device);
    device.events.addEventListener('forget', () => this.granted.delete(device), { once: true });
  }

  announce(type: 'connect' | 'disconnect', device: FakeUsbDevice): void {
    const event = Object.assign(new Event(type), { device });
    this.dispatchEvent(event);
    (type === 'connect' ? this.onconnect : this.ondisconnect)?.call(this, event);
  }
}

const config = window.__kmpFakeUsbConfig ?? {};
const usb = new FakeUsb(config);
const handle: FakeUsbHandle = {
  usb,
  device: undefined,
  get controlLog() {
    return handle.device?.controlLog ?? [];
  },
  meter: undefined,
  ready: Promise.resolve(),
  requestCount: 0,
  unplug: () => handle.device?.unplug(),
  plugIn: () => handle.device?.plugIn(),
};

if (config.chip) {
  const device = createEmulatedChip(config.chip);
  device.claimBlocked = !!config.claimed;
  if (config.powerDrop) device.powerDropAfterOpenMs = 500;
  for (const type of ['connect', 'disconnect'] as const)
    device.events.addEventListener(type, () => usb.announce(type, device));
  if (config.granted) usb.grant(device); // else getDevices() lists it only once it is chosen
  handle.device = device;
  handle.ready = wireToVirtualMeter(device, config.meter).then(({ meter }) => {
    handle.meter = meter;
  });
}

window.__kmpFakeUsb = handle;
Object.defineProperty(Navigator.prototype, 'usb', { configurable: true, get: () => usb });
