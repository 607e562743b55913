// The model usage in a Claude Code transcript (the JSONL file at the hook input's
// `transcript_path`): each assistant message's tokens and model, and how a local `sitrep hook
// Stop` sends what the transcript gained since its last send. An assistant message is written
// as several lines (one per content block) with one `message.id`; it is one message, its last
// line's usage the final one. The server counts a message once by its id, so a resend after a
// failure counts nothing twice.
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiClient, MAX_USAGE_MESSAGES, type UsageReport } from '@sitrep/shared';
import { z } from 'zod';

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).catch(0).default(0);

/** The part of a transcript line sitrep reads; other lines and fields pass unread. */
const AssistantLine = z.looseObject({
  type: z.literal('assistant'),
  timestamp: z.iso.datetime({ offset: true }),
  message: z.looseObject({
    id: z.string().min(1).max(200),
    model: z.string().min(1).max(200),
    usage: z.looseObject({
      input_tokens: Count,
      output_tokens: Count,
      cache_read_input_tokens: Count,
      cache_creation_input_tokens: Count,
    }),
  }),
});

/** Claude Code's model name for messages it writes itself (an error, an interruption): no model ran. */
const SYNTHETIC_MODEL = '<synthetic>';

/** The assistant messages of transcript lines with their usage, one per message id (its last line's). */
export function transcriptMessages(text: string): UsageReport['messages'] {
  const byId = new Map<string, UsageReport['messages'][number]>();
  for (const line of text.split('\n')) {
    if (!line.includes('"assistant"')) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = AssistantLine.safeParse(raw);
    if (!parsed.success || parsed.data.message.model === SYNTHETIC_MODEL) continue;
    const { message, timestamp } = parsed.data;
    byId.delete(message.id);
    byId.set(message.id, {
      id: message.id,
      model: message.model,
      at: new Date(timestamp).toISOString(),
      tokens: {
        input: message.usage.input_tokens,
        output: message.usage.output_tokens,
        cacheRead: message.usage.cache_read_input_tokens,
        cacheCreation: message.usage.cache_creation_input_tokens,
      },
    });
  }
  return [...byId.values()];
}

/** The most of a transcript one Stop reads: a backlog larger than this is read over several turns. */
const MAX_READ_BYTES = 8 * 1024 * 1024;

/** Where the last send left off in a session's transcript: its path and the byte offset read to. */
const Offset = z.object({ path: z.string(), offset: z.number().int().min(0) });

const offsetFile = (stateDir: string, incident: string, session: string) =>
  join(stateDir, 'usage', `${incident}.${encodeURIComponent(session)}.json`);

/** Where the last send of this transcript left off; 0 for none, another file, or a damaged record. */
async function savedOffset(file: string, path: string): Promise<number> {
  try {
    const saved = Offset.parse(JSON.parse(await readFile(file, 'utf8')));
    return saved.path === path ? saved.offset : 0;
  } catch {
    return 0;
  }
}

/** The whole lines of `path` from `offset` (at most MAX_READ_BYTES), and the offset after them. */
async function linesFrom(path: string, offset: number): Promise<{ text: string; end: number } | null> {
  const file = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!file) return null;
  try {
    const { size } = await file.stat();
    // A transcript shorter than where we left off was rewritten: read it again from the start.
    const start = size < offset ? 0 : offset;
    const buffer = Buffer.alloc(Math.min(size - start, MAX_READ_BYTES));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    const whole = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    return { text: buffer.subarray(0, whole).toString('utf8'), end: start + whole };
  } finally {
    await file.close();
  }
}

/**
 * Sends the usage a session's transcript gained since the last send (nothing when there is no
 * transcript file), in reports of at most
 * MAX_USAGE_MESSAGES; where it left off is saved only once the server has it. The count of
 * messages the server had not counted before.
 */
export async function sendTranscriptUsage(
  api: Pick<ApiClient, 'reportUsage'>,
  opts: { stateDir: string; incident: string; sessionId: string; transcriptPath: string },
): Promise<number> {
  const saved = offsetFile(opts.stateDir, opts.incident, opts.sessionId);
  const read = await linesFrom(opts.transcriptPath, await savedOffset(saved, opts.transcriptPath));
  if (!read) return 0;
  const { text, end } = read;
  const messages = transcriptMessages(text);
  let counted = 0;
  for (let i = 0; i < messages.length; i += MAX_USAGE_MESSAGES) {
    const report = { sessionId: opts.sessionId, messages: messages.slice(i, i + MAX_USAGE_MESSAGES) };
    counted += (await api.reportUsage(opts.incident, report)).counted;
  }
  await mkdir(join(opts.stateDir, 'usage'), { recursive: true });
  await writeFile(saved, JSON.stringify({ path: opts.transcriptPath, offset: end }));
  return counted;
}
