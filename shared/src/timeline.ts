// The post-incident timeline: a pure function of the meta times, the entries, the author's
// curation and (when there is one) the LLM's key moments. Ordered by time, attributed, and
// reproducible from the same inputs; the incident metrics come from the meta times.
import type { Entry } from './entry.js';
import type { Curation, IncidentMeta } from './incident.js';
import { declaredAt, incidentMetrics } from './insights.js';
import { entryLabel } from './rulesView.js';
import { CONFIRMS_TAG } from './theory.js';
import type { CommanderView, Timeline, TimelineEvent } from './view.js';

type Kind = TimelineEvent['kind'];

const META_EVENTS = [
  ['startedAt', 'detected', 'Impact began'],
  ['detectedAt', 'detected', 'Incident detected'],
  ['acknowledgedAt', 'acknowledged', 'Incident acknowledged'],
  ['mitigatedAt', 'mitigated', 'Impact mitigated'],
  ['resolvedAt', 'resolved', 'Incident resolved'],
] as const;

/** The kind of timeline event an entry makes, or null for entries that only show when pinned. */
function entryEventKind(e: Entry): Kind | null {
  if (e.tags?.includes(CONFIRMS_TAG) && (e.kind === 'finding' || e.kind === 'decision'))
    return 'theory_confirmed';
  switch (e.kind) {
    case 'theory':
      return 'theory_raised';
    case 'rejection':
      return 'theory_rejected';
    case 'reopen':
      return 'theory_reopened';
    case 'decision':
      return 'decision';
    case 'action':
      return 'action';
    default:
      return null;
  }
}

function entryText(e: Entry, byId: ReadonlyMap<string, Entry>): string {
  const target = e.refs?.[0] === undefined ? undefined : byId.get(e.refs[0]);
  const about = target ? `"${entryLabel(target)}"` : '';
  switch (e.kind) {
    case 'rejection':
      return `Rejected ${about}${e.rationale ? `: ${e.rationale}` : ''}`.trim();
    case 'reopen':
      return `Reopened ${about}${e.rationale ? `: ${e.rationale}` : ''}`.trim();
    case 'theory':
      return `Theory: ${entryLabel(e)}`;
    case 'decision':
      return `Decision: ${entryLabel(e)}`;
    case 'action':
      return `Action: ${entryLabel(e)}`;
    default:
      return entryLabel(e);
  }
}

/** A duration as `1h 5m` / `12m` / `40s`, or `—` when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m` : `${s}s`;
}

/** The timeline's order: by time, then by key (unique), so the order is the same wherever it is rebuilt. */
export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return Date.parse(a.at) - Date.parse(b.at) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function buildTimeline(
  meta: IncidentMeta,
  entries: readonly Entry[],
  curation: Readonly<Record<string, Curation>> = {},
  llm: CommanderView['timeline'] = [],
): Timeline {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const events: TimelineEvent[] = [
    ...metaEvents(meta),
    ...entries.flatMap((e) => entryEvent(e, curation[e.id], byId) ?? []),
    ...llmEvents(llm),
  ];
  events.sort(compareEvents);
  return { events, metrics: incidentMetrics(meta) };
}

/** The events of the meta times: impact began, detected, acknowledged, mitigated, resolved. */
export function metaEvents(meta: IncidentMeta): TimelineEvent[] {
  const declared = declaredAt(meta);
  return META_EVENTS.flatMap(([field, kind, text]) => {
    const at = field === 'detectedAt' ? declared : meta[field];
    return at
      ? [
          {
            key: `meta:${field}`,
            at,
            kind,
            text,
            cites: [],
            pinned: false,
            hidden: false,
            source: 'rules' as const,
          },
        ]
      : [];
  });
}

/** An entry's event, or null when it makes none; `byId` finds what it refs first, for its text. */
export function entryEvent(
  e: Entry,
  c: Curation | undefined,
  byId: ReadonlyMap<string, Entry>,
): TimelineEvent | null {
  const kind = entryEventKind(e) ?? (c?.pinned ? 'noted' : null);
  if (!kind) return null;
  return {
    key: e.id,
    at: e.at,
    kind,
    text: entryText(e, byId),
    author: e.author.name,
    cites: [e.id],
    pinned: c?.pinned ?? false,
    hidden: c?.hidden ?? false,
    ...(c?.label && { label: c.label }),
    source: 'rules',
  };
}

/** The LLM's key moments as events. Two may share a time and a first citation: the index keeps keys unique. */
export function llmEvents(llm: CommanderView['timeline']): TimelineEvent[] {
  return llm.map((m, i) => ({
    key: `llm:${m.at}:${m.cites[0]}:${i}`,
    at: m.at,
    kind: 'noted',
    text: m.text,
    cites: m.cites,
    pinned: false,
    hidden: false,
    source: 'llm',
  }));
}
