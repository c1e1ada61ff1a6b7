import { defineConfig } from 'vitest/config';

// The tests `npm run mutate` runs against each mutant: only those that exercise src/kmp and
// src/link. The browser end-to-end project needs Chromium and a build, and the store, MQTT and
// UI tests would only slow every mutant down without testing the codec or the client any harder.
export default defineConfig({
  test: {
    include: ['test/kmp/**/*.test.ts', 'test/link/**/*.test.ts', 'test/sim/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
