// The `view` root: what the server derives from the entries and writes for readers. `rules` and
// `timeline` are computed by pure functions on every change; `commander` is the LLM's refinement;
// `summarizer` says how the LLM side is doing. Every claim cites the entries behind it.
import { z } from 'zod';
import { ActorKind, ENTRY_KINDS, EntryId } from './entry.js';
import { isoTime, storableString } from './storable.js';

const Time = isoTime();
const Text = storableString().min(1).max(1_000);
const Cites = z.array(EntryId).min(1).max(64);

/** One statement and the entries it rests on. */
export const Claim = z.strictObject({ text: Text, cites: Cites });
export type Claim = z.infer<typeof Claim>;

export const THEORY_STATES = ['open', 'leading', 'confirmed', 'rejected', 'reopened'] as const;

/** A theory on the board: its derived state and the entries that moved it there. */
export const TheoryCard = z.strictObject({
  id: EntryId,
  title: z.string(),
  state: z.enum(THEORY_STATES),
  support: z.array(EntryId),
  rejectedBy: EntryId.optional(),
  reopenedBy: EntryId.optional(),
  confirmedBy: EntryId.optional(),
  /** Who raised or supported it, by author id. */
  workers: z.array(z.string()),
});
export type TheoryCard = z.infer<typeof TheoryCard>;

export const RULE_WARNINGS = ['dismissed_too_early', 'duplicate_work', 'decision_without_rationale'] as const;
export const RuleWarning = z.strictObject({ code: z.enum(RULE_WARNINGS), text: Text, cites: Cites });
export type RuleWarning = z.infer<typeof RuleWarning>;

/**
 * Everyone who wrote, by author id; what each is on is in the theory cards' `workers`. Who is
 * online and what they look at is presence, which readers take from awareness: nothing from
 * presence is written into the document. (Each worker is one part of the stored view, so it
 * holds nothing that changes with every entry or grows with the incident.)
 */
export const Worker = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: ActorKind,
});
export type Worker = z.infer<typeof Worker>;

/** An entry flagged for review, and why (each reason once). */
export const ReviewItem = z.strictObject({ id: EntryId, reasons: z.array(Text).min(1).max(16) });
export type ReviewItem = z.infer<typeof ReviewItem>;

/** The always-on view: entry ids point into the `entries` root for titles and bodies. */
export const RulesView = z.strictObject({
  theories: z.array(TheoryCard),
  decisions: z.array(z.strictObject({ id: EntryId, hasRationale: z.boolean() })),
  /** Gaps no finding, dataset or decision has answered (by ref) yet. */
  openGaps: z.array(EntryId),
  datasets: z.array(EntryId),
  /** Actions and their owners (an `owner:<name>` tag); an action without one has no owner yet. */
  actions: z.array(z.strictObject({ id: EntryId, owner: z.string().optional() })),
  workers: z.array(Worker),
  /**
   * Entries flagged for review: a sentence blames or judges a person (review.ts). Never
   * rewritten (entries are immutable); the commander and the postmortem author decide.
   */
  review: z.array(ReviewItem).default([]),
  counts: z.record(z.enum(ENTRY_KINDS), z.number().int().min(0)),
  warnings: z.array(RuleWarning),
  /** The newest entry the view includes. */
  watermark: EntryId.nullable(),
});
export type RulesView = z.infer<typeof RulesView>;

/** What the LLM writes: every item cites entries; items citing unknown ids are dropped. */
export const CommanderBrief = z.strictObject({
  headline: Claim,
  impact: Claim.nullable(),
  status: Claim.nullable(),
  whatChanged: z.array(Claim).max(20),
  nextActions: z.array(Claim.extend({ owner: storableString().min(1).max(128).optional() })).max(20),
  warnings: z.array(Claim).max(20),
  /** Near-duplicate theories: `merged` say the same as `into`. */
  mergedTheories: z
    .array(z.strictObject({ into: EntryId, merged: z.array(EntryId).min(1).max(20), text: Text }))
    .max(20),
  /** Key moments for the timeline the rules do not see (wording, mitigation taking effect). */
  timeline: z.array(Claim.extend({ at: Time })).max(40),
});
export type CommanderBrief = z.infer<typeof CommanderBrief>;

/** The commander view as stored: the LLM's brief plus where it came from. */
export const CommanderView = CommanderBrief.extend({
  model: z.string(),
  /** The newest entry the LLM has seen. */
  watermark: EntryId.nullable(),
  /**
   * The log position the view covers: entries that land after it are new to the LLM, however
   * their ids sort (an offline queue delivers old ones late). Views from before it had none.
   */
  seq: z.number().int().min(0).optional(),
  at: Time,
  /** Items dropped because they cited entries that do not exist, over this view's life. */
  droppedItems: z.number().int().min(0),
});
export type CommanderView = z.infer<typeof CommanderView>;

export const TIMELINE_KINDS = [
  'detected',
  'acknowledged',
  'theory_raised',
  'theory_rejected',
  'theory_reopened',
  'theory_confirmed',
  'decision',
  'action',
  'mitigated',
  'resolved',
  'noted',
] as const;

export const TimelineEvent = z.strictObject({
  /** Stable across rebuilds: the entry id, or `meta:<field>` for meta times. */
  key: z.string(),
  at: Time,
  kind: z.enum(TIMELINE_KINDS),
  text: z.string(),
  author: z.string().optional(),
  cites: z.array(EntryId),
  pinned: z.boolean(),
  /** Hidden by the author's curation: kept so it can be shown again, left out of exports. */
  hidden: z.boolean(),
  label: z.string().optional(),
  /** Which side made it: the rules, or the LLM's refinement. */
  source: z.enum(['rules', 'llm']),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** Milliseconds from the incident's start (detection, else creation) to each milestone. */
export const IncidentMetrics = z.strictObject({
  startedAt: Time,
  timeToDetectMs: z.number().nullable(),
  timeToAcknowledgeMs: z.number().nullable(),
  timeToMitigateMs: z.number().nullable(),
  timeToResolveMs: z.number().nullable(),
});
export type IncidentMetrics = z.infer<typeof IncidentMetrics>;

export const Timeline = z.strictObject({ events: z.array(TimelineEvent), metrics: IncidentMetrics });
export type Timeline = z.infer<typeof Timeline>;

export const SUMMARIZER_STATES = ['off', 'idle', 'running', 'paused', 'breaker_open', 'over_budget'] as const;

export const SummarizerStatus = z.strictObject({
  state: z.enum(SUMMARIZER_STATES),
  /** Why, in words, for `off`, `paused`, `breaker_open` and `over_budget`. */
  reason: z.string().optional(),
  model: z.string().nullable(),
  lastRunAt: Time.nullable(),
  lastError: z.string().nullable(),
  tokensThisHour: z.number().int().min(0),
  tokenBudgetPerHour: z.number().int().min(0),
  runs: z.number().int().min(0),
});
export type SummarizerStatus = z.infer<typeof SummarizerStatus>;

/** The views in the `view` root and their schemas; viewLayout.ts says how each is kept there. */
export const VIEW_FIELDS = {
  rules: RulesView,
  timeline: Timeline,
  commander: CommanderView,
  summarizer: SummarizerStatus,
} as const;
export type ViewKey = keyof typeof VIEW_FIELDS;
