// Drills against a real server (issue 28): made from scenario files written for the test (and
// bad ones, which make nothing), from one of our incidents (a private one's drill is private),
// a batch made twice (the second finds the first's drills), the pre-mortem questions answered
// through the real MCP SDK client and the CLI, and the brief a drill's harness reads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ApiClient, DrillReport, QUESTIONS, type SitrepError, questionOf, readMeta } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { textOf } from '../support/mcp.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

const SECRET = `ghp_${'Mc9Pht'.repeat(6)}`;

const SCENARIO = `---
id: acme-2024-07-pool-exhaustion
title: Connection pool exhaustion took checkout down at Acme
summary: A retry storm from the cart service opened connections until Postgres said sorry, too many clients already.
company: Acme
categories: [database]
keywords: ["sorry, too many clients already", pgbouncer]
url: https://example.com/postmortems/pool-exhaustion
start_time: 2024-07-19T04:09:00Z
---

# What happened

The cart service retried every failed query at once. Postgres logged
\`FATAL: sorry, too many clients already\` and checkout failed for 47 minutes.
`;

/** The incidents the admin can list: a refused drill must make none. */
const count = async (api: ApiClient) => (await api.listIncidents({ limit: 200 })).incidents.length;

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: SitrepError) => ({ code: e.code, message: e.message }),
  );

