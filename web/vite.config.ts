// The dashboard's build. `pnpm --filter @sitrep/web dev` serves it with hot reload and proxies
// the API and websockets to a running sitrep (SITREP_URL, default http://127.0.0.1:8787).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const target = process.env.SITREP_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      '/api': target,
      '/yjs': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
