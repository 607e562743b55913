// The drill report as data: each pre-mortem question with the answers it got (whole entries, so
// every line of a rendering cites one), the unanswered questions, the fix-now actions with their
// owners, who took part, the summarizer's view and the AI cost. The JSON format is this object;
// the server renders Markdown and HTML from it. Pure and deterministic: the same document and
// usage give the same report.
import { z } from 'zod';
import { PREMORTEM_TAG, QuestionId } from './drill.js';
import { type BoardAction, buildDrillBoard } from './drillBoard.js';
import { ActorKind, Entry } from './entry.js';
import { type ExportDocument, ExportFormat } from './exportDocument.js';
import { IncidentId, Severity, Status } from './incident.js';
import { isoTime } from './storable.js';
import { type TokenCounts, type UsageResponse, totalTokens } from './usage.js';
import { Claim } from './view.js';

export const DrillReportQuestion = z.object({
  id: QuestionId,
  /** The gap entry that asks it in this drill. */
  gap: Entry,
  question: z.string(),
  /** The findings that answer it, in id order. */
  answers: z.array(Entry),
});
export type DrillReportQuestion = z.infer<typeof DrillReportQuestion>;

export const DrillReportAction = z.object({
  entry: Entry,
  /** Its title, or its body's first line. */
  text: z.string(),
  /** Who took it (its `owner:<name>` tag); null when nobody has. */
  owner: z.string().nullable(),
  /** The questions it was filed from. */
  questions: z.array(QuestionId),
});
export type DrillReportAction = z.infer<typeof DrillReportAction>;

export const DrillParticipant = z.object({
  name: z.string(),
  kind: ActorKind,
  harness: z.string().optional(),
  /** Entries they wrote in the drill (the questions it starts with are not counted). */
  entries: z.number().int().min(0),
  /** Answers among them. */
  answers: z.number().int().min(0),
});
export type DrillParticipant = z.infer<typeof DrillParticipant>;

const Cost = z.object({ tokens: z.number().int().min(0), costUsd: z.number().min(0) });

export const DrillReport = z.object({
  format: z.literal('sitrep.drill-report'),
  version: z.literal(1),
  drill: z.object({
    id: IncidentId,
    title: z.string(),
    severity: Severity,
    status: Status,
    createdAt: isoTime(),
    commander: z.string().nullable(),
    /** What the drill rehearses: the scenario's title, source and summary (not its whole body). */
    scenario: z
      .object({
        title: z.string(),
        company: z.string().optional(),
        url: z.string().optional(),
        summary: z.string().optional(),
        fromIncident: IncidentId.optional(),
      })
      .nullable(),
  }),
  questions: z.array(DrillReportQuestion),
  /** The questions nobody has answered, in the order they are asked. */
  unanswered: z.array(QuestionId),
  actions: z.array(DrillReportAction),
  participants: z.array(DrillParticipant),
  /** The summarizer's headline and next actions for the drill, when it wrote a view. */
  summary: z
    .object({
      model: z.string(),
      headline: Claim,
      nextActions: z.array(Claim.extend({ owner: z.string().optional() })),
    })
    .nullable(),
  /** AI cost at list prices: the harnesses' (reported to sitrep) and the summarizer's. */
  cost: z.object({
    harness: Cost,
    summarizer: Cost,
    totalUsd: z.number().min(0),
    /** Models without a price: their cost is not in the sums. */
    unpriced: z.array(z.string()),
  }),
});
export type DrillReport = z.infer<typeof DrillReport>;

/** `GET /api/drills/:id/report?format=md|html|json` (Markdown by default). */
export const DrillReportQuery = z.strictObject({ format: ExportFormat.default('md') });

/** Who wrote what, in the order they first wrote; the questions a drill starts with left out. */
function participants(entries: readonly Entry[], answerIds: ReadonlySet<string>): DrillParticipant[] {
  const byName = new Map<string, DrillParticipant>();
  for (const e of entries) {
    if (e.kind === 'gap' && e.tags?.includes(PREMORTEM_TAG)) continue;
    const { name, kind, harness } = e.author;
    const p = byName.get(name) ?? { name, kind, ...(harness && { harness }), entries: 0, answers: 0 };
    p.entries += 1;
    if (answerIds.has(e.id)) p.answers += 1;
    byName.set(name, p);
  }
  return [...byName.values()];
}

const cost = (side: { tokens: TokenCounts; costUsd: number }) => ({
  tokens: totalTokens(side.tokens),
  costUsd: side.costUsd,
});

export function buildDrillReport(doc: ExportDocument, usage: UsageResponse): DrillReport {
  const { meta } = doc.incident;
  const entries = [...doc.entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byId = new Map(entries.map((e) => [e.id, e]));
  const board = buildDrillBoard(entries);
  const questionOfGap = new Map(board.questions.map((q) => [q.gap, q.id]));
  const questions = board.questions.flatMap((q) => {
    const gap = byId.get(q.gap);
    return gap
      ? [{ id: q.id, gap, question: q.text, answers: q.answers.flatMap((id) => byId.get(id) ?? []) }]
      : [];
  });
  const answerIds = new Set(board.questions.flatMap((q) => q.answers));
  const actionFields = (a: BoardAction) => ({
    owner: a.owner ?? null,
    questions: a.questions.flatMap((g) => questionOfGap.get(g) ?? []),
  });
  const s = meta.scenario;
  const c = doc.commander;
  const harness = cost(usage.totals.harness);
  const summarizer = cost(usage.totals.summarizer);
  return {
    format: 'sitrep.drill-report',
    version: 1,
    drill: {
      id: doc.incident.id,
      title: meta.title,
      severity: meta.severity,
      status: meta.status,
      createdAt: meta.createdAt,
      commander: meta.commander ?? null,
      scenario: s
        ? {
            title: s.title,
            ...(s.company && { company: s.company }),
            ...(s.url && { url: s.url }),
            ...(s.summary && { summary: s.summary }),
            ...(s.from && { fromIncident: s.from.incident }),
          }
        : null,
    },
    questions,
    unanswered: questions.filter((q) => q.answers.length === 0).map((q) => q.id),
    actions: board.actions.flatMap((a) => {
      const entry = byId.get(a.id);
      return entry ? [{ entry, text: a.text, ...actionFields(a) }] : [];
    }),
    participants: participants(entries, answerIds),
    summary: c ? { model: c.model, headline: c.headline, nextActions: c.nextActions } : null,
    cost: {
      harness,
      summarizer,
      // Rounded to a millionth of a dollar so the sum reads the same whatever the order of adding.
      totalUsd: Math.round((harness.costUsd + summarizer.costUsd) * 1e6) / 1e6,
      unpriced: usage.unpriced,
    },
  };
}
