// Do not modify this file by hand!
// Re-generate this file by running lit-localize

import { str } from '@lit/localize';

/* eslint-disable no-irregular-whitespace */
/* eslint-disable @typescript-eslint/no-explicit-any */

export const templates = {
  'link.no-answer': `The meter did not answer.`,
  'link.no-answer.advice': `Press a button on the meter to wake its optical port, check that the head’s magnet sits on the meter and that the head is seated (often upside down, a little above the guides), and that the cable is plugged in. (A MULTICAL 401, 66C or older model speaks an older protocol, IEC 61107, that this app does not read.)`,
  'link.echo-only': `Only our own request came back; the meter itself stayed silent.`,
  'link.echo-only.advice': `The head sees its own light: it is not seated on the optical window. Re-seat it flat on the window, try it upside down, and press a button on the meter to wake it.`,
  'link.bad-crc': `The meter answered, but the reply was damaged on the way (checksum failed); it was discarded.`,
  'link.bad-crc.advice': `Usually alignment or stray light: re-seat the head, shade it from daylight, and keep the cable still.`,
  'link.cut-off': `The meter’s reply stopped half-way.`,
  'link.cut-off.advice': `Re-seat the head and keep it still; if it keeps happening, raise the inter-byte timeout in the advanced settings.`,
  'link.overrun': `The meter’s reply did not finish: bytes kept coming but never made up a whole reply.`,
  'link.overrun.advice': `A whole reply takes a few seconds at most. Something keeps the line busy: re-seat the head and shade it from light, check the cable, and check that the baud rate is the meter’s (1200).`,
  'link.logger-error': `The meter’s logger reported an error.`,
  'link.logger-error.advice': `Entries read before are kept. Try again later; if the logger keeps reporting it, the meter may need a service check by your utility or Kamstrup.`,
  'link.unexpected': `Something answered with a frame that is not a reply to our request.`,
  'link.unexpected.advice': `Make sure no other program or browser tab reads the same meter, then try again.`,
  'link.disconnected': `The serial port went away (cable unplugged or the adapter reset).`,
  'link.disconnected.advice': `Plug the head back in and connect again.`,
  'link.closed': `The connection was closed before the request finished.`,
  'link.closed.advice': `Connect again.`,
  'link.refused': `Refused to send a command that would change the meter.`,
  'link.refused.advice': `This app only reads; meters are fiscal and battery-powered.`,
  'link.no-logger': `This meter does not offer its loggers over the optical eye: it answers other requests but stayed silent when asked for its history.`,
  'link.no-logger.advice': `The MULTICAL 403, 603, 303 and 803 hand out their loggers themselves; a 601 only with a logger module (67-0B on top, 67-00-22 as base module), and the 801 through its own logger; the 402 and 602 not at all. Its live readings are still read and kept here. The app will not ask this meter for its loggers again until you connect anew.`,
  'link.went-quiet': str`The meter has stopped answering (its last answer was ${0}).`,
  'link.went-quiet.echo': str`The meter has stopped answering (its last answer was ${0}). Only our own request came back.`,
  'link.ago.now': `less than a minute ago`,
  'link.ago.one': `1 minute ago`,
  'link.ago.minutes': str`${0} minutes ago`,
  'link.went-quiet.advice': `Its optical port has probably gone to sleep: MULTICALs switch it off after about 30 minutes without traffic, some 403s after 4. Press a button on the meter to wake it, then read again; if that does not help, the head may have been knocked: lift it and seat it again. Polling every 15 minutes or so keeps the port awake at a small cost to the battery.`,
};
