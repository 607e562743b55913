// The mutation run over the pure core: `shared/src` and `server/src/gate`, judged by their unit
// tests (vitest.mutation.config.ts). On demand only (`pnpm test:mutation`), never in CI: it takes
// a long while. What it found and what to act on: docs/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Named, not discovered: under pnpm the runner is not beside the core package.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['shared/src/**/*.ts', 'server/src/gate/**/*.ts', '!**/*.test.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Not copied to the sandbox: what no unit test needs (test/support holds the secret corpus).
  ignorePatterns: [
    'web',
    'test/*',
    '!test/support',
    'migrations',
    'test-output',
    '.sitrep',
    'reports',
    'coverage',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // A rerun tests again only the mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
