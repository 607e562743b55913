// The little language the memory evaluation set is written in: a past incident is a list of steps
// (findings, theories, rejections, decisions, actions, gaps) that become entries as a harness would
// push them, with ULIDs made at the incident's own time (deterministic: the same every run) and
// refs by name within the incident.
import type { Entry, EntryDraft, EntryId } from '@sitrep/shared';
import type { Severity } from '@sitrep/shared';
import { prng } from '../../support/random.js';

/** A person, or a harness working for one: who writes a step. */
export type Writer = Entry['author'];

export const person = (id: string, name: string): Writer => ({ id, name, kind: 'human' });
export const harness = (of: Writer, tool = 'claude-code'): Writer => ({
  id: `${of.id}/${tool}`,
  name: of.name,
  kind: 'harness',
  harness: tool,
});

interface StepOptions {
  /** Index into the incident's team (default: the first). */
  by?: number;
  /** Names of earlier steps this one refs. */
  refs?: string[];
  tags?: string[];
  confidence?: Entry['confidence'];
  evidence?: Entry['evidence'];
  /** Minutes after the previous step (default 6). */
  after?: number;
}

export interface Step extends StepOptions {
  kind: Entry['kind'];
  /** The name other steps ref it by. */
  name?: string;
  title?: string;
  body: string;
  rationale?: string;
}

export const finding = (body: string, o: StepOptions = {}): Step => ({ kind: 'finding', body, ...o });
/** A step with a name and a one-line title, of the given kind. */
const titled =
  (kind: 'theory' | 'action' | 'gap') =>
  (name: string, title: string, body: string, o: StepOptions = {}): Step => ({
    kind,
    name,
    title,
    body,
    ...o,
  });

export const theory = titled('theory');
/** A rejection of the named theory, with the rationale the responder gave. */
export const rejection = (of: string, body: string, rationale: string, o: StepOptions = {}): Step => ({
  kind: 'rejection',
  body,
  rationale,
  ...o,
  refs: [of, ...(o.refs ?? [])],
});
/** A decision tagged `confirms`: the named theory is the confirmed cause. */
export const confirm = (
  of: string,
  title: string,
  body: string,
  rationale: string,
  o: StepOptions = {},
): Step => ({
  kind: 'decision',
  title,
  body,
  rationale,
  ...o,
  refs: [of, ...(o.refs ?? [])],
  tags: ['confirms', ...(o.tags ?? [])],
});
export const decision = (title: string, body: string, rationale: string, o: StepOptions = {}): Step => ({
  kind: 'decision',
  title,
  body,
  rationale,
  ...o,
});
/** A follow-up. It stays open unless a later `done` step refs it. */
export const action = titled('action');
/** A question nobody could answer yet. It stays open unless a later `answer` step refs it. */
export const gap = titled('gap');
/** A finding that closes the named action: it refs it and is tagged `done`. */
export const done = (of: string, body: string, o: StepOptions = {}): Step => ({
  kind: 'finding',
  body,
  ...o,
  refs: [of],
  tags: ['done', ...(o.tags ?? [])],
});
/** A finding that answers the named gap (the rules view counts a gap answered when one refs it). */
export const answer = (of: string, body: string, o: StepOptions = {}): Step => ({
  kind: 'finding',
  body,
  ...o,
  refs: [of],
});

export interface PastSpec {
  id: string;
  /** The failure mode; null for a distractor, which shares only generic words with the rest. */
  mode: string | null;
  title: string;
  severity: Severity;
  /** ISO time the incident was declared. */
  created: string;
  commander: string;
  team: Writer[];
  steps: Step[];
}

/** A resolved past incident as the evaluation loads it. */
export interface PastIncident {
  id: string;
  mode: string | null;
  title: string;
  severity: Severity;
  status: 'resolved';
  commander: string;
  createdAt: string;
  resolvedAt: string;
  /** Complete entries, in the order written, ids made at their `at`. */
  entries: Entry[];
  /** Actions and gaps no later entry closed or answered: the follow-ups still open. */
  openFollowUps: EntryId[];
  /** The theories rejected here, by id. */
  rejectedTheories: EntryId[];
  /** The theory the incident confirmed as its cause. */
  confirmedTheory: EntryId;
}

