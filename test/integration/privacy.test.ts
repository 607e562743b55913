// The sanitizer's settings and HTTP paths, on PGlite and Postgres, with real tokens of each role:
// the deployment's policy (SITREP_PRIVACY_POLICY), each incident's key and allowances as
// `GET /api/incidents/:id/sanitizer` gives them to the tokens that may write the incident, and
// the key kept out of everything readers see; a sample of the sanitizer's corpus through HTTP
// append, import and incident creation, with nothing secret or private stored (read back from
// the API and from the store), each entry and the audit trail counting redactions per type, and
// a write the policy refuses changing nothing.
import { ApiClient, type Entry, ExportDocument, type Role, redactionCounts } from '@sitrep/shared';
import { sanitizeText } from '@sitrep/shared/sanitizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearMissCorpus } from '../corpus/sanitizer/nearMisses.js';
import { privateCorpus } from '../corpus/sanitizer/privateData.js';
import { secretCorpus } from '../corpus/sanitizer/secrets.js';
import { survives } from '../corpus/sanitizer/survives.js';
import { runCli } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, settle, startFixture } from '../support/server.js';

const ROLES = ['viewer', 'responder', 'commander', 'admin'] as const;
const EMAIL = 'jane.doe@example.com';

/** Every n-th of a list: a sample that still spans it. */
const everyNth = <T>(xs: readonly T[], n: number) => xs.filter((_, i) => i % n === 0);

/** A sample of the corpus: secrets of many providers, private data of the types this deployment redacts. */
const SECRETS = everyNth(secretCorpus(), 9);
const PRIVATE = everyNth(
  privateCorpus().filter((p) => p.type !== 'ssn' && p.type !== 'iban'),
  5,
);
const NEAR_MISSES = everyNth(nearMissCorpus(), 10);
const SENSITIVE = [...SECRETS.map((s) => ({ type: 'secret', text: s.text, datum: s.secret })), ...PRIVATE];