describe.each(BACKENDS)('drills (%s)', (backend) => {
  let f: Fixture;
  let past: string;
  let hidden: string;

  beforeAll(async () => {
    f = await startFixture(backend);
    past = (await f.api.createIncident({ title: 'payments-db refusing connections' })).incident.id;
    const theory = makeEntry('theory', { title: 'the connection pool is exhausted by retries' });
    await f.api.appendEntries(past, {
      entries: [
        makeEntry('finding', {
          body: 'payments-db logs `FATAL: sorry, too many clients already` every second',
        }),
        theory,
        makeEntry('finding', {
          body: 'pgbouncer pool full during the retry storm',
          refs: [theory.id],
          tags: ['confirms'],
        }),
      ],
    });
    hidden = (await f.api.createIncident({ title: 'HR records exported to a public bucket', private: true }))
      .incident.id;
    await f.api.appendEntries(hidden, {
      entries: [makeEntry('theory', { title: 'the export job used the wrong bucket policy' })],
    });
  });
  afterAll(() => f?.close());

  it('makes a drill from a scenario file: kind drill, the scenario in meta, six questions, related incidents per request', async () => {
    const made = await f.api.createDrill({ scenario: SCENARIO });
    expect(made.created).toBe(true);
    expect(made.incident).toMatchObject({
      kind: 'drill',
      title: 'Connection pool exhaustion took checkout down at Acme',
      private: false,
    });
    const id = made.incident.id;
    expect(id).toMatch(/^drill-acme-2024-07-pool-exhaustion-[0-9a-f]{8}$/);
    const meta = readMeta((await f.server.rooms.open(id)).doc);
    expect(meta?.scenario).toMatchObject({
      id: 'acme-2024-07-pool-exhaustion',
      fingerprint: expect.stringMatching(/^id:[0-9a-f]{64}$/),
      company: 'Acme',
      keywords: ['sorry, too many clients already', 'pgbouncer'],
      startTime: '2024-07-19T04:09:00Z',
    });
    const { entries } = await f.api.listEntries(id, { kind: 'gap' });
    expect(entries.map(questionOf)).toEqual(QUESTIONS.map((q) => q.id));
    // Our past incident of the same failure, found from the scenario, in the answer and on /related.
    expect(made.related.map((r) => r.incident.id)).toContain(past);
    expect((await f.api.related(id)).related.map((r) => r.incident.id)).toContain(past);
    // ... and never written into the drill's document.
    const doc = JSON.stringify((await f.server.rooms.open(id)).doc.toJSON());
    expect(doc).not.toContain(past);
    expect(doc).not.toContain('pgbouncer pool full');
  });

  it('finds the drill again for the same scenario, sent as text or as fields', async () => {
    const first = await f.api.createDrill({ scenario: SCENARIO });
    expect(first.created).toBe(false);
    const noId = SCENARIO.replace(/^id: .*\n/m, '');
    const a = await f.api.createDrill({ scenario: noId });
    const b = await f.api.createDrill({ scenario: `${noId}\n\n` }); // same content once parsed
    expect([a.created, b.created, b.incident.id]).toEqual([true, false, a.incident.id]);
    expect(a.incident.id).not.toBe(first.incident.id);
  });

  it('keys a private drill to the token that made it: the same scenario from anyone else tells nothing of it', async () => {
    const secretScenario = SCENARIO.replace('acme-2024-07-pool-exhaustion', 'acme-2024-08-hr-bucket');
    const hiddenDrill = await f.api.createDrill({ scenario: secretScenario, private: true });
    expect([hiddenDrill.created, hiddenDrill.incident.private]).toEqual([true, true]);
    // Its maker finds it again (a batch re-run stays idempotent).
    const again = await f.api.createDrill({ scenario: secretScenario, private: true });
    expect([again.created, again.incident.id]).toEqual([false, hiddenDrill.incident.id]);
    // A commander who may not read it makes their own drill, public or private, as if none existed.
    const made = await f.api.createToken({ role: 'commander', label: 'mei' });
    const mei = new ApiClient(f.server.url, { token: made.token });
    const open = await mei.createDrill({ scenario: secretScenario });
    const own = await mei.createDrill({ scenario: secretScenario, private: true });
    expect([open.created, own.created]).toEqual([true, true]);
    expect(new Set([open.incident.id, own.incident.id, hiddenDrill.incident.id]).size).toBe(3);
  });

  it('refuses a bad scenario with a clear error and makes nothing', async () => {
    const before = await count(f.api);
    expect(await refusal(f.api.createDrill({ scenario: `# Big\n${'x'.repeat(256 * 1024)}` }))).toMatchObject({
      code: 'request.too_large',
    });
    expect(await refusal(f.api.createDrill({ scenario: '---\ntitle: [open\n---\nbody' }))).toMatchObject({
      code: 'request.invalid',
      message: expect.stringMatching(/^broken front matter/),
    });
    expect(
      await refusal(f.api.createDrill({ scenario: '---\ntitle: t\nseverity: SEV1\n---\n' })),
    ).toMatchObject({
      message: expect.stringMatching(/unknown key "severity"/),
    });
    expect(await refusal(f.api.createDrill({ scenario: `# Leak\nthe token was ${SECRET}\n` }))).toMatchObject(
      {
        code: 'gate.secret',
        message: expect.stringMatching(/^the scenario holds a secret/),
      },
    );
    expect(
      await refusal(f.api.createDrill({ fields: { title: 't', body: 'b', keywords: [SECRET] } })),
    ).toMatchObject({ code: 'gate.secret' });
    expect(await refusal(f.api.createDrill({ scenario: SCENARIO, fromIncident: past }))).toMatchObject({
      code: 'request.invalid',
    });
    expect(await count(f.api)).toBe(before);
  });

  it('stores a scenario sanitized like any write: its private data as placeholders, in its meta, id and exports', async () => {
    const data = [
      'jane.doe@example.com',
      '+1 415 555 0132',
      '4111 1111 1111 1111',
      'GB82 WEST 1234 5698 7654 32',
    ];
    const scenario = `---
title: Refunds to jane.doe@example.com failed at Acme
summary: The on-call, reachable at +1 415 555 0132, saw card 4111 1111 1111 1111 declined.
company: Acme
keywords: ["GB82 WEST 1234 5698 7654 32", refunds]
---

# What happened

Refunds to jane.doe@example.com bounced; support called +1 415 555 0132 twice.
`;
    const made = await f.api.createDrill({ scenario });
    const { id } = made.incident;
    const held = JSON.stringify({
      made,
      meta: readMeta((await f.server.rooms.open(id)).doc),
      json: await f.api.exportIncident(id, 'json'),
      markdown: await f.api.exportIncident(id, 'md'),
      listed: (await f.api.listIncidents({ limit: 200 })).incidents.filter((i) => i.id === id),
    });
    expect(data.filter((d) => held.includes(d) || held.includes(d.replace(/\W/g, '')))).toEqual([]);
    expect(id).not.toMatch(/jane|doe/);
    // The slug names the type, not a placeholder (which differs per incident): sent again, the same drill.
    expect(id).toMatch(/^drill-refunds-to-email-failed-at-acme-[0-9a-f]{8}$/);
    expect((await f.api.createDrill({ scenario })).incident.id).toBe(id);
    const meta = readMeta((await f.server.rooms.open(id)).doc);
    expect(meta?.title).toMatch(/^Refunds to \[email-[0-9a-f]{6}\] failed at Acme$/);
    expect(meta?.scenario?.body).toMatch(/\[phone-[0-9a-f]{6}\] twice/);
    expect(meta?.scenario?.keywords?.[0]).toMatch(/^\[iban-[0-9a-f]{6}\]$/);
  });

  it('keeps a front matter id with private data out of the audit, and finds its drill again', async () => {
    const scenario = `---
id: refunds-4111111111111111
title: Refunds bounced
---

Refunds bounced.
`;
    const made = await f.api.createDrill({ scenario });
    const { id } = made.incident;
    expect((await f.api.createDrill({ scenario })).incident.id).toBe(id);
    const audit = await f.api.listAudit({ incident: id });
    const held = JSON.stringify({ made, audit, meta: readMeta((await f.server.rooms.open(id)).doc) });
    expect(held).not.toMatch(/4111111111111111/);
    expect(audit.records.some((r) => /^id:[0-9a-f]{64}$/.test(String(r.detail.drill)))).toBe(true);
    // The datum is its type in the drill's id and in the scenario's, the same each time it is sent.
    expect(id).toMatch(/^drill-refunds-card-[0-9a-f]{8}$/);
    expect(readMeta((await f.server.rooms.open(id)).doc)?.scenario?.id).toBe('refunds-card');
  });

  it("replays one of ours: its title and causes as the scenario; a private incident's drill is private", async () => {
    const open = await f.api.createDrill({ fromIncident: past });
    expect(open.incident).toMatchObject({
      kind: 'drill',
      private: false,
      title: 'payments-db refusing connections',
    });
    const scenario = readMeta((await f.server.rooms.open(open.incident.id)).doc)?.scenario;
    expect(scenario?.from).toEqual({ incident: past });
    expect(scenario?.body).toContain('## Causes\n\n- the connection pool is exhausted by retries');

    const drill = await f.api.createDrill({ fromIncident: hidden });
    expect(drill.incident.private).toBe(true);
    // An unscoped responder reads neither the private incident nor its drill, nor may replay it.
    const made = await f.api.createToken({ role: 'responder', label: 'ravi' });
    const ravi = new ApiClient(f.server.url, { token: made.token });
    expect((await refusal(ravi.getIncident(drill.incident.id))).code).toBe('incident.not_found');
    expect((await refusal(ravi.createDrill({ fromIncident: hidden }))).code).toBe('incident.not_found');
  });
});

