/**
 * Drives an emulated chip the way a WebUSB driver would, for the emulator tests: control
 * transfers written out as the kernel sends them, and a read loop collecting what arrives.
 */
import { decodeFrame, type DecodedFrame } from '../../src/kmp/index.ts';
import {
  FTDI_STATUS,
  wireToVirtualMeter,
  type ChipModel,
  type ControlRecord,
  type FakeUsbDevice,
} from '../support/usb-chips/index.ts';
import { createEmulatedChip } from '../support/usb-chips/index.ts';
import type { VirtualMeter, VirtualMeterOptions } from '../../src/sim/index.ts';

/** GetType to the heat meter: vector "doc-gettype-req" of test/fixtures/kmp-vectors.json. */
export const GET_TYPE_WIRE = Uint8Array.of(0x80, 0x3f, 0x01, 0x05, 0x8a, 0x0d);

/** One control transfer as a test writes it: the kernel's call, in ControlRecord's shape. */
export type Step = Omit<ControlRecord, 'status'>;

export const vendorOut = (request: number, value: number, index: number, data?: number[]): Step => ({
  dir: 'out',
  type: 'vendor',
  recipient: 'device',
  request,
  value,
  index,
  data: data ?? [],
});
export const vendorIn = (request: number, value: number, index: number, length: number): Step => ({
  dir: 'in',
  type: 'vendor',
  recipient: 'device',
  request,
  value,
  index,
  length,
});
export const ifaceOut = (
  type: 'vendor' | 'class',
  request: number,
  value: number,
  data: number[] = [],
  index = 0,
): Step => ({ dir: 'out', type, recipient: 'interface', request, value, index, data });
export const ifaceIn = (type: 'vendor' | 'class', request: number, length: number, value = 0, index = 0): Step => ({
  dir: 'in',
  type,
  recipient: 'interface',
  request,
  value,
  index,
  length,
});

export interface Endpoints {
  interfaces: number[];
  bulkIn: number;
  bulkOut: number;
  packetSize: number;
  ftdi?: boolean;
}

export const ENDPOINTS: Record<ChipModel, Endpoints> = {
  ft232r: { interfaces: [0], bulkIn: 1, bulkOut: 2, packetSize: 64, ftdi: true },
  ft230x: { interfaces: [0], bulkIn: 1, bulkOut: 2, packetSize: 64, ftdi: true },
  cp2102: { interfaces: [0], bulkIn: 1, bulkOut: 1, packetSize: 64 },
  ch340: { interfaces: [0], bulkIn: 2, bulkOut: 2, packetSize: 32 },
  'ch341-old': { interfaces: [0], bulkIn: 2, bulkOut: 2, packetSize: 32 },
  pl2303hx: { interfaces: [0], bulkIn: 3, bulkOut: 2, packetSize: 64 },
  pl2303hxn: { interfaces: [0], bulkIn: 3, bulkOut: 2, packetSize: 64 },
  'cdc-acm': { interfaces: [0, 1], bulkIn: 1, bulkOut: 1, packetSize: 64 },
};

export interface Rig {
  device: FakeUsbDevice;
  meter: VirtualMeter;
  endpoints: Endpoints;
  /** Runs the steps; returns each result's status (and IN data). */
  run(steps: Step[]): Promise<Array<{ status: string; data?: number[] }>>;
  /** Sends bytes and collects what comes back for `ms` or until `enough` says so. */
  exchange(bytes: Uint8Array, ms: number, enough?: (got: number[]) => boolean): Promise<number[]>;
  /** Every IN packet seen by exchange(), for FTDI's status-byte checks. */
  packets: number[][];
  close(): Promise<void>;
}

export async function rig(model: ChipModel, meterOptions: VirtualMeterOptions = {}): Promise<Rig> {
  const device = createEmulatedChip(model);
  const { meter, close: closeMeter } = await wireToVirtualMeter(device, { frozen: true, ...meterOptions });
  const endpoints = ENDPOINTS[model];
  await device.open();
  for (const i of endpoints.interfaces) await device.claimInterface(i);
  const packets: number[][] = [];

  const run: Rig['run'] = async (steps) => {
    const results = [];
    for (const s of steps) {
      const setup = { requestType: s.type, recipient: s.recipient, request: s.request, value: s.value, index: s.index };
      if (s.dir === 'out') {
        const r = await device.controlTransferOut(setup, Uint8Array.from(s.data ?? []));
        results.push({ status: r.status });
      } else {
        const r = await device.controlTransferIn(setup, s.length ?? 0);
        results.push({
          status: r.status,
          ...(r.data ? { data: [...new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)] } : {}),
        });
      }
    }
    return results;
  };

  let reading: Promise<void> | undefined;
  let got: number[] = [];
  let stop = false;
  const readLoop = async () => {
    while (!stop) {
      const r = await device.transferIn(endpoints.bulkIn, endpoints.packetSize);
      const bytes = [...new Uint8Array(r.data!.buffer, r.data!.byteOffset, r.data!.byteLength)];
      packets.push(bytes);
      got.push(...(endpoints.ftdi ? bytes.slice(FTDI_STATUS.length) : bytes));
    }
  };

  const exchange: Rig['exchange'] = async (bytes, ms, enough = () => false) => {
    got = [];
    reading ??= readLoop().catch(() => undefined); // ends when close() aborts the pending read
    await device.transferOut(endpoints.bulkOut, bytes);
    const until = Date.now() + ms;
    while (Date.now() < until && !enough(got)) await new Promise((r) => setTimeout(r, 10));
    return [...got];
  };

  return {
    device,
    meter,
    endpoints,
    run,
    exchange,
    packets,
    close: async () => {
      stop = true;
      await device.close();
      await reading;
      await closeMeter();
    },
  };
}

/** The meter's reply after the echo of `request`, decoded; undefined when there is none. */
export function replyAfterEcho(got: number[], request: Uint8Array): DecodedFrame | undefined {
  if (got.length <= request.length) return undefined;
  if (!request.every((b, i) => got[i] === b)) return undefined;
  const rest = got.slice(request.length);
  const stop = rest.indexOf(0x0d);
  if (rest[0] !== 0x40 || stop < 0) return undefined;
  try {
    return decodeFrame(Uint8Array.from(rest.slice(0, stop + 1)));
  } catch {
    return undefined;
  }
}

/** Waits until the echo and one whole reply frame have arrived. */
export const echoAndReply = (request: Uint8Array) => (got: number[]) =>
  got.length > request.length && got.slice(request.length).includes(0x0d);
