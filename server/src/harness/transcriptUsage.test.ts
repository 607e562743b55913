import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageReport } from '@sitrep/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendTranscriptUsage, transcriptMessages } from './transcriptUsage.js';

/** A transcript line as Claude Code writes it for one content block of an assistant message. */
function assistantLine(
  id: string,
  usage: { in: number; out: number; read?: number; made?: number },
  model = 'claude-sonnet-4-5-20250929',
) {
  return JSON.stringify({
    parentUuid: 'a1b2',
    isSidechain: false,
    userType: 'external',
    cwd: '/Users/ana/src/checkout',
    sessionId: '9f1c',
    version: '2.0.14',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: 'Checking the pool.' }],
      stop_reason: null,
      usage: {
        input_tokens: usage.in,
        cache_creation_input_tokens: usage.made ?? 0,
        cache_read_input_tokens: usage.read ?? 0,
        cache_creation: { ephemeral_5m_input_tokens: usage.made ?? 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: usage.out,
        service_tier: 'standard',
      },
    },
    requestId: 'req_011C',
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: '2026-12-05T14:02:11.123Z',
  });
}
const userLine = JSON.stringify({
  type: 'user',
  message: { role: 'user', content: 'why are checkouts timing out?' },
  timestamp: '2026-12-05T14:02:00.000Z',
});

describe('usage in a Claude Code transcript', () => {
  it('takes one message per id, with its last line’s usage, and leaves out what no model made', () => {
    const text = [
      userLine,
      assistantLine('msg_1', { in: 4, out: 1, read: 14216, made: 1529 }),
      assistantLine('msg_1', { in: 4, out: 212, read: 14216, made: 1529 }),
      'not json',
      assistantLine('msg_2', { in: 10, out: 30 }),
      assistantLine('msg_3', { in: 0, out: 0 }, '<synthetic>'),
    ].join('\n');
    expect(transcriptMessages(text)).toEqual([
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-5-20250929',
        at: '2026-12-05T14:02:11.123Z',
        tokens: { input: 4, output: 212, cacheRead: 14216, cacheCreation: 1529 },
      },
      {
        id: 'msg_2',
        model: 'claude-sonnet-4-5-20250929',
        at: '2026-12-05T14:02:11.123Z',
        tokens: { input: 10, output: 30, cacheRead: 0, cacheCreation: 0 },
      },
    ]);
  });
});

describe('sending a transcript’s usage', () => {
  let dir: string;
  let transcript: string;
  let sent: UsageReport[];
  let failing: boolean;
  const api = {
    reportUsage: async (_incident: string, report: UsageReport) => {
      if (failing) throw new Error('sitrep is away');
      sent.push(report);
      return { counted: report.messages.length };
    },
  };
  const send = () =>
    sendTranscriptUsage(api, {
      stateDir: dir,
      incident: 'inc-1',
      sessionId: '9f1c',
      transcriptPath: transcript,
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sitrep-usage-'));
    transcript = join(dir, '9f1c.jsonl');
    sent = [];
    failing = false;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('sends what the transcript gained since the last send, whole lines only', async () => {
    await writeFile(transcript, `${userLine}\n${assistantLine('msg_1', { in: 5, out: 7 })}\n`);
    expect(await send()).toBe(1);
    await appendFile(
      transcript,
      `${assistantLine('msg_2', { in: 1, out: 2 })}\n${assistantLine('msg_3', { in: 1, out: 2 }).slice(0, 40)}`,
    );
    expect(await send()).toBe(1);
    expect(sent.map((r) => r.messages.map((m) => m.id))).toEqual([['msg_1'], ['msg_2']]);
  });

  it('sends again after a send that failed', async () => {
    await writeFile(transcript, `${assistantLine('msg_1', { in: 5, out: 7 })}\n`);
    failing = true;
    await expect(send()).rejects.toThrow('sitrep is away');
    failing = false;
    expect(await send()).toBe(1);
    expect(sent.map((r) => r.messages.map((m) => m.id))).toEqual([['msg_1']]);
  });
});
