// Meeting transcripts into transcript entries: one entry per point, attributed to its speaker.
// Lines look like `Speaker: text`, optionally after a time (`[14:02]` or `14:02:10`); a line
// without a speaker continues the point before it. Pure: text in, entry drafts out.
import { type EntryDraft, cut } from '@sitrep/shared';

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
      points.push({ speaker: (speaker ?? '').trim(), text: (said ?? '').trim(), ...(time !== undefined && { time }) });
    } else if (points.length) {
      const last = points[points.length - 1] as TranscriptPoint;
      last.text = `${last.text}\n${line}`;
    }
  }
  return points;
}

/** Entry drafts for the points; a point's time is placed on `day` (UTC), else now. */
export function transcriptEntries(points: readonly TranscriptPoint[], day: string | undefined, now = new Date()): EntryDraft[] {
  const midnight = day ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return points.map((p) => ({
    kind: 'transcript',
    body: cut(p.text, 16_384),
    author: { id: p.speaker.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'speaker', name: p.speaker, kind: 'human' },
    at: new Date(p.time !== undefined && !Number.isNaN(midnight) ? midnight + p.time * 1000 : now.getTime()).toISOString(),
  }));
}
