// The brief: what a responder's harness should know at the start of a turn, within a token
// budget. Pure: meta, entries and (when there is one) the commander view in; a model and its
// Markdown out. Sections go in order of importance and the least important are cut first, so a
// small budget still says the status, the leading theories and which theories are dead and why.
import { z } from 'zod';
import type { Entry, EntryId } from './entry.js';
import type { IncidentMeta } from './incident.js';
import { buildRulesView, entryLabel } from './rulesView.js';
import { cut } from './storable.js';
import type { CommanderView } from './view.js';

/** Four characters to a token, the usual estimate for English text. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

const Item = z.object({ id: z.string(), text: z.string(), why: z.string().optional() });
export const Brief = z.object({
  incident: z.object({ id: z.string(), title: z.string(), severity: z.string(), status: z.string(), commander: z.string().nullable() }),
  headline: z.string().nullable(),
  leading: z.array(Item),
  open: z.array(Item),
  rejected: z.array(Item),
  gaps: z.array(Item),
  decisions: z.array(Item),
  /** Entries after the client's last brief, newest first. */
  changes: z.array(Item),
  /** Items cut to fit the budget. */
  omitted: z.number().int(),
  /** The newest entry the brief covers: pass it as `since` next time. */
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
  /** The watermark of this client's previous brief. */
  since?: EntryId | undefined;
  maxTokens: number;
}

const one = (e: Entry, why?: string): BriefItem => ({ id: e.id, text: entryLabel(e), ...(why && { why: cut(why, 300) }) });

export function buildBrief(input: BriefInput): Brief {
  const { meta, entries } = input;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rules = buildRulesView(entries);
  const theory = (state: string) => rules.theories.filter((t) => t.state === state).map((t) => byId.get(t.id)).filter((e): e is Entry => !!e);
  const rejected = rules.theories
    .filter((t) => t.state === 'rejected')
    .map((t) => {
      const r = t.rejectedBy ? byId.get(t.rejectedBy) : undefined;
      return { id: t.id, text: t.title, why: cut(r?.rationale ?? r?.body ?? '', 300) };
    });
  const ordered = [...entries].sort((a, b) => (a.id < b.id ? 1 : -1));
  const full: Brief = {
    incident: { id: input.id, title: meta.title, severity: meta.severity, status: meta.status, commander: meta.commander ?? null },
    headline: input.commander?.headline.text ?? null,
    leading: [...theory('confirmed'), ...theory('leading')].map((e) => one(e)),
    open: [...theory('reopened'), ...theory('open')].map((e) => one(e)),
    rejected,
    gaps: rules.openGaps.map((id) => byId.get(id)).filter((e): e is Entry => !!e).map((e) => one(e)),
    decisions: ordered.filter((e) => e.kind === 'decision').map((e) => one(e, e.rationale)),
    changes: input.since ? ordered.filter((e) => e.id > (input.since as string)).map((e) => one(e)) : [],
    omitted: 0,
    watermark: ordered[0]?.id ?? null,
    tokens: 0,
  };
  // Cut from the least important list until the Markdown fits: changes, open, decisions, gaps,
  // then leading, and the theories already dead last. Then the headline is shortened; the
  // status line always stays.
  const cutOrder: (keyof Pick<Brief, 'changes' | 'open' | 'decisions' | 'gaps' | 'rejected' | 'leading'>)[] = ['changes', 'open', 'decisions', 'gaps', 'leading', 'rejected'];
  const brief = { ...full };
  for (const key of cutOrder) brief[key] = [...full[key]];
  let tokens = estimateTokens(renderBrief(brief));
  for (const key of cutOrder) {
    while (tokens > input.maxTokens && brief[key].length > 0) {
      // Keep the most important first items; drop from the end, several at a time when far over.
      const over = Math.ceil((tokens - input.maxTokens) / 40);
      const drop = Math.min(brief[key].length, Math.max(1, over));
      brief[key] = brief[key].slice(0, brief[key].length - drop);
      brief.omitted += drop;
      tokens = estimateTokens(renderBrief(brief));
    }
  }
  if (tokens > input.maxTokens && brief.headline) {
    const keep = brief.headline.length - (tokens - input.maxTokens) * 4 - 1;
    brief.headline = keep > 0 ? `${cut(brief.headline, keep)}…` : null;
    tokens = estimateTokens(renderBrief(brief));
  }
  return { ...brief, tokens };
}

const list = (title: string, items: readonly BriefItem[], empty?: string) =>
  items.length === 0 ? (empty ? `## ${title}\n${empty}\n` : '') : `## ${title}\n${items.map((i) => `- ${i.text} [${i.id}]${i.why ? ` — ${i.why}` : ''}`).join('\n')}\n`;

export function renderBrief(b: Brief): string {
  const i = b.incident;
  return [
    `# sitrep brief: ${i.title} (${i.id})`,
    `${i.severity} · ${i.status} · commander ${i.commander ?? 'unassigned'}${b.headline ? `\n\n${b.headline}` : ''}\n`,
    list('Leading theories', b.leading, 'None yet.'),
    list('Rejected theories: do not re-investigate without new evidence', b.rejected),
    list('Open theories', b.open),
    list('Open gaps', b.gaps),
    list('Decisions', b.decisions),
    list('New since your last brief', b.changes),
    b.omitted ? `(${b.omitted} more items left out for length)\n` : '',
    `Push what you learn with sitrep (findings, theories, rejections with rationale, decisions). Cite entry ids in refs.`,
  ]
    .filter(Boolean)
    .join('\n');
}
