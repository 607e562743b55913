// The sanitizer's settings and HTTP paths, on PGlite and Postgres, with real tokens of each role:
// the deployment's policy (SITREP_PRIVACY_POLICY), each incident's key and allowances as
// `GET /api/incidents/:id/sanitizer` gives them to the tokens that may write the incident, and
// the key kept out of everything readers see.
import { ApiClient, type Role } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

const ROLES = ['viewer', 'responder', 'commander', 'admin'] as const;

describe.each(BACKENDS)('the sanitizer over HTTP (%s)', (backend) => {
  let t: Fixture;
  const as = {} as Record<Role, ApiClient>;
  beforeAll(async () => {
    t = await startFixture(backend, { SITREP_PRIVACY_POLICY: 'phone=refuse,iban=allow' });
    for (const role of ROLES) as[role] = new ApiClient(t.server.url, { token: (await t.api.createToken({ role, label: `${role} of ${backend}` })).token });
  });
  afterAll(async () => {
    await t.close();
  });

  const newIncident = async (title = `privacy on ${backend}`) => (await t.api.createIncident({ title })).incident.id;

  describe('settings', () => {
    it('gives every token that may write the incident its key and the deployment policy; viewers get 403', async () => {
      const id = await newIncident();
      const seen = await Promise.all((['responder', 'commander', 'admin'] as const).map((r) => as[r].sanitizerSettings(id)));
      const [first] = seen;
      expect(first?.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      for (const s of seen) {
        expect(s).toEqual({
          key: first?.key,
          policy: { email: 'redact', phone: 'refuse', card: 'redact', iban: 'allow', ssn: 'redact', nino: 'redact' },
          allowances: [],
        });
      }
      await expect(as.viewer.sanitizerSettings(id)).rejects.toMatchObject({ code: 'auth.forbidden' });
      expect((await as.admin.sanitizerSettings(await newIncident())).key).not.toBe(first?.key);
    });

    it('refuses a token limited to another incident, and answers 404 for no incident', async () => {
      const id = await newIncident();
      const other = await newIncident('another');
      const { token } = await t.api.createToken({ role: 'commander', label: 'elsewhere', incidentId: other });
      await expect(new ApiClient(t.server.url, { token }).sanitizerSettings(id)).rejects.toMatchObject({ code: 'auth.forbidden' });
      expect((await new ApiClient(t.server.url, { token }).sanitizerSettings(other)).key).toBeTruthy();
      await expect(as.admin.sanitizerSettings('no-such-incident')).rejects.toMatchObject({ code: 'incident.not_found' });
    });

    it('gives an incident made before keys existed one, once, and keeps it', async () => {
      const id = await newIncident();
      // The store's own connection: PGlite takes no second one.
      const db = (t.server.store as unknown as { db: { execute(q: string): Promise<unknown> } }).db;
      await db.execute(`update incidents set sanitizer_key = null where id = '${id}'`);
      const keys = await Promise.all([as.responder, as.commander, as.admin].map((c) => c.sanitizerSettings(id).then((s) => s.key)));
      expect(new Set(keys).size).toBe(1);
      expect((await as.responder.sanitizerSettings(id)).key).toBe(keys[0]);
    });

    it('never puts the key in the document, its views, the entries or an export', async () => {
      const id = await newIncident();
      await t.api.appendEntries(id, { entries: [makeEntry('finding'), makeEntry('theory', { title: 'a theory' })] });
      const { key } = await as.responder.sanitizerSettings(id);
      const seen = await Promise.all([
        t.api.getIncident(id),
        t.api.listEntries(id),
        t.api.view(id),
        t.api.replay(id, 1_000_000),
        t.api.listIncidents(),
        ...(['json', 'md', 'html'] as const).map((f) => t.api.exportIncident(id, f)),
      ]);
      for (const s of seen) expect(JSON.stringify(s)).not.toContain(key);
    });
  });
});
