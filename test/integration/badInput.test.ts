// Bad input over HTTP and the websocket: a clear error, and nothing written or harmed.
import { type Entry, MESSAGE_SYNC, SYNC_UPDATE, encodeSyncUpdate, entriesMap } from '@sitrep/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type Fixture, settle, startFixture, waitFor } from '../support/server.js';

let t: Fixture;
let incident: string;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  t = await startFixture('pglite');
  incident = (await t.api.createIncident({ title: 'bad input' })).incident.id;
  await t.api.appendEntries(incident, { entries: [makeEntry('finding')] });
});
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});
afterAll(async () => {
  await t.close();
});

/** The stored state that must not change: log position and projected entries. */
async function stored() {
  await settle(t.server, incident);
  const [{ incident: row }, { entries }] = await Promise.all([
    t.api.getIncident(incident),
    t.api.listEntries(incident),
  ]);
  return { lastSeq: row.lastSeq, ids: entries.map((e) => e.id) };
}

async function post(path: string, body: string, type = 'application/json') {
  const res = await fetch(`${t.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${t.token}` },
    body,
  });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
}

async function get(path: string) {
  const res = await fetch(`${t.server.url}${path}`, { headers: { authorization: `Bearer ${t.token}` } });
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('bad HTTP input', () => {
  const entriesPath = () => `/api/incidents/${incident}/entries`;

  it.each([
    [
      'malformed JSON',
      () => post(entriesPath(), '{"entries": [', 'application/json'),
      400,
      'request.malformed_json',
    ],
    [
      'an unknown kind',
      () => post(entriesPath(), JSON.stringify({ entries: [{ ...makeEntry(), kind: 'rumour' }] })),
      400,
      'request.invalid',
    ],
    [
      'one bad entry in a batch',
      () =>
        post(entriesPath(), JSON.stringify({ entries: [makeEntry(), { ...makeEntry(), at: 'yesterday' }] })),
      400,
      'request.invalid',
    ],
    [
      'a bad entry id',
      () =>
        post(entriesPath(), JSON.stringify({ entries: [{ ...makeEntry(), id: 'x; drop table entries' }] })),
      400,
      'request.invalid',
    ],
    [
      'an oversized body',
      () =>
        post(
          entriesPath(),
          JSON.stringify({ entries: [{ ...makeEntry(), body: 'x'.repeat(11 * 1024 * 1024) }] }),
        ),
      413,
      'request.too_large',
    ],
    [
      'an import over its own limit (64 MiB)',
      () =>
        post(
          '/api/incidents/import?id=too-large',
          `{"format": "sitrep.incident", "pad": "${'x'.repeat(65 * 1024 * 1024)}"}`,
        ),
      413,
      'request.too_large',
    ],
    [
      'an oversized entry body',
      () => post(entriesPath(), JSON.stringify({ entries: [{ ...makeEntry(), body: 'x'.repeat(20_000) }] })),
      400,
      'request.invalid',
    ],
    [
      'a ref to an unknown entry',
      () =>
        post(
          entriesPath(),
          JSON.stringify({ entries: [makeEntry('rejection', { refs: [makeEntry().id] })] }),
        ),
      400,
      'entry.unknown_ref',
    ],
    [
      'an unknown incident',
      () => post('/api/incidents/no-such-incident/entries', JSON.stringify({ entries: [makeEntry()] })),
      404,
      'incident.not_found',
    ],
    [
      'a malformed incident id',
      () => post('/api/incidents/Bad..Id/entries', JSON.stringify({ entries: [makeEntry()] })),
      400,
      'request.invalid',
    ],
    ['an empty batch', () => post(entriesPath(), JSON.stringify({ entries: [] })), 400, 'request.invalid'],
    [
      'one entry id given to two different entries in a batch',
      () => {
        const e = makeEntry('note', { body: 'one' });
        return post(entriesPath(), JSON.stringify({ entries: [e, { ...e, kind: 'finding', body: 'two' }] }));
      },
      400,
      'request.invalid',
    ],
    [
      'an incident without a title',
      () => post('/api/incidents', JSON.stringify({ severity: 'SEV1' })),
      400,
      'request.invalid',
    ],
    [
      'an unknown severity',
      () => post('/api/incidents', JSON.stringify({ title: 'x', severity: 'SEV0' })),
      400,
      'request.invalid',
    ],
    // Postgres cannot store U+0000 in text or jsonb; refused before it can fail a commit.
    [
      'a NUL in an entry',
      () =>
        post(
          entriesPath(),
          JSON.stringify({ entries: [makeEntry('finding', { body: 'pool\u0000drained' })] }),
        ),
      400,
      'request.invalid',
    ],
    [
      'a NUL in an incident title',
      () => post('/api/incidents', JSON.stringify({ title: 'db\u0000down' })),
      400,
      'request.invalid',
    ],
    ['a NUL in a search', () => get(`${entriesPath()}?q=pool%00drained`), 400, 'request.invalid'],
    // Nor an unpaired surrogate (JSON may escape one; jsonb refuses it).
    [
      'a lone surrogate in an entry',
      () =>
        post(
          entriesPath(),
          JSON.stringify({ entries: [makeEntry('finding', { body: 'pool \ud800 drained' })] }),
        ),
      400,
      'request.invalid',
    ],
    [
      'a lone surrogate in an incident title',
      () => post('/api/incidents', JSON.stringify({ title: 'db \udc00 down' })),
      400,
      'request.invalid',
    ],
    [
      'a time in the year 0000',
      () =>
        post(
          entriesPath(),
          JSON.stringify({ entries: [makeEntry('finding', { at: '0000-06-01T00:00:00Z' })] }),
        ),
      400,
      'request.invalid',
    ],
    [
      'a search since the year 0000',
      () => get(`${entriesPath()}?since=0000-01-01T00:00:00Z`),
      400,
      'request.invalid',
    ],
    // Postgres takes offsets up to ±15:59 (ISO 8601 up to ±23:59) and stores years 0001 to 9999 in UTC.
    [
      'a time 16 hours off UTC',
      () =>
        post(
          entriesPath(),
          JSON.stringify({ entries: [makeEntry('finding', { at: '2026-11-24T14:02:00+16:00' })] }),
        ),
      400,
      'request.invalid',
    ],
    [
      'a time in year 0000 in UTC',
      () => get(`${entriesPath()}?since=${encodeURIComponent('0001-01-01T00:00:00+05:00')}`),
      400,
      'request.invalid',
    ],
    [
      'a replay after year 9999 in UTC',
      () => get(`/api/incidents/${incident}/replay?at=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`),
      400,
      'request.invalid',
    ],
    [
      'a replay at an empty point',
      () => get(`/api/incidents/${incident}/replay?at=`),
      400,
      'request.invalid',
    ],
    [
      'an export at an empty point',
      () => get(`/api/incidents/${incident}/export?at=`),
      400,
      'request.invalid',
    ],
    [
      'a body nested a million deep',
      () => post(entriesPath(), `{"entries": [{"body": ${'['.repeat(1e6)}${']'.repeat(1e6)}}]}`),
      400,
      'request.invalid',
    ],
  ])('refuses %s with a JSON error and writes nothing', async (_name, send, status, code) => {
    const before = await stored();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.json.error).toMatchObject({ code, message: expect.any(String) });
    expect(await stored()).toEqual(before);
  });

  it('takes a full batch of large entries in one request, and keeps taking appends after it', async () => {
    const big = Array.from({ length: 500 }, (_, i) =>
      makeEntry('transcript', { body: `${i} ${'bridge notes '.repeat(1200)}`.slice(0, 16_000) }),
    );
    const res = await t.api.appendEntries(incident, { entries: big });
    expect(res.entries.every((e) => e.created)).toBe(true);
    const next = makeEntry('note');
    expect((await t.api.appendEntries(incident, { entries: [next] })).entries[0]?.created).toBe(true);
    const { entries } = await t.api.listEntries(incident, { limit: 5000 });
    expect(entries.filter((e) => e.kind === 'transcript')).toHaveLength(500);
  });

  it('stores text that quotes, escapes or looks like SQL exactly as sent', async () => {
    // PGlite's append runs a prepared statement with its parameters written as SQL literals.
    const bodies = [
      "it's the pool's fault",
      "''",
      "\\' or 1=1 --",
      "'); drop table entries; --",
      "$$ $1 $sitrep$ E'\\x00' \\\\",
      'ünïcødé 🚨 \u2028 \t tabs',
    ];
    const sent = bodies.map((body, i) => makeEntry('finding', { body, title: `quoting ${i} it's` }));
    const res = await t.api.appendEntries(incident, { entries: sent });
    expect(res.entries.every((e) => e.created)).toBe(true);
    const { entries } = await t.api.listEntries(incident, { limit: 5000 });
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const e of sent) expect(byId.get(e.id)).toEqual(e);
    const found = await t.api.listEntries(incident, { q: 'fault', limit: 10 });
    expect(found.entries.map((e) => e.body)).toEqual(["it's the pool's fault"]);
  });

  it('refuses a duplicate incident id with 409', async () => {
    const res = await post('/api/incidents', JSON.stringify({ id: incident, title: 'again' }));
    expect(res.status).toBe(409);
    expect(res.json.error?.code).toBe('incident.exists');
  });

  it('serves the dashboard page and a health check', async () => {
    const page = await fetch(`${t.server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>sitrep</title>');
    expect(await (await fetch(`${t.server.url}/healthz`)).json()).toMatchObject({
      ok: true,
      storage: 'pglite',
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${t.server.url}/api/nothing`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'route.not_found' } });
  });
});

