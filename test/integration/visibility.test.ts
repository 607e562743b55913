// Who reads which incident (server/src/store/visibility.ts): the store's condition for every
// kind of reader, then every kind of token against every route that names an incident, the list,
// search across incidents and the websocket, on PGlite and on Postgres. Nothing of a private
// incident reaches a token that may not read it: its answers are those of an incident that does
// not exist.
import {
  ApiClient,
  CLOSE_FORBIDDEN,
  type Role,
  type RelatedResponse,
  type SearchResponse,
  type TokenSummary,
  entriesMap,
} from '@sitrep/shared';
import { newIncidentKey } from '@sitrep/shared/sanitizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Store, openStore } from '../../server/src/store/Store.js';
import type { Reader } from '../../server/src/store/visibility.js';
import { connectProvider, makeEntry, sendForAck, synced } from '../support/clients.js';
import {
  BACKENDS,
  type Fixture,
  type TestStorage,
  adminToken,
  startFixture,
  startTestServer,
  testStorage,
  waitFor,
} from '../support/server.js';

const reader = (role: Role, incidentId: string | null = null, isolated = false): Reader => ({
  role,
  incidentId,
  isolated,
});

/** Readers by name, and the incidents (of `open`, `open2`, `secret`) each must read. */
const EXPECTED: [string, Reader, string[]][] = [
  ['an admin', reader('admin'), ['open', 'open2', 'secret']],
  ['an unscoped commander', reader('commander'), ['open', 'open2']],
  ['an unscoped viewer', reader('viewer'), ['open', 'open2']],
  ['a responder limited to open', reader('responder', 'open'), ['open', 'open2']],
  ['a responder limited to secret', reader('responder', 'secret'), ['open', 'open2', 'secret']],
  ['an admin limited to open', reader('admin', 'open'), ['open', 'open2']],
  ['an isolated responder of open', reader('responder', 'open', true), ['open']],
  ['an isolated viewer of secret', reader('viewer', 'secret', true), ['secret']],
  ['an isolated token with no incident', reader('viewer', null, true), []],
];

for (const backend of BACKENDS) {
  describe(`visibility in the store on ${backend}`, () => {
    let storage: TestStorage;
    let store: Store;
    beforeAll(async () => {
      storage = await testStorage(backend);
      store = await openStore({ dataDir: storage.dataDir, databaseUrl: storage.databaseUrl });
      for (const id of ['open', 'open2', 'secret']) {
        const meta = {
          title: `${id} title`,
          severity: 'SEV3',
          status: 'investigating',
          kind: 'incident',
        } as const;
        await store.createIncident(id, { ...meta, createdAt: new Date().toISOString() }, [], {
          sanitizerKey: newIncidentKey(),
          private: id === 'secret',
        });
      }
    });
    afterAll(async () => {
      await store.close();
      await storage.remove();
    });

    it.each(EXPECTED)('%s lists and reads exactly what it may', async (_name, r, may) => {
      const listed = await store.listIncidents({ limit: 500, archived: false, reader: r });
      expect(listed.incidents.map((i) => i.id).sort()).toEqual(may);
      for (const id of ['open', 'open2', 'secret', 'absent']) {
        const got = await store.readableIncident(id, r);
        expect(got?.id ?? null).toBe(may.includes(id) ? id : null);
      }
    });

    it('pages through only what the reader may read', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listIncidents({
          limit: 1,
          cursor,
          archived: false,
          reader: reader('viewer'),
        });
        seen.push(...page.incidents.map((i) => i.id));
        expect(JSON.stringify(page)).not.toContain('secret');
        cursor = page.next ?? undefined;
      } while (cursor);
      expect(seen.sort()).toEqual(['open', 'open2']);
    });

    it('says which incidents are private to those who may read them', async () => {
      expect((await store.readableIncident('secret', reader('admin')))?.private).toBe(true);
      expect((await store.readableIncident('open', reader('admin')))?.private).toBe(false);
    });
  });
}

type Kind =
  | 'admin'
  | 'commander'
  | 'responder'
  | 'viewer'
  | 'scoped'
  | 'isolated'
  | 'keeper'
  | 'isolatedPrivate'
  | 'revoked';
