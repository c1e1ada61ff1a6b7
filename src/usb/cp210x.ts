/**
 * Silicon Labs CP2102/CP2104/CP2109 (one UART), CP2105 (two) and CP2108 (four).
 *
 * Requests from Silicon Labs AN571 "CP210x Virtual COM Port Interface" §5 and the Linux kernel's
 * drivers/usb/serial/cp210x.c (cp210x_open, cp210x_close, cp210x_change_speed,
 * cp210x_set_termios, cp210x_tiocmset_port). Every request is a vendor request to the interface
 * (bmRequestType 0x41 out, 0xC1 in) with wIndex = the interface number: each UART of the
 * multi-port chips is its own interface.
 */
import { UsbAccessError } from './usb-access-error.ts';
import { activeConfiguration, le32, type DriverContext, type LineSettings, type UsbSerialDriver } from './driver.ts';

/** AN571 §5 request codes. */
const REQ = { ifcEnable: 0x00, setLineCtl: 0x03, setMhs: 0x07, purge: 0x12, setBaudRate: 0x1e };

/** IFC_ENABLE values (AN571 §5.2): the UART is off after reset and must be enabled first. */
const UART_ENABLE = 0x0001;
const UART_DISABLE = 0x0000;
/** SET_MHS (AN571 §5.8): DTR (bit 0) and RTS (bit 1) high, with their write-enable bits 8 and 9. */
const DTR_RTS_ON = 0x0303;
/** PURGE (AN571 §5.26) of both transmit and receive queues; the kernel's cp210x_close does this for the CP2108. */
const PURGE_ALL = 0x000f;

/** SET_LINE_CTL's wValue (AN571 §5.6): stop bits 0–3 (0 one, 2 two), parity 4–7 (1 odd, 2 even), data bits 8–15. */
export function cp210xLineCtl(line: LineSettings): number {
  const parity = { none: 0, odd: 1, even: 2 }[line.parity];
  return (line.stopBits === 2 ? 2 : 0) | (parity << 4) | (line.dataBits << 8);
}

export const cp210xDriver: UsbSerialDriver = {
  id: 'cp210x',
  interfaces(device) {
    const first = activeConfiguration(device)?.interfaces[0];
    if (!first) throw new UsbAccessError('unsupported', 'no interface');
    return { claim: [first.interfaceNumber], data: first.interfaceNumber };
  },
  async open({ control, interfaces, line }: DriverContext) {
    const iface = interfaces.data;
    const out = (request: number, value: number, data?: Uint8Array<ArrayBuffer>) =>
      control.out('vendor', 'interface', request, value, iface, data);
    await out(REQ.ifcEnable, UART_ENABLE);
    // SET_BAUDRATE (AN571 §5.3): the rate itself as 4 bytes little-endian in the data stage.
    await out(REQ.setBaudRate, 0, Uint8Array.from(le32(line.baudRate)));
    await out(REQ.setLineCtl, cp210xLineCtl(line));
    await out(REQ.setMhs, DTR_RTS_ON);
    return {
      close: async () => {
        await out(REQ.purge, PURGE_ALL);
        await out(REQ.ifcEnable, UART_DISABLE);
      },
    };
  },
};
