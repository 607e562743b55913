import { describe, expect, it } from 'vitest';
import { ENTRY_LIMITS, Entry, EntryDraft, completeEntry, newEntryId, redactionCounts } from './entry.js';
import { REDACTED_GROWTH, writtenLength } from './sanitizer/dataTypes.js';

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

  it('bounds a text as written: a placeholder counts one character, and REDACTED_GROWTH times the limit is stored at most', () => {
    const base = { v: 1, id: newEntryId(), kind: 'finding', author, at: new Date().toISOString() };
    const L = ENTRY_LIMITS.bodyChars;
    // An entry at the limit of 7-character addresses, each redacted to a 14-character placeholder.
    const written = 'o@ex.io '.repeat(L / 8);
    const redacted = written.replaceAll('o@ex.io', '[email-3f9a2c]');
    expect(redacted.length).toBeGreaterThan(L);
    expect(writtenLength(redacted)).toBe(written.length - (L / 8) * 6);
    expect(Entry.safeParse({ ...base, body: redacted }).success).toBe(true);
    expect(Entry.safeParse({ ...base, body: `${'x'.repeat(L - 1)}[REDACTED:github-pat]` }).success).toBe(
      true,
    );
    // One character more as written is refused, placeholders or not, and so is more than the growth stored.
    const over = Entry.safeParse({ ...base, body: `${'x'.repeat(L)}[REDACTED:github-pat]` });
    expect(over.error?.issues[0]?.message).toBe(
      `must be at most ${L} characters (each redaction placeholder counts as one)`,
    );
    const stuffed = '[email-3f9a2c]'.repeat(Math.ceil((L * REDACTED_GROWTH + 1) / 14));
    expect(Entry.safeParse({ ...base, body: stuffed }).error?.issues[0]?.message).toMatch(/once redacted/);
    // A bracket that is not a placeholder counts as written.
    expect(Entry.safeParse({ ...base, body: `${'x'.repeat(L - 5)}[email-zz]` }).success).toBe(false);
  });

  it('accepts every optional field, short and at its limit', () => {
    const base = {
      v: 1,
      id: newEntryId(),
      kind: 'finding',
      body: 'x',
      author,
      at: new Date().toISOString(),
    } as const;
    const short = {
      ...base,
      title: 't',
      refs: [newEntryId()],
      evidence: [{ label: 'l', url: 'https://example.com', query: 'q' }],
      confidence: 'low',
      rationale: 'r',
      tags: ['a'],
      redactions: 0,
    };
    expect(Entry.safeParse(short).success).toBe(true);
    const L = ENTRY_LIMITS;
    const long = {
      ...base,
      author: {
        ...author,
        id: 'i'.repeat(L.idChars),
        name: 'n'.repeat(L.idChars),
        kind: 'harness',
        harness: 'h'.repeat(64),
      },
      title: 't'.repeat(L.titleChars),
      body: 'b'.repeat(L.bodyChars),
      refs: Array.from({ length: L.refs }, () => newEntryId()),
      evidence: Array.from({ length: L.evidence }, () => ({
        label: 'l'.repeat(L.titleChars),
        url: `https://example.com/${'u'.repeat(L.evidenceChars - 20)}`,
        query: 'q'.repeat(L.evidenceChars),
      })),
      rationale: 'r'.repeat(L.rationaleChars),
      tags: Array.from({ length: L.tags }, () => 't'.repeat(L.tagChars)),
    };
    expect(Entry.safeParse(long).success).toBe(true);
  });

  it('refuses each broken rule, naming the field', () => {
    const base = {
      v: 1,
      id: newEntryId(),
      kind: 'finding',
      body: 'x',
      author,
      at: new Date().toISOString(),
    } as const;
    const L = ENTRY_LIMITS;
    const id = newEntryId();
    const cases: [string, Record<string, unknown>, (string | number)[]][] = [
      ['nothing to say', { body: '  ' }, ['body']],
      ['a rejection that refs nothing', { kind: 'rejection' }, ['refs']],
      ['a reopening that refs nothing', { kind: 'reopen', refs: [] }, ['refs']],
      ['a theory without a title', { kind: 'theory' }, ['title']],
      ['a title of two lines', { title: 'one\ntwo' }, ['title']],
      ['a title too long', { title: 't'.repeat(L.titleChars + 1) }, ['title']],
      ['an empty title', { title: '' }, ['title']],
      ['an id with more before it', { id: `x${id}` }, ['id']],
      ['an id with more after it', { id: `${id}X` }, ['id']],
      ['a NUL', { body: 'a\u0000b' }, []],
      ['an empty harness', { author: { ...author, harness: '' } }, ['author', 'harness']],
      ['a harness too long', { author: { ...author, harness: 'h'.repeat(65) } }, ['author', 'harness']],
      ['an empty evidence label', { evidence: [{ label: '' }] }, ['evidence', 0, 'label']],
      [
        'an evidence label too long',
        { evidence: [{ label: 'l'.repeat(L.titleChars + 1) }] },
        ['evidence', 0, 'label'],
      ],
      [
        'an evidence query too long',
        { evidence: [{ label: 'l', query: 'q'.repeat(L.evidenceChars + 1) }] },
        ['evidence', 0, 'query'],
      ],
      ['an empty evidence query', { evidence: [{ label: 'l', query: '' }] }, ['evidence', 0, 'query']],
      [
        'too much evidence',
        { evidence: Array.from({ length: L.evidence + 1 }, () => ({ label: 'l' })) },
        ['evidence'],
      ],
      ['too many refs', { refs: Array.from({ length: L.refs + 1 }, () => newEntryId()) }, ['refs']],
      ['an unknown confidence', { confidence: 'certain' }, ['confidence']],
      ['an empty rationale', { rationale: '' }, ['rationale']],
      ['a rationale too long', { rationale: 'r'.repeat(L.rationaleChars + 1) }, ['rationale']],
      ['too many tags', { tags: Array.from({ length: L.tags + 1 }, () => 't') }, ['tags']],
      ['an empty tag', { tags: [''] }, ['tags', 0]],
      ['a tag too long', { tags: ['t'.repeat(L.tagChars + 1)] }, ['tags', 0]],
      ['negative redactions', { redactions: -1 }, ['redactions']],
      ['redactions of an unknown type', { redactions: { password: 1 } }, ['redactions']],
      ['a negative count of a type', { redactions: { email: -1 } }, ['redactions', 'email']],
    ];
    for (const [what, change, path] of cases) {
      const r = Entry.safeParse({ ...base, ...change });
      expect(r.success, what).toBe(false);
      expect(
        r.error?.issues.map((i) => i.path),
        what,
      ).toEqual([path]);
    }
  });

  it("reads redactions as a count per type, and an old entry's number as secrets", () => {
    const base = {
      v: 1,
      id: newEntryId(),
      kind: 'finding',
      body: 'x',
      author,
      at: new Date().toISOString(),
    } as const;
    expect(Entry.parse({ ...base, redactions: { secret: 1, email: 2 } }).redactions).toEqual({
      secret: 1,
      email: 2,
    });
    expect(Entry.parse({ ...base, redactions: 3 }).redactions).toBe(3);
    expect(redactionCounts(3)).toEqual({ secret: 3 });
    expect(redactionCounts({ secret: 1, email: 2, phone: 0 })).toEqual({ secret: 1, email: 2 });
    expect(redactionCounts(0)).toEqual({});
    expect(redactionCounts(undefined)).toEqual({});
  });

  it('makes ids that sort by time', () => {
    expect(newEntryId(1000) < newEntryId(2000)).toBe(true);
  });
});
