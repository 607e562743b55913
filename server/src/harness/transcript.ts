// Meeting transcripts into transcript entries: one entry per point, attributed to its speaker.
// Lines look like `Speaker: text`, optionally after a time (`[14:02]` or `14:02:10`); a line
// without a speaker continues the point before it. Pure: text in, entry drafts out.
import { createHash } from 'node:crypto';
import { type EntryDraft, type EntryId, cut } from '@sitrep/shared';
import { encodeTime } from 'ulid';

const LINE = /^\s*(?:\[?(\d{1,2}):(\d{2})(?::(\d{2}))?\]?\s+)?([^:\n]{1,64}?):\s+(.+)$/;

export interface TranscriptPoint {
  speaker: string;
  text: string;
  /** Seconds after midnight, when the line had a time. */
  time?: number;
}

export function parseTranscript(text: string): TranscriptPoint[] {
  const points: TranscriptPoint[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = LINE.exec(line);
    if (m && !/^https?$/i.test(m[4] ?? '')) {
      const [, h, min, s, speaker, said] = m;
      const time = h === undefined ? undefined : Number(h) * 3600 + Number(min) * 60 + Number(s ?? 0);
      points.push({
        speaker: (speaker ?? '').trim(),
        text: (said ?? '').trim(),
        ...(time !== undefined && { time }),
      });
    } else if (points.length) {
      const last = points[points.length - 1] as TranscriptPoint;
      last.text = `${last.text}\n${line}`;
    }
  }
  return points;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Ids for the points of one transcript: the point's time, its index (so points of one minute keep
 * their order) and a hash of `seed`, taken once. The same import made again (a retry after a
 * failure partway) gives the same ids, and the server, idempotent by id, adds nothing twice.
 */
export function pointIds(seed: string): (at: number, index: number) => EntryId {
  const hash = createHash('sha256').update(seed).digest();
  let tail = '';
  for (let i = 0; i < 12; i++) tail += CROCKFORD[(hash[i] ?? 0) & 31];
  return (at, index) => `${encodeTime(at, 10)}${encodeTime(index, 4)}${tail}`;
}

/**
 * Entry drafts for the points. A point's time is placed on `day` (UTC), and such a point's id
 * is derived from `seed` (pointIds); without a time or a day, a point is timed now, with a new id.
 */
export function transcriptEntries(
  points: readonly TranscriptPoint[],
  day: string | undefined,
  seed: string,
  now = new Date(),
): EntryDraft[] {
  const midnight = day ? Date.parse(`${day}T00:00:00Z`) : NaN;
  const pointId = pointIds(seed);
  return points.map((p, index) => {
    const at = p.time !== undefined && !Number.isNaN(midnight) ? midnight + p.time * 1000 : undefined;
    return {
      ...(at !== undefined && at >= 0 && { id: pointId(at, index) }),
      kind: 'transcript',
      body: cut(p.text, 16_384),
      author: {
        id:
          p.speaker
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '') || 'speaker',
        name: p.speaker,
        kind: 'human',
      },
      at: new Date(at ?? now.getTime()).toISOString(),
    };
  });
}
