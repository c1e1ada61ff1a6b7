import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // Two cores on every machine here: keep the pool small so timing-sensitive tests stay stable.
    maxWorkers: 2,
  },
});
