// The postmortem draft as data: what the Markdown and HTML renderers both print. Built purely
// from an ExportDocument (itself rebuilt from the raw log), so an export is reproducible. Every
// line carries the ids of the entries behind it; the report's appendix holds those entries.
// Blameless by default: people are shown by role or harness (blameless.ts), and entries whose
// sentences blame or judge a person are listed for review.
import {
  type AiFigures,
  type Claim,
  type Entry,
  type ExportDocument,
  type IncidentMetrics,
  type RulesView,
  type TimelineEvent,
  buildRulesHeadline,
  buildRulesView,
  declaredAt,
  entryFigures,
  entryLabel,
  describeSkew,
  formatDuration,
  reviewFlags,
  span,
  totalTokens,
} from '@sitrep/shared';
import { standIns, tokenStandIns, withoutNames } from './blameless.js';

export interface ReportLine {
  text: string;
  cites: string[];
  /** A short tag printed before the text: a theory's state, an action's owner. */
  tag?: string;
  /** A second line: a decision's rationale, why a theory was rejected. */
  detail?: string;
}

export interface Report {
  id: string;
  title: string;
  /** A drill's draft says so in its title and first line: it rehearses a scenario, nothing happened. */
  drill: boolean;
  facts: [string, string][];
  summary: ReportLine[];
  metrics: [string, string][];
  /** AI usage and cost, read at export time (not from the log): empty when not given. */
  ai: [string, string][];
  timeline: TimelineEvent[];
  theories: ReportLine[];
  decisions: ReportLine[];
  gaps: ReportLine[];
  actions: ReportLine[];
  datasets: ReportLine[];
  /** Entries flagged for review: a sentence blames or judges a person (never rewritten). */
  review: ReportLine[];
  /** Every entry a line cites, in id order: the appendix. */
  cited: Entry[];
  /**
   * For a cited entry with a receipt: `via <token label>` (named drafts; blameless ones say `via
   * token 1`...), and how far its time is from its arrival when flagged.
   */
  receipts: Record<string, string>;
}

/** The times from the meta and what the entries say of the theories: all from the log. */
function metricsRows(doc: ExportDocument, m: IncidentMetrics): [string, string][] {
  const { theories, confirmedTheoryAt, firstDecisionAt } = entryFigures(doc.entries);
  const declared = declaredAt(doc.incident.meta);
  return [
    ['Time to detect (impact began → detected)', formatDuration(m.timeToDetectMs)],
    ['Time to acknowledge', formatDuration(m.timeToAcknowledgeMs)],
    ['Time to mitigate', formatDuration(m.timeToMitigateMs)],
    ['Time to resolve', formatDuration(m.timeToResolveMs)],
    ['Time to the confirmed theory', formatDuration(span(declared, confirmedTheoryAt))],
    ['Time to the first decision', formatDuration(span(declared, firstDecisionAt))],
    [
      'Theories raised / rejected / reopened / confirmed',
      `${theories.raised} / ${theories.rejected} / ${theories.reopened} / ${theories.confirmed}`,
    ],
  ];
}

