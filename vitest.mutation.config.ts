// The unit tests the mutation run (`pnpm test:mutation`, stryker.config.json) judges `shared/src`
// and `server/src/gate` by: pure tests, no server or database, so each mutant takes a second.
// `@sitrep/shared` is aliased to this tree's copy, so the gate's tests see a mutated `shared`
// (the package link points at the original checkout, not at Stryker's sandbox).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const shared = (path: string) => fileURLToPath(new URL(`./shared/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@sitrep\/shared$/, replacement: shared('index.ts') },
      { find: /^@sitrep\/shared\/(?:secrets|sanitizer)$/, replacement: shared('sanitizer/index.ts') },
      { find: /^@sitrep\/shared\/node$/, replacement: shared('sdk/node.ts') },
      { find: /^@sitrep\/shared\/error$/, replacement: shared('error.ts') },
    ],
  },
  test: {
    include: ['shared/src/**/*.test.ts', 'server/src/gate/**/*.test.ts'],
    pool: 'forks',
  },
});