/** Each kind of token: its role and the incident it is limited to (by name), and whether isolated. */
const TOKENS: Record<Kind, { role: Role; scope: 'open' | 'secret' | null; isolated?: boolean }> = {
  admin: { role: 'admin', scope: null },
  commander: { role: 'commander', scope: null },
  responder: { role: 'responder', scope: null },
  viewer: { role: 'viewer', scope: null },
  scoped: { role: 'responder', scope: 'open' },
  isolated: { role: 'responder', scope: 'open', isolated: true },
  keeper: { role: 'commander', scope: 'secret' }, // what a private incident's maker gets
  isolatedPrivate: { role: 'viewer', scope: 'secret', isolated: true },
  revoked: { role: 'responder', scope: null },
};
type Name = 'open' | 'other' | 'secret';
const NAMES: Name[] = ['open', 'other', 'secret'];

/** What a token of this kind may do on this incident: read it, and with which role. */
function access(kind: Kind, name: Name): { read: boolean; role: Role } {
  const t = TOKENS[kind];
  const read =
    t.role === 'admin' && t.scope === null
      ? true
      : t.isolated
        ? name === t.scope
        : name !== 'secret' || t.scope === name;
  return { read, role: t.scope === null || t.scope === name ? t.role : 'viewer' };
}

/** Every route that names an incident, with the role it needs; bodies that change nothing when allowed. */
const ROUTES: { method: string; path: string; need: Role; body?: unknown; okCode?: string }[] = [
  { method: 'GET', path: '', need: 'viewer' },
  { method: 'GET', path: '/entries', need: 'viewer' },
  { method: 'GET', path: '/entries?q=marker', need: 'viewer' },
  { method: 'GET', path: '/receipts', need: 'viewer' },
  { method: 'GET', path: '/brief', need: 'viewer' },
  { method: 'GET', path: '/view', need: 'viewer' },
  { method: 'GET', path: '/summaries', need: 'viewer' },
  { method: 'GET', path: '/export?format=json', need: 'viewer' },
  { method: 'GET', path: '/export?format=md', need: 'viewer' },
  { method: 'GET', path: '/export?format=html', need: 'viewer' },
  { method: 'GET', path: '/replay?at=1', need: 'viewer' },
  { method: 'GET', path: '/related', need: 'viewer' },
  {
    method: 'GET',
    path: '/related?entry=01JDC7Q6ZB4ND3X2Y0T8K9H1QF',
    need: 'viewer',
    okCode: 'entry.not_found',
  },
  { method: 'GET', path: '/sanitizer', need: 'responder' },
  { method: 'GET', path: '/sanitizer/scan', need: 'admin' },
  { method: 'POST', path: '/entries', need: 'responder', body: 'entry' },
  { method: 'POST', path: '/summarizer', need: 'commander', body: { paused: false } },
  { method: 'PUT', path: '/allowances', need: 'commander', body: { allow: [] } },
  { method: 'POST', path: '/archive', need: 'admin', body: { archived: false } },
  { method: 'POST', path: '/private', need: 'admin', body: 'same' },
  {
    method: 'POST',
    path: '/entries/01JDC7Q6ZB4ND3X2Y0T8K9H1QF/purge',
    need: 'admin',
    body: { reason: 'test' },
    okCode: 'entry.not_found',
  },
];

/** Entries the open and the private incident both get: the same error string and service. */
const LOOK_ALIKE = [
  {
    kind: 'theory' as const,
    title: 'payments-db TLS: x509: certificate has expired or is not yet valid',
    body: 'payments-db clients fail the handshake with x509: certificate has expired or is not yet valid',
  },
  {
    kind: 'finding' as const,
    body: 'every payments-db connection logs x509: certificate has expired or is not yet valid since 09:00',
  },
];

const rank = (r: Role) => ['viewer', 'responder', 'commander', 'admin'].indexOf(r);

