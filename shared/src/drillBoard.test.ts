import { describe, expect, it } from 'vitest';
import { answerDraft, findQuestion, questionEntries } from './drill.js';
import { buildDrillBoard, unansweredQuestions } from './drillBoard.js';
import { completeEntry } from './entry.js';

const ana = { id: 'ana', name: 'Ana', kind: 'harness', harness: 'claude-code' } as const;

describe('drill board', () => {
  const gaps = questionEntries(ana, new Date('2026-12-01T10:00:00Z'));
  const question = (id: string) => {
    const q = findQuestion(gaps, id);
    if (!q) throw new Error(`no question ${id}`);
    return q;
  };
  const at = (minute: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + minute * 60_000);
  const answer = (id: string, body: string, minute: number) =>
    completeEntry({ ...answerDraft(question(id), { body }), author: ana }, at(minute));
  const exposed1 = answer('exposed', 'billing exports sit in a public-read bucket', 1);
  const exposed2 = answer('exposed', 'and the invoices bucket', 2);
  const fixNow = answer('fix-now', 'block public access on every bucket', 3);
  const notAnAnswer = completeEntry(
    { kind: 'note', body: 'a note is not an answer', refs: [question('playbook').gap.id], author: ana },
    at(4),
  );
  const owned = completeEntry(
    {
      kind: 'action',
      title: 'Turn on S3 Block Public Access',
      body: '',
      tags: ['owner:platform'],
      refs: [question('fix-now').gap.id, question('fix-now').gap.id],
      author: ana,
    },
    at(5),
  );
  const unowned = completeEntry(
    { kind: 'action', title: 'Write the bucket playbook', body: '', author: ana },
    at(6),
  );
  const board = buildDrillBoard([unowned, owned, notAnAnswer, fixNow, exposed2, exposed1, ...gaps]);

  it('lists the six questions in order, each with the findings that answer it', () => {
    expect(board.questions.map((q) => [q.id, q.answers])).toEqual([
      ['exposed', [exposed1.id, exposed2.id]],
      ['similar-systems', []],
      ['signals', []],
      ['playbook', []],
      ['hardest-decision', []],
      ['fix-now', [fixNow.id]],
    ]);
    expect(board.questions[0]).toMatchObject({ gap: gaps[0]?.id, text: 'What would be exposed?' });
    expect(unansweredQuestions(board).map((q) => q.id)).toEqual([
      'similar-systems',
      'signals',
      'playbook',
      'hardest-decision',
    ]);
  });

  it('lists the actions with their owners and the questions they come from', () => {
    expect(board.actions).toEqual([
      { id: owned.id, text: 'Turn on S3 Block Public Access', owner: 'platform', questions: [gaps[5]?.id] },
      { id: unowned.id, text: 'Write the bucket playbook', questions: [] },
    ]);
  });
});