/** Dollars at list prices: cents, or four places below a cent. */
export const usd = (n: number) => `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;

function aiRows(ai: AiFigures | undefined): [string, string][] {
  if (!ai) return [];
  const n = (v: number) => v.toLocaleString('en-US');
  return [
    ['AI cost at list prices', usd(ai.costUsd)],
    ['Tokens', n(totalTokens(ai.tokens))],
    ['Summarizer', `${n(ai.summarizer.runs)} runs, ${usd(ai.summarizer.costUsd)}`],
    ['Harnesses', `${n(ai.harness.sessions)} sessions, ${usd(ai.harness.costUsd)}`],
    ...(ai.unpriced.length ? [['Models without a price', ai.unpriced.join(', ')] as [string, string]] : []),
  ];
}

/** Without an LLM view: the rules headline, then the rules' warnings. */
function rulesSummary(rules: RulesView, byId: ReadonlyMap<string, Entry>): ReportLine[] {
  const { lines, warnings } = buildRulesHeadline(rules, byId);
  return [
    ...lines.map(({ text, cites }) => ({ text, cites })),
    ...warnings.map((w) => ({ text: w.text, cites: w.cites, tag: 'warning' })),
  ];
}

const line = (c: Claim, extra: Partial<ReportLine> = {}): ReportLine => ({
  text: c.text,
  cites: c.cites,
  ...extra,
});

/** What a drill's drafts say under the title. */
export const DRILL_NOTE =
  'This is a drill: a scenario rehearsed against our systems, not an incident that happened. It is not counted as an incident.';

/** The drafts' title: a drill's says it is one. */
export const draftTitle = (r: Report): string =>
  `${r.drill ? 'Drill postmortem draft' : 'Postmortem draft'}: ${r.title}`;

/** What the drafts say above the entries flagged for review. */
export const REVIEW_NOTE = 'Sentences that blame or judge a person, as written: reword them before sharing.';

export interface ReportOptions {
  /** Show people by name; by default they are shown by role or harness. */
  names?: boolean;
  /** The incident's AI usage as read now (the usage log is not part of the incident's log). */
  ai?: AiFigures;
}

/** Each flagged entry of the rules view, with why and the sentences. */
function reviewLines(rules: RulesView, byId: ReadonlyMap<string, Entry>): ReportLine[] {
  return rules.review.flatMap(({ id, reasons }): ReportLine[] => {
    const e = byId.get(id);
    if (!e) return [];
    const sentences = reviewFlags(e).map((f) => `"${f.sentence}"`);
    return [
      {
        text: entryLabel(e),
        cites: [id],
        tag: 'for review',
        detail: `${reasons.join('; ')}: ${sentences.join(' ')}`,
      },
    ];
  });
}

/** The receipt line of each cited entry that has one; token labels only when the draft names people. */
function receiptLines(
  doc: ExportDocument,
  cited: ReadonlySet<string>,
  names: boolean,
): Record<string, string> {
  const via = names ? (label: string) => label : tokenStandIns();
  return Object.fromEntries(
    doc.entries.flatMap((e) => {
      const r = doc.receipts?.[e.id];
      if (!r || !cited.has(e.id)) return [];
      const skew = describeSkew(e.at, r.receivedAt);
      return [[e.id, `via ${via(r.via)}${skew ? ` · ⚠ ${skew}` : ''}`]];
    }),
  );
}

export function buildReport(doc: ExportDocument, options: ReportOptions = {}): Report {
  const report = reportOf(doc, options.names === true, options.ai);
  return options.names ? report : withoutNames(report, standIns(doc));
}

function reportOf(doc: ExportDocument, names: boolean, ai: AiFigures | undefined): Report {
  const { meta } = doc.incident;
  const byId = new Map(doc.entries.map((e) => [e.id, e]));
  const rules = buildRulesView(doc.entries);
  const label = (id: string) => {
    const e = byId.get(id);
    return e ? entryLabel(e) : id;
  };
  const c = doc.commander;
  const summary: ReportLine[] = c
    ? [
        line(c.headline),
        ...(c.impact ? [line(c.impact, { tag: 'impact' })] : []),
        ...(c.status ? [line(c.status, { tag: 'status' })] : []),
        ...c.warnings.map((w) => line(w, { tag: 'warning' })),
      ]
    : rulesSummary(rules, byId);

  const theories = rules.theories.map((t): ReportLine => {
    const rejection = t.rejectedBy ? byId.get(t.rejectedBy) : undefined;
    const why = rejection ? `Rejected: ${rejection.rationale ?? rejection.body}` : undefined;
    const reopened = t.reopenedBy ? `Reopened by ${label(t.reopenedBy)}` : undefined;
    const cites = [
      t.id,
      ...t.support,
      ...[t.rejectedBy, t.reopenedBy, t.confirmedBy].filter((x): x is string => Boolean(x)),
    ];
    const detail = [why, reopened].filter(Boolean).join(' — ') || undefined;
    return { text: t.title, cites, tag: t.state, ...(detail && { detail }) };
  });
  const decisions = rules.decisions.map(({ id }): ReportLine => {
    const e = byId.get(id) as Entry;
    return {
      text: entryLabel(e),
      cites: [id, ...(e.refs ?? [])],
      detail: e.rationale ? `Why: ${e.rationale}` : 'No rationale recorded',
    };
  });
  const gaps = rules.openGaps.map((id): ReportLine => ({ text: label(id), cites: [id] }));
  const actions = [
    ...rules.actions.map(
      ({ id, owner }): ReportLine => ({ text: label(id), cites: [id], tag: owner ?? 'no owner' }),
    ),
    ...(c?.nextActions ?? []).map((a) => line(a, { tag: a.owner ?? 'suggested' })),
  ];
  const datasets = rules.datasets.map((id): ReportLine => {
    const e = byId.get(id) as Entry;
    const where = e.evidence?.map((ev) => ev.url ?? ev.query ?? ev.label).join(', ');
    return { text: entryLabel(e), cites: [id], ...(where && { detail: where }) };
  });
  const review = reviewLines(rules, byId);
  const timeline = doc.timeline.events.filter((e) => !e.hidden);
  const sections = [
    summary,
    review,
    theories,
    decisions,
    gaps,
    actions,
    datasets,
    timeline.map((e) => ({ cites: e.cites })),
  ];
  const citedIds = new Set(sections.flat().flatMap((l) => l.cites));
  return {
    id: doc.incident.id,
    title: meta.title,
    drill: meta.kind === 'drill',
    facts: [
      ['Incident', doc.incident.id],
      ['Severity', meta.severity],
      ['Status', meta.status],
      ['Kind', meta.kind],
      ['Commander', meta.commander ?? '—'],
      ['Declared', meta.createdAt],
      ['Entries', String(doc.entries.length)],
      ['Summary by', c ? `${c.model} (as of entry ${c.watermark ?? '—'})` : 'rules only (no LLM view)'],
      [
        'People',
        names ? 'by name' : 'by role or harness (export with --names, or ?names=true, to name them)',
      ],
    ],
    summary,
    metrics: metricsRows(doc, doc.timeline.metrics),
    ai: aiRows(ai),
    timeline,
    theories,
    decisions,
    gaps,
    actions,
    datasets,
    review,
    cited: doc.entries.filter((e) => citedIds.has(e.id)),
    receipts: receiptLines(doc, citedIds, names),
  };
}
