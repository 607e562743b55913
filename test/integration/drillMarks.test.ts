// Drills are marked everywhere and never counted as incidents, against a real server on PGlite and
// Postgres: the list (API and CLI), /metrics (incidents by kind), the exports (a drill's drafts
// say so), search (found and marked unless left out) and "seen before" (related, the CLI and the
// brief: left out unless asked for, drills=true).
import { type Entry, newEntryId } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRILL_NOTE } from '../../server/src/export/report.js';
import { runCli } from '../support/cli.js';
import { makeEntry } from '../support/clients.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

/** The value of one sample of /metrics, as a scraper reads it. */
async function sample(f: Fixture, series: string): Promise<number> {
  const text = await (await fetch(`${f.server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

describe.each(BACKENDS)('drills are marked and not counted as incidents on %s', (backend) => {
  let f: Fixture;
  let env: Record<string, string>;
  let drill: string;
  let incident: string;
  const finding = (body: string): Entry => makeEntry('finding', { id: newEntryId(), body });

  beforeAll(async () => {
    f = await startFixture(backend);
    env = { SITREP_URL: f.server.url, SITREP_TOKEN: f.token };
    incident = (await f.api.createIncident({ title: 'Checkout failing: ledger-db out of connections' }))
      .incident.id;
    drill = (await f.api.createIncident({ title: 'Game day: ledger-db out of connections', kind: 'drill' }))
      .incident.id;
    await f.api.appendEntries(incident, {
      entries: [finding('ledger-db says `FATAL: remaining connection slots are reserved` since 09:00.')],
    });
    await f.api.appendEntries(drill, {
      entries: [finding('Drill: `FATAL: remaining connection slots are reserved` injected on ledger-db.')],
    });
  });
  afterAll(async () => {
    await f.close();
  });

  it('marks a drill in the list, over the API and in the CLI', async () => {
    const { incidents } = await f.api.listIncidents({ limit: 10 });
    expect(Object.fromEntries(incidents.map((i) => [i.id, i.kind]))).toEqual({
      [incident]: 'incident',
      [drill]: 'drill',
    });
    const listed = await runCli(['incident', 'list'], { env });
    expect(listed.code).toBe(0);
    const line = (id: string) => listed.stdout.split('\n').find((l) => l.startsWith(id)) ?? '';
    expect(line(drill)).toMatch(/ \[drill\] Game day: ledger-db out of connections$/);
    expect(line(incident)).not.toContain('[drill]');
  });

  it('counts incidents and drills apart in /metrics', async () => {
    expect(await sample(f, 'sitrep_incidents{kind="incident"}')).toBe(1);
    expect(await sample(f, 'sitrep_incidents{kind="drill"}')).toBe(1);
    const another = await f.api.createIncident({ title: 'Game day: DNS', kind: 'drill' });
    expect(await sample(f, 'sitrep_incidents{kind="drill"}')).toBe(2);
    expect(await sample(f, 'sitrep_incidents{kind="incident"}')).toBe(1);
    await f.api.archiveIncident(another.incident.id, true);
    expect(await sample(f, 'sitrep_incidents{kind="drill"}')).toBe(2);
  });

  it("says in a drill's exports that it is a drill, and nowhere else", async () => {
    const md = await f.api.exportIncident(drill, 'md');
    expect(md.split('\n').slice(0, 3)).toEqual([
      '# Drill postmortem draft: Game day: ledger-db out of connections',
      '',
      `> **${DRILL_NOTE}**`,
    ]);
    const html = await f.api.exportIncident(drill, 'html');
    expect(html).toContain('<h1>Drill postmortem draft: Game day: ledger-db out of connections</h1>');
    expect(html).toContain(`<p class="drill">${DRILL_NOTE}</p>`);
    expect(JSON.parse(await f.api.exportIncident(drill, 'json')).incident.meta.kind).toBe('drill');
    const plain = await f.api.exportIncident(incident, 'md');
    expect(plain.split('\n')[0]).toBe('# Postmortem draft: Checkout failing: ledger-db out of connections');
    expect(plain).not.toContain(DRILL_NOTE);
    expect(await f.api.exportIncident(incident, 'html')).not.toContain('class="drill"');
  });

  it('finds a drill in search, marked, unless left out', async () => {
    const q = 'remaining connection slots are reserved';
    const { results } = await f.api.search({ q });
    expect(new Map(results.map((r) => [r.incident.id, r.incident.kind]))).toEqual(
      new Map([
        [incident, 'incident'],
        [drill, 'drill'],
      ]),
    );
    expect((await f.api.search({ q, drills: false })).results.map((r) => r.incident.id)).toEqual([incident]);
    const [cli, without] = await Promise.all([
      runCli(['search', q], { env }),
      runCli(['search', q, '--no-drills'], { env }),
    ]);
    expect(cli.stdout.split('\n').filter((l) => l.startsWith(`[drill] ${drill} `))).toHaveLength(1);
    expect(without.stdout).not.toContain(drill);
  });

  it('leaves drills out of "seen before" (related, CLI, brief) unless asked for', async () => {
    const ids = async (q: { drills?: boolean } = {}) =>
      (await f.api.related(incident, q)).related.map((r) => r.incident.id);
    expect(await ids()).toEqual([]);
    expect(await ids({ drills: true })).toEqual([drill]);
    const [related, withDrills] = await Promise.all([
      runCli(['related', incident], { env }),
      runCli(['related', incident, '--drills'], { env }),
    ]);
    expect(related.stdout).not.toContain(drill);
    expect(withDrills.stdout).toContain(`(${drill}, SEV3, investigating, DRILL)`);
    const { brief, markdown } = await f.api.brief(incident);
    expect(brief.seenBefore).toEqual([]);
    expect(markdown).not.toContain(drill);
    // From the drill's side the incident is a past incident like it, as for any other.
    expect((await f.api.related(drill)).related.map((r) => r.incident.id)).toEqual([incident]);
  });
});
