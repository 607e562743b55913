import { EntryDraft, EntryId } from '@sitrep/shared';
import { describe, expect, it } from 'vitest';
import { commandHook, mergeHooks } from './init.js';
import { parseTranscript, pointIds, transcriptEntries } from './transcript.js';

describe('transcript import', () => {
  it('makes one point per speaker line, with times and continuation lines', () => {
    const points = parseTranscript(
      '[14:02] Sam: roll back now\nPriya: watching latency\n  and the pool\n\nsee ' +
        'https://example.com: no\n14:05:30 Marco: pool is draining',
    );
    expect(points).toEqual([
      { speaker: 'Sam', text: 'roll back now', time: 14 * 3600 + 120 },
      { speaker: 'Priya', text: 'watching latency\nand the pool\nsee https://example.com: no' },
      { speaker: 'Marco', text: 'pool is draining', time: 14 * 3600 + 330 },
    ]);
    const drafts = transcriptEntries(points, '2026-11-24', 'seed', new Date('2026-11-24T15:00:00Z'));
    expect(drafts[0]).toMatchObject({
      kind: 'transcript',
      author: { id: 'sam', name: 'Sam', kind: 'human' },
      at: '2026-11-24T14:02:00.000Z',
    });
    expect(drafts[1]?.at).toBe('2026-11-24T15:00:00.000Z');
  });

  it('gives timed points ids from the seed, in transcript order, the same each time', () => {
    const points = parseTranscript('[14:02] Sam: roll back now\n[14:02] Priya: agreed\nMarco: no time here');
    const ids = (seed: string) => transcriptEntries(points, '2026-11-24', seed).map((d) => d.id);
    const [sam, priya, marco] = ids('incident-a\ntranscript');
    expect([sam, priya].every((id) => EntryId.safeParse(id).success)).toBe(true);
    expect(marco).toBeUndefined(); // no time: timed now, with a new id
    expect((sam as string) < (priya as string)).toBe(true);
    expect(ids('incident-a\ntranscript')).toEqual([sam, priya, undefined]);
    expect(ids('incident-b\ntranscript')[0]).not.toBe(sam);
    const pointId = pointIds('s');
    expect(
      pointId(Date.parse('2026-11-24T14:02:00Z'), 1) < pointId(Date.parse('2026-11-24T14:02:01Z'), 0),
    ).toBe(true);
  });

  it('cuts a long point to an entry body without splitting a character', () => {
    const [draft] = transcriptEntries(
      [{ speaker: 'Sam', text: `${'a'.repeat(16_383)}🚨 paging` }],
      undefined,
      'seed',
    );
    expect(draft?.body).toBe('a'.repeat(16_383));
    expect(EntryDraft.safeParse(draft).success).toBe(true);
  });
});

describe('sitrep init claude-code', () => {
  it('merges its hooks with what is there and replaces an earlier sitrep setup', () => {
    const existing = {
      model: 'opus',
      hooks: {
        Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }],
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit-bash' }] }],
      },
    };
    const cmd = (e: string) => `"/usr/bin/node" "/opt/sitrep/server/bin/sitrep.js" hook ${e}`;
    const once = mergeHooks(existing, commandHook(cmd));
    const twice = mergeHooks(once, commandHook(cmd));
    expect(twice).toEqual(once);
    expect(once.model).toBe('opus');
    const hooks = once.hooks as Record<string, { hooks: { command: string }[] }[]>;
    expect(hooks.PreToolUse).toEqual(existing.hooks.PreToolUse);
    expect(hooks.Stop?.flatMap((g) => g.hooks.map((h) => h.command))).toEqual([
      'notify-send done',
      cmd('Stop'),
    ]);
    expect(hooks.SessionStart?.[0]?.hooks[0]?.command).toBe(cmd('SessionStart'));
  });
});
