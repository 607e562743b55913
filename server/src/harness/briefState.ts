// "What changed since the last brief of this client": the watermark of each incident's last
// brief, kept per author in the client's state dir.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EntryId } from '@sitrep/shared';

const file = (dir: string, incident: string, author: string) => join(dir, 'briefs', `${incident}.${encodeURIComponent(author)}.json`);

export async function lastBrief(dir: string, incident: string, author: string): Promise<string | undefined> {
  const text = await readFile(file(dir, incident, author), 'utf8').catch(() => null);
  if (text === null) return undefined;
  try {
    const parsed = EntryId.safeParse((JSON.parse(text) as { watermark?: unknown }).watermark);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function saveBrief(dir: string, incident: string, author: string, watermark: string | null): Promise<void> {
  if (!watermark) return;
  await mkdir(join(dir, 'briefs'), { recursive: true });
  await writeFile(file(dir, incident, author), JSON.stringify({ watermark, at: new Date().toISOString() }));
}
