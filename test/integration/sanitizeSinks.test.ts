// Issue 24, the server side: a sample of the sanitizer's corpus pushed through the server's write
// paths by clients that sanitize nothing (raw HTTP incident creation and append, a JSON import
// carrying data in every field it takes, a stock WebsocketProvider writing entries, meta and
// curation the gate must refuse, presence states), on PGlite and Postgres, with the LLM
// summarizer on against the fake Anthropic API. Then every sink is read: the raw update log,
// snapshots and the entries projection straight from the store; every frame a second stock
// provider was sent; every export format (JSON, the blameless Markdown and HTML drafts, and the
// drafts with names), replay, view and brief; the entry search; the audit trail; every request
// the summarizer sent the model and the summaries it stored. No secret and no private datum of
// the sample survives in any of them (the client side: sanitizeClients.test.ts).
import { type Entry, type ExportDocument, entriesMap, metaMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type Sample, corpusSample, leakedIn } from '../corpus/sanitizer/sample.js';
import {
  collectProviderWarnings,
  connectProvider,
  makeEntry,
  recordingSocket,
  synced,
} from '../support/clients.js';
import { type FakeAnthropic, startFakeAnthropic } from '../support/fakeAnthropic.js';
import { BACKENDS, type Fixture, settle, startFixture, waitFor } from '../support/server.js';

/** A sample per path, so together they span the corpus: every secret and datum here must vanish. */
const SAMPLES = {
  http: corpusSample(0),
  import: corpusSample(7),
  socket: corpusSample(13),
  presence: corpusSample(29),
};
const ALL: Sample[] = Object.values(SAMPLES).flat();

/** One line of at most `max` characters, or undefined. */
const oneLine = (s: string, max: number) => (!/[\r\n]/.test(s) && s.length <= max ? s : undefined);
/** A short private datum that fits in a field: an e-mail address, a phone number. */
const shortData = (sample: readonly Sample[]) =>
  sample.filter((s) => !/\s/.test(s.datum) && s.datum.length <= 50);

/**
 * One entry per sample, the text in a different field each time: body, theory title, decision
 * rationale, dataset evidence, action owner, author name.
 */
function entriesOf(sample: readonly Sample[]): Entry[] {
  return sample.map((s, i) => {
    const line = oneLine(s.text, 120);
    switch (i % 6) {
      case 1:
        return makeEntry('theory', { title: line ?? 'a theory', body: s.text });
      case 2:
        return makeEntry('decision', { title: 'roll back', body: 'see why', rationale: s.text });
      case 3:
        return makeEntry('dataset', {
          body: 'what the logs held',
          evidence: [{ label: line ?? 'logs', query: s.text.slice(0, 2048) }],
        });
      case 4:
        return makeEntry('action', {
          body: s.text,
          ...(!/\s/.test(s.datum) && s.datum.length <= 58 && { tags: [`owner:${s.datum}`] }),
        });
      case 5:
        return makeEntry('finding', {
          body: s.text,
          ...(line && { author: { id: 'h1', name: line, kind: 'human' as const } }),
        });
      default:
        return makeEntry('finding', { body: s.text });
    }
  });
}

/** Every string of a JSON value (object keys too), one a line: what a reader of it sees, unescaped. */
function stringsOf(value: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
  };
  walk(value);
  return out.join('\n');
}

