// Mutation testing of the codec (src/kmp) and the client (src/link): `npm run mutate`.
// Each mutant runs only the tests that reach it (per-test coverage, vitest.stryker.config.ts).
// Static table data (the register catalogue, unit and info-code tables) is switched off with
// `// Stryker disable` comments in those files; equivalent mutants are listed in
// stryker-equivalents.md with the reason each cannot be told apart.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['src/kmp/**/*.ts', 'src/link/**/*.ts', '!src/**/index.ts'],
  coverageAnalysis: 'perTest',
  // Mutants in code that runs when a module loads (tables, constant sets, message texts) can
  // only be tested by rerunning every test; they are ignored, see stryker-equivalents.md.
  ignoreStatic: true,
  // Two cores on every machine here, and the link tests pace bytes at 1200 baud in real time.
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
