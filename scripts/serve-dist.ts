/** The built app (dist/) served by `vite preview` on a free loopback port. */
import { preview } from 'vite';

const root = new URL('../', import.meta.url).pathname;

export async function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({ root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
