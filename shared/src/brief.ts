// The brief: what a responder's harness should know at the start of a turn, within a token
// budget. Pure: meta, entries and (when there is one) the commander view in; a model and its
// Markdown out. Sections go in order of importance and the least important are cut first, so a
// small budget still says the status, the leading theories and which theories are dead and why,
// here and (when the server passes related incidents, read with the reader's own token) in past
// incidents like this one. A drill's brief says so first, states its scenario and lists its
// unanswered pre-mortem questions, none of which is ever cut.
import { z } from 'zod';
import { drillQuestions, questionOf } from './drill.js';
import type { Entry, EntryId } from './entry.js';
import type { IncidentMeta } from './incident.js';
import type { RelatedIncident } from './memory.js';
import { buildRulesView, clip, entryLabel } from './rulesView.js';
import { rejectedBefore } from './seenBefore.js';
import { cut } from './storable.js';
import { CONFIRMS_TAG } from './theory.js';
import type { CommanderView, RulesView } from './view.js';

/** Four characters to a token, the usual estimate for English text. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

const Item = z.object({ id: z.string(), text: z.string(), why: z.string().optional() });
export const Brief = z.object({
  incident: z.object({
    id: z.string(),
    title: z.string(),
    severity: z.string(),
    status: z.string(),
    commander: z.string().nullable(),
  }),
  headline: z.string().nullable(),
  /**
   * A drill's scenario and questions (null for an incident): each question's id is its gap's
   * entry id, its text the question with its stable id; the unanswered first, never cut.
   */
  drill: z
    .object({
      scenario: z.object({
        title: z.string(),
        summary: z.string().nullable(),
        company: z.string().nullable(),
        url: z.string().nullable(),
        from: z.string().nullable(),
        excerpt: z.string(),
      }),
      unanswered: z.array(Item),
      answered: z.array(Item),
    })
    .nullable()
    .default(null),
  leading: z.array(Item),
  open: z.array(Item),
  rejected: z.array(Item),
  gaps: z.array(Item),
  decisions: z.array(Item),
  /**
   * Theories rejected in related past incidents that match a theory open here: id the past
   * theory's, why the rationale given then, the incident and the open theory here it matches.
   */
  rejectedBefore: z.array(Item.extend({ incident: z.string(), matches: z.string() })),
  /** Related past incidents, most related first: id the incident's, why its cause and decisions. */
  seenBefore: z.array(Item),
  /** Entries logged after the client's last brief (by log position, not id), newest first. */
  changes: z.array(Item),
  /** Items cut to fit the budget. */
  omitted: z.number().int(),
  /** The log position the brief covers: pass it as `since` next time. */
  seq: z.number().int(),
  /**
   * The newest entry id the brief covers, for clients from before `seq`: they pass it as
   * `since`, and the server takes the log position where that entry landed.
   */
  watermark: z.string().nullable(),
  tokens: z.number().int(),
});
export type Brief = z.infer<typeof Brief>;
type BriefItem = z.infer<typeof Item>;

export interface BriefInput {
  id: string;
  meta: IncidentMeta;
  entries: readonly Entry[];
  commander?: CommanderView | null;
  /**
   * The rules view the server keeps, if any: used when it covers exactly these entries (folding
   * a large incident's entries again costs the event loop a few hundred milliseconds).
   */
  rules?: RulesView | null;
  /** The log position the entries cover. */
  seq: number;
  /**
   * The entries logged after this client's previous brief, each with its log position; null
   * when it had none (or it cannot be placed in the log): no "new since" section then.
   */
  landed?: ReadonlyMap<EntryId, number> | null;
  /** How many landed in all, when `landed` holds only the newest (briefChangesLimit) of them. */
  landedTotal?: number;
  /**
   * Past incidents like this one, most related first, as the reader's own token may see them:
   * the "Seen before" and "Rejected before" sections. Never stored in the document.
   */
  related?: readonly RelatedIncident[] | null;
  maxTokens: number;
}

/** A related past incident as a brief item: its title, severity and status; why: its cause and decisions. */
function seenItem(r: RelatedIncident): BriefItem {
  const i = r.incident;
  // The decision that confirmed the cause says the cause again: left out when the cause is shown.
  const decided = r.outcome.decisions
    .filter((d) => r.outcome.confirmed.length === 0 || !d.tags?.includes(CONFIRMS_TAG))
    .map((d) => entryLabel(d) + (d.rationale ? ` (${clip(d.rationale, 120)})` : ''));
  const why = [
    r.outcome.confirmed.length > 0
      ? `cause: ${r.outcome.confirmed.map(entryLabel).join('; ')}`
      : 'no confirmed cause',
    ...(decided.length > 0 ? [`decided: ${decided.join('; ')}`] : []),
  ].join(' · ');
  const kind = i.kind === 'drill' ? ', drill' : '';
  return { id: i.id, text: `${i.title} (${i.severity}, ${i.status}${kind})`, why: clip(why, 400) };
}

