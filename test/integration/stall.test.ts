// One request never stalls a node: while a 20,000-entry incident is exported (JSON and Markdown),
// replayed and (on Postgres) imported, the same node answers /healthz within 100 ms throughout. The heavy
// work runs in the document worker and the log is read a page at a time; before, the outgoing
// secret scan alone held the event loop for about 20 s of a JSON export. And (on Postgres) while
// the largest HTTP append the schemas allow is sanitized and written, within 500 ms (issue 24).
// The node is `sitrep serve` in a process of its own, watched from outside: in this process the
// test's own work (building the 6.7 MB import, reading four 2 MB pages, collecting their garbage)
// ran on the loop it watched, and a CI run failed on that.
import {
  ApiClient,
  EntriesResponse,
  type Entry,
  type ExportDocument,
  ExportDocument as ExportDocumentSchema,
} from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, serveProcess } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { probeHealth, stalls } from '../support/healthProbe.js';
import { BACKENDS, type TestStorage, testStorage } from '../support/server.js';
import { nearMissCorpus } from '../corpus/sanitizer/nearMisses.js';

const ENTRIES = 20_000;
/** The bound the issue sets; samples run every 20 ms. */
const BOUND_MS = 100;
/** Issue 24's bound for the largest HTTP append: generous, for a busy 2-core machine. */
const APPEND_BOUND_MS = 500;

/** A JSON export of an incident with `n` entries: a theory every ten, findings supporting them. */
function largeIncident(id: string, n: number): ExportDocument {
  const entries: Entry[] = [];
  let theory: string | null = null;
  for (let i = 0; i < n; i++) {
    const e: Entry =
      i % 10 === 0
        ? makeEntry('theory', { title: `theory ${i}: the pool is exhausted on shard ${i % 97}` })
        : makeEntry('finding', {
            body: `finding ${i}: p99 latency on checkout rose to ${200 + (i % 500)} ms on shard ${i % 97} after deploy 4f2a`,
            refs: theory ? [theory] : undefined,
            author: {
              id: `responder-${i % 12}`,
              name: `Responder ${i % 12}`,
              kind: 'harness',
              harness: 'claude-code',
            },
            tags: ['checkout', `shard-${i % 97}`],
          });
    if (e.kind === 'theory') theory = e.id;
    entries.push(e);
  }
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  return {
    format: 'sitrep.incident',
    version: 1,
    incident: {
      id,
      meta: {
        title: 'A large incident',
        severity: 'SEV2',
        status: 'investigating',
        kind: 'incident',
        commander: null,
        createdAt,
      },
    },
    entries,
    curation: {},
    commander: null,
    timeline: {
      events: [],
      metrics: {
        startedAt: createdAt,
        timeToDetectMs: null,
        timeToAcknowledgeMs: null,
        timeToMitigateMs: null,
        timeToResolveMs: null,
      },
    },
  };
}

