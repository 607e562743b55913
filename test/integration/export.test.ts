// Export and import end to end: golden Markdown, HTML and JSON of the demo incident (rebuilt from
// its log), JSON export → import → export giving the same bytes, time travel, the audit record,
// the CLI, and imports refused whole when anything in them is wrong.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, ExportDocument, entriesMap } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DEMO_INCIDENT_ID, seedDemo } from '../../server/src/demo.js';
import { createLogger } from '../../server/src/log.js';
import { runCli } from '../support/cli.js';
import { connectProvider, makeEntry, synced } from '../support/clients.js';
import { type Fixture, startFixture, waitFor } from '../support/server.js';

const GOLDEN = new URL('../golden/', import.meta.url);

const isSet = (v: string | undefined) => v !== undefined && !['', '0', 'false'].includes(v);

/**
 * Compares with the golden file; UPDATE_GOLDEN=1 rewrites it instead (then read the diff). Refused
 * under CI: a file rewritten from the output matches whatever the output is.
 */
async function golden(name: string, actual: string): Promise<void> {
  const file = new URL(name, GOLDEN);
  if (isSet(process.env.UPDATE_GOLDEN)) {
    if (isSet(process.env.CI))
      throw new Error('UPDATE_GOLDEN is refused under CI: golden files are rewritten by hand and reviewed');
    return writeFile(file, actual);
  }
  expect(actual).toBe(await readFile(file, 'utf8'));
}

/** The JSON export through the API, with time for a large one on a busy machine. */
const jsonExport = (f: Fixture, id: string) =>
  new ApiClient(f.server.url, { token: f.token, timeoutMs: 120_000 }).exportIncident(id, 'json');

