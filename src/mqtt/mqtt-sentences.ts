/**
 * What publishing says to the person, by id (src/kmp/words.ts): why broker settings are refused,
 * why the broker cannot be used, and how publishing fares (where the browser will not let the
 * page connect is in network-rules.ts, which Home Assistant's checks load without the rest). MQTT payloads, topics and Home Assistant's discovery config are for machines
 * and stay English (payloads.ts, ha-discovery.ts, topics.ts); they are not here.
 *
 * A URL, a host name, a scheme or a port as the person typed it are parameters, as they are.
 */
import { errorText } from '../kmp/error-text.ts';
import { fill, isWords, words, type Sentences, type Words, type WordsParam } from '../kmp/words.ts';

export const MQTT_SENTENCES = {
  // The broker address (mqtt-settings.ts urlProblem).
  'mqtt.url.empty': 'Enter the broker’s WebSocket address, for example ws://192.168.1.10:9001.',
  'mqtt.url.no-scheme': 'The address needs a scheme: ws:// or wss://, for example ws://192.168.1.10:9001.',
  'mqtt.url.tcp':
    '{scheme}:// is MQTT over TCP. A browser can reach a broker only over WebSockets. Use the broker’s WebSocket listener, for example ws://192.168.1.10:9001; the Home Assistant Mosquitto add-on serves ws:// on port 1884 and wss:// on 8884.',
  'mqtt.url.scheme': '{scheme}:// is not a broker address: use ws:// or wss://.',
  'mqtt.url.port': 'Port "{port}" is not a port number: use 1 to 65535.',
  'mqtt.url.invalid': 'That is not a valid address.',
  'mqtt.url.no-host': 'The address has no host name.',
  'mqtt.url.credentials': 'Put the user name and password in their own fields, not in the address.',
  'mqtt.url.fragment': 'A broker address has no #fragment.',
  // A topic or topic prefix (topicProblem).
  'mqtt.topic.empty': 'The topic is empty.',
  'mqtt.topic.wildcard': 'A topic to publish to may not contain the wildcards + or #.',
  'mqtt.topic.empty-level': 'The topic has an empty level (a leading, trailing or double /).',
  'mqtt.topic.reserved': 'Topics starting with $ are reserved for the broker.',
  'mqtt.topic.control': 'The topic contains a control character.',
  'mqtt.topic.long': 'The topic is too long.',
  // The other fields (checkMqttSettings).
  'mqtt.field.text': 'Must be text.',
  'mqtt.field.flag': 'Must be on or off.',
  'mqtt.client-id.long': 'At most 128 characters (many brokers want 23 or fewer).',
  'mqtt.client-id.spaces': 'No spaces or control characters.',
  'mqtt.username.needed': 'MQTT sends a password only with a user name: enter the user name too.',
  'mqtt.keepalive': 'Keepalive is whole seconds from 0 to 65535.',
  'mqtt.qos': 'QoS must be 0, 1 or 2.',

  // The connection (mqtt-connection.ts).
  'mqtt.unreachable':
    'Could not reach the broker at {url}. Check that it is running and has a WebSocket listener on that port (Mosquitto needs a “listener 9001” with “protocol websockets”; the Home Assistant Mosquitto add-on serves ws:// on port 1884 and wss:// on 8884.), the address and path, and any firewall.',
  'mqtt.unreachable.wss':
    'Could not reach the broker at {url}. Check that it is running and has a WebSocket listener on that port (Mosquitto needs a “listener 9001” with “protocol websockets”; the Home Assistant Mosquitto add-on serves ws:// on port 1884 and wss:// on 8884.), the address and path, and any firewall. For wss:// the browser must trust the certificate: open the same address with https:// in a tab once to check.',
  // A connection that was up and went: the sentences of mqtt.unreachable after it, nested.
  'mqtt.lost': 'Lost the connection to {url}. {problem}',
  // Why the broker cannot be reached, then (nested, whole sentences) what the browser asks first.
  'mqtt.with-network-note': '{problem} {note}',
  'mqtt.silent':
    'The broker at {url} did not answer within {seconds} s. Either that address is not the broker’s MQTT WebSocket listener (Mosquitto needs a “listener 9001” with “protocol websockets”; the Home Assistant Mosquitto add-on serves ws:// on port 1884 and wss:// on 8884.), the broker is stuck or overloaded, or a firewall silently drops the connection.',
  'mqtt.goodbye-timed-out':
    'The broker did not acknowledge the goodbye within {seconds} s: it may be stuck. The connection was closed anyway; the broker publishes the last will (offline) once it notices.',
  'mqtt.auth':
    'The broker refused the user name or password. Check both (the Home Assistant Mosquitto add-on uses a Home Assistant user or one from its “logins” option).',
  'mqtt.refused.client-id': 'The broker refused the client id. Leave it empty for a fresh one, or choose another.',
  'mqtt.refused.protocol': 'The broker does not speak MQTT 3.1.1.',
  'mqtt.unavailable': 'The broker says it is unavailable. It will be tried again.',
  // `error` is the browser's own account.
  'mqtt.browser-refused': 'The browser refused to open {url}: {error}',
  // A publish that failed (removing a meter says it; the outbox just tries again).
  'mqtt.publish.not-connected': 'not connected to the broker',
  'mqtt.publish.timeout': 'the broker did not acknowledge in time',
  'mqtt.publish.closed': 'the connection to the broker closed',

  // Publishing (publishing.ts). `error` is the store's words, or the browser's.
  'mqtt.outbox-unreadable': 'Could not read the outbox: {error}',
  'mqtt.remove.not-connected': 'Not connected to the broker: connect first, then remove the meter.',
} as const satisfies Sentences;

export type MqttSentence = keyof typeof MQTT_SENTENCES;

/** Publishing's words `id`, with its parameters. */
export const mqttWords = (id: MqttSentence, params?: Readonly<Record<string, WordsParam>>): Words =>
  words(MQTT_SENTENCES, id, params);

/**
 * A caught failure as a parameter of a sentence: its words when they say all of it (no advice, no
 * detail left out), else errorText's English (the browser's own words, mostly).
 */
export function failureParam(e: unknown): WordsParam {
  const text = errorText(e);
  if (typeof e === 'object' && e !== null) {
    const { words: w } = e as { words?: unknown };
    if (isWords(w) && fill(w) === text) return w;
  }
  return text;
}