const seedOf = (s: string) => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193), 0x811c9dc5);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A ULID's first ten characters: the time in milliseconds, base 32. */
const encodeTime = (ms: number) =>
  Array.from({ length: 10 }, (_, i) => CROCKFORD[Math.floor(ms / 32 ** (9 - i)) % 32]).join('');

export function buildPast(spec: PastSpec): PastIncident {
  const rnd = prng(seedOf(spec.id));
  const ids = new Map<string, EntryId>();
  let t = Date.parse(spec.created);
  const entries: Entry[] = [];
  for (const step of spec.steps) {
    t += (step.after ?? 6) * 60_000;
    // Each step a later millisecond, so ids sort in the order written.
    const id = encodeTime(t) + Array.from({ length: 16 }, () => CROCKFORD[rnd.int(32)]).join('');
    const refs = step.refs?.map((name) => {
      const ref = ids.get(name);
      if (!ref) throw new Error(`${spec.id}: a step refs "${name}" before it is written`);
      return ref;
    });
    const author = spec.team[step.by ?? 0];
    if (!author) throw new Error(`${spec.id}: no writer ${step.by}`);
    entries.push({
      v: 1,
      id,
      kind: step.kind,
      ...(step.title && { title: step.title }),
      body: step.body,
      author,
      at: new Date(t).toISOString(),
      ...(refs && { refs }),
      ...(step.evidence && { evidence: step.evidence }),
      ...(step.confidence && { confidence: step.confidence }),
      ...(step.rationale && { rationale: step.rationale }),
      ...(step.tags && { tags: step.tags }),
    });
    if (step.name) {
      if (ids.has(step.name)) throw new Error(`${spec.id}: two steps named "${step.name}"`);
      ids.set(step.name, id);
    }
  }
  const closed = new Set(
    entries
      .filter((e) => e.kind === 'finding' || e.kind === 'dataset' || e.kind === 'decision')
      .flatMap((e) => e.refs ?? []),
  );
  const confirmed = entries.find((e) => e.kind === 'decision' && e.tags?.includes('confirms'))?.refs?.[0];
  if (!confirmed) throw new Error(`${spec.id}: no confirmed theory`);
  return {
    id: spec.id,
    mode: spec.mode,
    title: spec.title,
    severity: spec.severity,
    status: 'resolved',
    commander: spec.commander,
    createdAt: new Date(Date.parse(spec.created)).toISOString(),
    resolvedAt: new Date(t + 20 * 60_000).toISOString(),
    entries,
    openFollowUps: entries
      .filter((e) => (e.kind === 'action' || e.kind === 'gap') && !closed.has(e.id))
      .map((e) => e.id),
    rejectedTheories: entries.filter((e) => e.kind === 'rejection').flatMap((e) => e.refs?.slice(0, 1) ?? []),
    confirmedTheory: confirmed,
  };
}

/** A new incident as a responder opens it: its title and first findings. */
export interface NewIncident {
  id: string;
  title: string;
  severity: Severity;
  /** The failure mode it shares with past incidents, or null for one the past set never saw. */
  mode: string | null;
  /** The past incidents of its mode (empty when unrelated): what `related` should find. */
  expected: string[];
  findings: EntryDraft[];
  /**
   * Which set it belongs to: the first (newIncidents.ts, read while tuning), the blind set
   * (newBlind.ts, written after that), the second blind set (newBlind2.ts, written before the
   * ranking changes tried for issue 25's last recall target) or the third (newBlind3.ts, written
   * to measure those changes blind).
   */
  set: EvalSet;
}

/** The sets of new incidents, in the order they were written. */
export type EvalSet = 'first' | 'blind' | 'blind2' | 'blind3';

export interface NewSpec {
  id: string;
  title: string;
  severity: Severity;
  mode: string | null;
  by: Writer;
  findings: string[];
}

export function buildNew(spec: NewSpec, past: readonly PastIncident[], set: EvalSet = 'first'): NewIncident {
  return {
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    mode: spec.mode,
    expected: spec.mode === null ? [] : past.filter((p) => p.mode === spec.mode).map((p) => p.id),
    findings: spec.findings.map((body) => ({ kind: 'finding', body, author: spec.by })),
    set,
  };
}
