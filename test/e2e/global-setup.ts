import { execFileSync } from 'node:child_process';
import { requireChromium } from './harness.ts';

/**
 * Builds the production app once for every e2e file; the tests run against what users get.
 * In a child process: under vitest NODE_ENV is 'test', which would give a development build.
 */
export default async function setup(): Promise<void> {
  requireChromium();
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