describe('bad websocket input', () => {
  const wsUrl = () => `${t.server.url.replace('http', 'ws')}/yjs/${incident}?token=${t.token}`;

  /** Opens a raw socket, sends frames, and resolves with the close code. */
  function rawSocket(frames: (Uint8Array | string)[]): Promise<number> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl());
      ws.on('open', () => {
        for (const f of frames) ws.send(f);
      });
      ws.on('close', (code) => resolve(code));
      ws.on('error', reject);
    });
  }

  /** Opens a raw socket, sends one frame, and resolves with the socket and its permission-denied reason. */
  async function denied(frame: Uint8Array): Promise<{ ws: WebSocket; reason: string }> {
    const ws = new WebSocket(wsUrl());
    const frames: Uint8Array[] = [];
    ws.on('message', (d) => frames.push(new Uint8Array(d as Buffer)));
    await new Promise((r) => ws.on('open', r));
    ws.send(frame);
    const refusal = await waitFor(() => frames.find((f) => f[0] === 2), 'permission denied');
    return { ws, reason: Buffer.from(refusal).toString() };
  }

  it.each([
    ['random bytes', [new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])]],
    ['a truncated sync message', [new Uint8Array([MESSAGE_SYNC, SYNC_UPDATE, 40, 1, 2])]],
    ['an unknown message type', [new Uint8Array([42, 0])]],
    ['a huge length prefix', [new Uint8Array([MESSAGE_SYNC, SYNC_UPDATE, 0xff, 0xff, 0xff, 0xff, 0x0f])]],
    ['a text frame', ['hello']],
  ])('closes only the socket that sent %s', async (_name, frames) => {
    const watcher = connectProvider(t.server.url, incident, t.token);
    providers.push(watcher);
    await synced(watcher);
    const before = await stored();
    const code = await rawSocket(frames);
    expect([1002, 1003]).toContain(code);
    // The t.server, the document and the other client are unharmed.
    const entry = makeEntry('note');
    await t.api.appendEntries(incident, { entries: [entry] });
    await waitFor(() => entriesMap(watcher.doc).has(entry.id), 'the watcher to keep syncing');
    expect((await stored()).ids).toEqual([...before.ids, entry.id].sort());
  });

  it('answers an upgrade whose path has a broken %-escape with 400', async () => {
    const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}/yjs/%E0%A4%A?token=${t.token}`);
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(400);
  });

  it('refuses a write the gate rejects with permission-denied and keeps the socket usable', async () => {
    const before = await stored();
    const doc = new Y.Doc();
    doc.getText('notes').insert(0, 'not a root sitrep knows');
    const { ws, reason } = await denied(encodeSyncUpdate(Y.encodeStateAsUpdate(doc)));
    expect(reason).toContain('gate.unknown_root');

    const good = new Y.Doc();
    const entry = makeEntry('finding');
    entriesMap(good).set(entry.id, entry);
    ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(good)));
    await waitFor(async () => (await stored()).ids.includes(entry.id), 'the valid write on the same socket');
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    // The tombstone for the refused clocks and the valid write (and the server's view writes);
    // nothing of the refused content.
    expect((await stored()).lastSeq).toBeGreaterThanOrEqual(before.lastSeq + 2);
    const rows = await t.server.store.readLog(incident, before.lastSeq);
    expect(rows.some((r) => Buffer.from(r.bytes).includes('not a root sitrep knows'))).toBe(false);
  });

  /** A client's update adding `entry`. */
  const adding = (entry: Entry) => {
    const doc = new Y.Doc();
    entriesMap(doc).set(entry.id, entry);
    return Y.encodeStateAsUpdate(doc);
  };

  it.each([
    [
      'strings that are not valid UTF-8',
      () => {
        const update = adding(makeEntry('finding', { body: 'MARKER-UTF8 ok' }));
        update.set([0xff, 0xfe], Buffer.from(update).indexOf('MARKER-UTF8')); // the same length, no longer UTF-8
        return { update, marker: 'RKER-UTF8' };
      },
    ],
    // A client copying parsed JSON into an entry sends an own `__proto__` key, which lib0 drops
    // as it decodes (a string cannot be a prototype): the value the gate reads lacks what the log
    // would keep.
    [
      'a value with a __proto__ key (a secret the decoded value lacks)',
      () => ({
        update: adding({
          ...JSON.parse(`{"__proto__": "PROTO-MARKER ghp_${'Pr0t0x'.repeat(6)}"}`),
          ...makeEntry('finding'),
        }),
        marker: 'PROTO-MARKER',
      }),
    ],
    // Two `body` keys: lib0 keeps the last, so the gate would read the harmless one.
    [
      'a value with a repeated key (a secret in the first)',
      () => {
        const update = adding({
          bodx: `DUP-MARKER ghp_${'Dup1ca'.repeat(6)}`,
          ...makeEntry('finding'),
        } as Entry);
        update.set(Buffer.from('body'), Buffer.from(update).indexOf('bodx')); // the first key is now body too
        return { update, marker: 'DUP-MARKER' };
      },
    ],
  ])('refuses an update holding %s as malformed, storing none of it', async (_name, make) => {
    const before = await stored();
    const { update, marker } = make();
    expect(Buffer.from(update).includes(marker)).toBe(true);
    const { ws, reason } = await denied(encodeSyncUpdate(update));
    expect(reason).toContain('gate.malformed');
    ws.close();
    expect((await stored()).ids).toEqual(before.ids);
    const rows = await t.server.store.readLog(incident, before.lastSeq);
    expect(rows.some((r) => Buffer.from(r.bytes).includes(marker))).toBe(false);
  });

  it.each([
    ['a NUL', { body: 'NUL-MARKER\u0000here' }],
    ['a time in the year 0000', { body: 'NUL-MARKER year zero', at: '0000-06-01T00:00:00Z' }],
  ])(
    'refuses an entry holding %s on the socket, and an append committed beside it still lands',
    async (_name, fields) => {
      const before = await stored();
      const doc = new Y.Doc();
      const bad = makeEntry('finding', fields);
      entriesMap(doc).set(bad.id, bad);
      const good = makeEntry('note');
      const [{ ws, reason }] = await Promise.all([
        denied(encodeSyncUpdate(Y.encodeStateAsUpdate(doc))),
        t.api.appendEntries(incident, { entries: [good] }),
      ]);
      expect(reason).toContain('gate.schema');
      ws.close();
      expect((await stored()).ids).toEqual([...before.ids, good.id].sort());
      const rows = await t.server.store.readLog(incident, before.lastSeq);
      expect(rows.some((r) => Buffer.from(r.bytes).includes('NUL-MARKER'))).toBe(false);
    },
  );

  it('lets a stock provider whose write was refused go on writing valid entries', async () => {
    const writer = connectProvider(t.server.url, incident, t.token);
    const reader = connectProvider(t.server.url, incident, t.token);
    providers.push(writer, reader);
    await Promise.all([synced(writer), synced(reader)]);
    const existing = [...entriesMap(writer.doc).values()][0];
    expect(existing).toBeDefined();
    const before = await stored();
    if (existing) entriesMap(writer.doc).set(existing.id, { ...existing, body: 'rewritten history' });
    const valid = makeEntry('finding', { body: 'written after a refusal' });
    entriesMap(writer.doc).set(valid.id, valid);
    await waitFor(() => entriesMap(reader.doc).has(valid.id), 'the valid entry to reach the reader');
    expect(entriesMap(reader.doc).get(existing?.id ?? '')).toEqual(existing);
    expect((await stored()).ids).toEqual([...before.ids, valid.id].sort());
    // A fresh client loads the same document as the log holds.
    const fresh = connectProvider(t.server.url, incident, t.token);
    providers.push(fresh);
    await synced(fresh);
    expect(entriesMap(fresh.doc).toJSON()).toEqual(entriesMap(reader.doc).toJSON());
  });

  it('refuses an upgrade for an unknown incident or path', async () => {
    for (const path of ['/yjs/no-such-incident', '/yjs/BAD..ID', '/elsewhere']) {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}${path}?token=${t.token}`);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
      });
      expect([400, 404]).toContain(status);
    }
  });
});
