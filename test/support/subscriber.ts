/** A plain MQTT subscriber (mqtt.js in Node), as Home Assistant or Node-RED would be. */
import mqtt, { type MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

export interface Subscriber {
  client: MqttClient;
  messages: Received[];
  /** Resolves when `predicate` holds for the messages received so far. */
  waitFor(predicate: (messages: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function subscribe(
  url: string,
  topics: string[],
  auth?: { username: string; password: string },
): Promise<Subscriber> {
  // A persistent session: a broker that restarts keeps what arrived for us while we reconnect.
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    reconnectPeriod: 200,
    clean: false,
    clientId: `test-sub-${Math.random().toString(16).slice(2, 10)}`,
    ...(auth ?? {}),
  });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  // Subscribe again if a broker ever comes back without our session.
  client.on('connect', (ack) => {
    if (!ack.sessionPresent) void client.subscribe(topics, { qos: 1 });
  });
  await client.subscribeAsync(topics, { qos: 1 });
  return {
    client,
    messages,
    async waitFor(predicate, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > until)
          throw new Error(
            `timed out; received ${messages.length}: ${messages
              .slice(-5)
              .map((m) => m.topic)
              .join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    close: () => client.endAsync(true),
  };
}

/** The `timestamp` of each reading published on `<base>/values`, in the order they arrived. */
export function valuesTimestamps(messages: readonly Received[], base: string): number[] {
  return messages
    .filter((m) => m.topic === `${base}/values`)
    .map((m) => (JSON.parse(m.payload) as { timestamp: number }).timestamp);
}
