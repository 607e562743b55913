// The people list: one row per person, not per socket. A person is an entry author (by author
// id) or a present client that writes nothing (by name); their open dashboard tabs and harness
// sessions are counted, the harnesses they wrote through listed, and the live theories they
// raised or supported named.
import { type Entry, type Presence, type Role, type TheoryCard, presenceKey } from '@sitrep/shared';

export interface Person {
  key: string;
  name: string;
  online: boolean;
  /** Human clients present under this person (dashboard tabs). */
  tabs: number;
  /** Harness clients present under this person. */
  sessions: number;
  /** Harnesses their entries came through (`author.harness`). */
  harnesses: string[];
  roles: Role[];
  /** What their present clients say they look at. */
  focus: string[];
  /** Live (not rejected) theories they raised or supported. */
  theories: string[];
  /** Their newest entry's time. */
  lastAt?: string;
}

export function people(
  entries: readonly Entry[],
  theories: readonly TheoryCard[],
  presence: readonly Presence[],
): Person[] {
  const out = new Map<string, Person>();
  const blank = (key: string, name: string): Person => ({
    key,
    name,
    online: false,
    tabs: 0,
    sessions: 0,
    harnesses: [],
    roles: [],
    focus: [],
    theories: [],
  });
  for (const e of entries) {
    const p = out.get(e.author.id) ?? blank(e.author.id, e.author.name);
    if (e.author.harness && !p.harnesses.includes(e.author.harness)) p.harnesses.push(e.author.harness);
    if (!p.lastAt || e.at > p.lastAt) p.lastAt = e.at;
    out.set(e.author.id, p);
  }
  for (const t of theories) {
    if (t.state === 'rejected') continue;
    for (const id of t.workers) out.get(id)?.theories.push(t.id);
  }
  const byName = new Map([...out.values()].map((p) => [p.name, p.key]));
  for (const client of presence) {
    const key = presenceKey(client, (name) => byName.get(name));
    const p = out.get(key) ?? blank(key, client.name);
    p.online = true;
    if (client.kind === 'harness') p.sessions++;
    else p.tabs++;
    if (client.role && !p.roles.includes(client.role)) p.roles.push(client.role);
    if (client.focus && !p.focus.includes(client.focus)) p.focus.push(client.focus);
    out.set(key, p);
  }
  return [...out.values()].sort(
    (a, b) =>
      Number(b.online) - Number(a.online) ||
      (b.lastAt ?? '').localeCompare(a.lastAt ?? '') ||
      a.name.localeCompare(b.name),
  );
}