for (const backend of BACKENDS) {
  describe(`visibility over HTTP and websockets on ${backend}`, () => {
    let f: Fixture;
    const ids = {} as Record<Name, string>;
    const tokens = {} as Record<Kind, string>;
    /** What of the private incident must never reach a token that may not read it. */
    const MARKER = 'zq-hr-marker-7731';
    const SECRET_TITLE = 'Payroll access by a departing employee';
    let keeperSummary: TokenSummary | undefined;

    const raw = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${f.server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    };

    beforeAll(async () => {
      f = await startFixture(backend);
      ids.open = (await f.api.createIncident({ title: 'Checkout latency' })).incident.id;
      ids.other = (await f.api.createIncident({ title: 'Queue backlog' })).incident.id;
      const { token: commander } = await f.api.createToken({ role: 'commander', label: 'ic' });
      const made = await new ApiClient(f.server.url, { token: commander }).createIncident({
        title: SECRET_TITLE,
        private: true,
      });
      ids.secret = made.incident.id;
      if (!made.token) throw new Error('a commander making a private incident gets a token for it');
      tokens.keeper = made.token.token;
      keeperSummary = made.token.summary;
      tokens.commander = commander;
      await f.api.appendEntries(ids.secret, {
        entries: [makeEntry('finding', { title: `about ${MARKER}`, body: `the ${MARKER} finding` })],
      });
      for (const name of NAMES)
        await f.api.appendEntries(ids[name], { entries: [makeEntry('note', { body: 'marker' })] });
      // The open and the private incident look alike, so the private one is related to the open one.
      for (const name of ['open', 'secret'] as const)
        await f.api.appendEntries(ids[name], { entries: LOOK_ALIKE.map((e) => makeEntry(e.kind, e)) });
      for (const kind of Object.keys(TOKENS) as Kind[]) {
        if (kind === 'admin') tokens.admin = f.token;
        if (kind === 'admin' || kind === 'commander' || kind === 'keeper') continue;
        const t = TOKENS[kind];
        const created = await f.api.createToken({
          role: t.role,
          label: kind,
          ...(t.scope && { incidentId: ids[t.scope] }),
          ...(t.isolated && { isolated: true }),
        });
        tokens[kind] = created.token;
        if (kind === 'revoked') await f.api.revokeToken(created.summary.id);
      }
    });
    afterAll(async () => {
      await f.close();
    });

    /** The answer for an incident that does not exist, with its id in place of `id`. */
    const absentAnswer = async (method: string, path: string, token: string, body: unknown, id: string) => {
      const absent = 'no-such-incident-000000';
      const r = await raw(method, `/api/incidents/${absent}${path}`, token, body);
      return { status: r.status, text: r.text.replaceAll(absent, id) };
    };

    const cells: [Kind, (typeof ROUTES)[number], Name][] = [];
    for (const kind of Object.keys(TOKENS) as Kind[])
      for (const route of ROUTES) for (const name of NAMES) cells.push([kind, route, name]);

    it.each(cells)('%s: %o on %s', async (kind, route, name) => {
      const id = ids[name];
      const body =
        route.body === 'entry'
          ? { entries: [makeEntry('note')] }
          : route.body === 'same'
            ? { private: name === 'secret' }
            : route.body;
      const res = await raw(route.method, `/api/incidents/${id}${route.path}`, tokens[kind], body);
      const { read, role } = access(kind, name);
      if (kind === 'revoked') return void expect(res.status).toBe(401);
      if (!read) {
        // Not found, exactly as an incident that does not exist: nothing says it is there.
        expect(res).toEqual(await absentAnswer(route.method, route.path, tokens[kind], body, id));
        expect(res.status).toBe(404);
        expect(res.text).not.toContain(MARKER);
        expect(res.text).not.toContain(SECRET_TITLE);
        return;
      }
      if (rank(role) < rank(route.need)) {
        expect(res.status).toBe(403);
        expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'auth.forbidden' } });
        return;
      }
      if (route.okCode) expect(JSON.parse(res.text)).toMatchObject({ error: { code: route.okCode } });
      else expect(res.status, res.text).toBeLessThan(300);
      // What it reads holds nothing of the private incident unless it may read that.
      if (!access(kind, 'secret').read)
        for (const leak of [ids.secret, SECRET_TITLE, MARKER]) expect(res.text).not.toContain(leak);
    });

    it.each(Object.keys(TOKENS) as Kind[])(
      '%s lists, page by page, exactly the incidents it may read',
      async (kind) => {
        for (const archived of [false, true]) {
          const seen: string[] = [];
          let cursor = '';
          for (;;) {
            const res = await raw(
              'GET',
              `/api/incidents?limit=1${archived ? '&archived=true' : ''}${cursor}`,
              tokens[kind],
            );
            if (kind === 'revoked') return void expect(res.status).toBe(401);
            const page = JSON.parse(res.text) as { incidents: { id: string }[]; next: string | null };
            seen.push(...page.incidents.map((i) => i.id));
            if (!access(kind, 'secret').read) {
              for (const leak of [ids.secret, SECRET_TITLE, MARKER]) expect(res.text).not.toContain(leak);
            }
            if (!page.next) break;
            cursor = `&cursor=${encodeURIComponent(page.next)}`;
          }
          const may = archived ? [] : NAMES.filter((n) => access(kind, n).read).map((n) => ids[n]);
          expect(seen.sort()).toEqual(may.sort());
        }
      },
    );

    /** What a socket of this token on this incident comes to: refused before the upgrade, or its write's ack. */
    const socketOutcome = async (token: string, id: string) => {
      const doc = new Y.Doc();
      const entry = makeEntry('note');
      entriesMap(doc).set(entry.id, entry);
      return sendForAck(f.server.url, id, token, Y.encodeStateAsUpdate(doc)).then(
        (ack) => (ack.ok ? 'written' : `refused ${ack.reason.split(':')[0]}`),
        (err: unknown) => String(err),
      );
    };

    it.each((Object.keys(TOKENS) as Kind[]).flatMap((k) => NAMES.map((n) => [k, n] as const)))(
      '%s on the websocket of %s',
      async (kind, name) => {
        const got = await socketOutcome(tokens[kind], ids[name]);
        const { read, role } = access(kind, name);
        if (kind === 'revoked') return void expect(got).toContain('the socket closed');
        if (!read) {
          expect(got).toContain('Unexpected server response: 404');
          expect(await socketOutcome(tokens[kind], 'no-such-incident-000000')).toBe(got);
        } else expect(got).toBe(rank(role) >= rank('responder') ? 'written' : 'refused gate.forbidden');
      },
    );

    it.each(Object.keys(TOKENS) as Kind[])(
      '%s searches across exactly the incidents it may read',
      async (kind) => {
        for (const q of [MARKER, 'marker', 'Payroll departing employee']) {
          const res = await raw('GET', `/api/search?q=${encodeURIComponent(q)}&limit=100`, tokens[kind]);
          if (kind === 'revoked') return void expect(res.status).toBe(401);
          expect(res.status, res.text).toBe(200);
          const found = new Set((JSON.parse(res.text) as SearchResponse).results.map((r) => r.incident.id));
          for (const name of NAMES) if (!access(kind, name).read) expect(found.has(ids[name])).toBe(false);
          if (!access(kind, 'secret').read)
            for (const leak of [ids.secret, SECRET_TITLE, MARKER]) expect(res.text).not.toContain(leak);
        }
        // Asking for the private incident by name finds nothing, as for one that does not exist.
        const named = await raw('GET', `/api/search?q=marker&incident=${ids.secret}`, tokens[kind]);
        if (!access(kind, 'secret').read) expect(named.text).not.toContain(MARKER);
        // Those that may read it find its entries.
        if (access(kind, 'secret').read) {
          const res = await raw('GET', `/api/search?q=${MARKER}`, tokens[kind]);
          expect((JSON.parse(res.text) as SearchResponse).results.map((r) => r.incident.id)).toContain(
            ids.secret,
          );
        }
      },
    );

    it('finds the private incident related to the open one for those who may read it', async () => {
      for (const kind of ['admin', 'keeper'] as const) {
        const res = await raw('GET', `/api/incidents/${ids.open}/related`, tokens[kind]);
        expect((JSON.parse(res.text) as RelatedResponse).related.map((r) => r.incident.id)).toContain(
          ids.secret,
        );
      }
    });

    it('gives a commander who makes a private incident a commander token for it, and an admin none', async () => {
      expect(keeperSummary).toMatchObject({
        role: 'commander',
        incidentId: ids.secret,
        isolated: false,
        kind: 'human',
      });
      const made = await f.api.createIncident({ title: 'Admin made this private', private: true });
      expect(made.token).toBeUndefined();
      expect(made.incident.private).toBe(true);
      const responder = new ApiClient(f.server.url, { token: tokens.responder });
      await expect(responder.createIncident({ title: 'no', private: true })).rejects.toMatchObject({
        code: 'auth.forbidden',
      });
      const audit = (await f.api.listAudit({ incident: ids.secret, limit: 50 })).records;
      expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['incident.create', 'token.create']));
      expect(audit.find((r) => r.action === 'incident.create')?.detail).toMatchObject({ private: true });
    });

    it('refuses an isolated token without an incident', async () => {
      await expect(f.api.createToken({ role: 'viewer', label: 'x', isolated: true })).rejects.toMatchObject({
        code: 'request.invalid',
        message: expect.stringContaining('isolated'),
      });
    });

    it('lets only an admin make an incident private or not, audited; sockets that may no longer read it close', async () => {
      const id = (await f.api.createIncident({ title: 'Becomes private' })).incident.id;
      const { token: mine } = await f.api.createToken({ role: 'viewer', label: 'its own', incidentId: id });
      const viewer = connectProvider(f.server.url, id, tokens.viewer);
      const own = connectProvider(f.server.url, id, mine);
      try {
        await Promise.all([synced(viewer), synced(own)]);
        let closed = 0;
        viewer.once('connection-close', (e: CloseEvent | null) => void (closed = e?.code ?? -1));
        for (const kind of ['commander', 'keeper', 'scoped'] as const)
          await expect(
            new ApiClient(f.server.url, { token: tokens[kind] }).setPrivate(id, true),
          ).rejects.toMatchObject({ code: 'auth.forbidden' });
        expect((await f.api.setPrivate(id, true)).incident.private).toBe(true);
        expect(await waitFor(() => closed, 'the socket to close')).toBe(CLOSE_FORBIDDEN);
        viewer.disconnect();
        await expect(
          new ApiClient(f.server.url, { token: tokens.viewer }).getIncident(id),
        ).rejects.toMatchObject({
          code: 'incident.not_found',
        });
        expect(own.wsconnected).toBe(true);
        await f.api.setPrivate(id, false);
        await new ApiClient(f.server.url, { token: tokens.viewer }).getIncident(id);
        const records = (await f.api.listAudit({ incident: id, action: 'incident.private' })).records;
        expect(records.map((r) => r.detail)).toEqual([
          { private: false, was: true },
          { private: true, was: false },
        ]);
      } finally {
        viewer.destroy();
        own.destroy();
      }
    });
  });
}