const one = (e: Entry, why?: string): BriefItem => ({
  id: e.id,
  text: entryLabel(e),
  ...(why && { why: cut(why, 300) }),
});

/** How much of a scenario's Markdown a drill's brief quotes. */
const SCENARIO_EXCERPT = 600;

/** A drill's part of the brief: its scenario, and its questions unanswered and answered. */
function drillPart(meta: IncidentMeta, entries: readonly Entry[]): Brief['drill'] {
  const s = meta.scenario;
  if (meta.kind !== 'drill' || !s) return null;
  const questions = drillQuestions(entries);
  const item = (q: (typeof questions)[number]): BriefItem => ({
    id: q.gap.id,
    text: `${q.question.title} (question "${q.question.id}"${q.answers.length ? `, ${q.answers.length} answers` : ''})`,
    ...(q.answers.length === 0 && { why: q.question.body }),
  });
  return {
    scenario: {
      title: s.title,
      summary: s.summary ? clip(s.summary, 600) : null,
      company: s.company ?? null,
      url: s.url ?? null,
      from: s.from?.incident ?? null,
      excerpt: clip(s.body.replace(/\s+/g, ' ').trim(), SCENARIO_EXCERPT),
    },
    unanswered: questions.filter((q) => q.answers.length === 0).map(item),
    answered: questions.filter((q) => q.answers.length > 0).map(item),
  };
}

export function buildBrief(input: BriefInput): Brief {
  const { meta, entries } = input;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rules = input.rules && covers(input.rules, entries) ? input.rules : buildRulesView(entries);
  const theory = (state: string) =>
    rules.theories
      .filter((t) => t.state === state)
      .map((t) => byId.get(t.id))
      .filter((e): e is Entry => !!e);
  const rejected = rules.theories
    .filter((t) => t.state === 'rejected')
    .map((t) => {
      const r = t.rejectedBy ? byId.get(t.rejectedBy) : undefined;
      return { id: t.id, text: t.title, why: cut(r?.rationale ?? r?.body ?? '', 300) };
    });
  const ordered = [...entries].sort((a, b) => (a.id < b.id ? 1 : -1));
  const open = [...theory('reopened'), ...theory('open')];
  const related = input.related ?? [];
  const full: Brief = {
    incident: {
      id: input.id,
      title: meta.title,
      severity: meta.severity,
      status: meta.status,
      commander: meta.commander ?? null,
    },
    headline: input.commander?.headline.text ?? null,
    drill: drillPart(meta, entries),
    leading: [...theory('confirmed'), ...theory('leading')].map((e) => one(e)),
    open: open.map((e) => one(e)),
    rejected,
    // A drill's questions have a section of their own.
    gaps: rules.openGaps
      .map((id) => byId.get(id))
      .filter((e): e is Entry => !!e && questionOf(e) === null)
      .map((e) => one(e)),
    decisions: ordered.filter((e) => e.kind === 'decision').map((e) => one(e, e.rationale)),
    rejectedBefore: rejectedBefore(related, [...theory('leading'), ...open]).map((r) => ({
      id: r.theory.id,
      text: `${entryLabel(r.theory)} (ruled out in ${r.incident.id}, "${clip(r.incident.title, 80)}"; like ${r.matches} here)`,
      ...(r.rationale && { why: cut(r.rationale, 300) }),
      incident: r.incident.id,
      matches: r.matches,
    })),
    seenBefore: related.map(seenItem),
    changes: input.landed ? landedOrder(entries, input.landed).map((e) => one(e)) : [],
    omitted: Math.max(0, (input.landedTotal ?? 0) - (input.landed?.size ?? 0)),
    seq: input.seq,
    watermark: ordered[0]?.id ?? null,
    tokens: 0,
  };
  // Cut from the least important list until the Markdown fits: changes, open, decisions, gaps,
  // the past incidents seen before, then leading, and the theories already dead last (those
  // rejected in past incidents before those rejected here). Then the headline is shortened; the
  // status line always stays.
  const cutOrder: (keyof Pick<
    Brief,
    'changes' | 'open' | 'decisions' | 'gaps' | 'seenBefore' | 'leading' | 'rejectedBefore' | 'rejected'
  >)[] = ['changes', 'open', 'decisions', 'gaps', 'seenBefore', 'leading', 'rejectedBefore', 'rejected'];
  const brief = { ...full }; // its lists are replaced when cut, never changed in place
  let text = renderBrief(brief);
  const keepOnly = <K extends (typeof cutOrder)[number]>(key: K, keep: number) => {
    brief.omitted += brief[key].length - keep;
    brief[key] = brief[key].slice(0, keep) as Brief[K];
    text = renderBrief(brief);
  };
  for (const key of cutOrder) {
    if (estimateTokens(text) <= input.maxTokens) break;
    // Keep the most important first items: drop lines from the end until their characters cover
    // the excess (one pass, however long the list), then one at a time while the Markdown, with
    // its count of what was left out, is still over.
    let excess = text.length - input.maxTokens * 4;
    let keep = brief[key].length;
    while (keep > 0 && excess > 0) excess -= itemLine(brief[key][--keep] as BriefItem).length + 1;
    keepOnly(key, keep);
    while (estimateTokens(text) > input.maxTokens && brief[key].length > 0)
      keepOnly(key, brief[key].length - 1);
  }
  let tokens = estimateTokens(text);
  if (tokens > input.maxTokens && brief.headline) {
    const keep = brief.headline.length - (tokens - input.maxTokens) * 4 - 1;
    brief.headline = keep > 0 ? `${cut(brief.headline, keep)}…` : null;
    tokens = estimateTokens(renderBrief(brief));
  }
  return { ...brief, tokens };
}

