// The server's side of the dashboard: the built app at `/`, its assets, nothing else from disk,
// and `GET /api/me`, which tells the app which controls a token's role may use.
import { readdir } from 'node:fs/promises';
import { ApiClient } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from '../support/server.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(async () => {
  await f.close();
});

describe('dashboard serving', () => {
  it('serves the built app and its hashed assets, and no other file', async () => {
    const index = await fetch(`${f.server.url}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('<div id="app">');
    const [asset] = (await readdir(new URL('../../web/dist/assets/', import.meta.url))).filter((n) =>
      n.endsWith('.js'),
    );
    const js = await fetch(`${f.server.url}/assets/${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    for (const path of [
      '/assets/..%2F..%2Fpackage.json',
      '/assets/.env',
      '/assets/index.js.map%00',
      '/package.json',
      '/web/dist/index.html',
    ]) {
      expect((await fetch(`${f.server.url}${path}`)).status, path).toBe(404);
    }
  });

  it('tells a token its role and scope, and refuses none', async () => {
    const { token, summary } = await f.api.createToken({
      role: 'viewer',
      label: 'wall screen',
      incidentId: (await f.api.createIncident({ title: 'scoped' })).incident.id,
    });
    expect(await new ApiClient(f.server.url, { token }).me()).toEqual({
      tokenId: summary.id,
      label: 'wall screen',
      role: 'viewer',
      incidentId: summary.incidentId,
      isolated: false,
    });
    await expect(new ApiClient(f.server.url).me()).rejects.toMatchObject({ code: 'auth.missing' });
  });
});
