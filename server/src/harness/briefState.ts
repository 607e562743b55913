// "What changed since the last brief of this client": where each incident's last brief left off
// (its log position), kept per author in the client's state dir. Files written before briefs had
// a position hold the newest entry id instead, which the server still takes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Brief, BriefSince } from '@sitrep/shared';

const file = (dir: string, incident: string, author: string) =>
  join(dir, 'briefs', `${incident}.${encodeURIComponent(author)}.json`);

/** The `since` for this client's next brief, or undefined when it has had none. */
export async function lastBrief(
  dir: string,
  incident: string,
  author: string,
): Promise<number | string | undefined> {
  const text = await readFile(file(dir, incident, author), 'utf8').catch(() => null);
  if (text === null) return undefined;
  try {
    const saved = JSON.parse(text) as { seq?: unknown; watermark?: unknown };
    const parsed = BriefSince.safeParse(saved.seq ?? saved.watermark);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function saveBrief(
  dir: string,
  incident: string,
  author: string,
  brief: Pick<Brief, 'seq' | 'watermark'>,
): Promise<void> {
  await mkdir(join(dir, 'briefs'), { recursive: true });
  await writeFile(
    file(dir, incident, author),
    JSON.stringify({ seq: brief.seq, watermark: brief.watermark, at: new Date().toISOString() }),
  );
}