/** What the HTML and Markdown drafts escape, taken back, so an escaped datum is still seen. */
const unescapeHtml = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
const unescapeMarkdown = (s: string) => s.replace(/\\([\\`*_[\]<>|])/g, '$1');

/** The sample's secrets and data that survive in `text`, named. */
const leaks = (text: string, sample: readonly Sample[] = ALL) =>
  sample.filter((s) => leakedIn(text, s)).map((s) => `${s.what}: ${s.datum.slice(0, 60)}`);

const PLACEHOLDER = /\[(?:email|phone|card|iban|ssn|nino)-[0-9a-f]{6}\]/;

describe.each(BACKENDS)('what the server stores and sends on %s', (backend) => {
  let fake: FakeAnthropic;
  let f: Fixture;
  let responder: string;
  let viewer: string;
  const warnings = collectProviderWarnings();
  /** The stock providers that watch, reading with a viewer token. */
  const watchers: WebsocketProvider[] = [];
  let writer: WebsocketProvider | undefined;
  /** Every frame the watchers were sent. */
  const frames: Buffer[] = [];
  const ids = { http: '', import: '', socket: '' };
  /** How many of the stock provider's writes and presence states were refused (permission-denied). */
  const refusals = { socket: 0, presence: 0 };
  /** The last entry each incident got, for the summarizer to reach. */
  const last = { http: '', import: '', socket: '' };

  /** The entries the summarizer sent the model. */
  const asked = () => new Set(fake.requests.flatMap((r) => r.data.newEntries.map((e) => e.id)));
  const http = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${f.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text;
  };
  const watch = async (incident: string) => {
    const p = connectProvider(f.server.url, incident, viewer, new Y.Doc(), 'params', recordingSocket(frames));
    watchers.push(p);
    await synced(p);
    return p;
  };

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    f = await startFixture(backend, {
      ANTHROPIC_API_KEY: 'test-key-not-a-secret',
      ANTHROPIC_BASE_URL: fake.url,
      SITREP_SUMMARY_MODEL: 'claude-test',
      SITREP_SUMMARY_DEBOUNCE_MS: '30',
      SITREP_SUMMARY_TOKENS_PER_HOUR: '100000000',
    });
    responder = (await f.api.createToken({ role: 'responder', label: 'raw client' })).token;
    viewer = (await f.api.createToken({ role: 'viewer', label: 'watcher' })).token;

    // Raw HTTP: an incident made with data in its title and commander, then one entry per sample.
    const [title, commander] = shortData(SAMPLES.http);
    const created = JSON.parse(
      await http('POST', '/api/incidents', responder, {
        title: `refunds failing for ${title?.datum}`,
        commander: `Sam ${commander?.datum}`,
      }),
    ) as { incident: { id: string } };
    ids.http = created.incident.id;
    const watcher = await watch(ids.http);
    const appended = entriesOf(SAMPLES.http);
    await http('POST', `/api/incidents/${ids.http}/entries`, responder, { entries: appended });
    last.http = appended.at(-1)?.id ?? '';
    await waitFor(() => entriesMap(watcher.doc).has(last.http), 'the appended entries broadcast');

    // A JSON import with data in its meta, entries, curation, receipts and commander view.
    const source = (await f.api.createIncident({ title: 'import source' })).incident.id;
    await f.api.appendEntries(source, { entries: [makeEntry('finding', { body: 'a clean finding' })] });
    const doc = JSON.parse(await f.api.exportIncident(source, 'json')) as ExportDocument;
    const imported = entriesOf(SAMPLES.import);
    const [first] = imported;
    const [a, b, c, d] = shortData(SAMPLES.import).map((s) => s.datum);
    const [p, q] = shortData(SAMPLES.import.filter((s) => !s.secret)).map((s) => s.datum);
    const at = new Date().toISOString();
    const claim = (text: string) => ({ text, cites: [first?.id ?? ''] });
    const curated: ExportDocument = {
      ...doc,
      incident: {
        ...doc.incident,
        meta: { ...doc.incident.meta, title: `chargebacks for ${a}`, commander: `${b}` },
      },
      entries: [...doc.entries, ...imported],
      curation: { [first?.id ?? '']: { label: `ask ${c}`, pinned: true } },
      receipts: Object.fromEntries(imported.map((x) => [x.id, { via: `laptop of ${d}`, receivedAt: at }])),
      commander: {
        headline: claim(`payments down for ${p}`),
        impact: claim(`customer ${q} double-charged`),
        status: null,
        whatChanged: [],
        nextActions: [{ ...claim('call them back'), owner: `${p}` }],
        warnings: [],
        mergedTheories: [],
        timeline: [],
        model: 'claude-test',
        watermark: first?.id ?? null,
        at,
        droppedItems: 0,
      },
    };
    const made = JSON.parse(
      await http('POST', `/api/incidents/import?id=imported-${backend}`, f.token, curated),
    ) as { incident: { id: string } };
    ids.import = made.incident.id;
    // One clean entry after the import wakes the summarizer for what came after the view's watermark.
    const wake = makeEntry('note', { body: 'imported; summarizing' });
    await f.api.appendEntries(ids.import, { entries: [wake] });
    last.import = wake.id;
    await watch(ids.import);

    // A stock provider writing what the gate must refuse: entries, meta and curation, one update
    // each, then presence states; a clean write after each lot shows the watcher is live.
    ids.socket = (await f.api.createIncident({ title: 'socket writes' })).incident.id;
    const clean = makeEntry('finding', { body: 'pool at 100/100 on db-7' });
    await f.api.appendEntries(ids.socket, { entries: [clean] });
    const socketWatcher = await watch(ids.socket);
    const w = connectProvider(f.server.url, ids.socket, f.token);
    writer = w;
    await synced(w);
    const seen = warnings.length;
    const refused = () => warnings.slice(seen).filter((x) => /gate\.(private|secret)/.test(x)).length;
    const written = entriesOf(SAMPLES.socket);
    for (const entry of written) entriesMap(w.doc).set(entry.id, entry);
    const [m, n] = shortData(SAMPLES.socket).map((s) => s.datum);
    metaMap(w.doc).set('title', `refunds for ${m}`);
    w.doc.getMap('curation').set(clean.id, { label: `ask ${n}` });
    // Every write refused (a gate that lets one through is seen in the sinks; no need to wait here).
    await waitFor(() => refused() >= written.length + 2, 'every socket write refused').catch(() => {});
    refusals.socket = refused();
    const fence = makeEntry('finding', { body: 'after the refusals' });
    entriesMap(w.doc).set(fence.id, fence);
    await waitFor(() => entriesMap(socketWatcher.doc).has(fence.id), 'the write after the refusals');
    last.socket = fence.id;

    const before = refused();
    for (const s of SAMPLES.presence) w.awareness.setLocalStateField('user', { name: 'Sam', focus: s.text });
    await waitFor(() => refused() > before, 'a presence state refused').catch(() => {});
    refusals.presence = refused() - before;
    w.awareness.setLocalStateField('user', { name: 'Sam', focus: 'theories' });
    const focus = () =>
      (
        socketWatcher.awareness.getStates().get(w.awareness.clientID) as
          | { user?: { focus?: string } }
          | undefined
      )?.user?.focus;
    await waitFor(() => focus() === 'theories', 'the clean presence relayed');

    // The summarizer has sent the model every incident's last entry (checked in its own test:
    // a server that leaks may never get there, and the sinks should still be read).
    await waitFor(
      () => Object.values(last).every((id) => asked().has(id)),
      'every incident summarized',
      20_000,
    ).catch(() => {});
    // The server's own view writes have landed (bounded: a server whose views hold what the gate
    // refuses never settles, and the sinks should still be read).
    const pause = new Promise((resolve) => setTimeout(resolve, 10_000));
    for (const id of Object.values(ids)) await Promise.race([settle(f.server, id), pause]);
  }, 90_000);

  afterAll(async () => {
    for (const p of [...watchers, writer]) p?.destroy();
    await f?.close();
    await fake?.close();
  });

  it('keeps none in the update log, the snapshots, the entries projection or the incident rows', async () => {
    const parts: string[] = [];
    for (const id of Object.values(ids)) {
      const log = await f.server.store.readLog(id);
      parts.push(...log.map((r) => Buffer.from(r.bytes).toString('utf8')));
      const snapshot = await f.server.store.latestSnapshot(id);
      if (snapshot) parts.push(Buffer.from(snapshot.state.bytes).toString('utf8'));
      parts.push(stringsOf(await f.server.store.listEntries(id, { limit: 5000, flagged: false })));
      parts.push(stringsOf(await f.server.store.getIncident(id)));
    }
    const stored = parts.join('\n');
    expect(leaks(stored)).toEqual([]);
    expect(stored).toMatch(PLACEHOLDER);
    expect(stored).toContain('[REDACTED:');
    const { entries } = await f.server.store.listEntries(ids.http, { limit: 5000, flagged: false });
    expect(entries).toHaveLength(SAMPLES.http.length);
  });

  it('sends none to a second stock provider, live or on sync; the gate refused the socket writes and presence', () => {
    const sent = Buffer.concat(frames).toString('utf8');
    expect(leaks(sent)).toEqual([]);
    for (const p of watchers) {
      expect(leaks(stringsOf(p.doc.toJSON()))).toEqual([]);
      expect(leaks(stringsOf([...p.awareness.getStates().values()]))).toEqual([]);
    }
    expect(sent).toMatch(PLACEHOLDER);
    expect(refusals.socket).toBe(SAMPLES.socket.length + 2);
    expect(refusals.presence).toBeGreaterThan(0);
  });

  it('exports none: JSON, the blameless Markdown and HTML drafts, the drafts with names, replay, view and brief', async () => {
    for (const id of Object.values(ids)) {
      const json = await f.api.exportIncident(id, 'json');
      const drafts = await Promise.all(
        [false, true].flatMap((names) => [
          f.api.exportIncident(id, 'md', undefined, { names }).then(unescapeMarkdown),
          f.api.exportIncident(id, 'html', undefined, { names }).then(unescapeHtml),
        ]),
      );
      const out = [json, stringsOf(JSON.parse(json)), ...drafts];
      out.push(stringsOf(await f.api.replay(id, 1_000_000)));
      out.push(stringsOf(await f.api.view(id)));
      out.push(stringsOf(await f.api.brief(id)));
      const text = out.join('\n');
      expect(leaks(text), id).toEqual([]);
      if (id !== ids.socket) expect(text).toMatch(PLACEHOLDER);
    }
  });

  it('finds none by entry search, and searching for a datum finds nothing', async () => {
    const search = async (id: string, q: string) =>
      (await f.api.listEntries(id, { q: q.slice(0, 200), limit: 5000 })).entries;
    for (const [path, id] of [
      ['http', ids.http],
      ['import', ids.import],
      ['socket', ids.socket],
      ['presence', ids.socket],
    ] as const) {
      const hits = await Promise.all(
        SAMPLES[path].map(async (s) => ((await search(id, s.datum)).length > 0 ? [s] : [])),
      );
      expect(
        hits.flat().map((s) => `${s.what}: ${s.datum}`),
        path,
      ).toEqual([]);
    }
    const bodies = (await f.api.listEntries(ids.http)).entries.map((e) => e.body).join('\n');
    const placeholder = PLACEHOLDER.exec(bodies)?.[0] ?? '';
    const hits = await search(ids.http, placeholder);
    expect(hits.length).toBeGreaterThan(0);
    expect(leaks(stringsOf(hits))).toEqual([]);
  });

  it('writes none in the audit trail, which counts redactions and refusals by type', async () => {
    const { records } = await f.api.listAudit({ limit: 1000 });
    expect(leaks(stringsOf(records))).toEqual([]);
    const actions = new Set(records.map((r) => r.action));
    for (const a of ['incident.create', 'write', 'import', 'reject', 'export']) expect(actions).toContain(a);
    expect(records.filter((r) => r.action === 'write' && r.detail.redactions).length).toBeGreaterThan(0);
  });

  it('sends the model none, and stores none of its runs', async () => {
    const requests = fake.requests.map((r) => `${r.system}\n${r.user}\n${stringsOf(r.data)}`).join('\n');
    expect(leaks(requests)).toEqual([]);
    expect(requests).toMatch(PLACEHOLDER);
    for (const id of Object.values(last)) expect(asked()).toContain(id);
    for (const id of Object.values(ids)) expect(leaks(stringsOf(await f.api.summaries(id)))).toEqual([]);
  });
});
