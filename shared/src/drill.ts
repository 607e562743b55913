// A drill's questions and answers. A drill is an incident of kind `drill` whose `meta.scenario`
// says what happened elsewhere; it starts with the six pre-mortem questions as `gap` entries, each
// tagged `question:<id>` with a stable id (the same six in every drill). An answer is a `finding`
// that refs its question's gap (so the gap counts as answered, as any gap a finding refs), tagged
// `answers:<id>`. Pure: the server makes the gaps, the MCP tool and CLI make answers, the brief,
// the report and the board read them back here.
import { z } from 'zod';
import { type Author, type Entry, type EntryDraft, type EntryId, completeEntry } from './entry.js';
import { entryLabel } from './rulesView.js';
import { SCENARIO_LIMITS, type Scenario } from './scenario.js';
import { cut } from './storable.js';
import { theoryStates } from './theory.js';

/** The pre-mortem questions, in the order a drill asks them. */
export const QUESTIONS = [
  {
    id: 'exposed',
    title: 'What would be exposed?',
    body: 'If this happened here: which customers, data and services would be hit, and how badly?',
  },
  {
    id: 'similar-systems',
    title: 'Which of our systems look similar?',
    body: 'Which of our systems share the design, dependency or failure mode that failed there?',
  },
  {
    id: 'signals',
    title: 'Which logs and dashboards would matter?',
    body: 'Where would we see it first, and what would tell us it is this and not something else?',
  },
  {
    id: 'playbook',
    title: 'Which playbook would we need?',
    body: 'Which runbook or playbook covers it today, and what is missing from it?',
  },
  {
    id: 'hardest-decision',
    title: 'Which decision would be hardest?',
    body: 'What would the commander have to decide with too little information, and who would decide it?',
  },
  {
    id: 'fix-now',
    title: 'What should we fix now?',
    body: 'What can we change before it happens here? Record each as an action with an owner.',
  },
] as const;

export const QuestionId = z.enum(QUESTIONS.map((q) => q.id) as [Question['id'], ...Question['id'][]]);
export type QuestionId = z.infer<typeof QuestionId>;
export type Question = (typeof QUESTIONS)[number];

/** Tags every drill gap carries: `premortem`, and the question it asks. */
export const PREMORTEM_TAG = 'premortem';
export const questionTag = (id: QuestionId) => `question:${id}`;
export const answerTag = (id: QuestionId) => `answers:${id}`;

/** The question a drill's gap asks, or null for any other entry. */
export function questionOf(e: Entry): QuestionId | null {
  if (e.kind !== 'gap' || !e.tags?.includes(PREMORTEM_TAG)) return null;
  for (const t of e.tags) {
    const id = QuestionId.safeParse(t.startsWith('question:') ? t.slice(9) : '');
    if (id.success) return id.data;
  }
  return null;
}

/** The six question gaps a new drill starts with, by `author`, in order (their ids sort so). */
export function questionEntries(author: Author, now = new Date()): Entry[] {
  return QUESTIONS.map((q) =>
    completeEntry(
      { kind: 'gap', title: q.title, body: q.body, author, tags: [PREMORTEM_TAG, questionTag(q.id)] },
      now,
    ),
  );
}

/** One question of a drill: its gap, and the findings that answer it in id order. */
export interface DrillQuestion {
  question: Question;
  gap: Entry;
  answers: Entry[];
}

/**
 * The drill's questions in QUESTIONS order, each with its answers. A question asked twice (a
 * drill imported into another) is the first gap asking it; an answer to either counts.
 */
export function drillQuestions(entries: readonly Entry[]): DrillQuestion[] {
  const gaps = new Map<QuestionId, Entry[]>();
  const ordered = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const e of ordered) {
    const q = questionOf(e);
    if (q) gaps.set(q, [...(gaps.get(q) ?? []), e]);
  }
  return QUESTIONS.flatMap((question) => {
    const asked = gaps.get(question.id);
    const first = asked?.[0];
    if (!asked || !first) return [];
    const ids = new Set<EntryId>(asked.map((g) => g.id));
    const answers = ordered.filter((e) => e.kind === 'finding' && e.refs?.some((r) => ids.has(r)));
    return [{ question, gap: first, answers }];
  });
}

/**
 * The question a tool or CLI names (its stable id, or its gap's entry id) in this drill, or null
 * when the drill asks no such question.
 */
export function findQuestion(entries: readonly Entry[], named: string): DrillQuestion | null {
  return drillQuestions(entries).find((q) => q.question.id === named || q.gap.id === named) ?? null;
}

/** An answer to a question: a finding that refs its gap, tagged with the question it answers. */
export function answerDraft(
  q: DrillQuestion,
  answer: Pick<EntryDraft, 'body' | 'title' | 'evidence' | 'confidence'> & { tags?: string[] },
): Omit<EntryDraft, 'author'> {
  const tags = [...new Set([answerTag(q.question.id), ...(answer.tags ?? [])])];
  return { ...answer, kind: 'finding', refs: [q.gap.id], tags };
}

/** One of our incidents as a drill replays it: what the server reads of it. */
export interface ReplaySource {
  id: string;
  title: string;
  severity: string;
  status: string;
  /** The commander view's headline, when the summarizer wrote one. */
  headline: string | null;
  startedAt?: string | null | undefined;
  resolvedAt?: string | null | undefined;
  entries: readonly Entry[];
}

/**
 * The scenario of a replay of one of ours: its title, its headline as the summary, and its causes
 * (confirmed theories), the theories it ruled out and its decisions as the Markdown body.
 * Fingerprinted by the incident replayed; a drill replaying it again is a new drill all the same.
 */
export function replayScenario(src: ReplaySource): Scenario {
  const states = theoryStates(src.entries);
  const line = (e: Entry, why?: string) => `- ${entryLabel(e)}${why ? ` (${why.replace(/\s+/g, ' ')})` : ''}`;
  const byId = new Map(src.entries.map((e) => [e.id, e]));
  const causes = states.filter((t) => t.state === 'confirmed').map((t) => line(t.theory));
  const ruledOut = states
    .filter((t) => t.state === 'rejected')
    .map((t) => line(t.theory, (t.rejectedBy && byId.get(t.rejectedBy)?.rationale) || undefined));
  const decisions = src.entries.filter((e) => e.kind === 'decision').map((e) => line(e, e.rationale));
  const section = (title: string, lines: string[], none: string) =>
    `## ${title}\n\n${lines.length > 0 ? lines.join('\n') : none}`;
  const body = [
    `Replay of our incident ${src.id} (${src.severity}, ${src.status}).`,
    section('Causes', causes, 'No cause was confirmed.'),
    section('Ruled out', ruledOut, 'Nothing was ruled out.'),
    section('Decisions', decisions, 'No decisions were recorded.'),
  ].join('\n\n');
  return {
    title: src.title,
    ...(src.headline && { summary: cut(src.headline, SCENARIO_LIMITS.summaryChars) }),
    ...(src.startedAt && { startTime: src.startedAt }),
    ...(src.resolvedAt && { endTime: src.resolvedAt }),
    body: cut(body, SCENARIO_LIMITS.bodyChars),
    fingerprint: `replay:${src.id}`,
    from: { incident: src.id },
  };
}
