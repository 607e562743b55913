// Who reads which incident (server/src/store/visibility.ts): the store's condition for every
// kind of reader, then every kind of token against every route that names an incident, the list
// (and a cursor made by hand at a private incident), search across incidents, the websocket, the
// MCP tools over POST /mcp and OTLP usage over POST /v1/metrics, on PGlite and on Postgres. Nothing of a private
// incident reaches a token that may not read it: its answers are those of an incident that does
// not exist. `sitrep` is the CLI bundled once for the run (test/support/cli.ts): what is tested
// is what it does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ApiClient,
  CLOSE_FORBIDDEN,
  type ExportDocument,
  NO_TOKENS,
  type Role,
  type RelatedResponse,
  type SearchResponse,
  type TokenSummary,
  entriesMap,
  newEntryId,
} from '@sitrep/shared';
import { newIncidentKey } from '@sitrep/shared/sanitizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Store, openStore } from '../../server/src/store/Store.js';
import type { Reader } from '../../server/src/store/visibility.js';
import { childEnv } from '../support/childEnv.js';
import { type CliResult, SITREP_BUILT, runCli } from '../support/cli.js';
import { connectProvider, makeEntry, sendForAck, synced } from '../support/clients.js';
import { textOf } from '../support/mcp.js';
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

    it('reads an incident as the store has it, for every kind of reader that may', async () => {
      await store.createIncident(
        'full',
        {
          title: 'full title',
          severity: 'SEV1',
          status: 'mitigating',
          kind: 'drill',
          commander: 'ic',
          createdAt: new Date().toISOString(),
        },
        [],
        { sanitizerKey: newIncidentKey() },
      );
      await store.appendUpdates('full', [{ bytes: Y.encodeStateAsUpdate(new Y.Doc()), entries: [] }]);
      await store.setArchived('full', true, 'an admin');
      const stored = await store.getIncident('full');
      expect(stored).toMatchObject({ lastSeq: 1, commander: 'ic', archivedAt: expect.any(String) });
      for (const r of [reader('admin'), reader('viewer'), reader('responder', 'full', true)])
        expect(await store.readableIncident('full', r)).toEqual(stored);
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
  | 'copyKeeper'
  | 'isolatedPrivate'
  | 'scopedViewer'
  | 'scopedCommander'
  | 'scopedAdmin'
  | 'privateResponder'
  | 'privateViewer'
  | 'revoked'
  | 'none'
  | 'garbage';
/** The incidents: two open ones, a private one, and its JSON export imported with `sitrep import`. */
type Name = 'open' | 'other' | 'secret' | 'copy';
const NAMES: Name[] = ['open', 'other', 'secret', 'copy'];
const PRIVATE: readonly Name[] = ['secret', 'copy'];
/** Each kind of token: its role and the incident it is limited to (by name), and whether isolated. */
const TOKENS: Record<Kind, { role: Role; scope: Name | null; isolated?: boolean }> = {
  admin: { role: 'admin', scope: null },
  commander: { role: 'commander', scope: null },
  responder: { role: 'responder', scope: null },
  viewer: { role: 'viewer', scope: null },
  scoped: { role: 'responder', scope: 'open' },
  isolated: { role: 'responder', scope: 'open', isolated: true },
  keeper: { role: 'commander', scope: 'secret' }, // what a private incident's maker gets
  copyKeeper: { role: 'commander', scope: 'copy' }, // what the importer of its export gets
  isolatedPrivate: { role: 'viewer', scope: 'secret', isolated: true },
  scopedViewer: { role: 'viewer', scope: 'open' },
  scopedCommander: { role: 'commander', scope: 'open' },
  scopedAdmin: { role: 'admin', scope: 'open' }, // an admin limited to one incident is no admin elsewhere
  privateResponder: { role: 'responder', scope: 'secret' },
  privateViewer: { role: 'viewer', scope: 'secret' },
  revoked: { role: 'responder', scope: null },
  none: { role: 'viewer', scope: null }, // no Authorization header, no ?token=
  garbage: { role: 'viewer', scope: null }, // a well-formed token the server never made
};
const KINDS = Object.keys(TOKENS) as Kind[];
/** The kinds that are no token at all: 401 everywhere, before any incident is looked up. */
const SIGNED_OUT: readonly Kind[] = ['revoked', 'none', 'garbage'];
const signedOut = (kind: Kind) => SIGNED_OUT.includes(kind);

/** What a token of this kind may do on this incident: read it, and with which role. */
function access(kind: Kind, name: Name): { read: boolean; role: Role } {
  const t = TOKENS[kind];
  const read =
    t.role === 'admin' && t.scope === null
      ? true
      : t.isolated
        ? name === t.scope
        : !PRIVATE.includes(name) || t.scope === name;
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
  { method: 'GET', path: '/usage', need: 'viewer' },
  { method: 'GET', path: '/figures', need: 'viewer' },
  { method: 'PATCH', path: '', need: 'commander', body: { severity: 'SEV3' } },
  { method: 'GET', path: '/sanitizer', need: 'responder' },
  { method: 'POST', path: '/usage', need: 'responder', body: 'usage' },
  { method: 'POST', path: '/connect', need: 'commander', body: { name: 'Ana', harness: 'claude-code' } },
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

/** The Authorization header of a token; none for the kind that sends no token. */
const bearer = (token: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

const rank = (r: Role) => ['viewer', 'responder', 'commander', 'admin'].indexOf(r);

/** An incident id that does not exist: what a token that may not read an incident must get instead. */
const ABSENT = 'no-such-incident-000000';

for (const backend of BACKENDS) {
  describe(`visibility over HTTP and websockets on ${backend}`, () => {
    let f: Fixture;
    let dir: string;
    const ids = {} as Record<Name, string>;
    const tokens = {} as Record<Kind, string>;
    /** What of the private incident (and of its imported copy) must never reach a token that may not read it. */
    const MARKER = 'zq-hr-marker-7731';
    const SECRET_TITLE = 'Payroll access by a departing employee';
    let keeperSummary: TokenSummary | undefined;
    let importRun: CliResult | undefined;
    /** The look-alike theory of the open and of the private incident. */
    const theories = { open: '', secret: '' };

    /** What must not appear in any answer to this kind: the ids it may not read, their text unless it reads one. */
    const forbidden = (kind: Kind): string[] => {
      const hidden = PRIVATE.filter((n) => !access(kind, n).read);
      if (hidden.length === 0) return [];
      const text = hidden.length === PRIVATE.length ? [SECRET_TITLE, MARKER] : [];
      return [...hidden.map((n) => ids[n]), ...text];
    };
    const leaksIn = (kind: Kind, text: string): string[] => forbidden(kind).filter((l) => text.includes(l));

    const raw = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await fetch(`${f.server.url}${path}`, {
        method,
        headers: { ...bearer(token), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    };

    beforeAll(async () => {
      f = await startFixture(backend);
      dir = await mkdtemp(join(tmpdir(), 'sitrep-visibility-'));
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
      for (const name of ['open', 'other', 'secret'] as const)
        await f.api.appendEntries(ids[name], { entries: [makeEntry('note', { body: 'marker' })] });
      // The open and the private incident look alike, so the private one is related to the open one.
      for (const name of ['open', 'secret'] as const) {
        const entries = LOOK_ALIKE.map((e) => makeEntry(e.kind, e));
        theories[name] = entries[0]?.id ?? '';
        await f.api.appendEntries(ids[name], { entries });
      }
      // The private incident's JSON export, as its keeper takes it, imported by a commander with
      // `sitrep import`: the copy is private too, and the commander gets a token for it.
      const exported = await raw('GET', `/api/incidents/${ids.secret}/export?format=json`, tokens.keeper);
      const file = join(dir, 'secret.json');
      await writeFile(file, exported.text);
      ids.copy = `payroll-copy-${backend}`;
      // Through the CLI on one backend, the API on the other (the CLI is an API client).
      if (backend === 'pglite') {
        importRun = await runCli(['import', ids.copy, file], {
          env: { SITREP_URL: f.server.url, SITREP_TOKEN: commander },
        });
        tokens.copyKeeper = /\n(sitrep_\S+)\s*$/.exec(importRun.stderr)?.[1] ?? 'no-keeper-token';
      } else {
        const doc = JSON.parse(exported.text) as ExportDocument;
        const imported = await new ApiClient(f.server.url, { token: commander }).importIncident(
          doc,
          ids.copy,
        );
        tokens.copyKeeper = imported.token?.token ?? 'no-keeper-token';
      }
      tokens.admin = f.token;
      tokens.none = '';
      // The admin token's id with a secret the server never made.
      tokens.garbage = `sitrep_${f.token.split('_')[1]}_${'A'.repeat(43)}`;
      for (const kind of KINDS) {
        if (['admin', 'commander', 'keeper', 'copyKeeper', 'none', 'garbage'].includes(kind)) continue;
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
      await rm(dir, { recursive: true, force: true });
    });

    it("imports the private incident's export as a private incident, with a commander token for its importer", async () => {
      if (importRun) {
        expect(importRun.code, importRun.stderr).toBe(0);
        expect(importRun.stdout).toContain(`into ${ids.copy}`);
      }
      const copy = await new ApiClient(f.server.url, { token: tokens.copyKeeper }).getIncident(ids.copy);
      expect(copy.incident).toMatchObject({ title: SECRET_TITLE, private: true });
      const doc = JSON.parse(await f.api.exportIncident(ids.copy, 'json')) as ExportDocument;
      expect(doc.incident.private).toBe(true);
      expect(JSON.parse(await f.api.exportIncident(ids.open, 'json')) as ExportDocument).not.toHaveProperty(
        'incident.private',
      );
      const audit = (await f.api.listAudit({ incident: ids.copy, limit: 50 })).records;
      expect(audit.find((r) => r.action === 'import')?.detail).toMatchObject({
        from: ids.secret,
        private: true,
      });
      expect(audit.find((r) => r.action === 'token.create')?.detail).toMatchObject({ role: 'commander' });
      // An admin reads it anyway: no token. An open export is imported open, or private when asked.
      const again = await f.api.importIncident(doc, `${ids.copy}-by-admin`);
      expect(again.incident.private).toBe(true);
      expect(again.token).toBeUndefined();
      const open = JSON.parse(await f.api.exportIncident(ids.other, 'json')) as ExportDocument;
      expect((await f.api.importIncident(open, `${ids.other}-copy`)).incident.private).toBe(false);
      const asked = await new ApiClient(f.server.url, { token: tokens.commander }).importIncident(
        open,
        `${ids.other}-private-copy`,
        [],
        { private: true },
      );
      expect(asked.incident.private).toBe(true);
      expect(asked.token?.summary).toMatchObject({
        role: 'commander',
        incidentId: `${ids.other}-private-copy`,
      });
    });

    /** The answer of each route for an incident that does not exist, per token. */
    const absentAnswers = (token: string) =>
      Promise.all(
        ROUTES.map((route) =>
          raw(route.method, `/api/incidents/${ABSENT}${route.path}`, token, bodyOf(route, 'open')),
        ),
      );
    const bodyOf = (route: (typeof ROUTES)[number], name: Name) =>
      route.body === 'entry'
        ? { entries: [makeEntry('note')] }
        : route.body === 'usage'
          ? {
              sessionId: 's',
              messages: [
                {
                  id: newEntryId(),
                  model: 'claude-sonnet-4-5',
                  at: new Date().toISOString(),
                  tokens: NO_TOKENS,
                },
              ],
            }
          : route.body === 'same'
            ? { private: PRIVATE.includes(name) }
            : route.body;

    /** Every route on every incident for one token, at once; what went wrong in each cell, if anything. */
    it.each(KINDS)('%s on every route of every incident', async (kind) => {
      const absent = await absentAnswers(tokens[kind]);
      const cells = ROUTES.flatMap((route, r) => NAMES.map((name) => ({ route, name, absent: absent[r] })));
      const failures = await Promise.all(
        cells.map(async ({ route, name, absent }) => {
          const id = ids[name];
          const res = await raw(
            route.method,
            `/api/incidents/${id}${route.path}`,
            tokens[kind],
            bodyOf(route, name),
          );
          const cell = `${route.method} ${route.path || '/'} on ${name}: ${res.status} ${res.text.slice(0, 160)}`;
          const { read, role } = access(kind, name);
          if (signedOut(kind)) return res.status === 401 ? null : `${cell} (want 401)`;
          if (!read) {
            // Not found, exactly as an incident that does not exist: nothing says it is there.
            const same = res.status === 404 && res.text === absent?.text.replaceAll(ABSENT, id);
            return same ? null : `${cell} (want the 404 of an absent incident: ${absent?.text})`;
          }
          if (rank(role) < rank(route.need))
            return res.status === 403 && JSON.parse(res.text).error?.code === 'auth.forbidden'
              ? null
              : `${cell} (want 403 auth.forbidden)`;
          const ok = route.okCode ? JSON.parse(res.text).error?.code === route.okCode : res.status < 300;
          if (!ok) return `${cell} (want ${route.okCode ?? 'success'})`;
          // What it reads holds nothing of a private incident it may not read.
          const leaks = leaksIn(kind, res.text);
          return leaks.length ? `${cell} (leaks ${leaks.join(', ')})` : null;
        }),
      );
      expect(failures.filter((x) => x !== null)).toEqual([]);
    });

    it.each(KINDS)(
      '%s lists, page by page, exactly the incidents it may read, and is told what it is',
      async (kind) => {
        const me = await raw('GET', '/api/me', tokens[kind]);
        if (signedOut(kind)) return void expect(me.status).toBe(401);
        expect(JSON.parse(me.text)).toMatchObject({
          role: TOKENS[kind].role,
          isolated: TOKENS[kind].isolated ?? false,
        });
        await Promise.all(
          [false, true].map(async (archived) => {
            const seen: string[] = [];
            let cursor = '';
            for (;;) {
              const res = await raw(
                'GET',
                `/api/incidents?limit=1${archived ? '&archived=true' : ''}${cursor}`,
                tokens[kind],
              );
              const page = JSON.parse(res.text) as { incidents: { id: string }[]; next: string | null };
              seen.push(...page.incidents.map((i) => i.id));
              expect(leaksIn(kind, res.text)).toEqual([]);
              if (!page.next) break;
              cursor = `&cursor=${encodeURIComponent(page.next)}`;
            }
            const may = NAMES.filter((n) => access(kind, n).read).map((n) => ids[n]);
            // The other imports of the first test are listed too, to those who may read them.
            const listed = seen.filter((id) => NAMES.some((n) => ids[n] === id));
            expect(listed.sort()).toEqual(archived ? [] : may.sort());
            for (const id of seen) expect(leaksIn(kind, id)).toEqual([]);
          }),
        );
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

    it.each(KINDS)('%s reads over the websocket the document of every incident it may read', async (kind) => {
      const readable = NAMES.filter((n) => !signedOut(kind) && access(kind, n).read);
      const providers = readable.map((name) => connectProvider(f.server.url, ids[name], tokens[kind]));
      try {
        await Promise.all(providers.map(synced));
        readable.forEach((name, i) => {
          const bodies = [...entriesMap(providers[i]?.doc ?? new Y.Doc()).values()].map((e) => e.body);
          expect([name, bodies]).toEqual([name, expect.arrayContaining(['marker'])]);
        });
      } finally {
        for (const p of providers) p.destroy();
      }
    });

    it.each(KINDS)('%s on the websocket of every incident', async (kind) => {
      const [absent, ...got] = await Promise.all(
        [ABSENT, ...NAMES.map((n) => ids[n])].map((id) => socketOutcome(tokens[kind], id)),
      );
      NAMES.forEach((name, i) => {
        const { read, role } = access(kind, name);
        const want = signedOut(kind)
          ? expect.stringContaining('the socket closed')
          : !read
            ? absent
            : rank(role) >= rank('responder')
              ? 'written'
              : 'refused gate.forbidden';
        expect([name, got[i]]).toEqual([name, want]);
      });
      if (!signedOut(kind)) expect(absent).toContain('Unexpected server response: 404');
    });

    it.each(KINDS)('%s searches across exactly the incidents it may read', async (kind) => {
      const search = (q: string, extra = '') =>
        raw('GET', `/api/search?q=${encodeURIComponent(q)}&limit=100${extra}`, tokens[kind]);
      const answers = await Promise.all(
        [MARKER, 'marker', 'Payroll departing employee', 'x509 payments-db'].map((q) => search(q)),
      );
      for (const res of answers) {
        if (signedOut(kind)) return void expect(res.status).toBe(401);
        expect(res.status, res.text).toBe(200);
        const found = new Set((JSON.parse(res.text) as SearchResponse).results.map((r) => r.incident.id));
        for (const name of NAMES) if (!access(kind, name).read) expect(found.has(ids[name])).toBe(false);
        expect(leaksIn(kind, res.text)).toEqual([]);
      }
      // Asking for a private incident by name finds what asking for one that does not exist does.
      const [absent, ...named] = await Promise.all(
        [ABSENT, ...PRIVATE.map((n) => ids[n])].map((id) => search('marker', `&incident=${id}`)),
      );
      PRIVATE.forEach((name, i) => {
        if (!access(kind, name).read) expect(named[i]).toEqual(absent);
        // Those that may read it find its entries.
        else expect((JSON.parse(named[i]?.text ?? '') as SearchResponse).results.length).toBeGreaterThan(0);
      });
    });

    it.each(KINDS)('%s gets a hook brief with nothing of what it may not read', async (kind) => {
      const hook = (id: string) =>
        raw('POST', `/hooks/claude-code?incident=${id}`, tokens[kind], {
          session_id: `s-${kind}`,
          transcript_path: '/Users/ana/.claude/projects/x/9f1c.jsonl',
          cwd: '/Users/ana/src/checkout',
          hook_event_name: 'SessionStart',
          source: 'startup',
        });
      const [absent, ...got] = await Promise.all([ABSENT, ...NAMES.map((n) => ids[n])].map(hook));
      for (const [i, name] of NAMES.entries()) {
        const res = got[i];
        const { read, role } = access(kind, name);
        if (signedOut(kind)) expect(res?.status).toBe(401);
        else if (!read)
          expect(res).toEqual({ status: 404, text: absent?.text.replaceAll(ABSENT, ids[name]) });
        else if (rank(role) < rank('responder')) expect([name, res?.status]).toEqual([name, 403]);
        else {
          expect([name, res?.status]).toEqual([name, 200]);
          expect(leaksIn(kind, res?.text ?? '')).toEqual([]);
        }
      }
    });

    /** Ids of the incidents this kind may not read, open ones too (an isolated token's), and what `forbidden` names. */
    const unseen = (kind: Kind): string[] => [
      ...new Set([...NAMES.filter((n) => !access(kind, n).read).map((n) => ids[n]), ...forbidden(kind)]),
    ];

    it.each(KINDS)(
      '%s over POST /mcp: tools and resource tell nothing of what it may not read',
      async (kind) => {
        const initialize = {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'probe', version: '1' },
          },
        };
        const post = async (id: string) => {
          const res = await fetch(`${f.server.url}/mcp?incident=${id}`, {
            method: 'POST',
            headers: {
              ...bearer(tokens[kind]),
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
            body: JSON.stringify(initialize),
          });
          return { status: res.status, text: await res.text() };
        };
        const [absent, ...bound] = await Promise.all([ABSENT, ...NAMES.map((n) => ids[n])].map(post));
        for (const [i, name] of NAMES.entries()) {
          if (signedOut(kind)) expect([name, bound[i]?.status]).toEqual([name, 401]);
          else if (!access(kind, name).read)
            expect([name, bound[i]]).toEqual([
              name,
              { status: 404, text: absent?.text.replaceAll(ABSENT, ids[name]) },
            ]);
          else expect([name, bound[i]?.status]).toEqual([name, 200]);
        }
        if (signedOut(kind)) return;
        for (const name of NAMES.filter((n) => access(kind, n).read)) {
          const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
          await client.connect(
            new StreamableHTTPClientTransport(new URL(`${f.server.url}/mcp?incident=${ids[name]}`), {
              requestInit: { headers: bearer(tokens[kind]) },
            }),
          );
          try {
            const tool = async (tool: string, args: Record<string, unknown> = {}) =>
              textOf(await client.callTool({ name: tool, arguments: args }));
            const answers = [
              await tool('search_corpus', { text: MARKER }),
              await tool('search_corpus', { text: 'x509 payments-db', limit: 100 }),
              await tool('search_corpus', { text: 'marker', limit: 100 }),
              await tool('find_related_incidents', { limit: 20 }),
              await tool('get_brief'),
              await tool('list_theories'),
              await tool('search_entries', { text: 'marker' }),
            ];
            for (const a of answers) expect([name, leaksIn(kind, a)]).toEqual([name, []]);
            // What it may read is there: the private incidents it reads are related to the open one.
            if (name === 'open')
              for (const p of PRIVATE.filter((n) => access(kind, n).read))
                expect([p, answers[3]?.includes(ids[p])]).toEqual([p, true]);
            for (const a of answers)
              expect([name, unseen(kind).filter((l) => a.includes(l))]).toEqual([name, []]);
            // Naming an incident it may not read gets what naming one that does not exist gets.
            const named = async (id: string) => [
              await tool('search_corpus', { text: 'marker', incident: id }),
              await client.readResource({ uri: `sitrep://incidents/${id}/commander-view` }).then(
                (r) => JSON.stringify(r),
                (err: unknown) => String(err),
              ),
            ];
            const nothing = await named(ABSENT);
            for (const other of NAMES.filter((n) => !access(kind, n).read))
              expect([other, await named(ids[other])]).toEqual([
                other,
                nothing.map((t) => t.replaceAll(ABSENT, ids[other])),
              ]);
          } finally {
            await client.close();
          }
        }
      },
    );

    it.each(KINDS)(
      '%s reports OTLP usage only where it may write, and learns nothing elsewhere',
      async (kind) => {
        const usage = (id: string) => ({
          resourceMetrics: [
            {
              resource: {
                attributes: [
                  { key: 'service.name', value: { stringValue: 'claude-code' } },
                  { key: 'sitrep.incident', value: { stringValue: id } },
                ],
              },
              scopeMetrics: [
                {
                  scope: { name: 'com.anthropic.claude_code', version: '2.0.14' },
                  metrics: [
                    {
                      name: 'claude_code.token.usage',
                      unit: 'tokens',
                      sum: {
                        aggregationTemporality: 1,
                        isMonotonic: true,
                        dataPoints: [
                          {
                            attributes: [
                              { key: 'session.id', value: { stringValue: `otlp-${kind}` } },
                              { key: 'type', value: { stringValue: 'input' } },
                              { key: 'model', value: { stringValue: 'claude-sonnet-4-5' } },
                            ],
                            startTimeUnixNano: `${Date.now() - 60_000}000000`,
                            timeUnixNano: `${Date.now()}000000`,
                            asDouble: 700,
                          },
                        ],
                      },
                    },
                  ],
                },
              ],
            },
          ],
        });
        const [absent, ...got] = await Promise.all(
          [ABSENT, ...NAMES.map((n) => ids[n])].map((id) =>
            raw('POST', '/v1/metrics', tokens[kind], usage(id)),
          ),
        );
        for (const [i, name] of NAMES.entries()) {
          const res = got[i];
          const { read, role } = access(kind, name);
          if (signedOut(kind)) expect([name, res?.status]).toEqual([name, 401]);
          else if (!read)
            expect([name, res]).toEqual([
              name,
              { status: 404, text: absent?.text.replaceAll(ABSENT, ids[name]) },
            ]);
          else if (rank(role) < rank('responder'))
            expect([name, res?.status, JSON.parse(res?.text ?? '{}').error?.code]).toEqual([
              name,
              403,
              'auth.forbidden',
            ]);
          else expect([name, res]).toEqual([name, { status: 200, text: '{}' }]);
        }
      },
    );

    it.each(KINDS)(
      '%s given a cursor made by hand at a private incident learns nothing of it',
      async (kind) => {
        // The private incidents' own positions in the list, as an admin's pages give them.
        const positions: Record<string, string> = {};
        let cursor = '';
        for (;;) {
          const page = JSON.parse(
            (await raw('GET', `/api/incidents?limit=1${cursor}`, tokens.admin)).text,
          ) as {
            next: string | null;
          };
          if (!page.next) break;
          const [micros, id] = page.next.split('.');
          if (micros && id) positions[id] = micros;
          cursor = `&cursor=${encodeURIComponent(page.next)}`;
        }
        for (const name of PRIVATE) {
          const at = positions[ids[name]];
          if (!at) continue; // the last of the list has no cursor after it
          const page = (id: string) =>
            raw('GET', `/api/incidents?limit=100&cursor=${encodeURIComponent(`${at}.${id}`)}`, tokens[kind]);
          const [named, absent] = await Promise.all([page(ids[name]), page(ABSENT)]);
          if (signedOut(kind)) {
            expect(named.status).toBe(401);
            continue;
          }
          expect(leaksIn(kind, named.text)).toEqual([]);
          // The same page as a cursor at the same place naming no incident (the tie on the time aside).
          if (!access(kind, name).read) expect([name, named]).toEqual([name, absent]);
        }
      },
    );

    it.each(KINDS)('%s asks "seen before" of an entry only in the incident that holds it', async (kind) => {
      const unknown = '01JDC7Q6ZB4ND3X2Y0T8K9H1QF';
      const ask = (entry: string) =>
        raw('GET', `/api/incidents/${ids.open}/related?entry=${entry}`, tokens[kind]);
      const [own, foreign, none] = await Promise.all([theories.open, theories.secret, unknown].map(ask));
      if (signedOut(kind) || !access(kind, 'open').read)
        return void expect([own?.status, foreign?.status]).toEqual(signedOut(kind) ? [401, 401] : [404, 404]);
      expect(own?.status, own?.text).toBe(200);
      expect(leaksIn(kind, own?.text ?? '')).toEqual([]);
      // The private incident's theory is like the open one's: those who read it find it there.
      const found = (JSON.parse(own?.text ?? '') as RelatedResponse).related.map((r) => r.incident.id);
      expect(found.includes(ids.secret)).toBe(access(kind, 'secret').read);
      // Another incident's entry, private or not, is no entry of this one, for an admin too.
      expect(foreign).toEqual({ status: 404, text: none?.text.replaceAll(unknown, theories.secret) });
    });

    it('finds the private incident related to the open one for those who may read it', async () => {
      for (const kind of ['admin', 'keeper'] as const) {
        const res = await raw('GET', `/api/incidents/${ids.open}/related`, tokens[kind]);
        expect((JSON.parse(res.text) as RelatedResponse).related.map((r) => r.incident.id)).toContain(
          ids.secret,
        );
      }
      // The brief's "Seen before" too: what the others' briefs must not hold is there to leak.
      const brief = await raw('GET', `/api/incidents/${ids.open}/brief`, tokens.keeper);
      expect(brief.text).toContain(SECRET_TITLE);
    });

    // On one backend: `sitrep mcp` and the CLI are clients of the routes above.
    if (backend === BACKENDS[0])
      it.each(KINDS)(
        '%s through `sitrep mcp` over stdio and `sitrep search` / `sitrep related`: nothing it may not read',
        async (kind) => {
          const env = {
            SITREP_URL: f.server.url,
            ...(tokens[kind] && { SITREP_TOKEN: tokens[kind] }),
            SITREP_INCIDENT: ids[TOKENS[kind].scope ?? 'open'],
            SITREP_STATE_DIR: dir,
            SITREP_DATA_DIR: dir, // no bootstrap admin token there: no token is no token
          };
          const cli = (...args: string[]) => runCli(args, { env });
          const asked: Name[] = ['open', 'secret', 'copy'];
          const [search, absent, ...related] = await Promise.all([
            cli('search', 'x509 payments-db', '--json', '--limit', '100'),
            ...[ABSENT, ...asked.map((n) => ids[n])].map((id) => cli('related', id, '--json')),
          ]);
          /** The tools' answers and the private commander views through `sitrep mcp` with this token. */
          const mcp = async () => {
            const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
            await client.connect(
              new StdioClientTransport({
                command: process.execPath,
                args: [SITREP_BUILT, 'mcp'],
                env: childEnv(env),
                stderr: 'pipe',
              }),
            );
            try {
              const calls = await Promise.all(
                [
                  { name: 'search_corpus', arguments: { text: MARKER } },
                  { name: 'search_corpus', arguments: { text: 'x509 payments-db', limit: 100 } },
                  { name: 'find_related_incidents', arguments: { limit: 20 } },
                  { name: 'get_brief', arguments: {} },
                ].map((c) => client.callTool(c)),
              );
              const view = (id: string) =>
                client.readResource({ uri: `sitrep://incidents/${id}/commander-view` }).then(
                  (r) => JSON.stringify(r),
                  (err: unknown) => String(err),
                );
              const views = await Promise.all([ABSENT, ...PRIVATE.map((n) => ids[n])].map(view));
              return { calls, views };
            } finally {
              await client.close();
            }
          };
          if (signedOut(kind)) {
            expect([search, absent, ...related].map((r) => r?.code)).not.toContain(0);
            // With no token at all `sitrep mcp` does not start; with a bad one every tool is refused.
            const refused = await mcp().then(
              ({ calls }) => calls.map((c) => c.isError ?? false),
              (err: unknown) => String(err),
            );
            expect(refused).toEqual(
              kind === 'none' ? expect.stringContaining('Connection closed') : [true, true, true, true],
            );
            return;
          }
          const { calls, views } = await mcp();
          for (const c of calls) expect([textOf(c), c.isError ?? false]).toEqual([textOf(c), false]);
          // What it reads holds nothing of what it may not read.
          const answers = [...calls.map(textOf), search?.stdout ?? ''];
          asked.forEach((name, i) => {
            if (access(kind, name).read) answers.push(related[i]?.stdout ?? '');
          });
          for (const a of answers) expect(unseen(kind).filter((l) => a.includes(l))).toEqual([]);
          expect([search?.code, search?.stderr]).toEqual([0, '']);
          const hits = (JSON.parse(search?.stdout ?? '') as SearchResponse['results']).map(
            (r) => r.incident.id,
          );
          asked.forEach((name, i) => {
            const r = related[i];
            // What it may read is there; what it may not is the answer about no incident at all.
            if (access(kind, name).read) expect([name, r?.code, r?.stderr]).toEqual([name, 0, '']);
            else
              expect([name, r]).toEqual([
                name,
                { ...absent, stderr: absent?.stderr.replaceAll(ABSENT, ids[name]) },
              ]);
            expect([name, hits.includes(ids[name])]).toEqual([name, access(kind, name).read]);
          });
          // A private commander view it may not read is the answer about no incident at all.
          PRIVATE.forEach((name, i) => {
            if (!access(kind, name).read)
              expect([name, views[i + 1]]).toEqual([name, views[0]?.replaceAll(ABSENT, ids[name])]);
          });
        },
        180_000, // five CLI runs and an MCP server, each a node process
      );

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
