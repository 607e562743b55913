// Blameless postmortem drafts: the people of an incident shown by role, not by name. The
// commander is "commander", a harness author is its harness ("claude-code"), anyone else is
// "responder 1", "responder 2"... in the order they first wrote (action owners after them), the
// same stand-in everywhere in one draft. Every string of the report is rewritten: attributions,
// the timeline, the LLM's text, quoted entries. Names in prose are replaced where they are a
// known person's full name or first name (three letters or more, unless two people share it);
// other names (someone who never wrote) are left: the draft's review list shows the sentences
// that blame anyone. A receipt's token label ("via priya-laptop") is an admin's free text that
// often names a person or their machine: the draft shows "token 1", "token 2"... in the order the
// labels first appear, so entries from one token still read as such. The JSON export is the
// source data and keeps every name and label.
import { type Entry, type ExportDocument, actionOwner, literal } from '@sitrep/shared';
import { mapStrings } from '@sitrep/shared/sanitizer';

/** Real names and what a draft shows in their place. */
export type StandIns = ReadonlyMap<string, string>;

/** Who is who in this incident: the commander, the authors in id order, then action owners. */
export function standIns(doc: ExportDocument): StandIns {
  const out = new Map<string, string>();
  const harnesses = new Map<string, number>();
  let responders = 0;
  const commander = doc.incident.meta.commander;
  if (commander) out.set(commander, 'commander');
  const responder = (name: string) => {
    if (!out.has(name)) out.set(name, `responder ${++responders}`);
  };
  for (const e of doc.entries) {
    const { name, kind, harness } = e.author;
    if (out.has(name)) continue;
    if (kind === 'harness' && harness) {
      const n = (harnesses.get(harness) ?? 0) + 1;
      harnesses.set(harness, n);
      out.set(name, n === 1 ? harness : `${harness} ${n}`);
    } else responder(name);
  }
  for (const e of doc.entries) {
    const owner = e.kind === 'action' ? actionOwner(e) : undefined;
    if (owner) responder(owner);
  }
  return out;
}

/** Replaces every known name in a text with its stand-in. */
export function nameScrubber(people: StandIns): (text: string) => string {
  const names = new Map(people);
  // First names too, where they say who is meant.
  const firsts = new Map<string, string[]>();
  for (const [name, alias] of people) {
    const first = name.split(/\s+/)[0] ?? '';
    if (first !== name && first.length >= 3) firsts.set(first, [...(firsts.get(first) ?? []), alias]);
  }
  for (const [first, aliases] of firsts)
    if (aliases.length === 1 && !names.has(first)) names.set(first, aliases[0] ?? first);
  if (names.size === 0) return (text) => text;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}_])(?:${[...names.keys()]
      .sort((a, b) => b.length - a.length)
      .map(literal)
      .join('|')})(?![\\p{L}\\p{N}_])`,
    'gu',
  );
  return (text) => text.replace(pattern, (name) => names.get(name) ?? name);
}

/** The report with every name replaced by its stand-in. */
export function withoutNames<R>(report: R, people: StandIns): R {
  return mapStrings(report, nameScrubber(people));
}

/** What a blameless draft shows for each token label, made as they come: "token 1", "token 2"... */
export function tokenStandIns(): (label: string) => string {
  const seen = new Map<string, string>();
  return (label) => {
    const known = seen.get(label);
    if (known) return known;
    const alias = `token ${seen.size + 1}`;
    seen.set(label, alias);
    return alias;
  };
}

/** How the appendix attributes an entry: its author, and the harness when that says more. */
export function attribution(author: Entry['author']): string {
  return author.harness && author.harness !== author.name
    ? `${author.name} (${author.harness})`
    : author.name;
}
