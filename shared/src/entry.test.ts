import { describe, expect, it } from 'vitest';
import { Entry, EntryDraft, completeEntry, newEntryId } from './entry.js';

const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;

describe('entry schema', () => {
  it('accepts a complete finding', () => {
    const e = completeEntry(EntryDraft.parse({ kind: 'finding', body: 'p99 up 4x on checkout', author }));
    expect(Entry.parse(e)).toEqual(e);
    expect(e.v).toBe(1);
  });

  it('rejects unknown kinds, unknown fields and bad ids', () => {
    const base = { v: 1, id: newEntryId(), kind: 'finding', body: 'x', author, at: new Date().toISOString() };
    expect(Entry.safeParse({ ...base, kind: 'rumour' }).success).toBe(false);
    expect(Entry.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(Entry.safeParse({ ...base, id: 'not-a-ulid' }).success).toBe(false);
  });

  it('requires a rejection to ref what it rejects and a theory to have a title', () => {
    expect(EntryDraft.safeParse({ kind: 'rejection', body: 'no', author }).success).toBe(false);
    expect(EntryDraft.safeParse({ kind: 'theory', body: 'maybe dns', author }).success).toBe(false);
  });

  it('bounds the body', () => {
    expect(EntryDraft.safeParse({ kind: 'note', body: 'x'.repeat(20_000), author }).success).toBe(false);
  });

  it('makes ids that sort by time', () => {
    expect(newEntryId(1000) < newEntryId(2000)).toBe(true);
  });
});
