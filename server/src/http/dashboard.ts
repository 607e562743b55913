// Serves the built dashboard (web/dist): index.html at `/`, hashed files under `/assets/`. The
// build is part of `pnpm demo` and `pnpm test`; without it `/` says how to make it.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Hono } from 'hono';
import { packageFiles } from '../packageFiles.js';
import type { AppEnv } from './auth.js';

const DIST = packageFiles.dashboard;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
/** A built asset's name: no directories, no dots leading anywhere. */
const ASSET = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[a-z0-9]+$/;

export function dashboardRoutes(app: Hono<AppEnv>): void {
  app.get('/', async (c) => {
    const html = await readFile(new URL('index.html', DIST), 'utf8').catch(() => null);
    if (html === null)
      return c.text('The dashboard is not built. Run `pnpm build` (pnpm demo and pnpm test build it).', 503);
    return c.html(html, 200, { 'cache-control': 'no-cache' });
  });
  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    const body = ASSET.test(name) ? await readFile(new URL(`assets/${name}`, DIST)).catch(() => null) : null;
    if (body === null) return c.text('not found', 404);
    return c.body(body, 200, {
      'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });
}
