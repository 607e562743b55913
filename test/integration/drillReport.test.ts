// The drill report end to end on a real server: a drill made with its six questions, answered by
// two harnesses, with actions and AI usage, reported over HTTP (JSON, Markdown, HTML) and by the
// `sitrep drill report` CLI; the same log gives the same bytes; HTML is escaped; an incident or a
// bad format is refused and changes nothing.
import { ApiClient, DrillReport, type Entry } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { MEI, RAVI, drillEntries } from '../support/drill.js';
import { type Fixture, harnessToken, startFixture } from '../support/server.js';

describe('drill report', () => {
  let f: Fixture;
  let drill: string;
  let incident: string;
  let env: Record<string, string>;
  const { gaps, answer, action } = drillEntries();
  const exposed1 = answer(
    'exposed',
    'Billing exports sit in a public-read bucket <script>alert(1)</script>',
    RAVI,
  );
  const exposed2 = answer('exposed', 'The invoices bucket too', MEI);
  const fixNow = answer('fix-now', 'Block public access on every bucket', RAVI);
  const owned = action('Turn on S3 Block Public Access', MEI, 'platform', 'fix-now');
  const unowned = action('Write the bucket playbook', RAVI);

  beforeAll(async () => {
    f = await startFixture('pglite');
    env = { SITREP_URL: f.server.url, SITREP_TOKEN: f.token };
    drill = (
      await f.api.createIncident({
        title: 'Game day: public bucket',
        kind: 'drill',
        commander: 'Dana',
      })
    ).incident.id;
    incident = (await f.api.createIncident({ title: 'A real one' })).incident.id;
    await f.api.appendEntries(drill, { entries: [...gaps, exposed1, exposed2, fixNow, owned, unowned] });
    // Ravi's harness reports what its transcript spent: 1 M input and 100 k output tokens of Sonnet.
    const token = await harnessToken(f.api, 'Ravi', 'responder', drill);
    await new ApiClient(f.server.url, { token: token.token }).reportUsage(drill, {
      sessionId: 's1',
      messages: [
        {
          id: 'msg_1',
          model: 'claude-sonnet-4-5',
          at: new Date().toISOString(),
          tokens: { input: 1_000_000, output: 100_000, cacheRead: 0, cacheCreation: 0 },
        },
      ],
    });
  });
  afterAll(async () => {
    await f.close();
  });

  it('holds each question with its answers, the unanswered ones, the actions with owners, who took part and the cost', async () => {
    const report = DrillReport.parse(JSON.parse(await f.api.drillReport(drill, 'json')));
    expect(report.drill).toMatchObject({
      id: drill,
      title: 'Game day: public bucket',
      commander: 'Dana',
    });
    expect(report.questions.map((x) => [x.id, x.answers.map((a) => a.id)])).toEqual([
      ['exposed', [exposed1.id, exposed2.id]],
      ['similar-systems', []],
      ['signals', []],
      ['playbook', []],
      ['hardest-decision', []],
      ['fix-now', [fixNow.id]],
    ]);
    expect(report.questions[0]?.gap.id).toBe(gaps[0]?.id);
    expect(report.unanswered).toEqual(['similar-systems', 'signals', 'playbook', 'hardest-decision']);
    expect(report.actions.map((a) => [a.entry.id, a.text, a.owner, a.questions])).toEqual([
      [owned.id, 'Turn on S3 Block Public Access', 'platform', ['fix-now']],
      [unowned.id, 'Write the bucket playbook', null, []],
    ]);
    expect(report.participants).toEqual([
      { name: 'Ravi', kind: 'harness', harness: 'claude-code', entries: 3, answers: 2 },
      { name: 'Mei', kind: 'harness', harness: 'codex', entries: 2, answers: 1 },
    ]);
    expect(report.cost).toEqual({
      harness: { tokens: 1_100_000, costUsd: 4.5 },
      summarizer: { tokens: 0, costUsd: 0 },
      totalUsd: 4.5,
      unpriced: [],
    });
    expect(report.summary).toBeNull();
  });

  it('renders Markdown whose every answer and action cites its entry, the same bytes each time', async () => {
    const md = await f.api.drillReport(drill, 'md');
    expect(md.startsWith('# Drill report: Game day: public bucket\n')).toBe(true);
    expect(md).toContain('- **Questions answered:** 2 of 6');
    expect(md).toContain('### 1. What would be exposed? (2 answers)');
    expect(md).toContain('### 4. Which playbook would we need? (0 answers)\n\n_Not answered yet._');
    const cite = (e: Entry) => `[${e.id.slice(-6)}](#e-${e.id.toLowerCase()})`;
    expect(md).toContain(`- **Mei (codex)** The invoices bucket too ${cite(exposed2)}`);
    expect(md).toContain(
      `- **platform** Turn on S3 Block Public Access ${cite(owned)}\n  From: What should we fix now?`,
    );
    expect(md).toContain(`- **no owner** Write the bucket playbook ${cite(unowned)}`);
    expect(md).toContain(
      `## Unanswered questions\n\n- Which of our systems look similar? ${cite(gaps[1] as Entry)}`,
    );
    expect(md).toContain('| Ravi | claude-code | 3 | 2 |');
    expect(md).toContain('| Harnesses | 1100000 | $4.50 |');
    for (const e of [exposed1, exposed2, fixNow, owned, unowned, ...gaps])
      expect(md).toContain(`<a id="e-${e.id.toLowerCase()}"></a>`);
    expect(await f.api.drillReport(drill, 'md')).toBe(md);
  });

  it('renders one self-contained HTML page, every text escaped, under the export CSP', async () => {
    const res = await fetch(`${f.server.url}/api/drills/${drill}/report?format=html`, {
      headers: { authorization: `Bearer ${f.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    const html = await res.text();
    expect(html).toContain('<h1>Drill report: Game day: public bucket</h1>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain(`<a class="cite" href="#e-${owned.id.toLowerCase()}">`);
    expect(html).toContain(`<article id="e-${owned.id.toLowerCase()}">`);
  });

  it('is what `sitrep drill report` prints, and the CLI names a bad flag', async () => {
    // Four runs that read only, at once.
    const run = (...args: string[]) => runCli(args, { env });
    const [json, md, bad, notDrill] = await Promise.all([
      run('drill', 'report', drill, '--format', 'json'),
      run('drill', 'report', drill),
      run('drill', 'report', drill, '--format', 'pdf'),
      run('drill', 'report', incident),
    ]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(await f.api.drillReport(drill, 'json'));
    expect(md.stdout).toBe(await f.api.drillReport(drill, 'md'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/format/);
    expect(notDrill.code).toBe(1);
    expect(notDrill.stderr).toContain('not a drill');
  });

  it('refuses an incident, a bad format and a stranger, and writes nothing', async () => {
    const get = async (path: string, token = f.token) => {
      const res = await fetch(`${f.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
    };
    const before = (await f.api.listIncidents({ limit: 10 })).incidents.map((i) => i.lastSeq);
    expect(await get(`/api/drills/${incident}/report`)).toEqual({ status: 400, code: 'request.invalid' });
    expect(await get(`/api/drills/${drill}/report?format=pdf`)).toEqual({
      status: 400,
      code: 'request.invalid',
    });
    expect(await get(`/api/drills/${drill}/report?form=md`)).toEqual({
      status: 400,
      code: 'request.invalid',
    });
    expect(await get('/api/drills/no-such-drill/report')).toEqual({
      status: 404,
      code: 'incident.not_found',
    });
    expect(await get(`/api/drills/${drill}/report`, 'not-a-token')).toEqual({
      status: 401,
      code: 'auth.invalid',
    });
    expect((await f.api.listIncidents({ limit: 10 })).incidents.map((i) => i.lastSeq)).toEqual(before);
  });
});
