/**
 * What a settings import says to the person, by id (src/kmp/words.ts): the notes of the preview,
 * one per field of the file. Apart from settings-import-types.ts, which the first screen loads for
 * the language choices, so that these sentences load with the import only.
 *
 * A field's name (`pollIntervalMs`, `poll_interval`) and what the file holds (`"kamstrup"`,
 * `[60,68]`, a host) are parameters, as they are; a value of the wrong type is named by
 * describe-value.ts, nested. Each note is one whole sentence: a field's reason is written with the
 * field's name in it (`{key} must be text, not {value}.`) rather than glued after it.
 */
import { fill, words, type Sentences, type Words, type WordsParam } from '../kmp/words.ts';
import { MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../kmp/index.ts';
import type { ImportNote, ImportNoteLevel } from './settings-import-types.ts';

export const IMPORT_SENTENCES = {
  // The file as a whole (settings-import.ts).
  'store.import.too-large': 'This file is far too large to be a settings file.',
  // `error` is the YAML parser's own account.
  'store.import.not-yaml': 'This is not valid YAML or JSON: {error}',
  'store.import.not-yaml.line': 'This is not valid YAML or JSON (line {line}): {error}',
  'store.import.empty': 'The file has no settings in it.',
  'store.import.readings-export': 'This is a readings export, not settings: restore it on the History page.',
  'store.import.other-format': 'This is not a settings file (its format is {format}).',
  // A note of a broker part that is not saved, with the note it would have had (a whole sentence).
  'store.import.skipped': 'Not saved, because the broker settings have an error. ({note})',

  // The app's own settings export (settings-file.ts); `key` is the field's name in the file.
  'store.import.version': 'The file has settings version {version}; this app reads version {ours}.',
  'store.import.not-ours': 'Not a kmp-web setting; not saved.',
  'store.import.group': 'Must be a group of settings, not {value}.',
  'store.import.password-cleared':
    'The file has no password (exports leave it out unless asked): none is saved. Enter it on the Publish page.',
  // A field saved as the file has it: its name and its value (`registers [60,68]`, `password (set)`).
  'store.import.mapped': '{key} {value}.',
  'store.import.password.set': '(set)',
  'store.import.password.none': '(none)',
  'store.import.text': '{key} must be text, not {value}.',
  'store.import.text.long': '{key} is longer than 1000 characters.',
  'store.import.flag': '{key} must be true or false, not {value}.',
  'store.import.whole-ms': '{key} must be a whole number of milliseconds from {min} to {max}, not {value}.',
  // `choices` are the values the app knows, as the file writes them ("auto, web-serial, webusb").
  'store.import.one-of': '{key} must be one of {choices}, not {value}.',
  'store.import.registers.type': '{key} must be a list of register ids, not {value}.',
  'store.import.registers.count': '{key} must list 1 to 256 register ids.',
  'store.import.registers.ids': '{key} must hold only register ids (whole numbers 0 to 65535).',
  'store.import.poll-ms.type': '{key} must be a number of milliseconds, not {value}.',
  'store.import.serial.type': '{key} must be a group of line settings, not {value}.',
  'store.import.serial.baud': '{key} baudRate must be a whole number from 300 to 115200.',
  'store.import.serial.data-bits': '{key} dataBits must be 7 or 8.',
  'store.import.serial.stop-bits': '{key} stopBits must be 1 or 2.',
  'store.import.serial.parity': '{key} parity must be none, even or odd.',
  'store.import.keepalive': '{key} must be whole seconds from 0 to 65535, not {value}.',

  // A poll interval out of range, in either file; `shown` is the value as the file has it, in its unit.
  'store.import.poll.whole': '{key} must be whole milliseconds, not {shown}.',
  'store.import.poll.min':
    "{key} must be at least 1 minute, not {shown}: the app reads at most once a minute, to spare the meter's battery.",
  'store.import.poll.max': '{key} must be at most 1440 minutes (24 hours), not {shown}.',
  'store.import.shown.ms': '{ms} ms',
  'store.import.shown.minutes': '{minutes} minutes',

  // kamstrup-402-mqtt's config.yaml (seed-config.ts).
  'store.import.seed.not-ours': 'Not a kamstrup-402-mqtt setting; not saved.',
  'store.import.seed.broker-group': 'Must be a group of broker settings, not {value}.',
  'store.import.seed.serial-device': 'The browser asks you to pick the serial port when you connect.',
  'store.import.seed.text': 'Must be text, not {value}; put it in quotes if it looks like a number or True/False.',
  'store.import.seed.flag': 'Must be True or False, not {value}.',
  'store.import.seed.no-host': 'No broker host given.',
  'store.import.seed.host':
    '"{host}" is not a host name: give the host name only (no scheme, port or path), e.g. 192.168.1.10; an IPv6 address in [brackets].',
  'store.import.seed.port': 'Must be a port number from 1 to 65535, not {value}.',
  'store.import.seed.websocket':
    "A browser cannot open MQTT over TCP (port {port}); it needs the broker's WebSocket listener. Saved as {url}: Mosquitto and the Home Assistant Mosquitto add-on commonly serve WebSockets on 1884 or 9001 (plain) and 8884 (TLS). Check your broker's listener and change the port if needed.",
  'store.import.seed.client': 'Client id "{client}".',
  'store.import.seed.topic': 'Base topic "{topic}": readings go to {topic}/values as before.',
  'store.import.seed.qos.bad': 'QoS must be 0, 1 or 2, not {value}.',
  'store.import.seed.qos': 'QoS {qos}.',
  'store.import.seed.qos0': 'QoS 0 (the outbox still publishes with QoS 1 so it knows what arrived).',
  'store.import.seed.retain.on': 'Retain on.',
  'store.import.seed.retain.off': 'Retain off.',
  'store.import.seed.user-needed': 'authentication is True, so a user name is needed.',
  'store.import.seed.user': 'User name "{username}" and its password.',
  'store.import.seed.user.no-password': 'User name "{username}" with no password (the file has none).',
  // `broker` is the file's host name, or the words store.import.seed.this-broker.
  'store.import.seed.auth-off':
    'Authentication is off: no user name or password is saved, and a saved login is cleared so it is not sent to {broker}.',
  'store.import.seed.auth-unset':
    'Authentication is not set: no user name or password is saved, and a saved login is cleared so it is not sent to {broker}.',
  'store.import.seed.this-broker': 'this broker',
  'store.import.seed.auth-is-off': 'Not saved: authentication is off.',
  'store.import.seed.tls':
    'The browser checks the broker certificate itself; certificate files and insecure mode do not apply.',
  'store.import.seed.not-broker': 'Not a kamstrup-402-mqtt broker setting; not saved.',
  'store.import.seed.parameters.type': 'Must be a list of parameter names, not {value}.',
  'store.import.seed.parameter.unknown': 'Unknown parameter "{name}".',
  'store.import.seed.parameter.type': 'A parameter must be a name, not {value}.',
  'store.import.seed.parameters': '{count} parameter(s) to read.',
  'store.import.seed.poll-minutes.type': '{key} must be a number of minutes, not {value}.',
  'store.import.seed.poll': 'Poll every {minutes} minute(s).',
  'store.import.seed.poll.sleepy':
    'Poll every {minutes} minute(s). The meter’s optical port may sleep between reads this far apart.',
} as const satisfies Sentences;

export type ImportSentence = keyof typeof IMPORT_SENTENCES;

/** The import's words `id`, with its parameters. */
export const importWords = (id: ImportSentence, params?: Readonly<Record<string, WordsParam>>): Words =>
  words(IMPORT_SENTENCES, id, params);

/** A note of the preview: its words, and the same in English as `message`. */
export function importNote(field: string, level: ImportNoteLevel, w: Words): ImportNote {
  return { field, level, message: fill(w), words: w };
}

/**
 * Why a poll interval in milliseconds is out of range, or undefined when it is fine: a sentence
 * about the field `key`; `shown` is the value as the file has it, in its unit.
 */
export function pollIntervalProblem(ms: number, shown: Words, key: string): Words | undefined {
  if (!Number.isInteger(ms)) return importWords('store.import.poll.whole', { key, shown });
  if (ms < MIN_POLL_INTERVAL_MS) return importWords('store.import.poll.min', { key, shown });
  if (ms > MAX_POLL_INTERVAL_MS) return importWords('store.import.poll.max', { key, shown });
  return undefined;
}