describe.each(BACKENDS)('one request never stalls a node (%s)', (backend) => {
  let storage: TestStorage;
  let node: ServeProcess;
  let api: ApiClient;
  const id = `large-${backend}`;
  const get = (path: string) =>
    fetch(`${node.url}${path}`, { headers: { authorization: `Bearer ${node.token}` } });

  beforeAll(async () => {
    storage = await testStorage(backend);
    node = await serveProcess(storage);
    api = new ApiClient(node.url, { token: node.token });
  });
  afterAll(async () => {
    await node?.close();
    await storage?.remove();
  });

  /** Runs `work` while sampling /healthz; no sample may wait past the bound on the event loop. */
  async function whileHealthy<T>(what: string, work: Promise<T>): Promise<T> {
    const { result, samples } = await probeHealth(node.url, work, { pid: node.pid, loopLag: true });
    const worst = Math.max(...samples.map((s) => s.wallMs));
    expect(samples.length, `${what}: /healthz samples`).toBeGreaterThan(3);
    expect(
      stalls(samples, BOUND_MS),
      `${what}: /healthz waited on the event loop (worst ${Math.round(worst)} ms)`,
    ).toEqual([]);
    return result;
  }

  // On PGlite the import's one transaction holds the database (and /healthz's query) while it
  // writes, a statement at a time; on Postgres nothing else waits for it.
  it(`imports ${ENTRIES} entries${backend === 'postgres' ? ' while /healthz answers' : ''}`, async () => {
    const body = JSON.stringify(largeIncident(id, ENTRIES));
    const request = fetch(`${node.url}/api/incidents/import`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json' },
    });
    const imported = request.then(async (r) => (await r.arrayBuffer(), r.status));
    expect(await (backend === 'postgres' ? whileHealthy('import', imported) : imported)).toBe(201);
  }, 180_000);

  // The largest batch the schemas allow, 500 entries of 16 KB of incident prose with an address
  // in each (8 MB): sanitized a part at a time (sanitizeEntries), it held the loop for seconds in
  // one piece. On PGlite the commit itself runs on the event loop, so only Postgres is bounded.
  // Registered on Postgres only, so nothing reads as skipped on PGlite.
  if (backend === 'postgres')
    it(`appends 500 entries of 16 KB while /healthz answers within ${APPEND_BOUND_MS} ms`, async () => {
      const { incident } = await api.createIncident({ title: 'a large append' });
      const prose = nearMissCorpus();
      const entries = Array.from({ length: 500 }, (_, i) => {
        let body = `owner ops-${i}@example.com. `;
        // At the limit: a placeholder longer than what it replaces counts one character (prose
        // joined end to end can make a number the sanitizer reads as a phone).
        for (let j = i; body.length < 16_384; j++) body += `${prose[j % prose.length]} `;
        return {
          kind: 'finding',
          body: body.slice(0, 16_384),
          author: { id: 'bulk', name: 'Bulk', kind: 'harness' },
        };
      });
      const body = JSON.stringify({ entries });
      const appended = fetch(`${node.url}/api/incidents/${incident.id}/entries`, {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json' },
      }).then(async (r) => (await r.arrayBuffer(), r.status));
      const { result, samples } = await probeHealth(node.url, appended, { pid: node.pid, loopLag: true });
      expect(result).toBe(201);
      const worst = Math.max(...samples.map((s) => s.wallMs));
      expect(samples.length).toBeGreaterThan(3);
      expect(
        stalls(samples, APPEND_BOUND_MS),
        `append: /healthz waited on the event loop (worst ${Math.round(worst)} ms)`,
      ).toEqual([]);
      const stored = await api.listEntries(incident.id, { limit: 1 });
      expect(stored.entries[0]?.body).toMatch(/^owner \[email-[0-9a-f]{6}\]\. /);
    }, 180_000);

  it('exports them as JSON while /healthz answers within 100 ms throughout', async () => {
    const text = await whileHealthy(
      'JSON export',
      get(`/api/incidents/${id}/export?format=json`).then((r) => r.text()),
    );
    const exported = ExportDocumentSchema.parse(JSON.parse(text));
    expect(exported.entries).toHaveLength(ENTRIES);
    // Scanned on the way out and audited, as any export.
    const [record] = (await api.listAudit({ incident: id, action: 'export' })).records;
    expect(record?.detail).toMatchObject({ format: 'json', redactions: 0 });
  }, 180_000);

  // The largest page the API gives, asked for by four readers at once: 5,000 entries, 2 MB of
  // JSON each, read a page at a time and serialised a chunk a task (one statement and one
  // stringify each held a node's loop for 0.3 to 0.8 s). Registered on Postgres only, so nothing
  // reads as skipped on PGlite, where the statements run on the event loop and /healthz's own
  // query waits behind the four readers' queued pages: still 120 to 220 ms of loop at load 20.
  if (backend === 'postgres')
    it('lists 5000 entries to four readers at once while /healthz answers', async () => {
      const pages = await whileHealthy(
        'entries',
        Promise.all(
          Array.from({ length: 4 }, () =>
            get(`/api/incidents/${id}/entries?limit=5000`).then((r) => r.text()),
          ),
        ),
      );
      for (const text of pages) {
        const page = EntriesResponse.parse(JSON.parse(text));
        expect(page.entries).toHaveLength(5000);
        expect(page.entries.map((e) => e.id)).toEqual(page.entries.map((e) => e.id).sort());
      }
    }, 180_000);

  it('exports them as Markdown and replays the log while /healthz answers', async () => {
    const md = await whileHealthy(
      'Markdown export',
      get(`/api/incidents/${id}/export?format=md`).then((r) => r.text()),
    );
    expect(md).toContain('# Postmortem draft: A large incident');
    // Read as text while probed and parsed after: the probe shares this process's event loop, and
    // parsing the 20,000 entries (6.7 MB, 47 ms on a quiet machine) is the test's work, not the
    // node's. With the parse inside the probe, a CI run failed on one 121 ms sample.
    const text = await whileHealthy(
      'replay',
      get(`/api/incidents/${id}/replay?at=1000000`).then((r) => r.text()),
    );
    const replay = JSON.parse(text) as { entries: unknown[] };
    expect(replay.entries).toHaveLength(ENTRIES);
  }, 180_000);
});