describe('export and import', () => {
  let f: Fixture;
  let other: Fixture;
  let dir: string;

  beforeAll(async () => {
    // One after the other: PGlite starting holds the event loop long enough, on a busy machine,
    // for the Postgres connection to time out.
    f = await startFixture('pglite');
    other = await startFixture('postgres');
    await seedDemo(f.server.store, f.server.rooms, createLogger('silent'));
    dir = await mkdtemp(join(tmpdir(), 'sitrep-export-'));
  });
  afterAll(async () => {
    await Promise.all([f.close(), other.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the demo incident as the golden Markdown postmortem draft', async () => {
    const md = await f.api.exportIncident(DEMO_INCIDENT_ID, 'md');
    await golden('demo.md', md);
    expect(md).toContain('## Theories');
    expect(md).toMatch(
      /\*\*rejected\*\* The card processor is slow .*\n {2}Rejected: Outbound latency to the processor did not change/,
    );
    // Blameless: people by role or harness, the same stand-in throughout; --names names them.
    expect(md).toMatch(/\*\*codex\*\* Add a query-count budget to canary analysis/);
    expect(md).toContain('- **Commander:** commander');
    expect(md).toContain('Rolling back now; claude-code watches latency, codex watches the pool.');
    const named = await f.api.exportIncident(DEMO_INCIDENT_ID, 'md', undefined, { names: true });
    expect(named).toMatch(/\*\*Marco Silva\*\* Add a query-count budget to canary analysis/);
    expect(named).toContain('Priya Raman (claude-code) · ');
    expect(named).toContain('- **Commander:** Sam Okafor');
  });

  it('shows no one by name in the Markdown and HTML drafts unless asked, and keeps every name in the JSON', async () => {
    const people = ['Priya', 'Raman', 'Marco', 'Silva', 'Sam', 'Okafor'];
    for (const format of ['md', 'html'] as const) {
      const draft = await f.api.exportIncident(DEMO_INCIDENT_ID, format);
      for (const name of people) expect(draft, `${name} in the ${format} draft`).not.toContain(name);
      const named = await f.api.exportIncident(DEMO_INCIDENT_ID, format, undefined, { names: true });
      for (const name of people) expect(named, `${name} in the named ${format} draft`).toContain(name);
    }
    const json = await f.api.exportIncident(DEMO_INCIDENT_ID, 'json');
    for (const name of people) expect(json).toContain(name);
    expect(await f.api.exportIncident(DEMO_INCIDENT_ID, 'json', undefined, { names: true })).toBe(json);
  });

  it('lists the entries that blame a person for review in both drafts, by role there and by name with --names', async () => {
    const id = (await f.api.createIncident({ title: 'Blame in the corpus', commander: 'Olga Berg' })).incident
      .id;
    const dave = { id: 'dave', name: 'Dave Moss', kind: 'human' } as const;
    const erin = { id: 'erin', name: 'Erin Cho', kind: 'human' } as const;
    const blame = makeEntry('finding', {
      author: dave,
      body: 'Pool at 100/100. Erin forgot to drain the node, as usual.',
    });
    const fine = makeEntry('finding', { author: erin, body: 'Redis caused the latency spike.' });
    const decision = makeEntry('decision', {
      author: dave,
      title: 'Roll back',
      rationale: 'Dave Moss and Olga agreed; cheapest safe move.',
      refs: [blame.id],
    });
    await f.api.appendEntries(id, { entries: [blame, fine, decision] });
    const md = await f.api.exportIncident(id, 'md');
    const review = md.slice(md.indexOf('## For review'), md.indexOf('## Metrics'));
    expect(review).toContain(
      `**for review** Pool at 100/100. responder 2 forgot to drain the node, as usual. [${blame.id.slice(-6)}]`,
    );
    expect(review).toContain(
      'names a person as the cause: "responder 2 forgot to drain the node, as usual."',
    );
    expect(review).not.toContain(fine.id.slice(-6));
    expect(md).toContain('responder 1 · ');
    expect(md).toContain('Rationale: responder 1 and commander agreed; cheapest safe move.');
    for (const name of ['Dave', 'Moss', 'Erin', 'Cho', 'Olga', 'Berg']) expect(md, name).not.toContain(name);
    const html = await f.api.exportIncident(id, 'html');
    expect(html).toContain(
      '<span class="tag tag-forreview">for review</span> Pool at 100/100. responder 2 forgot to drain the node',
    );
    for (const name of ['Dave', 'Moss', 'Erin', 'Olga']) expect(html, name).not.toContain(name);
    // The CLI's --names, and the audit says which drafts named people.
    const named = await runCli(['export', id, '--names'], {
      env: { SITREP_URL: f.server.url, SITREP_TOKEN: f.token },
    });
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('names a person as the cause: "Erin forgot to drain the node, as usual."');
    expect(named.stdout).toContain('Dave Moss · ');
    const audited = (await f.api.listAudit({ incident: id, action: 'export' })).records.map(
      (r) => r.detail.names ?? false,
    );
    expect(audited).toEqual([true, false, false]);
  });

  it('renders self-contained HTML with an SVG timeline and nothing fetched', async () => {
    const html = await f.api.exportIncident(DEMO_INCIDENT_ID, 'html');
    await golden('demo.html', html);
    expect(html).toContain('<svg class="timeline"');
    expect(html).not.toMatch(/<script|<link|<img|(src|href)="https?:/i);
  });

  it('prints the AI usage as read at export time in the drafts, apart from what the log says', async () => {
    const id = (await f.api.createIncident({ title: 'usage in the draft' })).incident.id;
    const before = await f.api.exportIncident(id, 'md');
    expect(before).toContain('| AI cost at list prices | $0.00 |');
    await f.api.reportUsage(id, {
      sessionId: 'draft-session',
      messages: [
        {
          id: 'm1',
          model: 'claude-sonnet-4-5-20250929',
          at: new Date().toISOString(),
          tokens: { input: 1_000_000, output: 0, cacheRead: 0, cacheCreation: 0 },
        },
      ],
    });
    const md = await f.api.exportIncident(id, 'md');
    expect(md).toContain('## AI usage (read at export time)');
    expect(md).toContain('| AI cost at list prices | $3.00 |');
    expect(md).toContain('| Harnesses | 1 sessions, $3.00 |');
    expect(await f.api.exportIncident(id, 'html')).toContain(
      '<th scope="row">AI cost at list prices</th><td>$3.00</td>',
    );
    // Only the usage section moved: the rest is what the log says, byte for byte.
    const withoutUsage = (text: string) => text.replace(/## AI usage[\s\S]*?\n## /, '## ');
    expect(withoutUsage(md)).toBe(withoutUsage(before));
    expect(JSON.parse(await f.api.exportIncident(id, 'json'))).not.toHaveProperty('ai');
  });

  it("shows the commander's curation (pinned, labelled) in the HTML timeline as in the Markdown one", async () => {
    const id = (await f.api.createIncident({ title: 'Curated' })).incident.id;
    const decision = makeEntry('decision', {
      title: 'Roll back the deploy',
      rationale: 'cheapest safe move',
    });
    await f.api.appendEntries(id, { entries: [decision] });
    const p = connectProvider(f.server.url, id, f.token);
    await synced(p);
    p.doc.getMap('curation').set(decision.id, { pinned: true, label: 'the turning point' });
    await waitFor(
      async () => (await f.api.exportIncident(id, 'md')).includes('the turning point'),
      'the curation',
    );
    p.destroy();
    const html = await f.api.exportIncident(id, 'html');
    expect(html).toContain('📌 ');
    expect(html).toContain('(the turning point)');
  });

  it('exports complete JSON that imports into the same bytes, on another server and storage', async () => {
    const json = await f.api.exportIncident(DEMO_INCIDENT_ID, 'json');
    await golden('demo.json', json);
    const doc = ExportDocument.parse(JSON.parse(json));
    expect(doc.entries).toHaveLength(12);
    await other.api.importIncident(doc);
    expect(await other.api.exportIncident(DEMO_INCIDENT_ID, 'json')).toBe(json);
    // Under another id on the same server: the same document but for the id.
    await f.api.importIncident(doc, 'demo-copy');
    expect(await f.api.exportIncident('demo-copy', 'json')).toBe(
      json.replace('"id": "demo"', '"id": "demo-copy"'),
    );
    expect((await f.api.listEntries('demo-copy', { limit: 100 })).entries).toHaveLength(12);
  });

  it('imports back what it exports: 20,000 entries, over 10 MB of JSON, on either storage', async () => {
    const id = (await f.api.createIncident({ title: 'Large export' })).incident.id;
    const finding = (i: number) =>
      makeEntry('finding', {
        body: `Pool saturation on checkout-db replica ${i % 7}: ${'wait events climbing, '.repeat(12)}`,
      });
    for (let b = 0; b < 40; b++)
      await f.api.appendEntries(id, { entries: Array.from({ length: 500 }, (_, i) => finding(i)) });
    const json = await jsonExport(f, id);
    expect(json.length).toBeGreaterThan(10 * 1024 * 1024);
    const doc = ExportDocument.parse(JSON.parse(json));
    expect(doc.entries).toHaveLength(20_000);
    // The export's own bytes, as `curl --data-binary @export.json` sends them.
    for (const [server, as] of [
      [other, id],
      [f, `${id}-copy`],
    ] as const) {
      const started = Date.now();
      const res = await fetch(`${server.server.url}/api/incidents/import?id=${as}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: json,
        signal: AbortSignal.timeout(120_000),
      });
      expect([res.status, Date.now() - started < 120_000]).toEqual([201, true]);
      expect(await jsonExport(server, as)).toBe(
        as === id ? json : json.replace(`"id": "${id}"`, `"id": "${as}"`),
      );
    }
  }, 600_000);

  it('exports the incident as of a point in its log, and records every export in the audit', async () => {
    const early = ExportDocument.parse(JSON.parse(await f.api.exportIncident(DEMO_INCIDENT_ID, 'json', 1)));
    expect(early.entries).toEqual([]);
    await f.api.exportIncident(DEMO_INCIDENT_ID, 'md');
    await f.api.exportIncident(DEMO_INCIDENT_ID, 'html');
    const records = (await f.api.listAudit({ incident: DEMO_INCIDENT_ID, action: 'export' })).records.slice(
      0,
      3,
    );
    expect(records.map((r) => r.detail)).toEqual([
      { format: 'html', seq: expect.any(Number), redactions: 0 },
      { format: 'md', seq: expect.any(Number), redactions: 0 },
      { format: 'json', seq: 1, redactions: 0 },
    ]);
  });

  it('scans every export for secrets on the way out: one already in the log is redacted and counted', async () => {
    // Storage holds no secret the scanner knows today; one stored before a detector knew its
    // format is what the outgoing scan is for. Written past the gate, straight into the log.
    const id = (await f.api.createIncident({ title: 'Stored before the scanner knew' })).incident.id;
    const secret = `ghp_${'Zq9Wx2'.repeat(6)}`;
    const leaked = makeEntry('decision', {
      title: 'Rotate the deploy token',
      body: `the deploy used ${secret}`,
      rationale: 'it leaked',
    });
    const doc = new Y.Doc();
    entriesMap(doc).set(leaked.id, leaked);
    await f.server.store.appendUpdates(id, [{ bytes: Y.encodeStateAsUpdate(doc), entries: [leaked] }]);
    for (const format of ['md', 'html', 'json'] as const) {
      const out = await f.api.exportIncident(id, format);
      expect(out, format).toContain('the deploy used [REDACTED:');
      expect(out, format).not.toContain(secret);
    }
    const records = (await f.api.listAudit({ incident: id, action: 'export' })).records;
    expect(records.map((r) => [r.detail.format, r.detail.redactions])).toEqual([
      ['json', 1],
      ['html', 1],
      ['md', 1],
    ]);
  });

  it('exports and imports through the CLI', async () => {
    const env = { SITREP_URL: f.server.url, SITREP_TOKEN: f.token };
    const out = join(dir, 'demo.json');
    const exported = await runCli(['export', DEMO_INCIDENT_ID, '--format', 'json', '--out', out], { env });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`wrote json export of demo to ${out}`);
    const imported = await runCli(['import', 'demo-cli', out], { env });
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 12 entries into demo-cli\n' });
    const md = await runCli(['export', 'demo-cli'], { env });
    expect(md.stdout).toContain('# Postmortem draft: Checkout latency spike after deploy');
    const bad = await runCli(['export', DEMO_INCIDENT_ID, '--format', 'pdf'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid export options');
    const allowing = await runCli(['import', 'demo-cli-allowing', out, '--allow', 'email,phone'], { env });
    expect(allowing.code).toBe(0);
    expect((await f.api.sanitizerSettings('demo-cli-allowing')).allowances).toEqual(['email', 'phone']);
    const badAllow = await runCli(['import', 'demo-cli-2', out, '--allow', 'email,password'], { env });
    expect(badAllow.code).toBe(2);
    expect(badAllow.stderr).toContain('invalid --allow');
  });

  it('keeps text that holds carriage returns inside its line in the Markdown draft', async () => {
    const id = (await f.api.createIncident({ title: 'Carriage returns' })).incident.id;
    const decision = makeEntry('decision', {
      title: 'Roll back',
      rationale: 'cheap\r## Root cause: the intern\r- [x] closed',
    });
    await f.api.appendEntries(id, { entries: [decision] });
    const markdown = await f.api.exportIncident(id, 'md');
    const lines = markdown.split(/\r\n|\r|\n/);
    expect(lines.some((l) => l.startsWith('## Root cause'))).toBe(false);
    expect(lines.some((l) => l.startsWith('- [x]'))).toBe(false);
  });

  it('refuses a bad import whole: schema, refs, citations, role, an existing id', async () => {
    const doc = ExportDocument.parse(JSON.parse(await f.api.exportIncident(DEMO_INCIDENT_ID, 'json')));
    const before = (await f.api.listIncidents()).incidents.length;
    const first = doc.entries[0]!;
    const cases: [unknown, string][] = [
      [{ ...doc, version: 2 }, 'request.invalid'],
      [{ ...doc, entries: [...doc.entries, { ...first, id: 'not-a-ulid' }] }, 'request.invalid'],
      [
        { ...doc, entries: [...doc.entries, makeEntry('finding', { refs: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] })] },
        'entry.unknown_ref',
      ],
      [{ ...doc, entries: [...doc.entries, first] }, 'import.invalid'],
      [{ ...doc, curation: { '01JZZZZZZZZZZZZZZZZZZZZZZZ': { pinned: true } } }, 'import.invalid'],
    ];
    for (const [i, [body, code]] of cases.entries()) {
      await expect(
        f.api.importIncident(body as ExportDocument, `bad-import-${i}`),
        `case ${i}`,
      ).rejects.toMatchObject({ code });
    }
    await expect(f.api.importIncident(doc)).rejects.toMatchObject({ code: 'incident.exists' });
    const responder = new ApiClient(f.server.url, {
      token: (await f.api.createToken({ role: 'responder', label: 'r' })).token,
    });
    await expect(responder.importIncident(doc, 'by-responder')).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
    const scoped = new ApiClient(f.server.url, {
      token: (await f.api.createToken({ role: 'commander', label: 'c', incidentId: 'scoped-import' })).token,
    });
    await expect(scoped.importIncident(doc, 'elsewhere')).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect((await f.api.listIncidents()).incidents.length).toBe(before);
    // A commander limited to one incident may import into that id.
    expect((await scoped.importIncident(doc, 'scoped-import')).incident.id).toBe('scoped-import');
  });
});
