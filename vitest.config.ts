import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: [
            'shared/src/**/*.test.ts',
            'server/src/**/*.test.ts',
            'web/src/lib/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['test/bench/**', '**/node_modules/**'],
          globalSetup: ['test/support/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        // The dashboard's components, compiled by the Svelte plugin and mounted in happy-dom.
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: { name: 'web', include: ['web/src/components/**/*.test.ts'], environment: 'happy-dom' },
      },
    ],
  },
});
