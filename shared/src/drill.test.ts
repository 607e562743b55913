import { describe, expect, it } from 'vitest';
import {
  QUESTIONS,
  answerDraft,
  drillQuestions,
  findQuestion,
  questionEntries,
  questionOf,
} from './drill.js';
import { Entry, completeEntry } from './entry.js';
import { buildRulesView } from './rulesView.js';

const author = { id: 'ana', name: 'Ana', kind: 'human' } as const;
const harness = { id: 'h', name: 'Ravi (claude-code)', kind: 'harness', harness: 'claude-code' } as const;

describe('drill questions', () => {
  it('start a drill as six valid gaps, in order, each naming its stable question id', () => {
    const gaps = questionEntries(author);
    expect(gaps.map((g) => Entry.safeParse(g).success)).toEqual(QUESTIONS.map(() => true));
    expect(gaps.map(questionOf)).toEqual([
      'exposed',
      'similar-systems',
      'signals',
      'playbook',
      'hardest-decision',
      'fix-now',
    ]);
    expect(gaps.map((g) => g.title)).toEqual([
      'What would be exposed?',
      'Which of our systems look similar?',
      'Which logs and dashboards would matter?',
      'Which playbook would we need?',
      'Which decision would be hardest?',
      'What should we fix now?',
    ]);
    expect([...gaps.map((g) => g.id)].sort()).toEqual(gaps.map((g) => g.id));
    expect(buildRulesView(gaps).openGaps).toEqual(gaps.map((g) => g.id));
  });

  it('take answers: a finding that refs the question, found by question id or gap id', () => {
    const gaps = questionEntries(author);
    const playbook = findQuestion(gaps, 'playbook');
    expect(playbook?.gap.id).toBe(gaps[3]?.id);
    expect(findQuestion(gaps, gaps[5]?.id ?? '')?.question.id).toBe('fix-now');
    expect(findQuestion(gaps, 'why')).toBeNull();
    if (!playbook) throw new Error('no playbook question');
    const draft = answerDraft(playbook, {
      body: 'runbooks/db-failover.md, but it predates the new replicas',
    });
    expect(draft).toEqual({
      kind: 'finding',
      body: 'runbooks/db-failover.md, but it predates the new replicas',
      refs: [playbook.gap.id],
      tags: ['answers:playbook'],
    });
    const answer = completeEntry({ ...draft, author: harness });
    const unrelated = completeEntry({ kind: 'finding', body: 'a note', author, refs: [gaps[0]?.id ?? ''] });
    const theory = completeEntry({ kind: 'theory', title: 't', body: '', author, refs: [playbook.gap.id] });
    const all = [...gaps, answer, unrelated, theory];
    const byQuestion = Object.fromEntries(
      drillQuestions(all).map((q) => [q.question.id, q.answers.map((a) => a.id)]),
    );
    expect(byQuestion).toEqual({
      exposed: [unrelated.id],
      'similar-systems': [],
      signals: [],
      playbook: [answer.id],
      'hardest-decision': [],
      'fix-now': [],
    });
    // An answered question is no longer an open gap.
    expect(buildRulesView(all).openGaps).not.toContain(playbook.gap.id);
  });

  it('are only gaps tagged as pre-mortem questions', () => {
    const plain = completeEntry({ kind: 'gap', title: 'g', body: '', author, tags: ['question:playbook'] });
    const finding = completeEntry({
      kind: 'finding',
      body: 'b',
      author,
      tags: ['premortem', 'question:playbook'],
    });
    const odd = completeEntry({
      kind: 'gap',
      title: 'g',
      body: '',
      author,
      tags: ['premortem', 'question:why'],
    });
    expect([plain, finding, odd].map(questionOf)).toEqual([null, null, null]);
    expect(drillQuestions([plain, finding, odd])).toEqual([]);
  });
});
