/**
 * USB CDC-ACM (class 2, subclass 2 communication interface + class 10 data interface): the
 * CH9102/CH343, many microcontroller-based heads, and anything else that follows the USB CDC
 * PSTN 1.2 specification, whose §6.3.10 SET_LINE_CODING (0x20) and §6.3.12 SET_CONTROL_LINE_STATE
 * (0x22) go to the communication interface (bmRequestType 0x21).
 *
 * Why not Google's web-serial-polyfill, which also drives CDC-ACM over WebUSB: it is a second,
 * separate SerialPort implementation with its own read loop, stream and error semantics, while
 * the four vendor chips need ours anyway. Sharing UsbSerialPort means one read loop, one close,
 * one classification of a head held by another app or browning out, and the same 'NetworkError'
 * on unplug for every head, so the link layer and the UI see no difference between a CDC head
 * and an FTDI one. CDC itself is the two requests below: no dependency is worth that.
 */
import type { DriverContext, UsbSerialDriver } from './driver.ts';
import { DTR_RTS, SET_CONTROL_LINE_STATE, SET_LINE_CODING, lineCoding } from './cdc-line.ts';
import { UsbAccessError } from './usb-access-error.ts';

const CDC_COMMUNICATION = 0x02;
const ACM_SUBCLASS = 0x02;
const CDC_DATA = 0x0a;

export interface CdcInterfaces {
  comm: number;
  data: number;
}

/** The first ACM communication interface and the first data interface with bulk IN and OUT. */
export function findCdcInterfaces(configuration: USBConfiguration | undefined): CdcInterfaces | undefined {
  if (!configuration) return undefined;
  const alternates = (i: USBInterface) => (i.alternates.length ? i.alternates : [i.alternate]);
  const comm = configuration.interfaces.find((i) =>
    alternates(i).some((a) => a.interfaceClass === CDC_COMMUNICATION && a.interfaceSubclass === ACM_SUBCLASS),
  );
  const data = configuration.interfaces.find((i) =>
    alternates(i).some(
      (a) =>
        a.interfaceClass === CDC_DATA &&
        a.endpoints.some((e) => e.type === 'bulk' && e.direction === 'in') &&
        a.endpoints.some((e) => e.type === 'bulk' && e.direction === 'out'),
    ),
  );
  return comm && data ? { comm: comm.interfaceNumber, data: data.interfaceNumber } : undefined;
}

export const cdcAcmDriver: UsbSerialDriver = {
  id: 'cdc-acm',
  interfaces(device) {
    const found = findCdcInterfaces(device.configuration ?? device.configurations[0]);
    if (!found) throw new UsbAccessError('unsupported', 'no CDC-ACM communication and data interfaces');
    // Both: Chrome sends a request to an interface only once this page has claimed it.
    return { claim: [found.comm, found.data], data: found.data };
  },
  async open({ control, interfaces, line }: DriverContext) {
    const comm = interfaces.claim[0]!;
    await control.out('class', 'interface', SET_LINE_CODING, 0, comm, lineCoding(line));
    await control.out('class', 'interface', SET_CONTROL_LINE_STATE, DTR_RTS, comm);
    return {
      // As the kernel's cdc-acm on close: drop DTR and RTS.
      close: () => control.out('class', 'interface', SET_CONTROL_LINE_STATE, 0, comm),
    };
  },
};
