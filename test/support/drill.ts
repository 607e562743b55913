// A drill as tests write it: the six pre-mortem questions (asked an hour ago by its commander),
// answers by two harnesses a minute apart, and actions with and without an owner.
import {
  type Author,
  type DrillQuestion,
  type Entry,
  answerDraft,
  completeEntry,
  findQuestion,
  questionEntries,
} from '@sitrep/shared';

export const COMMANDER: Author = { id: 'ic', name: 'Dana', kind: 'human' };
export const RAVI: Author = { id: 'ravi', name: 'Ravi', kind: 'harness', harness: 'claude-code' };
export const MEI: Author = { id: 'mei', name: 'Mei', kind: 'harness', harness: 'codex' };

export interface DrillEntries {
  gaps: Entry[];
  question(id: string): DrillQuestion;
  answer(question: string, body: string, author: Author): Entry;
  action(title: string, author: Author, owner?: string, question?: string): Entry;
}

/** Questions asked now; each answer or action written after the one before. */
export function drillEntries(): DrillEntries {
  const start = Date.now() - 60 * 60_000;
  const gaps = questionEntries(COMMANDER, new Date(start));
  let minute = 0;
  const next = () => new Date(start + 10 * 60_000 + ++minute * 60_000);
  const question = (id: string) => {
    const q = findQuestion(gaps, id);
    if (!q) throw new Error(`no question ${id}`);
    return q;
  };
  return {
    gaps,
    question,
    answer: (q, body, author) => completeEntry({ ...answerDraft(question(q), { body }), author }, next()),
    action: (title, author, owner, q) =>
      completeEntry(
        {
          kind: 'action',
          title,
          body: '',
          author,
          ...(owner && { tags: [`owner:${owner}`] }),
          ...(q && { refs: [question(q).gap.id] }),
        },
        next(),
      ),
  };
}
