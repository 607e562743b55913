// "Rejected before": which theories rejected in related past incidents say the same as a theory
// open here. Responders word one cause many ways, so theories are compared by their words, stemmed,
// without the words that say nothing (words.ts). Pure; the brief (buildBrief) uses it.
import type { Entry, EntryId } from './entry.js';
import type { MemoryIncident, RelatedIncident } from './memory.js';
import { STOP_WORDS, stem } from './words.js';

/** The words of a theory that say what it is about, lower case, stemmed; service names stay whole. */
export function theoryWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[-_.][\p{L}\p{N}]+)*/gu) ?? [];
  return new Set(words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)).map(stem));
}

/**
 * Whether two theories say the same thing: at least two shared words, and half the words of the
 * shorter. Responders word one cause many ways ("the node is evicting pods under memory pressure",
 * "node memory pressure evicting the pods"); two of its words and half of a short title are enough
 * to tell a responder it was tried before, and too little for two theories that only share a
 * generic word such as "deploy".
 */
export function theoriesMatch(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared >= 2 && shared * 2 >= Math.min(a.size, b.size);
}

/** A theory rejected in a related incident that matches a theory open here. */
export interface RejectedBefore {
  incident: MemoryIncident;
  theory: Entry;
  rationale: string | null;
  /** The open theory here that it matches. */
  matches: EntryId;
}

/**
 * Every theory rejected in a related incident that matches one of the theories open here, in the
 * order of the related incidents (most related first), each once.
 */
export function rejectedBefore(
  related: readonly RelatedIncident[],
  openTheories: readonly Entry[],
): RejectedBefore[] {
  const open = openTheories.map((t) => ({ id: t.id, words: theoryWords(t.title ?? t.body) }));
  const found: RejectedBefore[] = [];
  const listed = new Set<string>();
  for (const r of related) {
    for (const { theory, rationale } of r.outcome.rejected) {
      const key = `${r.incident.id}/${theory.id}`;
      const words = theoryWords(theory.title ?? theory.body);
      const match = listed.has(key) ? undefined : open.find((o) => theoriesMatch(o.words, words));
      if (!match) continue;
      listed.add(key);
      found.push({ incident: r.incident, theory, rationale, matches: match.id });
    }
  }
  return found;
}