describe('visibility across nodes', () => {
  it('closes, on another node, the sockets of tokens that may no longer read an incident made private', async () => {
    const storage = await testStorage('postgres');
    const [a, b] = [await startTestServer(storage), await startTestServer(storage)];
    const admin = new ApiClient(a.url, { token: adminToken(a) });
    const id = (await admin.createIncident({ title: 'Made private on node a' })).incident.id;
    const { token } = await admin.createToken({ role: 'viewer', label: 'on node b' });
    const { token: own } = await admin.createToken({ role: 'viewer', label: 'its own', incidentId: id });
    const [viewer, kept] = [connectProvider(b.url, id, token), connectProvider(b.url, id, own)];
    try {
      await Promise.all([synced(viewer), synced(kept)]);
      let closed = 0;
      viewer.once('connection-close', (e: CloseEvent | null) => void (closed = e?.code ?? -1));
      await admin.setPrivate(id, true);
      // The notification, not the periodic re-check (30 s).
      expect(await waitFor(() => closed, 'the socket on node b to close', 3_000)).toBe(CLOSE_FORBIDDEN);
      viewer.disconnect();
      expect(kept.wsconnected).toBe(true);
      await expect(new ApiClient(b.url, { token }).getIncident(id)).rejects.toMatchObject({
        code: 'incident.not_found',
      });
    } finally {
      viewer.destroy();
      kept.destroy();
      await Promise.all([a.close(), b.close()]);
      await storage.remove();
    }
  });
});
