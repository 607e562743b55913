// The drill board: a drill's pre-mortem questions (drill.ts), each with the ids of the findings
// that answer it, and its actions with their owners, as ids and text only. The dashboard's drill
// board, the drill report and the summarizer's drill prompt all read it, so "answered" and "the
// actions" mean one thing everywhere.
import { type QuestionId, drillQuestions } from './drill.js';
import type { Entry, EntryId } from './entry.js';
import { actionOwner, entryLabel } from './rulesView.js';

export interface BoardQuestion {
  /** The question's stable id (`exposed`, `fix-now`...). */
  id: QuestionId;
  /** The gap entry that asks it in this drill. */
  gap: EntryId;
  text: string;
  /** The findings that answer it, in id order. */
  answers: EntryId[];
}

export interface BoardAction {
  id: EntryId;
  text: string;
  /** The `owner:<name>` tag's name; none when nobody has taken it. */
  owner?: string;
  /** The question gaps it refs: an action filed from a question says which. */
  questions: EntryId[];
}

export interface DrillBoard {
  /** The questions in the order a drill asks them, answered or not. */
  questions: BoardQuestion[];
  /** Every action in id order: what the drill says we should fix now, and who will. */
  actions: BoardAction[];
}

export function buildDrillBoard(entries: readonly Entry[]): DrillBoard {
  const questions = drillQuestions(entries).map(
    (q): BoardQuestion => ({
      id: q.question.id,
      gap: q.gap.id,
      text: q.question.title,
      answers: q.answers.map((a) => a.id),
    }),
  );
  const gaps = new Set(questions.map((q) => q.gap));
  const actions = [...entries]
    .filter((e) => e.kind === 'action')
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e): BoardAction => {
      const owner = actionOwner(e);
      const refs = [...new Set(e.refs ?? [])].filter((r) => gaps.has(r));
      return { id: e.id, text: entryLabel(e), ...(owner && { owner }), questions: refs };
    });
  return { questions, actions };
}

/** The questions nobody has answered yet, in the order they are asked. */
export const unansweredQuestions = (board: DrillBoard): BoardQuestion[] =>
  board.questions.filter((q) => q.answers.length === 0);