describe.each(BACKENDS)('the sanitizer over HTTP (%s)', (backend) => {
  let t: Fixture;
  const as = {} as Record<Role, ApiClient>;
  beforeAll(async () => {
    t = await startFixture(backend, { SITREP_PRIVACY_POLICY: 'ssn=refuse,iban=allow' });
    for (const role of ROLES)
      as[role] = new ApiClient(t.server.url, {
        token: (await t.api.createToken({ role, label: `${role} of ${backend}` })).token,
      });
  });
  afterAll(async () => {
    await t.close();
  });

  const newIncident = async (title = `privacy on ${backend}`) =>
    (await t.api.createIncident({ title })).incident.id;

  describe('settings', () => {
    it('gives every token that may write the incident its key and the deployment policy; viewers get 403', async () => {
      const id = await newIncident();
      const seen = await Promise.all(
        (['responder', 'commander', 'admin'] as const).map((r) => as[r].sanitizerSettings(id)),
      );
      const [first] = seen;
      expect(first?.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      for (const s of seen) {
        expect(s).toEqual({
          key: first?.key,
          policy: {
            email: 'redact',
            phone: 'redact',
            card: 'redact',
            iban: 'allow',
            ssn: 'refuse',
            nino: 'redact',
          },
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
      await expect(new ApiClient(t.server.url, { token }).sanitizerSettings(id)).rejects.toMatchObject({
        code: 'auth.forbidden',
      });
      expect((await new ApiClient(t.server.url, { token }).sanitizerSettings(other)).key).toBeTruthy();
      await expect(as.admin.sanitizerSettings('no-such-incident')).rejects.toMatchObject({
        code: 'incident.not_found',
      });
    });

    it('gives an incident made before keys existed one, once, and keeps it', async () => {
      const id = await newIncident();
      // The store's own connection: PGlite takes no second one.
      const db = (t.server.store as unknown as { db: { execute(q: string): Promise<unknown> } }).db;
      await db.execute(`update incidents set sanitizer_key = null where id = '${id}'`);
      const keys = await Promise.all(
        [as.responder, as.commander, as.admin].map((c) => c.sanitizerSettings(id).then((s) => s.key)),
      );
      expect(new Set(keys).size).toBe(1);
      expect((await as.responder.sanitizerSettings(id)).key).toBe(keys[0]);
    });

    it('never puts the key in the document, its views, the entries or an export', async () => {
      const id = await newIncident();
      await t.api.appendEntries(id, {
        entries: [makeEntry('finding'), makeEntry('theory', { title: 'a theory' })],
      });
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

  /** Everything stored of an incident, as the store holds it: the log's bytes and the projection. */
  async function stored(id: string): Promise<string> {
    const log = await t.server.store.readLog(id);
    const { entries } = await t.server.store.listEntries(id, { limit: 5000, flagged: false });
    return `${log.map((r) => Buffer.from(r.bytes).toString('utf8')).join('\n')}\n${JSON.stringify(entries)}`;
  }

  /** Everything the API answers of an incident: entries, replay, view, and the JSON export. */
  async function answered(id: string): Promise<string> {
    await settle(t.server, id);
    const seen = await Promise.all([
      t.api.listEntries(id, { limit: 5000 }),
      t.api.replay(id, 1_000_000),
      t.api.view(id),
      t.api.exportIncident(id, 'json'),
      t.api.getIncident(id),
    ]);
    return JSON.stringify(seen);
  }

  /** The samples found in the text: any 12 characters of a secret, a private datum whole (as the corpus test reads them). */
  const leaks = (text: string) =>
    SENSITIVE.filter((s) => (s.type === 'secret' ? survives(text, s.datum) : text.includes(s.datum))).map(
      (s) => `${s.type}: ${s.text.slice(0, 80)}`,
    );

  const auditOf = async (id: string, action: string) =>
    (await t.api.listAudit({ incident: id, action, limit: 1000 })).records;

  describe('HTTP append', () => {
    it(
      'stores no secret and no private datum of the corpus sample: each is replaced, and each ' +
        'entry counts what was taken out',
      async () => {
        const id = await newIncident();
        const sent = SENSITIVE.map((s) => makeEntry('finding', { body: s.text }));
        for (let i = 0; i < sent.length; i += 50)
          await as.responder.appendEntries(id, { entries: sent.slice(i, i + 50) });
        expect(leaks(await stored(id))).toEqual([]);
        expect(leaks(await answered(id))).toEqual([]);
        const { entries } = await t.api.listEntries(id, { limit: 5000 });
        const byId = new Map(entries.map((e) => [e.id, e]));
        const uncounted = SENSITIVE.filter(
          (s, i) => !redactionCounts(byId.get(sent[i]?.id ?? '')?.redactions)[s.type as 'secret'],
        );
        expect(uncounted.map((s) => s.text.slice(0, 80))).toEqual([]);
        expect(entries.filter((e) => e.body.includes('[REDACTED:')).length).toBeGreaterThanOrEqual(
          SECRETS.length,
        );
        expect(SECRETS.length).toBeGreaterThanOrEqual(50);
        expect(new Set(PRIVATE.map((p) => p.type))).toEqual(new Set(['email', 'phone', 'card', 'nino']));
      },
    );

    it('leaves near-misses and data the policy allows as they were written', async () => {
      const id = await newIncident();
      const iban = privateCorpus().find((p) => p.type === 'iban');
      const sent = [...NEAR_MISSES, iban?.text ?? ''].map((body) => makeEntry('note', { body }));
      await as.responder.appendEntries(id, { entries: sent });
      const { entries } = await t.api.listEntries(id, { limit: 5000 });
      expect(entries.map((e) => [e.body, e.redactions])).toEqual(sent.map((e) => [e.body, undefined]));
      expect(await stored(id)).toContain(iban?.datum);
    });

    it('gives a datum the placeholder a client makes with the key from the settings, the same in every entry', async () => {
      const id = await newIncident();
      const { key, policy } = await as.responder.sanitizerSettings(id);
      const first = makeEntry('finding', {
        body: 'customer Jane.Doe@Example.com reported the failed payment',
      });
      const again = makeEntry('note', {
        title: 'follow up with jane.doe@example.com',
        body: 'called +1 415 555 0132, card 4111 1111 1111 1111',
      });
      await as.responder.appendEntries(id, { entries: [first] });
      await as.commander.appendEntries(id, { entries: [again] });
      const { entries } = await t.api.listEntries(id);
      const [a, b] = [first, again].map((s) => entries.find((e) => e.id === s.id) as Entry);
      const client = (await sanitizeText('jane.doe@example.com', { key, policy })).value;
      expect(client).toMatch(/^\[email-[0-9a-f]{6}\]$/);
      expect(a?.body).toBe(`customer ${client} reported the failed payment`);
      expect(b?.title).toBe(`follow up with ${client}`);
      expect(b?.body).toMatch(/^called \[phone-[0-9a-f]{6}\], card \[card-[0-9a-f]{6}\]$/);
      expect([a?.redactions, b?.redactions]).toEqual([{ email: 1 }, { email: 1, phone: 1, card: 1 }]);
      // Another incident's placeholder for the same address is another.
      const other = await newIncident('another');
      await as.responder.appendEntries(other, {
        entries: [makeEntry('finding', { body: 'jane.doe@example.com' })],
      });
      expect((await t.api.listEntries(other)).entries[0]?.body).not.toBe(client);
    });

    it('adds what it takes out to what the client already counted, whichever form its count is in', async () => {
      const id = await newIncident();
      const old = makeEntry('finding', {
        body: 'mail ops@example.com about [REDACTED:github-pat]',
        redactions: 2,
      });
      const counted = makeEntry('finding', { body: 'call +44 20 7946 0958', redactions: { email: 1 } });
      await as.responder.appendEntries(id, { entries: [old, counted] });
      const { entries } = await t.api.listEntries(id);
      expect(entries.map((e) => e.redactions)).toEqual([
        { secret: 2, email: 1 },
        { email: 1, phone: 1 },
      ]);
    });

    it('records the redactions of each write per type in the audit trail, never the text', async () => {
      const id = await newIncident();
      const secret = SECRETS[0];
      const body = `${secret?.text} and mail jane.doe@example.com or j.smith@example.org`;
      const res = await as.responder.appendEntries(id, {
        entries: [makeEntry('finding', { body }), makeEntry('note', { body: 'nothing here' })],
      });
      const writes = await auditOf(id, 'write');
      expect(writes.map((w) => w.detail)).toEqual([
        { seq: res.entries[0]?.seq, entries: 2, redactions: { secret: 1, email: 2 } },
      ]);
      expect(leaks(JSON.stringify(writes))).toEqual([]);
    });

    it('refuses an append holding data the policy refuses with 422 gate.private, changing nothing, audited without the datum', async () => {
      const id = await newIncident();
      await as.responder.appendEntries(id, { entries: [makeEntry('note', { body: 'before' })] });
      await settle(t.server, id);
      const before = { seq: (await t.api.getIncident(id)).incident.lastSeq, stored: await stored(id) };
      const ssn = privateCorpus().find((p) => p.type === 'ssn');
      const batch = [
        makeEntry('finding', { body: 'customer jane.doe@example.com' }),
        makeEntry('finding', { body: ssn?.text ?? '' }),
      ];
      const refused: unknown = await as.responder
        .appendEntries(id, { entries: batch })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'gate.private', details: { types: ['ssn'] } });
      expect(JSON.stringify(refused) + String(refused)).not.toContain(ssn?.datum);
      expect((await t.api.getIncident(id)).incident.lastSeq).toBe(before.seq);
      expect(await stored(id)).toBe(before.stored);
      const rejects = await auditOf(id, 'reject');
      expect(rejects.map((r) => r.detail.code)).toEqual(['gate.private']);
      expect(JSON.stringify(rejects)).not.toContain(ssn?.datum);
    });
  });

  describe('import', () => {
    it('stores no secret and no private datum of the corpus sample, counts them on each entry and in the audit trail', async () => {
      const source = await newIncident('import source');
      await t.api.appendEntries(source, { entries: [makeEntry('finding', { body: 'a clean finding' })] });
      const doc = ExportDocument.parse(JSON.parse(await t.api.exportIncident(source, 'json')));
      const leaky = SENSITIVE.map((s) => makeEntry('finding', { body: s.text }));
      const meta = {
        ...doc.incident.meta,
        title: 'imported for jane.doe@example.com',
        commander: 'ops-lead@example.com',
      };
      const curated = {
        ...doc,
        incident: { ...doc.incident, meta },
        entries: [...doc.entries, ...leaky],
        curation: { [leaky[0]?.id ?? '']: { label: 'ask +1 415 555 0132' } },
      };
      const { incident } = await as.commander.importIncident(curated, `imported-${backend}`);
      const seen = `${await stored(incident.id)}\n${await answered(incident.id)}`;
      expect(leaks(seen)).toEqual([]);
      for (const datum of ['jane.doe@example.com', 'ops-lead@example.com', '415 555 0132'])
        expect(seen).not.toContain(datum);
      expect(incident.title).toMatch(/^imported for \[email-[0-9a-f]{6}\]$/);
      const { entries } = await t.api.listEntries(incident.id, { limit: 5000 });
      const byId = new Map(entries.map((e) => [e.id, e]));
      const uncounted = SENSITIVE.filter(
        (s, i) => !redactionCounts(byId.get(leaky[i]?.id ?? '')?.redactions)[s.type as 'secret'],
      );
      expect(uncounted.map((s) => s.text.slice(0, 80))).toEqual([]);
      const [record] = await auditOf(incident.id, 'import');
      expect(record?.detail.redactions).toMatchObject({
        secret: SECRETS.length,
        email: expect.any(Number),
        phone: expect.any(Number),
      });
      expect(leaks(JSON.stringify(record))).toEqual([]);
    });

    it(
      'keeps the data an incident allowed through export and an import that allows it again, ' +
        'audited; redacts it without; never keeps a secret',
      async () => {
        const source = await newIncident('allowing source');
        await as.commander.setAllowances(source, ['email']);
        const secret = SECRETS[0];
        const kept = makeEntry('finding', { body: `customer ${EMAIL} cannot pay` });
        await as.responder.appendEntries(source, { entries: [kept] });
        const doc = ExportDocument.parse(JSON.parse(await t.api.exportIncident(source, 'json')));
        expect(JSON.stringify(doc)).toContain(EMAIL);
        // An export edited by hand may hold anything: a secret, and a phone nobody allowed.
        const added = makeEntry('note', { body: `${secret?.text} then call +1 415 555 0132` });
        const edited = { ...doc, entries: [...doc.entries, added] };

        const { incident } = await as.commander.importIncident(edited, `allowed-${backend}`, ['email']);
        const seen = `${await stored(incident.id)}\n${await answered(incident.id)}`;
        expect(seen).toContain(`customer ${EMAIL} cannot pay`);
        expect(leaks(seen).filter((l) => !l.startsWith('email'))).toEqual([]);
        expect(survives(seen, secret?.secret ?? '')).toBe(false);
        expect(seen).not.toContain('555 0132');
        expect(await as.responder.sanitizerSettings(incident.id)).toMatchObject({
          allowances: ['email'],
          policy: { email: 'allow', phone: 'redact' },
        });
        const [allowed] = await auditOf(incident.id, 'incident.allow');
        expect([allowed?.tokenId, allowed?.detail]).toEqual([
          (await as.commander.me()).tokenId,
          { allowances: ['email'], added: ['email'], removed: [] },
        ]);
        // The new incident's room lets the allowed type through its socket too.
        expect((await t.server.rooms.open(incident.id)).policy.email).toBe('allow');

        const plain = await as.commander.importIncident(edited, `not-allowed-${backend}`);
        const redacted = `${await stored(plain.incident.id)}\n${await answered(plain.incident.id)}`;
        expect(redacted).not.toContain(EMAIL);
        expect(await auditOf(plain.incident.id, 'incident.allow')).toEqual([]);
        await expect(
          as.commander.importIncident(edited, 'bad-allow', ['password' as 'email']),
        ).rejects.toMatchObject({
          code: 'request.invalid',
        });
      },
    );

    it('refuses an import holding data the policy refuses with 422 gate.private, making no incident', async () => {
      const source = await newIncident('refused import source');
      const doc = ExportDocument.parse(JSON.parse(await t.api.exportIncident(source, 'json')));
      const ssn = privateCorpus().find((p) => p.type === 'ssn');
      const bad = { ...doc, entries: [...doc.entries, makeEntry('finding', { body: ssn?.text ?? '' })] };
      await expect(as.commander.importIncident(bad, `refused-${backend}`)).rejects.toMatchObject({
        code: 'gate.private',
      });
      await expect(t.api.getIncident(`refused-${backend}`)).rejects.toMatchObject({
        code: 'incident.not_found',
      });
    });
  });

  describe('allowances', () => {
    it(
      'lets a commander or admin allow a type for one incident, audited with who and which ' +
        'types; responders and viewers get 403',
      async () => {
        const id = await newIncident();
        for (const role of ['viewer', 'responder'] as const)
          await expect(as[role].setAllowances(id, ['email'])).rejects.toMatchObject({
            code: 'auth.forbidden',
          });
        expect((await as.responder.sanitizerSettings(id)).allowances).toEqual([]);
        const set = await as.commander.setAllowances(id, ['phone', 'email', 'email']);
        expect(set).toMatchObject({
          allowances: ['email', 'phone'],
          policy: { email: 'allow', phone: 'allow', card: 'redact', ssn: 'refuse' },
        });
        expect(await as.responder.sanitizerSettings(id)).toEqual(set);
        await as.admin.setAllowances(id, ['email']);
        const records = await auditOf(id, 'incident.allow');
        const tokenOf = async (c: ApiClient) => (await c.me()).tokenId;
        expect(records.map((r) => [r.tokenId, r.detail])).toEqual([
          [await tokenOf(as.admin), { allowances: ['email'], added: [], removed: ['phone'] }],
          [
            await tokenOf(as.commander),
            { allowances: ['email', 'phone'], added: ['email', 'phone'], removed: [] },
          ],
        ]);
        await expect(as.commander.setAllowances(id, ['password' as 'email'])).rejects.toMatchObject({
          code: 'request.invalid',
        });
        await expect(as.commander.setAllowances('no-such-incident', ['email'])).rejects.toMatchObject({
          code: 'incident.not_found',
        });
        expect((await as.responder.sanitizerSettings(id)).allowances).toEqual(['email']);
      },
    );

    it('keeps what an incident allows as written on the HTTP paths, and only in that incident', async () => {
      const id = await newIncident();
      const other = await newIncident('no allowance');
      await as.commander.setAllowances(id, ['email']);
      const body = 'customer jane.doe@example.com, phone +1 415 555 0132';
      for (const i of [id, other])
        await as.responder.appendEntries(i, { entries: [makeEntry('finding', { body })] });
      expect((await t.api.listEntries(id)).entries[0]?.body).toMatch(
        /^customer jane\.doe@example\.com, phone \[phone-[0-9a-f]{6}\]$/,
      );
      expect((await t.api.listEntries(other)).entries[0]?.body).toMatch(
        /^customer \[email-[0-9a-f]{6}\], phone \[phone-[0-9a-f]{6}\]$/,
      );
    });

    it('marks an incident with an allowance, so cross-incident search and related can leave it out', async () => {
      const allowing = await newIncident('allowing');
      const plain = await newIncident('plain');
      await as.commander.setAllowances(allowing, ['card']);
      let ids = await t.server.store.privacy.incidentsWithoutAllowance();
      expect(ids).toContain(plain);
      expect(ids).not.toContain(allowing);
      await as.commander.setAllowances(allowing, []);
      ids = await t.server.store.privacy.incidentsWithoutAllowance();
      expect(ids).toContain(allowing);
    });
  });

  describe('incident creation', () => {
    it('replaces secrets and private data in the title and commander, in the id made from the title and in its audit record', async () => {
      const secret = SECRETS.find((s) => s.provider.startsWith('GitHub'));
      const { incident } = await as.responder.createIncident({
        title: `checkout down for jane.doe@example.com ${secret?.secret}`,
        commander: 'Sam +1 415 555 0132',
      });
      const text = JSON.stringify(incident);
      for (const datum of ['jane.doe', 'example.com', '555 0132', secret?.secret ?? ''])
        expect(text).not.toContain(datum);
      expect(incident.title).toMatch(/^checkout down for \[email-[0-9a-f]{6}\] \[REDACTED:[^\]]+\]$/);
      expect(incident.commander).toMatch(/^Sam \[phone-[0-9a-f]{6}\]$/);
      expect(incident.id).toMatch(/^checkout-down-for-email-[0-9a-f]{6}-redacted/);
      expect(leaks(await stored(incident.id))).toEqual([]);
      const [record] = await auditOf(incident.id, 'incident.create');
      expect(record?.detail).toEqual({
        title: incident.title,
        redactions: { email: 1, secret: 1, phone: 1 },
      });
    });

    it('refuses a title holding data the policy refuses, making no incident', async () => {
      const before = (await t.api.listIncidents({ limit: 500 })).incidents.length;
      const ssn = privateCorpus().find((p) => p.type === 'ssn');
      await expect(as.responder.createIncident({ title: `payroll leak ${ssn?.text}` })).rejects.toMatchObject(
        { code: 'gate.private' },
      );
      expect((await t.api.listIncidents({ limit: 500 })).incidents.length).toBe(before);
    });
  });
  describe('free text kept outside the document', () => {
    it('refuses a token label holding a secret or private data (HTTP and CLI), making no token', async () => {
      const secret = SECRETS.find((s) => s.provider.startsWith('GitHub'));
      const before = (await t.api.listTokens()).tokens.length;
      for (const [label, code, type] of [
        [`on-call for ${EMAIL}`, 'gate.private', 'email'],
        ['call-415-555-0132 pager', 'gate.private', 'phone'],
        [`ci ${secret?.secret}`, 'gate.secret', 'secret'],
      ] as const) {
        const refused: unknown = await t.api
          .createToken({ role: 'responder', label })
          .catch((e: unknown) => e);
        expect(refused, label).toMatchObject({ code, details: { place: 'token label', type } });
        expect(String(refused)).toContain('the token label holds');
        expect(JSON.stringify(refused) + String(refused)).not.toContain(label);
      }
      const cli = await runCli(['token', 'create', '--role', 'viewer', '--label', `dashboard of ${EMAIL}`], {
        env: { SITREP_URL: t.server.url, SITREP_TOKEN: t.token },
      });
      expect(cli.code).not.toBe(0);
      expect(cli.stderr).toContain('the token label holds private data (email)');
      expect((await t.api.listTokens()).tokens.length).toBe(before);
      const audit = JSON.stringify(await t.api.listAudit({ action: 'token.create', limit: 1000 }));
      expect(audit).not.toContain(EMAIL);
      expect(audit).not.toContain('555-0132');
      // A clean label, and one naming a placeholder, are made as asked.
      await expect(
        t.api.createToken({ role: 'viewer', label: 'on-call for [email-3f9a2c]' }),
      ).resolves.toBeTruthy();
    });

    it('refuses an incident id holding private data, on creation and on import, making no incident', async () => {
      for (const id of ['call-415-555-0132', 'refund-4111111111111111']) {
        await expect(t.api.createIncident({ id, title: 'checkout down' })).rejects.toMatchObject({
          code: 'gate.private',
          details: { place: 'incident id' },
        });
        await expect(t.api.getIncident(id)).rejects.toMatchObject({ code: 'incident.not_found' });
      }
      const source = await newIncident('id source');
      const doc = ExportDocument.parse(JSON.parse(await t.api.exportIncident(source, 'json')));
      await expect(as.commander.importIncident(doc, 'card-4111111111111111')).rejects.toMatchObject({
        code: 'gate.private',
        details: { place: 'incident id' },
      });
      const named = { ...doc, incident: { ...doc.incident, id: 'tel-415-555-0132' } };
      await expect(as.commander.importIncident(named)).rejects.toMatchObject({ code: 'gate.private' });
      await expect(t.api.getIncident('card-4111111111111111')).rejects.toMatchObject({
        code: 'incident.not_found',
      });
    });

    it('redacts a purge reason before it goes into the audit trail', async () => {
      const id = await newIncident('purge reason');
      const leak = makeEntry('finding', { body: 'a leak to purge' });
      await as.responder.appendEntries(id, { entries: [leak] });
      await as.admin.purgeEntry(id, leak.id, `customer ${EMAIL} asked for it`);
      const [record] = await auditOf(id, 'purge');
      expect(String(record?.detail.reason)).toMatch(/^customer \[email-[0-9a-f]{6}\] asked for it$/);
      expect(JSON.stringify(await t.api.listAudit({ incident: id, limit: 1000 }))).not.toContain(EMAIL);
    });
  });
});
