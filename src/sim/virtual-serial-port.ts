/**
 * A SerialPort-like object (Web Serial's shape) whose far end is a virtual meter. Bytes the
 * host writes go to `onHostBytes`; the meter pushes bytes back with `deliver`, paced in time.
 */
export interface PortOpenOptions {
  baudRate: number;
  dataBits?: number;
  stopBits?: number;
  parity?: string;
  bufferSize?: number;
  flowControl?: string;
}

export class VirtualSerialPort extends EventTarget {
  private _readable: ReadableStream<Uint8Array> | null = null;
  private _writable: WritableStream<Uint8Array> | null = null;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private _connected = true;
  /** The options of the last successful open(), so tests can check 1200 8N2. */
  openOptions: PortOpenOptions | undefined;
  /** Set by the meter: receives what the host writes. */
  onHostBytes: (bytes: Uint8Array) => void = () => undefined;
  /** Set by the meter: called when the port closes or the cable is pulled. */
  onStop: () => void = () => undefined;

  get readable(): ReadableStream<Uint8Array> | null {
    return this._readable;
  }
  get writable(): WritableStream<Uint8Array> | null {
    return this._writable;
  }
  get connected(): boolean {
    return this._connected;
  }
  get isOpen(): boolean {
    return this._readable !== null;
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { usbVendorId: 0x0403, usbProductId: 0x6015 };
  }

  async open(options: PortOpenOptions): Promise<void> {
    if (!options || typeof options.baudRate !== 'number' || !(options.baudRate > 0))
      throw new TypeError('baudRate is required');
    if (!this._connected) throw new DOMException('The device has been lost.', 'NetworkError');
    if (this._readable) throw new DOMException('The port is already open.', 'InvalidStateError');
    this.openOptions = { dataBits: 8, stopBits: 1, parity: 'none', ...options };
    this._readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.controller = c;
      },
      cancel: () => {
        this.controller = undefined;
      },
    });
    this._writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        if (!this._connected) throw new DOMException('The device has been lost.', 'NetworkError');
        this.onHostBytes(Uint8Array.from(chunk));
      },
    });
  }

  async close(): Promise<void> {
    if (!this._readable) return;
    if (this._readable.locked || this._writable?.locked)
      throw new TypeError('Cannot close a port while its streams are locked.');
    await this._readable.cancel().catch(() => undefined);
    await this._writable?.abort().catch(() => undefined);
    this.stop();
  }

  async forget(): Promise<void> {
    await this.close();
  }

  async getSignals() {
    return { dataCarrierDetect: false, clearToSend: true, ringIndicator: false, dataSetReady: true };
  }
  async setSignals(): Promise<void> {}

  /** Hands bytes to whoever reads the port. */
  deliver(bytes: Uint8Array): void {
    if (!bytes.length || !this.controller) return;
    try {
      this.controller.enqueue(bytes);
    } catch {
      this.controller = undefined; // the reader cancelled in the meantime
    }
  }

  /** The cable is pulled: the read errors with NetworkError, as Web Serial reports a lost device. */
  unplug(): void {
    if (!this._connected) return;
    this._connected = false;
    try {
      this.controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
    } catch {
      // already closed
    }
    this.stop();
    this.dispatchEvent(new Event('disconnect'));
  }

  plugIn(): void {
    if (this._connected) return;
    this._connected = true;
    this.dispatchEvent(new Event('connect'));
  }

  private stop(): void {
    this.controller = undefined;
    this._readable = null;
    this._writable = null;
    this.onStop();
  }
}
