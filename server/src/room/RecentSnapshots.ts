// The newest snapshot's parts (as stored, deflated) of the incidents this node loaded last, kept
// after their rooms unload, bounded by bytes: reopening one reads only the rows after it
// (documentAt's logAt, when it is still the newest) instead of reading 16 MB of parts again for a
// 100k-update incident. They are kept as a load reads them: while the room is loaded and writes no
// newer snapshot its snapshot cache holds the same parts; once it writes one (or purges, which
// drops every stored snapshot) the parts kept here are never used again (logAt's seq check) but
// stay in memory until evicted or the next load replaces them.
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

  /** Keeps `snapshot` as `incidentId`'s newest, dropping the least recently kept past the bound. */
  keep(incidentId: string, { seq, parts }: KnownSnapshot): void {
    this.drop(incidentId);
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

  private drop(incidentId: string): void {
    const k = this.kept.get(incidentId);
    if (!k) return;
    this.kept.delete(incidentId);
    this.bytes -= k.bytes;
  }

  /** Bytes of parts kept. */
  get size(): number {
    return this.bytes;
  }
}
