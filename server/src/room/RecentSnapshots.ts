// The newest snapshot (its parts as stored, deflated) of the incidents whose rooms this node
// unloaded last, bounded by bytes: reopening one reads only the rows after it (documentAt's logAt,
// while it is still storage's newest) instead of 16 MB of parts for a 100k-update incident. What
// is held, and when: a room's snapshot is kept as it unloads, from its snapshot cache (the newest
// one the room loaded or wrote; none after a purge, which the cache forgets, so nothing of a purged
// text is kept), and its next load takes it out again, so nothing is held for a loaded room. A
// purge on any node drops what is kept of its incident (RoomRegistry#purged; all of it when purges
// may have been missed). Kept parts go stale when another node writes a newer snapshot after the
// unload: logAt's seq check never serves them, and they stay until evicted or the next load.
import type { KnownSnapshot } from './documentAt.js';

/** Parts' bytes kept at most, over every incident: four 100k-update incidents. */
export const RECENT_SNAPSHOT_BYTES = 64 * 1024 * 1024;

export class RecentSnapshots {
  /** In the order they were kept, the oldest first. */
  private readonly kept = new Map<string, KnownSnapshot & { bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = RECENT_SNAPSHOT_BYTES) {}

  /** The snapshot kept of `incidentId`, if any. */
  get(incidentId: string): KnownSnapshot | undefined {
    return this.kept.get(incidentId);
  }

  /** The snapshot kept of `incidentId`, if any, no longer kept: its room is loading. */
  take(incidentId: string): KnownSnapshot | undefined {
    const k = this.kept.get(incidentId);
    if (!k) return undefined;
    this.kept.delete(incidentId);
    this.bytes -= k.bytes;
    return { seq: k.seq, parts: k.parts };
  }

  /** Keeps `snapshot` as `incidentId`'s newest, dropping the least recently kept past the bound. */
  keep(incidentId: string, { seq, parts }: KnownSnapshot): void {
    this.take(incidentId);
    const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
    if (bytes > this.maxBytes) return;
    this.kept.set(incidentId, { seq, parts, bytes });
    this.bytes += bytes;
    for (const [id, k] of this.kept) {
      if (this.bytes <= this.maxBytes) break;
      this.kept.delete(id);
      this.bytes -= k.bytes;
    }
  }

  /** Keeps nothing. */
  clear(): void {
    this.kept.clear();
    this.bytes = 0;
  }

  /** Bytes of parts kept. */
  get size(): number {
    return this.bytes;
  }
}
