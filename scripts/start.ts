/**
 * `npm start`: serves the built app on http://127.0.0.1:4173 (localhost is a secure context,
 * so Web Serial and the service worker work) and starts the embedded MQTT broker.
 */
import { preview } from 'vite';

const server = await preview({
  preview: { port: Number(process.env.PORT ?? 4173), host: '127.0.0.1', strictPort: false },
});
const address = server.httpServer.address();
const url = address && typeof address !== 'string' ? `http://127.0.0.1:${address.port}/` : '(unknown address)';
console.log(`\nkmp-web is running at ${url}`);
console.log('Open it in Chrome or Edge. No meter at hand? Press "Demo meter".');

try {
  const { startBroker } = await import('./broker.ts');
  const broker = await startBroker({});
  console.log(
    `\nEmbedded MQTT broker: ${broker.wsUrl} (WebSocket, for the app)${broker.tcpUrl ? ` and ${broker.tcpUrl} (TCP)` : ''}`,
  );
  console.log(
    'Publishing is off until you switch it on: open the Publish page, tick "Publish readings to MQTT" and Save (the default address is this broker).',
  );
  console.log(
    `Watch the messages: npx mqtt sub -h 127.0.0.1 -p ${broker.tcpUrl ? new URL(broker.tcpUrl).port : '1883'} -t 'kamstrup/#' -v`,
  );
  const stop = async () => {
    await broker.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (e) {
  console.error(`The embedded MQTT broker did not start: ${e instanceof Error ? e.message : String(e)}`);
}
