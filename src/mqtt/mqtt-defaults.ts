/**
 * The publishing settings and their defaults, apart from their check (mqtt-settings.ts): the app
 * holds the settings from its start, and checks them only once there are some to check, so the
 * check stays out of the first screen's bundle.
 */

export type Qos = 0 | 1 | 2;

export interface MqttSettings {
  /** Publishing on or off. Off: readings are still stored, nothing goes to a broker. */
  enabled: boolean;
  /** `ws://host:port/path` or `wss://…`: a browser reaches a broker only over WebSockets. */
  url: string;
  /** Empty: a fresh id per connection. */
  clientId: string;
  username: string;
  password: string;
  keepaliveS: number;
  /** For the live topics. The outbox always publishes with at least QoS 1 so it knows what arrived. */
  qos: Qos;
  /** Retain the values and state topics (discovery configs are always retained). */
  retain: boolean;
  /** `<baseTopic>/values` is the reference project's topic. */
  baseTopic: string;
  /** Home Assistant MQTT discovery. */
  discovery: boolean;
  discoveryPrefix: string;
}

/** Works out of the box with `npm start`'s embedded broker. */
export const DEFAULT_MQTT_SETTINGS: MqttSettings = {
  enabled: false,
  url: 'ws://127.0.0.1:9001',
  clientId: '',
  username: '',
  password: '',
  keepaliveS: 60,
  qos: 1,
  retain: true,
  baseTopic: 'kamstrup',
  discovery: true,
  discoveryPrefix: 'homeassistant',
};
