import type { OpenablePort, PortInfo } from '../link/index.ts';

/**
 * What the app remembers of the head it was last connected through, to find it again after a
 * reload or a replug: the browser API it came by and the USB ids the browser tells (Web Serial
 * and WebUSB both give vendor and product; neither gives more to a page that has not opened it),
 * or the demo meter's model. Kept in the store; nothing in it identifies the person.
 */
export interface HeadKey {
  path: PortInfo['path'];
  usbVendorId?: number;
  usbProductId?: number;
  /** The demo meter's model, for path 'demo'. */
  model?: string;
}

/** A head ready to be connected: what the session opens, how to name it, what it is. */
export interface Head {
  port: OpenablePort;
  label: string;
  demo: boolean;
  /** A function is asked again once the port is open (a WebUSB driver learns the chip's generation then). */
  info: PortInfo | (() => PortInfo);
  key: HeadKey;
}

/**
 * Where heads come from without a click: the ports and devices this site was allowed before
 * (Web Serial getPorts(), WebUSB getDevices()) and the demo meter. Made by the pages' side, which
 * holds the browser APIs and the drivers; the app only asks.
 */
export interface HeadSource {
  /** A head allowed before that matches `key` and is plugged in now; undefined when there is none. */
  find(key: HeadKey): Promise<Head | undefined>;
  /** Calls back whenever a serial port or USB device is plugged in. Returns what stops it. */
  onPlugIn(listener: () => void): () => void;
}

/** Whether a found head is the remembered one: same path, and the same USB ids where both have them. */
export function sameHead(remembered: HeadKey, found: HeadKey): boolean {
  if (remembered.path !== found.path) return false;
  if (remembered.path === 'demo') return remembered.model === found.model;
  const same = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined || a === b;
  return same(remembered.usbVendorId, found.usbVendorId) && same(remembered.usbProductId, found.usbProductId);
}

/** The key of a head connected with this PortInfo (and, for the demo, its model). */
export function headKeyOf(info: PortInfo, model?: string): HeadKey {
  return {
    path: info.path,
    ...(info.usbVendorId !== undefined ? { usbVendorId: info.usbVendorId } : {}),
    ...(info.usbProductId !== undefined ? { usbProductId: info.usbProductId } : {}),
    ...(info.path === 'demo' && model !== undefined ? { model } : {}),
  };
}