describe('drills: harnesses and the CLI (pglite)', () => {
  let f: Fixture;
  let dir: string;
  let env: Record<string, string>;
  const clients: Client[] = [];

  beforeAll(async () => {
    f = await startFixture('pglite');
    dir = await mkdtemp(join(tmpdir(), 'sitrep-drills-'));
    env = { SITREP_URL: f.server.url, SITREP_TOKEN: f.token };
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers questions through the MCP client and the CLI; a drill's brief lists what is unanswered first", async () => {
    const drill = (await f.api.createDrill({ scenario: SCENARIO })).incident.id;
    const made = await f.api.createToken({ role: 'responder', label: 'claude for ana', kind: 'harness' });
    const client = new Client({ name: 'sitrep-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${f.server.url}/mcp?incident=${drill}`), {
        requestInit: { headers: { authorization: `Bearer ${made.token}` } },
      }),
    );
    clients.push(client);
    const brief0 = textOf(await client.callTool({ name: 'get_brief', arguments: {} }));
    expect(brief0).toMatch(/^# sitrep brief: DRILL Connection pool exhaustion/);
    expect(brief0).toContain('**This is a drill, not a live incident**');
    expect(brief0).toContain(
      '## Scenario: Connection pool exhaustion took checkout down at Acme (what happened at Acme',
    );
    expect(brief0).toContain('A retry storm from the cart service');
    const unanswered = brief0.indexOf('## Unanswered questions');
    expect(unanswered).toBeGreaterThan(0);
    expect(unanswered).toBeLessThan(brief0.indexOf('## Leading theories'));
    for (const q of QUESTIONS) expect(brief0).toContain(`${q.title} (question "${q.id}")`);
    expect(brief0).not.toContain('## Open gaps'); // the questions are not listed twice

    const answered = await client.callTool({
      name: 'answer_question',
      arguments: { question: 'playbook', body: 'runbooks/pg-connections.md covers it, but not pgbouncer' },
    });
    expect(answered.isError).toBeFalsy();
    const id = /recorded (\S+) \(durable\)/.exec(textOf(answered))?.[1];
    const bogus = await client.callTool({
      name: 'answer_question',
      arguments: { question: 'why', body: 'x' },
    });
    expect([bogus.isError, textOf(bogus)]).toEqual([true, expect.stringMatching(/asks no question "why"/)]);

    // The CLI names a question by its stable id too.
    const cli = await runCli(
      ['drill', 'answer', drill, 'fix-now', '--body', 'cap retries in the cart client'],
      { env },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const bad = await runCli(['drill', 'answer', drill, 'bogus', '--body', 'x'], { env });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/asks no question "bogus"/)]);

    const { entries } = await f.api.listEntries(drill, {});
    const gaps = new Map(entries.filter((e) => questionOf(e)).map((e) => [questionOf(e), e.id]));
    const answer = entries.find((e) => e.id === id);
    expect(answer).toMatchObject({
      kind: 'finding',
      refs: [gaps.get('playbook')],
      tags: ['answers:playbook'],
    });
    expect(entries.find((e) => e.id === cli.stdout.trim())).toMatchObject({ refs: [gaps.get('fix-now')] });

    const brief1 = (await f.api.brief(drill)).markdown;
    const [open, done] = brief1.split('## Answered questions');
    expect(open).not.toContain('(question "playbook"');
    expect(done).toContain('Which playbook would we need? (question "playbook", 1 answers)');
    expect(done).toContain('What should we fix now? (question "fix-now", 1 answers)');

    // The report holds each answer under its question, whichever way it came.
    const report = DrillReport.parse(JSON.parse(await f.api.drillReport(drill, 'json')));
    expect(report.questions.map((q) => [q.id, q.answers.map((a) => a.id)])).toEqual(
      QUESTIONS.map((q) => [
        q.id,
        q.id === 'playbook' ? [id] : q.id === 'fix-now' ? [cli.stdout.trim()] : [],
      ]),
    );
    expect(report.unanswered).toEqual(['exposed', 'similar-systems', 'signals', 'hardest-decision']);
    const md = await f.api.drillReport(drill, 'md');
    expect(md).toContain('runbooks/pg-connections.md covers it, but not pgbouncer');
    expect(md).toContain('cap retries in the cart client');
  });

  it('makes a drill from a file with the CLI, and refuses bad files naming them', async () => {
    const good = join(dir, 'good.md');
    await writeFile(
      good,
      '# DNS resolvers failed at Example Corp\n\nResolvers returned SERVFAIL for 2 hours.\n',
    );
    const made = await runCli(['drill', 'create', '--scenario', good], { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout.trim()).toMatch(/^drill-dns-resolvers-failed-at-example-corp-[0-9a-f]{8}$/);
    expect(made.stderr).toContain('with 6 pre-mortem questions');
    const again = await runCli(['drill', 'create', '--scenario', good], { env });
    expect([again.stdout, again.stderr]).toEqual([
      made.stdout,
      expect.stringContaining('exists for this scenario'),
    ]);

    const before = await count(f.api);
    const bad: [string, string | Uint8Array, RegExp][] = [
      [
        'latin1.md',
        Uint8Array.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]),
        /latin1\.md: the scenario is not UTF-8/,
      ],
      ['big.md', `# Big\n${'x'.repeat(300_000)}`, /big\.md: the scenario is 300006 bytes: at most 262144/],
      ['broken.md', '---\ntitle: x\n# no end', /broken\.md: broken front matter/],
      ['secret.md', `# Leak\n${SECRET}\n`, /secret\.md: the scenario holds a secret/],
    ];
    for (const [name, content, message] of bad) {
      await writeFile(join(dir, name), content);
      const r = await runCli(['drill', 'create', '--scenario', join(dir, name)], { env });
      expect([r.code, r.stderr], name).toEqual([1, expect.stringMatching(message)]);
    }
    expect(await count(f.api)).toBe(before);
    const both = await runCli(['drill', 'create', '--scenario', good, '--from-incident', 'x'], { env });
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/exactly one of --scenario/)]);
  });

  it('batch: one drill per file with a progress line, each bad file reported, idempotent on a re-run', async () => {
    const batch = await mkdtemp(join(tmpdir(), 'sitrep-batch-'));
    await writeFile(
      join(batch, 'a.md'),
      '---\nid: coll-0001\ntitle: Cache stampede at Foo\n---\nKeys expired together.\n',
    );
    await writeFile(join(batch, 'b.md'), '# Certificate expiry at Bar\n\nx509: certificate has expired\n');
    await writeFile(join(batch, 'c.md'), '---\ntitle: broken\n'); // never closed
    await writeFile(join(batch, 'notes.txt'), 'not a scenario');
    const before = await count(f.api);
    const first = await runCli(['drill', 'batch', batch, '--json'], { env });
    expect(first.code).toBe(1);
    const lines = first.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[1\/3\] a\.md: made drill-coll-0001-[0-9a-f]{8}$/),
      expect.stringMatching(/^\[2\/3\] b\.md: made drill-certificate-expiry-at-bar-[0-9a-f]{8}$/),
      expect.stringMatching(/^\[3\/3\] c\.md: failed: broken front matter/),
      '3 files: 2 made, 0 existed, 1 failed',
    ]);
    expect(await count(f.api)).toBe(before + 2);
    const second = await runCli(['drill', 'batch', batch], { env });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('3 files: 0 made, 2 existed, 1 failed');
    expect(await count(f.api)).toBe(before + 2);
    const ids = (JSON.parse(first.stdout) as { incident?: string }[]).map((r) => r.incident);
    expect(second.stderr).toContain(`a.md: exists ${ids[0]}`);
    await rm(batch, { recursive: true, force: true });
  });
});
