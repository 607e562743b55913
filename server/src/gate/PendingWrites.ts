// Writes the gate has accepted that are not yet applied to the document (their commit is in
// flight). The gate checks each new update against the document plus these, so two writes in
// one group commit cannot both add the same entry, and a later write may build on an earlier one.
import type { RootName } from '@sitrep/shared';

export interface ClockRange {
  client: number;
  clock: number;
  length: number;
}

/** One accepted struct: where it lives, so later updates can resolve origins and deletes. */
export interface PlacedStruct extends ClockRange {
  root: RootName | null;
  key: string | null;
}

export class PendingWrites {
  private readonly byClient = new Map<number, PlacedStruct[]>();
  private readonly entryKeys = new Map<string, number>();

  add(structs: readonly PlacedStruct[]): void {
    for (const s of structs) {
      let list = this.byClient.get(s.client);
      if (!list) this.byClient.set(s.client, (list = []));
      list.push(s);
      if (s.root === 'entries' && s.key !== null)
        this.entryKeys.set(s.key, (this.entryKeys.get(s.key) ?? 0) + 1);
    }
  }

  /**
   * Forgets structs once their write is applied or failed. Only what is held is forgotten: a
   * struct released twice (or never added) must not take an entry key from a write still pending.
   */
  release(structs: readonly PlacedStruct[]): void {
    for (const s of structs) {
      const list = this.byClient.get(s.client);
      const i = list?.indexOf(s) ?? -1;
      if (!list || i < 0) continue;
      list.splice(i, 1);
      if (list.length === 0) this.byClient.delete(s.client);
      if (s.root === 'entries' && s.key !== null) {
        const n = (this.entryKeys.get(s.key) ?? 1) - 1;
        if (n > 0) this.entryKeys.set(s.key, n);
        else this.entryKeys.delete(s.key);
      }
    }
  }

  find(client: number, clock: number): PlacedStruct | undefined {
    return this.byClient.get(client)?.find((s) => s.clock <= clock && clock < s.clock + s.length);
  }

  /** The first clock after every pending struct of this client, or 0. */
  nextClock(client: number): number {
    let end = 0;
    for (const s of this.byClient.get(client) ?? []) end = Math.max(end, s.clock + s.length);
    return end;
  }

  hasEntry(key: string): boolean {
    return this.entryKeys.has(key);
  }

  get size(): number {
    return this.byClient.size;
  }
}
