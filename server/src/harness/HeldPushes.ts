// The entry id each push held back for blame was given, by author, incident, tool and input: an
// `as_is` resend of the same input keeps it, so a retry never makes a second entry. Bounded,
// oldest dropped, so a long-lived server stays small.
import type { Author } from '@sitrep/shared';

/** Pushes held back remembered, newest last. */
const HELD_KEPT = 500;

export class HeldPushes {
  private readonly ids = new Map<string, string>();

  constructor(private readonly kept = HELD_KEPT) {}

  /** The key of one push: who, where, which tool, what input. */
  static key(author: Author, incident: string, tool: string, input: unknown): string {
    return JSON.stringify([author.id, incident, tool, input]);
  }

  id(key: string): string | undefined {
    return this.ids.get(key);
  }

  hold(key: string, id: string): void {
    this.ids.delete(key);
    this.ids.set(key, id);
    if (this.ids.size > this.kept) this.ids.delete(this.ids.keys().next().value as string);
  }
}
