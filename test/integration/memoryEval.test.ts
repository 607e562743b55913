// The evaluation of "seen before" (issue 25) on a real server: the evaluation set's past incidents
// (test/corpus/memory) are loaded over HTTP; then each new incident is opened the way a real one
// is, alone against the past: created, its first findings written by a harness whose token is
// limited to it, `related` asked with that token, and only then made private (an admin's audited
// change), so no later new incident sees it. Issue 25 asks that `related` rank the past incidents
// of the same failure mode in its top 3 (recall@3 of the expected ones >= 0.9), and give nothing
// above the threshold to at least 80% of the new incidents whose failure mode the past never saw.
// The second is asserted; recall@3 is below 0.9 today (BENCHMARKS.md, "Incident memory"), so what
// is asserted is that it does not fall below RECALL_FLOOR (one expected incident fewer fails it).
// The first set's queries are split in two halves, by failure mode (the ranking was tuned on the
// first, the second was held out, and both were read later); the blind set (newBlind.ts, pastC.ts)
// was written after that, and first run with the ranking as it stood; the second blind set
// (newBlind2.ts: new incidents of the modes of all three pasts) was written later still, before
// the next ranking change was tried; the third (newBlind3.ts) was written to measure that change
// blind, by a writer who had read neither the ranking nor any set's misses. All five are printed,
// for BENCHMARKS.md, each miss with what every incident shown matched (`why`).
import { ApiClient, type RelatedIncident } from '@sitrep/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewIncident, memoryEvalSet } from '../corpus/memory/index.js';
import { BACKENDS, type Fixture, startFixture } from '../support/server.js';

const set = memoryEvalSet();

/**
 * What recall@3 must not fall below: measured 0.802 (166/207) once the third blind set joined (its
 * own 0.677, 44/65, the first measure of the ranking by a set whose writer read neither it nor any
 * misses; the second blind set 0.831, 49/59; the sets before it 0.880, 73/83, with the concepts of
 * server/src/memory/concepts.ts, 0.807 without them). 165/207 is 0.797 and fails it; the issue
 * asks 0.9.
 */
const RECALL_FLOOR = 0.8;

/**
 * The group a query belongs to: a blind set's own (each written after the sets before it had been
 * read); in the first set, failure modes alternate (unrelated queries too), in the set's order.
 */
type Half = 'tuning' | 'held out' | 'blind' | 'blind2' | 'blind3';
const first = {
  related: set.related.filter((n) => n.set === 'first'),
  unrelated: set.unrelated.filter((n) => n.set === 'first'),
};
const modes = [...new Set(first.related.map((n) => n.mode))];
const halfOf = (n: NewIncident): Half =>
  n.set !== 'first'
    ? n.set
    : (n.mode === null ? first.unrelated.indexOf(n) : modes.indexOf(n.mode)) % 2 === 0
      ? 'tuning'
      : 'held out';
const HALVES: Half[] = ['tuning', 'held out', 'blind', 'blind2', 'blind3'];

interface Answer {
  query: NewIncident;
  related: RelatedIncident[];
}

/** Opens a new incident alone against the past corpus and asks what it has seen before. */
async function ask(t: Fixture, n: NewIncident): Promise<Answer> {
  await t.api.createIncident({ id: n.id, title: n.title, severity: n.severity });
  const { token } = await t.api.createToken({
    role: 'responder',
    incidentId: n.id,
    label: n.id,
    kind: 'harness',
  });
  const harness = new ApiClient(t.server.url, { token });
  await harness.appendEntries(n.id, { entries: n.findings });
  const { related } = await harness.related(n.id);
  await t.api.setPrivate(n.id, true);
  return { query: n, related };
}

const share = (part: number, whole: number) => `${(part / whole).toFixed(3)} (${part}/${whole})`;

describe.each(BACKENDS)('incident memory evaluation on %s', (backend) => {
  let t: Fixture;
  const answers: Answer[] = [];
  beforeAll(async () => {
    t = await startFixture(backend);
    for (const p of set.past) {
      await t.api.createIncident({ id: p.id, title: p.title, severity: p.severity, status: 'resolved' });
      await t.api.appendEntries(p.id, { entries: p.entries });
    }
    for (const n of [...set.related, ...set.unrelated]) answers.push(await ask(t, n));
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('finds the past incidents of the same failure mode in the top 3 (recall@3 >= RECALL_FLOOR)', () => {
    const lines: string[] = [];
    let [hits, wanted] = [0, 0];
    for (const half of HALVES) {
      let [h, w] = [0, 0];
      const misses: string[] = [];
      for (const { query, related } of answers.filter(
        (a) => a.query.mode !== null && halfOf(a.query) === half,
      )) {
        const top = related.slice(0, 3).map((r) => r.incident.id);
        const expected = query.expected.slice(0, 3);
        const found = expected.filter((id) => top.includes(id));
        h += found.length;
        w += expected.length;
        if (found.length < expected.length)
          misses.push(
            `  ${query.id}: wanted ${expected.join(', ')}; got:`,
            ...related.map((r) => `    ${shown(r)} ${JSON.stringify(r.why)}`),
          );
      }
      lines.push(`${half}: recall@3 ${share(h, w)}`, ...misses);
      hits += h;
      wanted += w;
    }
    console.log(`memory eval (${backend}): recall@3 ${share(hits, wanted)}\n${lines.join('\n')}`);
    expect(hits / wanted).toBeGreaterThanOrEqual(RECALL_FLOOR);
  });

  it('gives nothing above the threshold to incidents of a failure mode never seen (>= 0.8)', () => {
    const lines: string[] = [];
    let quiet = 0;
    for (const half of HALVES) {
      const of = answers.filter((a) => a.query.mode === null && halfOf(a.query) === half);
      const noisy = of.filter((a) => a.related.length > 0);
      quiet += of.length - noisy.length;
      lines.push(
        `${half}: nothing shown ${share(of.length - noisy.length, of.length)}`,
        ...noisy.map(
          (a) =>
            `  ${a.query.id}: ${a.related.map((r) => `${shown(r)} ${JSON.stringify(r.why)}`).join('; ')}`,
        ),
      );
    }
    console.log(
      `memory eval (${backend}): unrelated with nothing shown ${share(quiet, set.unrelated.length)}\n${lines.join('\n')}`,
    );
    expect(quiet / set.unrelated.length).toBeGreaterThanOrEqual(0.8);
  });
});

const shown = (r: RelatedIncident) => `${r.incident.id} ${r.score.toFixed(2)}`;