/**
 * The most "new since" items a brief of `maxTokens` can show (each line is at least 32
 * characters: an id of 26 in `- [ ]` and a newline): a server need fetch no more than these.
 */
export const briefChangesLimit = (maxTokens: number) => Math.ceil((maxTokens * 4) / 32) + 1;

/** Whether a rules view was built from these entries: as many of each kind, the same newest. */
function covers(rules: RulesView, entries: readonly Entry[]): boolean {
  let newest = '';
  const counts = new Map<string, number>();
  for (const e of entries) {
    counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    if (e.id > newest) newest = e.id;
  }
  return (
    rules.watermark === (newest || null) &&
    Object.entries(rules.counts).every(([kind, n]) => (counts.get(kind) ?? 0) === n)
  );
}

/**
 * The entries that landed after the last brief, newest first by log position: an entry written
 * late with an older id (an offline queue, a clock behind) is new all the same, and one with an
 * id far ahead sorts where it landed.
 */
function landedOrder(entries: readonly Entry[], landed: ReadonlyMap<EntryId, number>): Entry[] {
  const seq = (e: Entry) => landed.get(e.id) ?? 0;
  return entries.filter((e) => landed.has(e.id)).sort((a, b) => seq(b) - seq(a) || (a.id < b.id ? 1 : -1));
}

const itemLine = (i: BriefItem) => `- ${i.text} [${i.id}]${i.why ? ` — ${i.why}` : ''}`;

const list = (title: string, items: readonly BriefItem[], empty?: string) =>
  items.length === 0
    ? empty
      ? `## ${title}\n${empty}\n`
      : ''
    : `## ${title}\n${items.map(itemLine).join('\n')}\n`;

/** A drill's opening: that it is one, its scenario, then its questions, the unanswered first. */
function renderDrill(d: NonNullable<Brief['drill']>): string[] {
  const s = d.scenario;
  const about = [
    s.from
      ? `a replay of our incident ${s.from}`
      : `what happened${s.company ? ` at ${s.company}` : ' elsewhere'}`,
    s.url ? `, ${s.url}` : '',
  ].join('');
  return [
    `**This is a drill, not a live incident**: a pre-mortem asking "if this happened here, how would it play out?" ` +
      'Answer each question with a finding that refs it (MCP tool `answer_question`, or `sitrep drill answer`).\n',
    `## Scenario: ${s.title} (${about})\n${s.summary ? `${s.summary}\n\n` : ''}${s.excerpt}\n`,
    list('Unanswered questions: answer these first', d.unanswered, 'All answered.'),
    list('Answered questions', d.answered),
  ];
}

export function renderBrief(b: Brief): string {
  const i = b.incident;
  return [
    `# sitrep brief: ${b.drill ? 'DRILL ' : ''}${i.title} (${i.id})`,
    `${i.severity} · ${i.status} · commander ${i.commander ?? 'unassigned'}${b.headline ? `\n\n${b.headline}` : ''}\n`,
    ...(b.drill ? renderDrill(b.drill) : []),
    list('Leading theories', b.leading, 'None yet.'),
    list('Rejected theories: do not re-investigate without new evidence', b.rejected),
    list('Rejected before: theories like yours ruled out in past incidents', b.rejectedBefore),
    list('Open theories', b.open),
    list('Open gaps', b.gaps),
    list('Decisions', b.decisions),
    list('Seen before: past incidents like this one', b.seenBefore),
    list('New since your last brief', b.changes),
    b.omitted ? `(${b.omitted} more items left out for length)\n` : '',
    `Push what you learn with sitrep (findings, theories, rejections with rationale, decisions). Cite entry ids in refs.`,
  ]
    .filter(Boolean)
    .join('\n');
}
