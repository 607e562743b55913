// The drill report (shared/src/drillReport.ts) as the sections both renderers print: lines that
// cite entries (ReportLine, as the postmortem draft's), tables as rows of text, and the entries
// quoted in the appendix. Pure; the Markdown and HTML renderers only lay it out.
import { type DrillReport, type Entry, entryLabel } from '@sitrep/shared';
import { attribution } from './blameless.js';
import { type ReportLine, usd } from './report.js';

/** What a drill report says under its title. */
export const DRILL_REPORT_NOTE =
  'A drill: a scenario rehearsed against our systems. Nothing here happened; it is not counted as an incident.';

export interface DrillSections {
  title: string;
  facts: [string, string][];
  /** The scenario's own summary, quoted. */
  scenario: string | null;
  summary: ReportLine[];
  questions: { heading: string; lines: ReportLine[] }[];
  unanswered: ReportLine[];
  actions: ReportLine[];
  people: { head: string[]; rows: string[][] };
  cost: { head: string[]; rows: string[][] };
  unpriced: string | null;
  /** The questions, answers and actions, quoted whole, in id order. */
  appendix: Entry[];
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function drillSections(r: DrillReport): DrillSections {
  const { drill, cost } = r;
  const s = drill.scenario;
  const answered = r.questions.length - r.unanswered.length;
  const questionText = new Map(r.questions.map((q) => [q.id, q]));
  const source = s ? [s.title, s.company, s.url, s.fromIncident && `replay of ${s.fromIncident}`] : [];
  return {
    title: `Drill report: ${drill.title}`,
    facts: [
      ['Drill', drill.id],
      ['Scenario', source.filter(Boolean).join(' · ') || '—'],
      ['Status', drill.status],
      ['Commander', drill.commander ?? '—'],
      ['Started', drill.createdAt],
      ['Questions answered', `${answered} of ${r.questions.length}`],
    ],
    scenario: s?.summary ?? null,
    summary: r.summary
      ? [
          { text: r.summary.headline.text, cites: r.summary.headline.cites },
          ...r.summary.nextActions.map((a) => ({ text: a.text, cites: a.cites, tag: a.owner ?? 'next' })),
        ]
      : [],
    questions: r.questions.map((q, i) => ({
      heading: `${i + 1}. ${q.question} (${plural(q.answers.length, 'answer')})`,
      lines: q.answers.map((a) => ({ text: entryLabel(a), cites: [a.id], tag: attribution(a.author) })),
    })),
    unanswered: r.unanswered.flatMap((id) => {
      const q = questionText.get(id);
      return q ? [{ text: q.question, cites: [q.gap.id] }] : [];
    }),
    actions: r.actions.map((a) => ({
      text: a.text,
      cites: [a.entry.id],
      tag: a.owner ?? 'no owner',
      ...(a.questions.length > 0 && {
        detail: `From: ${a.questions.map((id) => questionText.get(id)?.question ?? id).join('; ')}`,
      }),
    })),
    people: {
      head: ['who', 'harness', 'entries', 'answers'],
      rows: r.participants.map((p) => [
        p.name,
        p.harness ?? (p.kind === 'human' ? '—' : 'harness'),
        String(p.entries),
        String(p.answers),
      ]),
    },
    cost: {
      head: ['', 'tokens', 'cost (list prices)'],
      rows: [
        ['Harnesses', String(cost.harness.tokens), usd(cost.harness.costUsd)],
        ['Summarizer', String(cost.summarizer.tokens), usd(cost.summarizer.costUsd)],
        ['Total', String(cost.harness.tokens + cost.summarizer.tokens), usd(cost.totalUsd)],
      ],
    },
    unpriced: cost.unpriced.length > 0 ? `No price for ${cost.unpriced.join(', ')}: not in the sums.` : null,
    appendix: [...r.questions.flatMap((q) => [q.gap, ...q.answers]), ...r.actions.map((a) => a.entry)].sort(
      (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    ),
  };
}
